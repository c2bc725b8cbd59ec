import { describe, expect, it } from 'vitest';
import { isBackendResult } from '../../src-preload/api.js';
import { fieldMessages } from '../../src-renderer/src/errors.js';
import { hrefOf, routeOf } from '../../src-renderer/src/hooks/useRoute.js';

describe('renderer logic', () => {
  it('routes by hash, falling back to the dashboard', () => {
    expect(routeOf('#/contacts')).toEqual({ section: 'contacts', params: {} });
    expect(routeOf('#contacts').section).toBe('contacts');
    expect(routeOf('#/deals').section).toBe('deals');
    expect(routeOf('').section).toBe('dashboard');
    expect(routeOf('#/constructor').section).toBe('dashboard');
    expect(routeOf('#/contacts/c-1')).toEqual({ section: 'contacts', id: 'c-1', params: {} });
    expect(routeOf('#/contacts/c-1/extra').section).toBe('dashboard');
    expect(routeOf('#/contacts/%3Cscript%3E')).toEqual({ section: 'contacts', params: {} });
    expect(routeOf('#/contacts/%E0%A4%A')).toEqual({ section: 'contacts', params: {} });
    expect(routeOf('#/search?q=ana%20l')).toEqual({ section: 'search', params: { q: 'ana l' } });
    expect(hrefOf('contacts', 'c 1', { tab: 'x' })).toBe('#/contacts/c%201?tab=x');
    expect(routeOf(hrefOf('search', undefined, { q: 'zoë' }))).toEqual({
      section: 'search',
      params: { q: 'zoë' },
    });
  });

  it('shows validation issues per field and other errors as one sentence', () => {
    expect(
      fieldMessages({
        kind: 'validation',
        code: 'INVALID_INPUT',
        message: 'The input of contact.create is invalid: …',
        details: [
          { path: 'name', message: 'Enter a name.' },
          { path: 'email', message: 'Too long.' },
          { path: 'email', message: 'Not an address.' },
        ],
      }),
    ).toEqual({ name: 'Enter a name.', email: 'Too long. Not an address.' });
    expect(
      fieldMessages({ kind: 'domain', code: 'DUPLICATE_EMAIL', message: 'Ana already has it.' }),
    ).toEqual({
      '': 'Ana already has it.',
    });
    expect(
      fieldMessages({
        kind: 'validation',
        code: 'UNKNOWN_COMMAND',
        message: 'No such command.',
        details: { known: [] },
      }),
    ).toEqual({
      '': 'No such command.',
    });
  });

  it('accepts only well-formed results from a transport', () => {
    expect(isBackendResult({ ok: true, value: null })).toBe(true);
    expect(isBackendResult({ ok: false, error: { kind: 'conflict', code: 'X', message: 'm' } })).toBe(true);
    for (const junk of [
      null,
      'ok',
      { ok: true },
      { ok: false },
      { ok: false, error: { kind: 'weird', code: 'X', message: 'm' } },
      { ok: 1, value: 2 },
    ])
      expect(isBackendResult(junk), JSON.stringify(junk)).toBe(false);
  });
});
