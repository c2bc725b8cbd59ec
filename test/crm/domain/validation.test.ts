import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../../../core/es/errors.js';
import {
  currencySchema,
  domainSchema,
  emailSchema,
  isEmail,
  isIsoDate,
  isoDateTimeSchema,
  moneySchema,
  parseCommandWith,
  phoneSchema,
  timeSchema,
} from '../../../core/crm/domain/validation.js';

function codeOf(schema: z.ZodTypeAny, input: unknown): string | null {
  try {
    parseCommandWith(schema, input);
    return null;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return err.code;
  }
}

describe('field schemas', () => {
  it('e-mail: trimmed, lower-cased, a domain with a dot', () => {
    expect(emailSchema.parse(' Ana@Example.COM ')).toBe('ana@example.com');
    for (const bad of ['ana', 'ana@', '@x.com', 'ana@x', 'a b@x.com', 'ana@x..com'])
      expect(isEmail(bad)).toBe(false);
    expect(codeOf(emailSchema, `${'a'.repeat(250)}@x.com`)).toBe('TOO_LONG');
  });

  it('phone: 5 to 15 digits with usual separators', () => {
    expect(codeOf(phoneSchema, '+44 20 7946 0958')).toBeNull();
    expect(codeOf(phoneSchema, '1234')).toBe('INVALID_PHONE');
    expect(codeOf(phoneSchema, '1234567890123456')).toBe('INVALID_PHONE');
    expect(codeOf(phoneSchema, '+1 555 CALL')).toBe('INVALID_PHONE');
  });

  it('currency: ISO 4217 codes only, upper-cased', () => {
    expect(currencySchema.parse('eur')).toBe('EUR');
    expect(codeOf(currencySchema, 'EURO')).toBe('INVALID_CURRENCY');
    expect(codeOf(currencySchema, 'XYZ')).toBe('INVALID_CURRENCY');
  });

  it('money: non-negative integer minor units', () => {
    expect(moneySchema.parse({ minor: 0, currency: 'usd' })).toEqual({ minor: 0, currency: 'USD' });
    expect(codeOf(moneySchema, { minor: -1, currency: 'USD' })).toBe('AMOUNT_NEGATIVE');
    expect(codeOf(moneySchema, { minor: 1.5, currency: 'USD' })).toBe('AMOUNT_NOT_INTEGER');
    expect(codeOf(moneySchema, { minor: 2 ** 53, currency: 'USD' })).toBe('AMOUNT_NOT_INTEGER');
    expect(codeOf(moneySchema, { minor: '10', currency: 'USD' })).toBe('INVALID_INPUT');
    expect(codeOf(moneySchema, { currency: 'USD' })).toBe('REQUIRED_FIELD');
  });

  it('dates, times and instants', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-1', '31/12/2024', ''])
      expect(isIsoDate(bad)).toBe(false);
    expect(codeOf(timeSchema, '24:00')).toBe('INVALID_TIME');
    expect(codeOf(timeSchema, '09:30')).toBeNull();
    expect(codeOf(isoDateTimeSchema, '2026-03-31T09:30:00Z')).toBeNull();
    expect(codeOf(isoDateTimeSchema, '2026-03-31T09:30:00+02:00')).toBeNull();
    expect(codeOf(isoDateTimeSchema, '2026-03-31 09:30')).toBe('INVALID_DATETIME');
  });

  it('domain: URLs reduced to the host', () => {
    expect(domainSchema.parse('HTTPS://www.Example.co.uk/path?q')).toBe('example.co.uk');
    expect(domainSchema.parse('bücher.de')).toBe('bücher.de');
    expect(codeOf(domainSchema, 'localhost')).toBe('INVALID_DOMAIN');
    expect(codeOf(domainSchema, 'x'.repeat(3000))).toBe('TOO_LONG');
  });

  it('never throws anything but a DomainError on arbitrary input', () => {
    const schema = z.object({ email: emailSchema, phone: phoneSchema, amount: moneySchema }).strict();
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          parseCommandWith(schema, input);
        } catch (err) {
          expect(err).toBeInstanceOf(DomainError);
          expect((err as DomainError).message.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});

describe('parseCommandWith', () => {
  it('reports the first problem as the code and lists all of them', () => {
    const schema = z.object({ email: emailSchema, phone: phoneSchema }).strict();
    try {
      parseCommandWith(schema, { email: 'x', phone: '1' });
      expect.unreachable();
    } catch (err) {
      const e = err as DomainError;
      expect(e.code).toBe('INVALID_EMAIL');
      expect(e.message).toBe('Enter a valid e-mail address, like ana@example.com. (1 more problem)');
      expect(
        (e.details as { issues: { path: string; code: string }[] }).issues.map((i) => [i.path, i.code]),
      ).toEqual([
        ['email', 'INVALID_EMAIL'],
        ['phone', 'INVALID_PHONE'],
      ]);
    }
  });

  it('names the field in default messages', () => {
    const schema = z.object({ expectedCloseDate: z.string() }).strict();
    expect(() => parseCommandWith(schema, {})).toThrow('Expected close date is required.');
    expect(() => parseCommandWith(schema, { expectedCloseDate: 3 })).toThrow(
      'Expected close date must be a string.',
    );
  });
});

describe('parseCommandWith', () => {
  const schema = z.object({ type: z.literal('Rename'), name: z.string().trim().min(1) });

  it('returns its own output as is when given it again (decide after parseCommand), and still parses anything else', () => {
    const parsed = parseCommandWith(schema, { type: 'Rename', name: '  Ana ' });
    expect(parsed).toEqual({ type: 'Rename', name: 'Ana' });
    expect(parseCommandWith(schema, parsed)).toBe(parsed);
    // An equal object that did not come out of this schema is parsed (and copied) like any input.
    const lookalike = { type: 'Rename', name: 'Ana' };
    expect(parseCommandWith(schema, lookalike)).not.toBe(lookalike);
    // Another schema's output is not taken for this one's.
    const other = z.object({ type: z.literal('Rename'), name: z.string() });
    expect(codeOf(schema, parseCommandWith(other, { type: 'Rename', name: '' }))).toBe('REQUIRED_FIELD');
  });
});
