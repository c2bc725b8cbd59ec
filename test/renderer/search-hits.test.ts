import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../core/crm/read/search.js';
import { groupHits, hitHref } from '../../src-renderer/src/pages/search/group-hits.js';
import { isSearchShortcut } from '../../src-renderer/src/pages/search/shortcut.js';

const hit = (kind: SearchHit['kind'], id: string, score = 1): SearchHit => ({
  kind,
  id,
  title: id,
  snippet: '',
  score,
  archived: false,
});

describe('search hits', () => {
  it('groups by kind in a fixed order, keeping the rank within a group', () => {
    const groups = groupHits([hit('deal', 'd1', 3), hit('contact', 'c2', 2), hit('contact', 'c1', 1)]);
    expect(groups.map((g) => [g.heading, g.hits.map((h) => h.id)])).toEqual([
      ['Contacts', ['c2', 'c1']],
      ['Deals', ['d1']],
    ]);
    expect(groupHits([])).toEqual([]);
  });

  it('links contacts, companies and deals to their pages; notes have none', () => {
    expect(hitHref({ kind: 'contact', id: 'c1' })).toBe('#/contacts/c1');
    expect(hitHref({ kind: 'company', id: 'x' })).toBe('#/companies/x');
    expect(hitHref({ kind: 'deal', id: 'd 1' })).toBe('#/deals/d%201');
    expect(hitHref({ kind: 'note', id: 'n1' })).toBeNull();
  });
});

describe('search shortcut', () => {
  it('is Ctrl+K or Cmd+K, not with Alt', () => {
    const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>>) => ({
      key: k,
      ctrlKey: false,
      metaKey: false,
      altKey: false,
      ...mods,
    });
    expect(isSearchShortcut(key('k', { ctrlKey: true }))).toBe(true);
    expect(isSearchShortcut(key('K', { metaKey: true }))).toBe(true);
    expect(isSearchShortcut(key('k', {}))).toBe(false);
    expect(isSearchShortcut(key('k', { ctrlKey: true, altKey: true }))).toBe(false);
  });
});
