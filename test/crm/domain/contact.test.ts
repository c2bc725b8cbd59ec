import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { given } from '../../../core/es/testing.js';
import {
  type ContactCommand,
  type ContactEvent,
  contactAggregate as contact,
  type ContactFields,
} from '../../../core/crm/domain/contact.js';
import type { FieldDefinition } from '../../../core/crm/domain/custom-field-values.js';
import { checkAggregateProperty, refuses } from './helpers.js';

const fields: ContactFields = {
  firstName: 'Ana',
  lastName: 'Silva',
  emails: ['ana@example.com'],
  phones: [],
  title: 'CTO',
  companyId: null,
  tags: ['vip'],
  owner: null,
};
const created: ContactEvent = { type: 'ContactCreated', data: { ...fields, customFields: {} } };
const defs: FieldDefinition[] = [
  { fieldId: 'birthday', label: 'Birthday', fieldType: 'date', options: [] },
  { fieldId: 'tier', label: 'Tier', fieldType: 'choice', options: ['Gold', 'Silver'] },
];

describe('CreateContact', () => {
  it('creates with normalized values and defaults', () => {
    given(contact, [])
      .when({
        type: 'CreateContact',
        firstName: ' Ana ',
        lastName: '',
        emails: ['Ana@Example.com', 'ana@example.com'],
      })
      .then([
        {
          type: 'ContactCreated',
          data: {
            firstName: 'Ana',
            lastName: null,
            emails: ['ana@example.com'],
            phones: [],
            title: null,
            companyId: null,
            tags: [],
            owner: null,
            customFields: {},
          },
        },
      ]);
  });

  it('refuses a second create (ALREADY_EXISTS)', () => {
    given(contact, [created]).when({ type: 'CreateContact', firstName: 'Ana' }).thenFails('ALREADY_EXISTS');
  });

  it('requires a first name (REQUIRED_FIELD), with a clear message', () => {
    const err = given(contact, [])
      .when({ type: 'CreateContact', firstName: '  ' })
      .thenFails('REQUIRED_FIELD');
    expect(err.message).toBe('Enter a first name.');
    expect(err.details).toEqual({
      issues: [{ path: 'firstName', code: 'REQUIRED_FIELD', message: 'Enter a first name.' }],
    });
    refuses(contact, { type: 'CreateContact' }, 'REQUIRED_FIELD');
  });

  it('bounds names to 200 characters (TOO_LONG)', () => {
    const err = given(contact, [])
      .when({ type: 'CreateContact', firstName: 'x'.repeat(201) })
      .thenFails('TOO_LONG');
    expect(err.message).toBe('A first name has at most 200 characters.');
  });

  it('refuses a malformed e-mail (INVALID_EMAIL) and phone (INVALID_PHONE)', () => {
    const err = given(contact, [])
      .when({ type: 'CreateContact', firstName: 'A', emails: ['ana@'] })
      .thenFails('INVALID_EMAIL');
    expect(err.message).toContain('ana@example.com');
    given(contact, [])
      .when({ type: 'CreateContact', firstName: 'A', phones: ['12'] })
      .thenFails('INVALID_PHONE');
    given(contact, [])
      .when({ type: 'CreateContact', firstName: 'A', phones: ['call me'] })
      .thenFails('INVALID_PHONE');
  });

  it('accepts usual phone formats', () => {
    const r = given(contact, []).when({
      type: 'CreateContact',
      firstName: 'A',
      phones: ['+1 (555)  123-4567', '030 1234.567'],
    });
    expect(r.state.fields.phones).toEqual(['+1 (555) 123-4567', '030 1234.567']);
  });

  it('caps list sizes (TOO_MANY)', () => {
    const emails = Array.from({ length: 21 }, (_, i) => `a${i}@x.com`);
    given(contact, []).when({ type: 'CreateContact', firstName: 'A', emails }).thenFails('TOO_MANY');
  });

  it('refuses an invalid company id (INVALID_ID)', () => {
    given(contact, [])
      .when({ type: 'CreateContact', firstName: 'A', companyId: '../etc' })
      .thenFails('INVALID_ID');
  });

  it('refuses unknown fields and command types (UNEXPECTED_FIELD, UNKNOWN_COMMAND)', () => {
    refuses(contact, { type: 'CreateContact', firstName: 'A', nickname: 'x' }, 'UNEXPECTED_FIELD');
    const err = refuses(contact, { type: 'DeleteEverything' }, 'UNKNOWN_COMMAND');
    expect(err.message).toContain('CreateContact');
    refuses(contact, 'nope', 'INVALID_INPUT');
  });

  it('refuses a duplicate e-mail with the existing id (DUPLICATE_EMAIL), unless forced', () => {
    const duplicateOf = { contactId: 'c-9', email: 'ana@example.com' };
    const err = given(contact, [])
      .when({ type: 'CreateContact', firstName: 'Ana', emails: ['ana@example.com'], duplicateOf })
      .thenFails('DUPLICATE_EMAIL');
    expect(err.details).toEqual({ existingContactId: 'c-9', email: 'ana@example.com' });
    const forced = given(contact, []).when({
      type: 'CreateContact',
      firstName: 'Ana',
      emails: ['ana@example.com'],
      duplicateOf,
      force: true,
    });
    expect(forced.events).toHaveLength(1);
  });

  it('validates custom field values against the definitions passed in', () => {
    const r = given(contact, []).when({
      type: 'CreateContact',
      firstName: 'A',
      customFields: { birthday: '1990-02-28', tier: null },
      customFieldDefinitions: defs,
    });
    expect(r.state.customFields).toEqual({ birthday: '1990-02-28' });
    given(contact, [])
      .when({
        type: 'CreateContact',
        firstName: 'A',
        customFields: { shoe: 42 },
        customFieldDefinitions: defs,
      })
      .thenFails('UNKNOWN_CUSTOM_FIELD');
    given(contact, [])
      .when({
        type: 'CreateContact',
        firstName: 'A',
        customFields: { tier: 'Bronze' },
        customFieldDefinitions: defs,
      })
      .thenFails('INVALID_CUSTOM_FIELD_VALUE');
    // Without definitions no value can be checked, so none is accepted.
    given(contact, [])
      .when({ type: 'CreateContact', firstName: 'A', customFields: { tier: 'Gold' } })
      .thenFails('UNKNOWN_CUSTOM_FIELD');
  });
});

