import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { given } from '../../../core/es/testing.js';
import {
  type CustomFieldsCommand,
  type CustomFieldsEvent,
  customFieldsAggregate as settings,
} from '../../../core/crm/domain/custom-fields.js';
import {
  type FieldDefinition,
  validateCustomFieldValues,
} from '../../../core/crm/domain/custom-field-values.js';
import { checkAggregateProperty } from './helpers.js';

const tier: CustomFieldsEvent = {
  type: 'CustomFieldDefined',
  data: { fieldId: 'tier', label: 'Tier', fieldType: 'choice', options: ['Gold', 'Silver'] },
};
const note: CustomFieldsEvent = {
  type: 'CustomFieldDefined',
  data: { fieldId: 'nick', label: 'Nickname', fieldType: 'text', options: [] },
};

describe('DefineCustomField', () => {
  it('defines a typed field (options only for choices)', () => {
    given(settings, [])
      .when({
        type: 'DefineCustomField',
        fieldId: 'tier',
        label: 'Tier',
        fieldType: 'choice',
        options: ['Gold', 'Silver', 'gold'],
      })
      .then([tier]);
    given(settings, [])
      .when({ type: 'DefineCustomField', fieldId: 'nick', label: 'Nickname', fieldType: 'text' })
      .then([note]);
  });

  it('refuses choices without options (CHOICE_OPTIONS_REQUIRED) and options on other types (OPTIONS_NOT_ALLOWED)', () => {
    given(settings, [])
      .when({ type: 'DefineCustomField', fieldId: 'x', label: 'X', fieldType: 'choice' })
      .thenFails('CHOICE_OPTIONS_REQUIRED');
    given(settings, [])
      .when({ type: 'DefineCustomField', fieldId: 'x', label: 'X', fieldType: 'number', options: ['1'] })
      .thenFails('OPTIONS_NOT_ALLOWED');
  });

  it('refuses a taken id (FIELD_ALREADY_DEFINED), a removed id (FIELD_ID_REMOVED), a taken label (DUPLICATE_FIELD_LABEL)', () => {
    given(settings, [tier])
      .when({ type: 'DefineCustomField', fieldId: 'tier', label: 'Other', fieldType: 'text' })
      .thenFails('FIELD_ALREADY_DEFINED');
    given(settings, [tier, { type: 'CustomFieldRemoved', data: { fieldId: 'tier' } }])
      .when({ type: 'DefineCustomField', fieldId: 'tier', label: 'Tier', fieldType: 'text' })
      .thenFails('FIELD_ID_REMOVED');
    given(settings, [tier])
      .when({ type: 'DefineCustomField', fieldId: 'lvl', label: 'TIER', fieldType: 'text' })
      .thenFails('DUPLICATE_FIELD_LABEL');
  });

  it('refuses more than 100 fields (TOO_MANY_FIELDS)', () => {
    const past: CustomFieldsEvent[] = Array.from({ length: 100 }, (_, i) => ({
      type: 'CustomFieldDefined',
      data: { fieldId: `f${i}`, label: `F${i}`, fieldType: 'text', options: [] },
    }));
    given(settings, past)
      .when({ type: 'DefineCustomField', fieldId: 'x', label: 'X', fieldType: 'text' })
      .thenFails('TOO_MANY_FIELDS');
  });

  it('refuses an unknown type (INVALID_CHOICE) and a long label (TOO_LONG)', () => {
    given(settings, [])
      .when({
        type: 'DefineCustomField',
        fieldId: 'x',
        label: 'X',
        fieldType: 'color',
      } as unknown as CustomFieldsCommand)
      .thenFails('INVALID_CHOICE');
    given(settings, [])
      .when({ type: 'DefineCustomField', fieldId: 'x', label: 'x'.repeat(101), fieldType: 'text' })
      .thenFails('TOO_LONG');
  });
});

