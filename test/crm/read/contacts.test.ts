import { describe, expect, it } from 'vitest';
import { companyAggregate } from '../../../core/crm/domain/company.js';
import { contactAggregate } from '../../../core/crm/domain/contact.js';
import { contactsProjection, queryContacts } from '../../../core/crm/read/contacts.js';
import { EventLog, fold } from './helpers.js';

function seed(): EventLog {
  const log = new EventLog();
  log.run(companyAggregate, 'k1', { type: 'CreateCompany', name: 'Acme Ltd' });
  log.run(contactAggregate, 'c1', {
    type: 'CreateContact',
    firstName: 'Zoë',
    lastName: 'Łukasiewicz',
    emails: ['zoe@example.com', 'z@home.org'],
    phones: ['+48 123'],
    title: 'CTO',
    companyId: 'k1',
    tags: ['VIP'],
    owner: 'ana',
  });
  log.run(contactAggregate, 'c2', {
    type: 'CreateContact',
    firstName: 'Ana',
    lastName: 'Lima',
    tags: ['lead'],
  });
  log.run(contactAggregate, 'c3', { type: 'CreateContact', firstName: 'Bjørn', emails: ['bjorn@straße.de'] });
  return log;
}

const names = (page: { rows: { displayName: string }[] }) => page.rows.map((r) => r.displayName);

