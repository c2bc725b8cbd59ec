import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { given } from '../../../core/es/testing.js';
import {
  type CompanyCommand,
  type CompanyEvent,
  companyAggregate as company,
} from '../../../core/crm/domain/company.js';
import { checkAggregateProperty, refuses } from './helpers.js';

const created: CompanyEvent = {
  type: 'CompanyCreated',
  data: {
    name: 'Acme',
    domain: 'acme.com',
    industry: null,
    size: '2-10',
    address: null,
    tags: [],
    customFields: {},
  },
};

describe('CreateCompany', () => {
  it('creates with a normalized domain and defaults', () => {
    given(company, [])
      .when({ type: 'CreateCompany', name: ' Acme ', domain: 'https://www.Acme.com/about', size: '2-10' })
      .then([created]);
  });

  it('fills every address part', () => {
    const r = given(company, []).when({
      type: 'CreateCompany',
      name: 'Acme',
      address: { city: 'Lisbon', country: '' },
    });
    expect(r.state.fields.address).toEqual({
      street: null,
      city: 'Lisbon',
      postalCode: null,
      region: null,
      country: null,
    });
  });

  it('refuses a double create (ALREADY_EXISTS), a missing name (REQUIRED_FIELD), a bad domain (INVALID_DOMAIN)', () => {
    given(company, [created]).when({ type: 'CreateCompany', name: 'Acme' }).thenFails('ALREADY_EXISTS');
    given(company, []).when({ type: 'CreateCompany', name: '' }).thenFails('REQUIRED_FIELD');
    const err = given(company, [])
      .when({ type: 'CreateCompany', name: 'A', domain: 'not a domain' })
      .thenFails('INVALID_DOMAIN');
    expect(err.message).toBe('Enter a web domain, like example.com.');
  });

  it('refuses an unknown size (INVALID_CHOICE) and too many tags (TOO_MANY)', () => {
    const err = refuses(company, { type: 'CreateCompany', name: 'A', size: 'huge' }, 'INVALID_CHOICE');
    expect(err.message).toContain('1001+');
    const tags = Array.from({ length: 101 }, (_, i) => `t${i}`);
    given(company, []).when({ type: 'CreateCompany', name: 'A', tags }).thenFails('TOO_MANY');
  });

  it('drops duplicate tags ignoring case', () => {
    const r = given(company, []).when({ type: 'CreateCompany', name: 'A', tags: ['SaaS', 'saas', 'B2B'] });
    expect(r.state.fields.tags).toEqual(['SaaS', 'B2B']);
  });
});

describe('UpdateCompany', () => {
  it('emits only changed fields; a whole address is one field', () => {
    given(company, [created])
      .when({
        type: 'UpdateCompany',
        fields: { name: 'Acme', industry: 'Software', address: { city: 'Porto' } },
      })
      .then([
        {
          type: 'CompanyUpdated',
          data: {
            changes: {
              industry: { from: null, to: 'Software' },
              address: {
                from: null,
                to: { street: null, city: 'Porto', postalCode: null, region: null, country: null },
              },
            },
          },
        },
      ]);
  });

  it('emits nothing when nothing changes', () => {
    given(company, [created])
      .when({ type: 'UpdateCompany', fields: { domain: 'ACME.com', size: '2-10' } })
      .then([]);
  });

  it('refuses on missing, archived and trashed companies', () => {
    const cmd: CompanyCommand = { type: 'UpdateCompany', fields: { name: 'B' } };
    given(company, []).when(cmd).thenFails('NOT_FOUND');
    given(company, [created, { type: 'CompanyArchived', data: null }])
      .when(cmd)
      .thenFails('ARCHIVED');
    given(company, [created, { type: 'CompanyTrashed', data: null }])
      .when(cmd)
      .thenFails('IN_TRASH');
  });

  it('validates custom fields (UNKNOWN_CUSTOM_FIELD, INVALID_CUSTOM_FIELD_VALUE)', () => {
    const defs = [{ fieldId: 'arr', label: 'ARR', fieldType: 'number' as const, options: [] }];
    given(company, [created])
      .when({
        type: 'UpdateCompany',
        fields: {},
        customFields: { arr: 'lots' },
        customFieldDefinitions: defs,
      })
      .thenFails('INVALID_CUSTOM_FIELD_VALUE');
    given(company, [created])
      .when({ type: 'UpdateCompany', fields: {}, customFields: { mrr: 1 }, customFieldDefinitions: defs })
      .thenFails('UNKNOWN_CUSTOM_FIELD');
    given(company, [created])
      .when({
        type: 'UpdateCompany',
        fields: {},
        customFields: { arr: 120000 },
        customFieldDefinitions: defs,
      })
      .then([
        { type: 'CompanyUpdated', data: { changes: {}, customFields: { arr: { from: null, to: 120000 } } } },
      ]);
  });
});

describe('archive and trash', () => {
  it('follows the shared lifecycle', () => {
    given(company, [created])
      .when({ type: 'ArchiveCompany' })
      .then([{ type: 'CompanyArchived', data: null }]);
    given(company, [created, { type: 'CompanyArchived', data: null }])
      .when({ type: 'UnarchiveCompany' })
      .then([{ type: 'CompanyUnarchived', data: null }]);
    given(company, [created])
      .when({ type: 'TrashCompany' })
      .then([{ type: 'CompanyTrashed', data: null }]);
    given(company, [created, { type: 'CompanyTrashed', data: null }])
      .when({ type: 'RestoreCompany' })
      .then([{ type: 'CompanyRestored', data: null }]);
    given(company, [created, { type: 'CompanyTrashed', data: null }])
      .when({ type: 'UnarchiveCompany' })
      .thenFails('IN_TRASH');
    given(company, []).when({ type: 'ArchiveCompany' }).thenFails('NOT_FOUND');
  });

  it('evolve ignores unknown events', () => {
    const s = given(company, [created]).state;
    expect(company.evolve(s, { type: 'CompanyIpo', data: null } as unknown as CompanyEvent)).toBe(s);
  });
});

const commandArb: fc.Arbitrary<CompanyCommand> = fc.oneof(
  fc.record({ type: fc.constant('CreateCompany' as const), name: fc.constantFrom('Acme', 'Initech') }),
  fc.record({
    type: fc.constant('UpdateCompany' as const),
    fields: fc.record(
      {
        name: fc.constantFrom('Acme', 'Initech'),
        domain: fc.constantFrom('acme.com', 'initech.io', null),
        industry: fc.constantFrom('Software', null),
        size: fc.constantFrom('1' as const, '11-50' as const, null),
        address: fc.option(fc.record({ city: fc.constantFrom('Lisbon', 'Porto') }, { requiredKeys: [] }), {
          nil: null,
        }),
        tags: fc.uniqueArray(fc.constantFrom('saas', 'b2b'), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
  }) as fc.Arbitrary<CompanyCommand>,
  fc.constantFrom<CompanyCommand>(
    { type: 'ArchiveCompany' },
    { type: 'UnarchiveCompany' },
    { type: 'TrashCompany' },
    { type: 'RestoreCompany' },
  ),
);

describe('property', () => {
  it('random command sequences: evolve never throws, incremental state equals a fold from scratch', () => {
    expect(checkAggregateProperty(company, commandArb)).toBeGreaterThan(200);
  });
});
