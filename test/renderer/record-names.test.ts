import { describe, expect, it } from 'vitest';
import {
  displayName,
  linkedNames,
  linkView,
  MAX_NAME_IDS,
  namedLinkIds,
  nameOf,
} from '../../src-renderer/src/components/record/record-names.js';

describe('linked record names', () => {
  it('collect the distinct ids of a list per kind, sorted, leaving out unnamed kinds and no link', () => {
    const links = [
      { kind: 'contact', id: 'c2' },
      null,
      { kind: 'deal', id: 'd1' },
      { kind: 'contact', id: 'c1' },
      { kind: 'contact', id: 'c2' },
      { kind: 'note', id: 'n1' },
      undefined,
    ];
    expect(namedLinkIds(links)).toEqual({ contact: ['c1', 'c2'], company: [], deal: ['d1'] });
  });

  it('ask for at most the first MAX_NAME_IDS ids of a kind, in list order', () => {
    const links = Array.from({ length: MAX_NAME_IDS + 5 }, (_, i) => ({
      kind: 'company',
      id: `k${String(i).padStart(3, '0')}`,
    }));
    const ids = namedLinkIds(links.reverse()).company;
    expect(ids).toHaveLength(MAX_NAME_IDS);
    expect(ids).toContain('k204');
    expect(ids).not.toContain('k004');
  });

  it('read names with their state, unknown once answered, loading before', () => {
    expect(nameOf({ id: 'a', name: 'Acme' })).toBe('Acme');
    expect(nameOf({ id: 'a', name: 'Acme', archived: true })).toBe('Acme (archived)');
    expect(nameOf({ id: 'a', name: 'Acme', trashed: true })).toBe('Acme (in the trash)');
    expect(displayName(undefined, true)).toBe('(unknown)');
    expect(displayName(undefined, false)).toBe('…');
  });

  it('view a link as its kind, name and detail page', () => {
    const names = linkedNames({
      contact: [{ id: 'c1', name: 'Ana Lima' }],
      company: [],
      deal: [{ id: 'd1', name: 'Pilot', trashed: true }],
    });
    expect(names.loaded).toBe(true);
    expect(linkView({ kind: 'contact', id: 'c1' }, names)).toEqual({
      kindLabel: 'Contact',
      name: 'Ana Lima',
      href: '#/contacts/c1',
    });
    expect(linkView({ kind: 'deal', id: 'd1' }, names)).toEqual({
      kindLabel: 'Deal',
      name: 'Pilot (in the trash)',
      href: '#/deals/d1',
    });
    expect(linkView({ kind: 'company', id: 'gone' }, names).name).toBe('(unknown)');
    expect(linkView({ kind: 'note', id: 'n1' }, names)).toEqual({
      kindLabel: 'note',
      name: 'n1',
      href: null,
    });
    const loading = linkedNames({ contact: undefined, company: [], deal: [] });
    expect(loading.loaded).toBe(false);
    expect(linkView({ kind: 'contact', id: 'c1' }, loading).name).toBe('…');
  });
});