describe('contacts read model', () => {
  it('keeps list rows with primary e-mail/phone, company name and flags', () => {
    const state = fold(contactsProjection, seed().events);
    const row = queryContacts(state, { q: 'zoe' }).rows[0];
    expect(row).toMatchObject({
      id: 'c1',
      displayName: 'Zoë Łukasiewicz',
      email: 'zoe@example.com',
      phone: '+48 123',
      title: 'CTO',
      companyId: 'k1',
      companyName: 'Acme Ltd',
      tags: ['VIP'],
      owner: 'ana',
      archived: false,
      trashed: false,
      mergedInto: null,
    });
  });

  it('searches names, e-mails, company names and tags, ignoring case and diacritics, by word prefix', () => {
    const state = fold(contactsProjection, seed().events);
    expect(names(queryContacts(state, { q: 'zoe luk' }))).toEqual(['Zoë Łukasiewicz']);
    expect(names(queryContacts(state, { q: 'ŁUKA' }))).toEqual(['Zoë Łukasiewicz']);
    expect(names(queryContacts(state, { q: 'home' }))).toEqual(['Zoë Łukasiewicz']);
    expect(names(queryContacts(state, { q: 'acme' }))).toEqual(['Zoë Łukasiewicz']);
    expect(names(queryContacts(state, { q: 'vip' }))).toEqual(['Zoë Łukasiewicz']);
    expect(names(queryContacts(state, { q: 'bjorn strasse' }))).toEqual(['Bjørn']);
    expect(names(queryContacts(state, { q: 'ukas' }))).toEqual([]); // prefix of words, not substring
    expect(queryContacts(state, { q: '' }).total).toBe(3);
  });

  it('keeps company names in sync on rename (search too)', () => {
    const log = seed();
    log.run(companyAggregate, 'k1', { type: 'UpdateCompany', fields: { name: 'Globex' } });
    const state = fold(contactsProjection, log.events);
    expect(queryContacts(state, { q: 'globex' }).rows[0]?.companyName).toBe('Globex');
    expect(queryContacts(state, { q: 'acme' }).total).toBe(0);
  });

  it('sorted pages stay right across incremental changes (the sorted-order cache follows the revision)', () => {
    const log = seed();
    const state = fold(contactsProjection, log.events);
    const many = { limit: 10 } as const;
    expect(names(queryContacts(state, many))).toEqual(['Ana Lima', 'Bjørn', 'Zoë Łukasiewicz']);
    log.run(contactAggregate, 'c2', { type: 'UpdateContact', fields: { firstName: 'Zed' } });
    fold(contactsProjection, log.events.slice(-1), state);
    expect(names(queryContacts(state, many))).toEqual(['Bjørn', 'Zed Lima', 'Zoë Łukasiewicz']);
    expect(names(queryContacts(state, { ...many, dir: 'desc' }))).toEqual([
      'Zoë Łukasiewicz',
      'Zed Lima',
      'Bjørn',
    ]);
  });

  it('sorts, filters and pages', () => {
    const log = seed();
    log.run(contactAggregate, 'c2', { type: 'UpdateContact', fields: { title: 'CEO' } });
    const state = fold(contactsProjection, log.events);
    expect(names(queryContacts(state))).toEqual(['Ana Lima', 'Bjørn', 'Zoë Łukasiewicz']);
    expect(names(queryContacts(state, { sort: 'name', dir: 'desc' }))).toEqual([
      'Zoë Łukasiewicz',
      'Bjørn',
      'Ana Lima',
    ]);
    expect(names(queryContacts(state, { sort: 'updatedAt' }))[0]).toBe('Ana Lima');
    expect(names(queryContacts(state, { sort: 'createdAt', dir: 'asc' }))).toEqual([
      'Zoë Łukasiewicz',
      'Ana Lima',
      'Bjørn',
    ]);
    expect(names(queryContacts(state, { tag: 'vip' }))).toEqual(['Zoë Łukasiewicz']);
    expect(names(queryContacts(state, { companyId: 'k1' }))).toEqual(['Zoë Łukasiewicz']);
    expect(names(queryContacts(state, { owner: 'ana' }))).toEqual(['Zoë Łukasiewicz']);
    const page = queryContacts(state, { offset: 1, limit: 1 });
    expect(page).toMatchObject({ total: 3 });
    expect(names(page)).toEqual(['Bjørn']);
  });

  it('archive, trash and restore move rows between views', () => {
    const log = seed();
    log.run(contactAggregate, 'c1', { type: 'ArchiveContact' });
    log.run(contactAggregate, 'c2', { type: 'TrashContact' });
    let state = fold(contactsProjection, log.events);
    expect(names(queryContacts(state))).toEqual(['Bjørn']);
    expect(names(queryContacts(state, { archived: 'only' }))).toEqual(['Zoë Łukasiewicz']);
    expect(names(queryContacts(state, { trash: 'only' }))).toEqual(['Ana Lima']);
    expect(queryContacts(state, { archived: 'include', trash: 'include' }).total).toBe(3);
    log.run(contactAggregate, 'c2', { type: 'RestoreContact' });
    state = fold(contactsProjection, log.events);
    expect(names(queryContacts(state))).toEqual(['Ana Lima', 'Bjørn']);
  });

  it('hides a merged-away contact and shows what the kept one absorbed', () => {
    const log = seed();
    log.run(contactAggregate, 'c3', { type: 'MergeContactInto', targetId: 'c2' });
    log.run(contactAggregate, 'c2', {
      type: 'MergeContactFrom',
      sourceId: 'c3',
      source: { emails: ['bjorn@straße.de'] },
    });
    const state = fold(contactsProjection, log.events);
    expect(names(queryContacts(state))).toEqual(['Ana Lima', 'Zoë Łukasiewicz']);
    expect(names(queryContacts(state, { q: 'bjorn' }))).toEqual(['Ana Lima']);
    expect(queryContacts(state, { includeMerged: true }).total).toBe(3);
  });

  it('forgets a contact: no row, no search words, nothing personal left in state', () => {
    const log = seed();
    log.run(contactAggregate, 'c1', { type: 'ForgetContact' });
    const state = fold(contactsProjection, log.events);
    expect(queryContacts(state, { q: 'zoe' }).total).toBe(0);
    const json = JSON.stringify(state);
    for (const s of ['Zo', 'zoe', 'ukasiewicz', 'example.com', '+48', 'CTO']) expect(json).not.toContain(s);
  });

  it('ignores unknown events and events of unknown contacts', () => {
    const log = seed();
    log.push('contact', 'c1', { type: 'ContactTeleported', data: { to: 'Mars' } });
    log.push('contact', 'nobody', {
      type: 'ContactUpdated',
      data: { changes: { title: { from: null, to: 'x' } } },
    });
    const state = fold(contactsProjection, log.events);
    // Only the revision (the sorted-order cache key) moves.
    expect({ ...state, rev: 0 }).toEqual({ ...fold(contactsProjection, seed().events), rev: 0 });
  });

  it('is safe with words and tags like "constructor" or "__proto__"', () => {
    const log = new EventLog();
    log.run(contactAggregate, 'c1', {
      type: 'CreateContact',
      firstName: 'constructor',
      tags: ['__proto__', 'toString'],
    });
    const state = fold(contactsProjection, log.events);
    expect(queryContacts(state, { q: 'constructor' }).total).toBe(1);
    expect(queryContacts(state, { q: 'tostring' }).total).toBe(1);
    expect(queryContacts(state, { tag: '__proto__' }).total).toBe(1);
    expect(queryContacts(state, { q: 'valueof' }).total).toBe(0);
  });
});