describe('UpdateContact', () => {
  it('emits only the changed fields, each as {from, to}', () => {
    given(contact, [created])
      .when({ type: 'UpdateContact', fields: { title: 'CEO', firstName: 'Ana', tags: ['vip'] } })
      .then([{ type: 'ContactUpdated', data: { changes: { title: { from: 'CTO', to: 'CEO' } } } }]);
  });

  it('emits nothing when nothing changes', () => {
    given(contact, [created])
      .when({ type: 'UpdateContact', fields: { title: 'CTO', emails: ['ANA@example.com'] } })
      .then([]);
    given(contact, [created]).when({ type: 'UpdateContact', fields: {} }).then([]);
  });

  it('clears an optional field with an empty text or null', () => {
    given(contact, [created])
      .when({ type: 'UpdateContact', fields: { title: '', lastName: null } })
      .then([
        {
          type: 'ContactUpdated',
          data: { changes: { lastName: { from: 'Silva', to: null }, title: { from: 'CTO', to: null } } },
        },
      ]);
  });

  it('records custom field changes beside the field changes', () => {
    given(contact, [created])
      .when({
        type: 'UpdateContact',
        fields: {},
        customFields: { tier: 'Gold' },
        customFieldDefinitions: defs,
      })
      .then([
        { type: 'ContactUpdated', data: { changes: {}, customFields: { tier: { from: null, to: 'Gold' } } } },
      ]);
  });

  it('checks duplicates only when e-mails change', () => {
    const duplicateOf = { contactId: 'c-9', email: 'b@example.com' };
    given(contact, [created])
      .when({ type: 'UpdateContact', fields: { emails: ['ana@example.com', 'b@example.com'] }, duplicateOf })
      .thenFails('DUPLICATE_EMAIL');
    given(contact, [created])
      .when({ type: 'UpdateContact', fields: { title: 'CEO' }, duplicateOf })
      .then([{ type: 'ContactUpdated', data: { changes: { title: { from: 'CTO', to: 'CEO' } } } }]);
  });

  it('refuses to edit a contact that does not exist (NOT_FOUND), is archived (ARCHIVED) or in the trash (IN_TRASH)', () => {
    const cmd: ContactCommand = { type: 'UpdateContact', fields: { title: 'CEO' } };
    given(contact, []).when(cmd).thenFails('NOT_FOUND');
    given(contact, [created, { type: 'ContactArchived', data: null }])
      .when(cmd)
      .thenFails('ARCHIVED');
    given(contact, [created, { type: 'ContactTrashed', data: null }])
      .when(cmd)
      .thenFails('IN_TRASH');
  });

  it('refuses an empty first name on update', () => {
    given(contact, [created])
      .when({ type: 'UpdateContact', fields: { firstName: '' } })
      .thenFails('REQUIRED_FIELD');
  });
});

