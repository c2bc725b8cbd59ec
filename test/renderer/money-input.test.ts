import { describe, expect, it } from 'vitest';
import {
  currencyDigits,
  moneyInputText,
  parseMoneyInput,
} from '../../src-renderer/src/pages/deals/money-input.js';

describe('parseMoneyInput', () => {
  it.each([
    ['1234.50', 'EUR', 123450],
    ['1.234,50', 'EUR', 123450],
    ['1,234.50', 'USD', 123450],
    ['1 234,5', 'EUR', 123450],
    ['1\u202f234,50', 'EUR', 123450],
    ["12'000", 'CHF', 1200000],
    ['1.234', 'EUR', 123400],
    ['1,234', 'USD', 123400],
    ['1.234.567', 'EUR', 123456700],
    ['0,5', 'EUR', 50],
    ['12', 'EUR', 1200],
    ['.5', 'EUR', 50],
    ['1.234', 'JPY', 1234],
    ['1500', 'JPY', 1500],
    ['1.234', 'BHD', 1234],
    ['  42  ', 'EUR', 4200],
  ])('%s %s is %d minor units', (text, currency, minor) => {
    expect(parseMoneyInput(text, currency)).toEqual({ ok: true, minor });
  });

  it('leaves an empty field empty', () => {
    expect(parseMoneyInput('  ', 'EUR')).toEqual({ ok: true, minor: null });
  });

  it.each([
    ['-5', 'EUR', 'negative'],
    ['12abc', 'EUR', 'as a number'],
    ['1.2.3,4,5', 'EUR', 'as a number'],
    ['1.999', 'BHD', null],
    ['1,5', 'JPY', 'no decimals'],
    ['1.2345', 'EUR', '2 decimals at most'],
    ['99999999999999999999', 'EUR', 'too large'],
    [',', 'EUR', 'as a number'],
  ])('refuses %s %s', (text, currency, message) => {
    const r = parseMoneyInput(text, currency);
    if (message === null) expect(r.ok).toBe(true);
    else expect(r).toEqual({ ok: false, message: expect.stringContaining(message) });
  });
});

describe('currency digits and edit text', () => {
  it('knows the decimals of a currency', () => {
    expect(currencyDigits('EUR')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('BHD')).toBe(3);
  });

  it('writes minor units back as text the parser reads', () => {
    expect(moneyInputText(123450, 'EUR')).toBe('1234.50');
    expect(moneyInputText(5, 'EUR')).toBe('0.05');
    expect(moneyInputText(1500, 'JPY')).toBe('1500');
    for (const [m, c] of [
      [123450, 'EUR'],
      [7, 'USD'],
      [1234, 'BHD'],
      [99, 'JPY'],
    ] as const)
      expect(parseMoneyInput(moneyInputText(m, c), c)).toEqual({ ok: true, minor: m });
  });
});
