import { describe, expect, it } from 'vitest';
import { companyAggregate } from '../../../core/crm/domain/company.js';
import { contactAggregate } from '../../../core/crm/domain/contact.js';
import { tagCounts, tagsProjection } from '../../../core/crm/read/tags.js';
import { EventLog, fold } from './helpers.js';

describe('tag counts', () => {
  it('counts tags across contacts and companies, ignoring case and diacritics', () => {
    const log = new EventLog();
    log.run(contactAggregate, 'c1', { type: 'CreateContact', firstName: 'A', tags: ['VIP', 'Café'] });
    log.run(contactAggregate, 'c2', { type: 'CreateContact', firstName: 'B', tags: ['vip'] });
    log.run(companyAggregate, 'k1', { type: 'CreateCompany', name: 'K', tags: ['cafe', 'constructor'] });
    expect(tagCounts(fold(tagsProjection, log.events))).toEqual([
      { tag: 'Café', contacts: 1, companies: 1 },
      { tag: 'VIP', contacts: 2, companies: 0 },
      { tag: 'constructor', contacts: 0, companies: 1 },
    ]);
  });

  it('follows tag edits, trash/restore, merges and forget', () => {
    const log = new EventLog();
    log.run(contactAggregate, 'c1', { type: 'CreateContact', firstName: 'A', tags: ['VIP'] });
    log.run(contactAggregate, 'c2', { type: 'CreateContact', firstName: 'B', tags: ['VIP', 'lead'] });
    log.run(contactAggregate, 'c1', { type: 'UpdateContact', fields: { tags: ['lead'] } });
    log.run(contactAggregate, 'c2', { type: 'TrashContact' });
    expect(tagCounts(fold(tagsProjection, log.events))).toEqual([{ tag: 'lead', contacts: 1, companies: 0 }]);
    log.run(contactAggregate, 'c2', { type: 'RestoreContact' });
    log.run(contactAggregate, 'c2', { type: 'MergeContactInto', targetId: 'c1' });
    log.run(contactAggregate, 'c1', {
      type: 'MergeContactFrom',
      sourceId: 'c2',
      source: { tags: ['VIP', 'lead'] },
    });
    expect(tagCounts(fold(tagsProjection, log.events))).toEqual([
      { tag: 'lead', contacts: 1, companies: 0 },
      { tag: 'VIP', contacts: 1, companies: 0 },
    ]);
    log.run(contactAggregate, 'c1', { type: 'ForgetContact' });
    const state = fold(tagsProjection, log.events);
    expect(tagCounts(state)).toEqual([]);
    expect(state.records).not.toHaveProperty('contact:c1');
  });
});