describe('archive and trash', () => {
  it('archives, unarchives, trashes and restores; repeating is a no-op', () => {
    given(contact, [created])
      .when({ type: 'ArchiveContact' })
      .then([{ type: 'ContactArchived', data: null }]);
    given(contact, [created, { type: 'ContactArchived', data: null }])
      .when({ type: 'ArchiveContact' })
      .then([]);
    given(contact, [created, { type: 'ContactArchived', data: null }])
      .when({ type: 'UnarchiveContact' })
      .then([{ type: 'ContactUnarchived', data: null }]);
    given(contact, [created]).when({ type: 'UnarchiveContact' }).then([]);
    given(contact, [created])
      .when({ type: 'TrashContact' })
      .then([{ type: 'ContactTrashed', data: null }]);
    given(contact, [created]).when({ type: 'RestoreContact' }).then([]);
    const r = given(contact, [
      created,
      { type: 'ContactArchived', data: null },
      { type: 'ContactTrashed', data: null },
    ]).when({
      type: 'RestoreContact',
    });
    expect(r.events).toEqual([{ type: 'ContactRestored', data: null }]);
    // Restoring brings it back whole: still archived, fields intact.
    expect(r.state.life).toEqual({ created: true, archived: true, trashed: false });
    expect(r.state.fields).toEqual(fields);
  });

  it('cannot archive a trashed contact (IN_TRASH), nor act on a missing one (NOT_FOUND)', () => {
    given(contact, [created, { type: 'ContactTrashed', data: null }])
      .when({ type: 'ArchiveContact' })
      .thenFails('IN_TRASH');
    given(contact, []).when({ type: 'TrashContact' }).thenFails('NOT_FOUND');
  });
});

