import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../core/crm/domain/custom-field-values.js';
import {
  changedCustomFields,
  createCustomFields,
  customFieldErrors,
  customFieldForm,
  formatCustomField,
  inputValue,
  valueOfInput,
} from '../../src-renderer/src/components/record/custom-field-form.js';

const def = (fieldId: string, fieldType: FieldDefinition['fieldType'], options: string[] = []) => ({
  fieldId,
  label: fieldId,
  fieldType,
  options,
});
const source = def('source', 'choice', ['Web', 'Referral']);
const score = def('score', 'number');
const since = def('since', 'date');
const vip = def('vip', 'checkbox');
const note = def('note', 'text');
const defs: FieldDefinition[] = [source, score, since, vip, note];

describe('custom field form model', () => {
  it('fills the inputs from stored values: numbers as text, empty or unchecked when absent', () => {
    const form = customFieldForm({ score: 1.5, vip: true, note: 'hi', gone: 'old' });
    expect(form).toEqual({ score: '1.5', vip: true, note: 'hi', gone: 'old' });
    expect(inputValue(score, form)).toBe('1.5');
    expect(inputValue(vip, form)).toBe(true);
    expect(inputValue(since, form)).toBe('');
    expect(inputValue(vip, {})).toBe(false);
    expect(customFieldForm()).toEqual({});
  });

  it('reads an input as the commands take it: typed, trimmed, blank or unchecked is no value', () => {
    expect(valueOfInput(score, ' 42 ')).toBe(42);
    expect(valueOfInput(score, '-0.5')).toBe(-0.5);
    // Sent as typed, so the backend says it must be a number.
    expect(valueOfInput(score, '12abc')).toBe('12abc');
    expect(valueOfInput(score, '  ')).toBeNull();
    expect(valueOfInput(note, '  text ')).toBe('text');
    expect(valueOfInput(since, '2026-03-31')).toBe('2026-03-31');
    expect(valueOfInput(source, '')).toBeNull();
    expect(valueOfInput(vip, true)).toBe(true);
    expect(valueOfInput(vip, false)).toBeNull();
    expect(valueOfInput(note, undefined)).toBeNull();
  });

  it('creates with only the fields that have a value', () => {
    expect(
      createCustomFields(defs, { source: 'Web', score: '', vip: false, note: ' x ', since: '' }),
    ).toEqual({
      customFields: { source: 'Web', note: 'x' },
    });
    expect(createCustomFields(defs, { vip: true, score: '0' })).toEqual({
      customFields: { score: 0, vip: true },
    });
    // Nothing filled in: no customFields key at all.
    expect(createCustomFields(defs, { score: ' ', vip: false })).toEqual({});
    // A value of a field that is not defined (any more) is not sent.
    expect(createCustomFields([], { source: 'Web' })).toEqual({});
  });

  it('updates only the changed fields, clearing emptied ones with null', () => {
    const stored = { source: 'Web', score: 3, vip: true, note: 'hello' };
    const form = customFieldForm(stored);
    expect(changedCustomFields(defs, stored, form)).toEqual({});
    // The same value typed differently is no change.
    expect(changedCustomFields(defs, stored, { ...form, score: '3.0', note: ' hello ' })).toEqual({});
    expect(
      changedCustomFields(defs, stored, {
        ...form,
        source: 'Referral',
        score: '',
        vip: false,
        since: '2026-01-02',
      }),
    ).toEqual({ customFields: { source: 'Referral', score: null, vip: null, since: '2026-01-02' } });
    // An unchecked box and a stored false are the same; values of removed fields are left alone.
    expect(changedCustomFields(defs, { vip: false, gone: 'x' }, { vip: false })).toEqual({});
    expect(changedCustomFields(defs, {}, { vip: true })).toEqual({ customFields: { vip: true } });
  });

  it('shows stored values for the detail view', () => {
    expect(formatCustomField(vip, true)).toBe('Yes');
    expect(formatCustomField(vip, undefined)).toBe('No');
    expect(formatCustomField(note, undefined)).toBe('—');
    expect(formatCustomField(note, 'hi')).toBe('hi');
    expect(formatCustomField(source, 'Web')).toBe('Web');
    expect(formatCustomField(score, 1234.5)).toBe((1234.5).toLocaleString());
    expect(formatCustomField(since, '2026-03-31')).toMatch(/2026/);
  });

  it('maps validation paths of custom fields to their field ids', () => {
    expect(customFieldErrors(null)).toEqual({});
    expect(
      customFieldErrors({
        kind: 'validation',
        code: 'VALIDATION',
        message: 'Invalid',
        details: [
          { path: 'customFields.note', message: 'Too long.' },
          { path: 'firstName', message: 'Required.' },
        ],
      }),
    ).toEqual({ note: 'Too long.' });
    // A domain refusal is the form's message (it names the field's label), not a field's.
    expect(
      customFieldErrors({
        kind: 'domain',
        code: 'INVALID_CUSTOM_FIELD_VALUE',
        message: 'score must be a number.',
        details: { fieldId: 'score' },
      }),
    ).toEqual({});
  });
});
