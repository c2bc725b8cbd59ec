import { describe, expect, it } from 'vitest';
import { companyAggregate } from '../../../core/crm/domain/company.js';
import { contactAggregate } from '../../../core/crm/domain/contact.js';
import { companiesProjection, queryCompanies } from '../../../core/crm/read/companies.js';
import { EventLog, fold } from './helpers.js';

function seed(): EventLog {
  const log = new EventLog();
  log.run(companyAggregate, 'k1', {
    type: 'CreateCompany',
    name: 'Société Générale',
    domain: 'https://www.socgen.fr/',
    industry: 'Banking',
    size: '1001+',
    address: { city: 'Paris', country: 'France' },
    tags: ['Key account'],
  });
  log.run(companyAggregate, 'k2', { type: 'CreateCompany', name: 'Acme', industry: 'banking' });
  log.run(contactAggregate, 'c1', { type: 'CreateContact', firstName: 'Ana', companyId: 'k1' });
  log.run(contactAggregate, 'c2', { type: 'CreateContact', firstName: 'Bo', companyId: 'k1' });
  return log;
}

describe('companies read model', () => {
  it('keeps rows with domain, industry, size, address and contact counts', () => {
    const state = fold(companiesProjection, seed().events);
    const [row] = queryCompanies(state, { q: 'societe' }).rows;
    expect(row).toMatchObject({
      name: 'Société Générale',
      domain: 'socgen.fr',
      industry: 'Banking',
      size: '1001+',
      address: { city: 'Paris', country: 'France' },
      contactCount: 2,
    });
  });

  it('searches name, domain, industry, city and tags; filters by industry, size and tag', () => {
    const state = fold(companiesProjection, seed().events);
    const ids = (p: { rows: { id: string }[] }) => p.rows.map((r) => r.id);
    expect(ids(queryCompanies(state, { q: 'soc gen' }))).toEqual(['k1']);
    expect(ids(queryCompanies(state, { q: 'socgen' }))).toEqual(['k1']);
    expect(ids(queryCompanies(state, { q: 'paris' }))).toEqual(['k1']);
    expect(ids(queryCompanies(state, { q: 'key acc' }))).toEqual(['k1']);
    expect(ids(queryCompanies(state, { industry: 'BANKING' }))).toEqual(['k2', 'k1']);
    expect(ids(queryCompanies(state, { size: '1001+' }))).toEqual(['k1']);
    expect(ids(queryCompanies(state, { tag: 'key account' }))).toEqual(['k1']);
  });

  it('counts only active contacts: moves, trash, merge and forget change the count', () => {
    const log = seed();
    log.run(contactAggregate, 'c1', { type: 'UpdateContact', fields: { companyId: 'k2' } });
    let state = fold(companiesProjection, log.events);
    const count = (id: string) =>
      queryCompanies(state, { archived: 'include' }).rows.find((r) => r.id === id)?.contactCount;
    expect([count('k1'), count('k2')]).toEqual([1, 1]);
    log.run(contactAggregate, 'c2', { type: 'TrashContact' });
    state = fold(companiesProjection, log.events);
    expect(count('k1')).toBe(0);
    log.run(contactAggregate, 'c2', { type: 'RestoreContact' });
    log.run(contactAggregate, 'c2', { type: 'MergeContactInto', targetId: 'c1' });
    state = fold(companiesProjection, log.events);
    expect(count('k1')).toBe(0);
    log.run(contactAggregate, 'c1', { type: 'ForgetContact' });
    state = fold(companiesProjection, log.events);
    expect(count('k2')).toBe(0);
    expect(state.members).not.toHaveProperty('c1');
  });

  it('archives, trashes and restores companies; renames re-index', () => {
    const log = seed();
    log.run(companyAggregate, 'k2', { type: 'UpdateCompany', fields: { name: 'Globex' } });
    log.run(companyAggregate, 'k1', { type: 'TrashCompany' });
    const state = fold(companiesProjection, log.events);
    expect(queryCompanies(state).rows.map((r) => r.name)).toEqual(['Globex']);
    expect(queryCompanies(state, { q: 'acme' }).total).toBe(0);
    expect(queryCompanies(state, { trash: 'only' }).rows.map((r) => r.id)).toEqual(['k1']);
  });
});