describe('merge', () => {
  const source = {
    firstName: 'Ana',
    lastName: 'S.',
    emails: ['ana@work.com', 'ANA@example.com'],
    phones: ['+351 912 345 678'],
    tags: ['lead'],
    owner: 'bob',
  };
  const mergedFrom: ContactEvent = {
    type: 'ContactMergedFrom',
    data: {
      sourceId: 'c-2',
      changes: {
        emails: { from: ['ana@example.com'], to: ['ana@example.com', 'ana@work.com'] },
        phones: { from: [], to: ['+351 912 345 678'] },
        tags: { from: ['vip'], to: ['vip', 'lead'] },
        owner: { from: null, to: 'bob' },
      },
      customFields: {},
    },
  };

  it('marks the duplicate as merged into the target', () => {
    given(contact, [created], { id: 'c-2' })
      .when({ type: 'MergeContactInto', targetId: 'c-1' })
      .then([{ type: 'ContactMergedInto', data: { targetId: 'c-1' } }]);
  });

  it('the target absorbs the source: lists united, empty scalars filled, others kept', () => {
    const r = given(contact, [created], { id: 'c-1' }).when({
      type: 'MergeContactFrom',
      sourceId: 'c-2',
      source,
    });
    r.then([mergedFrom]);
    expect(r.state.fields.lastName).toBe('Silva');
  });

  it('takes preferred scalars from the source', () => {
    const r = given(contact, [created], { id: 'c-1' }).when({
      type: 'MergeContactFrom',
      sourceId: 'c-2',
      source: { lastName: 'S.' },
      prefer: ['lastName'],
    });
    expect(r.events[0]?.data).toEqual({
      sourceId: 'c-2',
      changes: { lastName: { from: 'Silva', to: 'S.' } },
      customFields: {},
    });
  });

  it('fills missing custom field values from the source, never overwrites', () => {
    const withTier: ContactEvent = {
      type: 'ContactCreated',
      data: { ...fields, customFields: { tier: 'Gold' } },
    };
    const r = given(contact, [withTier], { id: 'c-1' }).when({
      type: 'MergeContactFrom',
      sourceId: 'c-2',
      source: { customFields: { tier: 'Silver', birthday: '1990-01-01' } },
    });
    expect(r.events[0]?.data).toEqual({
      sourceId: 'c-2',
      changes: {},
      customFields: { birthday: { from: null, to: '1990-01-01' } },
    });
  });

  it('refuses to merge with itself (CANNOT_MERGE_WITH_ITSELF) or twice (ALREADY_MERGED)', () => {
    given(contact, [created], { id: 'c-1' })
      .when({ type: 'MergeContactInto', targetId: 'c-1' })
      .thenFails('CANNOT_MERGE_WITH_ITSELF');
    given(contact, [created], { id: 'c-1' })
      .when({ type: 'MergeContactFrom', sourceId: 'c-1', source: {} })
      .thenFails('CANNOT_MERGE_WITH_ITSELF');
    given(contact, [created, mergedFrom], { id: 'c-1' })
      .when({ type: 'MergeContactFrom', sourceId: 'c-2', source })
      .thenFails('ALREADY_MERGED');
  });

  it('a merged duplicate refuses everything but unmerge and forget (MERGED)', () => {
    const past: ContactEvent[] = [created, { type: 'ContactMergedInto', data: { targetId: 'c-1' } }];
    const err = given(contact, past)
      .when({ type: 'UpdateContact', fields: { title: 'x' } })
      .thenFails('MERGED');
    expect(err.details).toEqual({ targetId: 'c-1' });
    given(contact, past).when({ type: 'MergeContactInto', targetId: 'c-3' }).thenFails('MERGED');
    given(contact, past)
      .when({ type: 'UnmergeContact' })
      .then([{ type: 'ContactUnmerged', data: { targetId: 'c-1' } }]);
    given(contact, past)
      .when({ type: 'ForgetContact' })
      .then([{ type: 'ContactForgotten', data: null }]);
  });

  it('unmerge on the duplicate requires a merge (NOT_MERGED)', () => {
    given(contact, [created]).when({ type: 'UnmergeContact' }).thenFails('NOT_MERGED');
  });

  it('unmerge on the target reverts exactly what the merge wrote', () => {
    const r = given(contact, [created, mergedFrom], { id: 'c-1' }).when({
      type: 'UnmergeContactFrom',
      sourceId: 'c-2',
    });
    expect(r.events).toEqual([
      {
        type: 'ContactUnmergedFrom',
        data: {
          sourceId: 'c-2',
          changes: {
            emails: { from: ['ana@example.com', 'ana@work.com'], to: ['ana@example.com'] },
            phones: { from: ['+351 912 345 678'], to: [] },
            tags: { from: ['vip', 'lead'], to: ['vip'] },
            owner: { from: 'bob', to: null },
          },
          customFields: {},
          kept: [],
        },
      },
    ]);
    expect(r.state.fields).toEqual(fields);
    expect(r.state.merges).toEqual({});
  });

  it('unmerge keeps fields edited after the merge and says which', () => {
    const edited: ContactEvent = {
      type: 'ContactUpdated',
      data: { changes: { owner: { from: 'bob', to: 'eve' } } },
    };
    const r = given(contact, [created, mergedFrom, edited], { id: 'c-1' }).when({
      type: 'UnmergeContactFrom',
      sourceId: 'c-2',
    });
    const data = r.events[0]?.data as { changes: object; kept: string[] };
    expect(data.kept).toEqual(['owner']);
    expect(Object.keys(data.changes)).toEqual(['emails', 'phones', 'tags']);
    expect(r.state.fields.owner).toBe('eve');
  });

  it('unmerge on the target requires that merge (NOT_MERGED)', () => {
    given(contact, [created], { id: 'c-1' })
      .when({ type: 'UnmergeContactFrom', sourceId: 'c-2' })
      .thenFails('NOT_MERGED');
  });

  it('a full merge then unmerge of both sides gives back both states', () => {
    const target = given(contact, [created], { id: 'c-1' });
    const merged = target.when({ type: 'MergeContactFrom', sourceId: 'c-2', source });
    const undone = given(contact, [created, ...merged.events], { id: 'c-1' }).when({
      type: 'UnmergeContactFrom',
      sourceId: 'c-2',
    });
    expect(undone.state).toEqual(target.state);
  });
});

