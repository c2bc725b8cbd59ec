import { describe, expect, it } from 'vitest';
import { companyAggregate } from '../../../core/crm/domain/company.js';
import { contactAggregate } from '../../../core/crm/domain/contact.js';
import { dealAggregate } from '../../../core/crm/domain/deal.js';
import { noteAggregate } from '../../../core/crm/domain/note.js';
import { searchAll, searchProjection, snippet } from '../../../core/crm/read/search.js';
import { EventLog, fold, STAGES } from './helpers.js';

function seed(): EventLog {
  const log = new EventLog();
  log.run(contactAggregate, 'c1', {
    type: 'CreateContact',
    firstName: 'Zoë',
    lastName: 'Łukasiewicz',
    emails: ['zoe@acme.io'],
  });
  log.run(companyAggregate, 'k1', { type: 'CreateCompany', name: 'Acme', domain: 'acme.io' });
  log.run(dealAggregate, 'd1', {
    type: 'CreateDeal',
    title: 'Acme renewal',
    pipelineId: 'default',
    stageId: 'lead',
    pipelineStageIds: STAGES,
  });
  const long = `${'Lorem ipsum dolor sit amet. '.repeat(30)}Then we talked about the Acme merger with Zoë.`;
  log.run(noteAggregate, 'n1', { type: 'CreateNote', body: long, link: { kind: 'contact', id: 'c1' } });
  return log;
}

describe('global search', () => {
  it('finds every kind with a kind tag, a score (title matches first) and a snippet', () => {
    const state = fold(searchProjection, seed().events);
    const { total, hits } = searchAll(state, { q: 'acme' });
    expect(total).toBe(4);
    expect(hits.map((h) => [h.kind, h.id, h.score])).toEqual([
      ['deal', 'd1', 3],
      ['company', 'k1', 3],
      ['note', 'n1', 1],
      ['contact', 'c1', 1],
    ]);
    const note = hits.find((h) => h.kind === 'note');
    expect(note?.snippet).toMatch(/^….*the Acme merger with Zoë\.$/);
    expect(note?.title.length).toBeLessThanOrEqual(60);
  });

  it('uses the same normalization as the lists, filters kinds, and hides trashed and merged records', () => {
    const log = seed();
    let state = fold(searchProjection, log.events);
    expect(searchAll(state, { q: 'ZOE luk' }).hits.map((h) => h.id)).toEqual(['c1']);
    expect(searchAll(state, { q: 'merg' }).hits.map((h) => h.id)).toEqual(['n1']);
    expect(searchAll(state, { q: 'acme', kinds: ['company'] }).hits.map((h) => h.id)).toEqual(['k1']);
    log.run(dealAggregate, 'd1', { type: 'TrashDeal' });
    log.run(companyAggregate, 'k1', { type: 'UpdateCompany', fields: { name: 'Globex' } });
    state = fold(searchProjection, log.events);
    expect(searchAll(state, { q: 'renewal' }).total).toBe(0);
    expect(searchAll(state, { q: 'renewal', includeTrashed: true }).total).toBe(1);
    expect(searchAll(state, { q: 'globex' }).hits.map((h) => h.title)).toEqual(['Globex']);
    expect(searchAll(state, { q: 'acme', kinds: ['company'] }).hits.map((h) => h.id)).toEqual(['k1']); // domain still
  });

  it('forgets a contact and its notes everywhere in the index', () => {
    const log = seed();
    log.run(contactAggregate, 'c1', { type: 'ForgetContact' });
    log.run(noteAggregate, 'n1', { type: 'EditNote', fields: { body: 'Zoë again' } });
    const state = fold(searchProjection, log.events);
    expect(searchAll(state, { q: 'zoe' }).total).toBe(0);
    const json = JSON.stringify(state);
    for (const s of ['Zoë', 'zoe', 'lukasiewicz', 'merger', 'lorem']) expect(json).not.toContain(s);
  });

  it('keeps very long notes searchable without storing them whole', () => {
    const log = new EventLog();
    const body = Array.from({ length: 5_000 }, (_, i) => `word${i}`).join(' ');
    log.run(noteAggregate, 'n1', { type: 'CreateNote', body, link: { kind: 'contact', id: 'c1' } });
    const state = fold(searchProjection, log.events);
    expect(searchAll(state, { q: 'word900' }).total).toBeGreaterThan(0);
    expect(state.entries['note:n1']?.text.length).toBeLessThanOrEqual(1_000);
  });

  it('snippets fold diacritics when locating the match', () => {
    expect(snippet('Kontakt: Łukasz Żółć', ['zolc'])).toBe('Kontakt: Łukasz Żółć');
    expect(snippet('nothing here', ['zzz'])).toBe('nothing here');
  });
});
