import { describe, expect, it } from 'vitest';
import {
  changedFields,
  createInput,
  fieldKey,
  formValuesOf,
  parseTags,
} from '../../src-renderer/src/pages/companies/company-values.js';

const acme = {
  name: 'Acme',
  domain: 'acme.com',
  industry: null,
  size: '11-50' as const,
  address: { street: null, city: 'Lisbon', postalCode: null, region: null, country: 'PT' },
  tags: ['client', 'vip'],
};

describe('company form values', () => {
  it('start empty, or from a company', () => {
    expect(formValuesOf()).toEqual({
      name: '',
      domain: '',
      industry: '',
      size: '',
      address: { street: '', city: '', postalCode: '', region: '', country: '' },
      tags: '',
    });
    const v = formValuesOf(acme);
    expect(v.address.city).toBe('Lisbon');
    expect(v.tags).toBe('client, vip');
  });

  it('create only what is filled in (the name always, so an empty one is refused by the backend)', () => {
    expect(createInput(formValuesOf())).toEqual({ name: '' });
    const v = { ...formValuesOf(), name: ' Beta ', domain: 'beta.io', tags: 'a, , b ,' };
    v.address = { ...v.address, city: 'Porto' };
    expect(createInput(v)).toEqual({
      name: ' Beta ',
      domain: 'beta.io',
      address: { street: null, city: 'Porto', postalCode: null, region: null, country: null },
      tags: ['a', 'b'],
    });
  });

  it('update only the changed fields; cleared ones become null', () => {
    const before = formValuesOf(acme);
    expect(changedFields(before, before)).toEqual({});
    const after = { ...before, domain: '', size: '51-200', tags: 'client' };
    after.address = { ...after.address, city: '', country: '' };
    expect(changedFields(before, after)).toEqual({
      domain: null,
      size: '51-200',
      address: null,
      tags: ['client'],
    });
  });

  it('parses tags and maps issue paths to form fields', () => {
    expect(parseTags(' x,y ,,z')).toEqual(['x', 'y', 'z']);
    expect(fieldKey('fields.address.city')).toBe('address.city');
    expect(fieldKey('name')).toBe('name');
  });
});