describe('UnlinkContactCompany', () => {
  const linked: ContactEvent = {
    type: 'ContactCreated',
    data: { ...fields, companyId: 'co-1', customFields: {} },
  };
  const unlinked: ContactEvent[] = [
    { type: 'ContactUpdated', data: { changes: { companyId: { from: 'co-1', to: null } } } },
  ];

  it('unlinks the deleted company, even from archived, trashed or merged contacts', () => {
    given(contact, [linked]).when({ type: 'UnlinkContactCompany', companyId: 'co-1' }).then(unlinked);
    for (const extra of [
      { type: 'ContactArchived', data: null },
      { type: 'ContactTrashed', data: null },
      { type: 'ContactMergedInto', data: { targetId: 'c-1' } },
    ] as ContactEvent[]) {
      given(contact, [linked, extra])
        .when({ type: 'UnlinkContactCompany', companyId: 'co-1' })
        .then(unlinked);
    }
  });

  it('is a no-op for another company; refused on a missing contact (NOT_FOUND)', () => {
    given(contact, [linked]).when({ type: 'UnlinkContactCompany', companyId: 'co-2' }).then([]);
    given(contact, []).when({ type: 'UnlinkContactCompany', companyId: 'co-1' }).thenFails('NOT_FOUND');
  });
});

describe('ForgetContact', () => {
  it('leaves a tombstone without personal data and refuses every later command (FORGOTTEN)', () => {
    const r = given(contact, [created]).when({ type: 'ForgetContact' });
    r.then([{ type: 'ContactForgotten', data: null }]);
    expect(JSON.stringify(r.state)).not.toMatch(/Ana|example|CTO|vip/);
    expect(r.state.forgotten).toBe(true);
    const past: ContactEvent[] = [created, { type: 'ContactForgotten', data: null }];
    for (const cmd of [
      { type: 'UpdateContact', fields: { title: 'x' } },
      { type: 'RestoreContact' },
      { type: 'ForgetContact' },
      { type: 'CreateContact', firstName: 'Ana' },
    ] as ContactCommand[]) {
      given(contact, past).when(cmd).thenFails('FORGOTTEN');
    }
  });

  it('cannot forget a contact that does not exist (NOT_FOUND)', () => {
    given(contact, []).when({ type: 'ForgetContact' }).thenFails('NOT_FOUND');
  });
});

describe('evolve', () => {
  it('ignores unknown event types', () => {
    const state = given(contact, [created]).state;
    expect(contact.evolve(state, { type: 'ContactTeleported', data: {} } as unknown as ContactEvent)).toBe(
      state,
    );
  });
});

const email = fc.constantFrom('a@x.com', 'b@x.com', 'c@y.org');
const name = fc.constantFrom('Ana', 'Bob', 'Zoë', '李');
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const fieldsArb = fc.record(
  {
    firstName: name,
    lastName: maybe(name),
    emails: fc.uniqueArray(email, { maxLength: 3 }),
    phones: fc.uniqueArray(fc.constantFrom('+1 555 123 4567', '030 123456'), { maxLength: 2 }),
    title: maybe(fc.constantFrom('CTO', 'CEO')),
    companyId: maybe(fc.constantFrom('co-1', 'co-2')),
    tags: fc.uniqueArray(fc.constantFrom('vip', 'lead'), { maxLength: 2 }),
    owner: maybe(fc.constantFrom('ana', 'bob')),
  },
  { requiredKeys: [] },
);
const commandArb: fc.Arbitrary<ContactCommand> = fc.oneof(
  fc.record({
    type: fc.constant('CreateContact' as const),
    firstName: name,
    emails: fc.uniqueArray(email, { maxLength: 2 }),
  }),
  fc.record({ type: fc.constant('UpdateContact' as const), fields: fieldsArb }),
  fc.record({
    type: fc.constant('UpdateContact' as const),
    fields: fc.constant({}),
    customFields: fc.record({ tier: fc.constantFrom('Gold', 'Silver', null) }),
    customFieldDefinitions: fc.constant(defs),
  }),
  fc.constantFrom<ContactCommand>(
    { type: 'ArchiveContact' },
    { type: 'UnarchiveContact' },
    { type: 'TrashContact' },
    { type: 'RestoreContact' },
    { type: 'MergeContactInto', targetId: 'c-9' },
    { type: 'UnmergeContact' },
    { type: 'UnmergeContactFrom', sourceId: 'c-2' },
    { type: 'UnlinkContactCompany', companyId: 'co-1' },
    { type: 'ForgetContact' },
  ),
  fc.record({
    type: fc.constant('MergeContactFrom' as const),
    sourceId: fc.constantFrom('c-2', 'c-3'),
    source: fieldsArb,
    prefer: fc.subarray(['firstName', 'lastName', 'title', 'companyId', 'owner'] as const),
  }),
);

describe('property', () => {
  it('random command sequences: evolve never throws, incremental state equals a fold from scratch', () => {
    expect(checkAggregateProperty(contact, commandArb, { runs: 300 })).toBeGreaterThan(300);
  });
});
