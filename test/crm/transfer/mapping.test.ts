import { describe, expect, it } from 'vitest';
import { guessMapping, mapCompanyRow, mapContactRow, sizeBand } from '../../../core/crm/transfer/mapping.js';

describe('guessMapping', () => {
  it('maps contact headers of common exports, repeats emails and phones, ignores the rest', () => {
    const headers = [
      'Given Name',
      'Family Name',
      'E-mail 1 - Type',
      'E-mail 1 - Value',
      'E-mail 2 - Value',
      'Mobile',
      'Job Title',
      'Organization',
      'Labels',
      'Notes',
      'Birthday',
    ];
    expect(guessMapping(headers, 'contact')).toEqual([
      'firstName',
      'lastName',
      null,
      'email',
      'email',
      'phone',
      'title',
      'companyName',
      'tags',
      'notes',
      null,
    ]);
  });

  it('maps company headers and custom fields by label', () => {
    const defs = [
      { fieldId: 'tier', label: 'Customer tier', fieldType: 'choice' as const, options: ['Gold', 'Silver'] },
    ];
    expect(
      guessMapping(
        ['Company', 'Website', 'Sector', 'Employees', 'Zip', 'City', 'Customer Tier', 'Name'],
        'company',
        defs,
      ),
    ).toEqual([
      'name',
      'domain',
      'industry',
      'size',
      'postalCode',
      'city',
      'custom:tier',
      null, // the name is taken already
    ]);
  });
});

describe('mapContactRow / mapCompanyRow', () => {
  it('splits a full name, lists, and types custom values', () => {
    const defs = [
      { fieldId: 'score', label: 'Score', fieldType: 'number' as const, options: [] },
      { fieldId: 'vip', label: 'VIP', fieldType: 'checkbox' as const, options: [] },
    ];
    const m = mapContactRow(
      ['fullName', 'email', 'tags', 'custom:score', 'custom:vip'],
      ['Jean-Luc de Picard', 'a@x.com; b@x.com', 'crew, captain', '42', 'yes'],
      defs,
    );
    expect(m.errors).toEqual([]);
    expect(m.record).toMatchObject({
      firstName: 'Jean-Luc de',
      lastName: 'Picard',
      emails: ['a@x.com', 'b@x.com'],
      tags: ['crew', 'captain'],
      customFields: { score: 42, vip: true },
    });
    const bad = mapContactRow(['email', 'custom:score'], ['c@x.com', 'lots'], defs);
    expect(bad.errors).toEqual([
      'Score must be a number (got "lots").',
      'This row has no name: map a first name or full name column.',
    ]);
    expect(mapContactRow(['email'], ['  ']).record).toBeNull();
  });

  it('maps a company with an address and a head count', () => {
    const m = mapCompanyRow(['name', 'size', 'city', 'country'], ['Acme', '35', 'Lyon', 'FR']);
    expect(m.record).toMatchObject({
      name: 'Acme',
      size: '11-50',
      address: { street: null, city: 'Lyon', postalCode: null, region: null, country: 'FR' },
    });
    expect(sizeBand('1001+')).toBe('1001+');
    expect(sizeBand('5,000')).toBe('1001+');
    expect(sizeBand('1')).toBe('1');
  });
});