describe('rename, options, remove', () => {
  it('renames with {from, to}; same label is a no-op; label must be free', () => {
    given(settings, [tier])
      .when({ type: 'RenameCustomField', fieldId: 'tier', label: 'Level' })
      .then([
        { type: 'CustomFieldRenamed', data: { fieldId: 'tier', label: { from: 'Tier', to: 'Level' } } },
      ]);
    given(settings, [tier]).when({ type: 'RenameCustomField', fieldId: 'tier', label: 'Tier' }).then([]);
    given(settings, [tier, note])
      .when({ type: 'RenameCustomField', fieldId: 'tier', label: 'nickname' })
      .thenFails('DUPLICATE_FIELD_LABEL');
    given(settings, [])
      .when({ type: 'RenameCustomField', fieldId: 'tier', label: 'X' })
      .thenFails('UNKNOWN_CUSTOM_FIELD');
  });

  it('changes the options of a choice field only', () => {
    given(settings, [tier])
      .when({ type: 'ChangeCustomFieldOptions', fieldId: 'tier', options: ['Gold', 'Bronze'] })
      .then([
        {
          type: 'CustomFieldOptionsChanged',
          data: { fieldId: 'tier', options: { from: ['Gold', 'Silver'], to: ['Gold', 'Bronze'] } },
        },
      ]);
    given(settings, [tier])
      .when({ type: 'ChangeCustomFieldOptions', fieldId: 'tier', options: ['Gold', 'Silver'] })
      .then([]);
    given(settings, [note])
      .when({ type: 'ChangeCustomFieldOptions', fieldId: 'nick', options: ['a'] })
      .thenFails('NOT_A_CHOICE_FIELD');
    given(settings, [tier])
      .when({ type: 'ChangeCustomFieldOptions', fieldId: 'tier', options: [] })
      .thenFails('CHOICE_OPTIONS_REQUIRED');
  });

  it('removes a field and remembers its id', () => {
    const r = given(settings, [tier, note]).when({ type: 'RemoveCustomField', fieldId: 'tier' });
    r.then([{ type: 'CustomFieldRemoved', data: { fieldId: 'tier' } }]);
    expect(r.state).toEqual({ fields: [note.data], removed: ['tier'] });
    given(settings, [])
      .when({ type: 'RemoveCustomField', fieldId: 'tier' })
      .thenFails('UNKNOWN_CUSTOM_FIELD');
  });

  it('evolve ignores unknown events', () => {
    const s = given(settings, [tier]).state;
    expect(settings.evolve(s, { type: 'X', data: null } as unknown as CustomFieldsEvent)).toBe(s);
  });
});

describe('validateCustomFieldValues', () => {
  const defs: FieldDefinition[] = [
    { fieldId: 'nick', label: 'Nickname', fieldType: 'text', options: [] },
    { fieldId: 'score', label: 'Score', fieldType: 'number', options: [] },
    { fieldId: 'since', label: 'Customer since', fieldType: 'date', options: [] },
    { fieldId: 'tier', label: 'Tier', fieldType: 'choice', options: ['Gold'] },
    { fieldId: 'ok', label: 'Opted in', fieldType: 'checkbox', options: [] },
  ];

  it('accepts and normalizes valid values; null and empty text clear', () => {
    expect(
      validateCustomFieldValues(defs, {
        nick: ' Al ',
        score: 4.5,
        since: '2024-02-29',
        tier: 'Gold',
        ok: false,
      }),
    ).toEqual({ nick: 'Al', score: 4.5, since: '2024-02-29', tier: 'Gold', ok: false });
    expect(validateCustomFieldValues(defs, { nick: '  ', score: null })).toEqual({ nick: null, score: null });
  });

  it.each([
    ['nick', 1, 'Nickname must be a text.'],
    ['score', '3', 'Score must be a number.'],
    ['score', Number.NaN, 'Score must be a number.'],
    ['since', '2023-02-29', 'Customer since must be a date as YYYY-MM-DD.'],
    ['tier', 'Silver', 'Tier must be one of: Gold.'],
    ['ok', 'yes', 'Opted in must be checked or unchecked (true or false).'],
  ])('refuses %s = %j (INVALID_CUSTOM_FIELD_VALUE)', (fieldId, value, message) => {
    expect(() => validateCustomFieldValues(defs, { [fieldId]: value })).toThrow(
      expect.objectContaining({ code: 'INVALID_CUSTOM_FIELD_VALUE', message }),
    );
  });

  it('refuses an undefined field (UNKNOWN_CUSTOM_FIELD)', () => {
    expect(() => validateCustomFieldValues(defs, { shoe: 42 })).toThrow(
      expect.objectContaining({
        code: 'UNKNOWN_CUSTOM_FIELD',
        details: { fieldId: 'shoe', known: defs.map((d) => d.fieldId) },
      }),
    );
  });
});

const id = fc.constantFrom('a', 'b', 'c');
const label = fc.constantFrom('Alpha', 'Beta', 'alpha');
const commandArb: fc.Arbitrary<CustomFieldsCommand> = fc.oneof(
  fc.record({
    type: fc.constant('DefineCustomField' as const),
    fieldId: id,
    label,
    fieldType: fc.constantFrom('text' as const, 'number' as const, 'checkbox' as const),
  }),
  fc.record({
    type: fc.constant('DefineCustomField' as const),
    fieldId: id,
    label,
    fieldType: fc.constant('choice' as const),
    options: fc.constant<string[]>(['x', 'y']),
  }),
  fc.record({ type: fc.constant('RenameCustomField' as const), fieldId: id, label }),
  fc.record({
    type: fc.constant('ChangeCustomFieldOptions' as const),
    fieldId: id,
    options: fc.constantFrom<string[]>(['x'], ['x', 'z']),
  }),
  fc.record({ type: fc.constant('RemoveCustomField' as const), fieldId: id }),
);

describe('property', () => {
  it('random command sequences: evolve never throws, incremental state equals a fold from scratch', () => {
    expect(checkAggregateProperty(settings, commandArb)).toBeGreaterThan(200);
  });
});
