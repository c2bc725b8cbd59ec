import { describe, expect, it } from 'vitest';
import {
  changedDealFields,
  createDealInput,
  dealFieldKey,
  dealValuesOf,
} from '../../src-renderer/src/pages/deals/deal-values.js';

const deal = {
  title: 'Website',
  amount: { minor: 150000, currency: 'EUR' },
  contactIds: ['c1'],
  companyId: 'acme',
  expectedCloseDate: '2026-06-30',
  owner: null,
};

describe('deal form values', () => {
  it('start empty (EUR, optionally for a company) or from a deal', () => {
    expect(dealValuesOf(undefined, 'acme')).toEqual({
      title: '',
      amount: '',
      currency: 'EUR',
      companyId: 'acme',
      contactIds: [],
      expectedCloseDate: '',
      owner: '',
    });
    expect(dealValuesOf(deal).amount).toBe('1500.00');
  });

  it('create with the amount in minor units and empty fields left out', () => {
    const v = { ...dealValuesOf(), title: 'Shop', amount: '1.234,50', currency: 'usd' };
    expect(createDealInput(v, 'default', 'lead')).toEqual({
      ok: true,
      input: {
        title: 'Shop',
        amount: { minor: 123450, currency: 'USD' },
        pipelineId: 'default',
        stageId: 'lead',
      },
    });
    expect(createDealInput({ ...v, amount: '' }, 'default', 'lead')).toEqual({
      ok: true,
      input: { title: 'Shop', pipelineId: 'default', stageId: 'lead' },
    });
  });

  it('refuse an amount that is not money before sending anything', () => {
    const v = { ...dealValuesOf(), title: 'Shop', amount: '12,345', currency: 'JPY' };
    expect(createDealInput({ ...v, amount: '1,5' }, 'default', 'lead')).toEqual({
      ok: false,
      field: 'amount',
      message: 'JPY has no decimals: enter a whole amount.',
    });
  });

  it('update only what changed', () => {
    const before = dealValuesOf(deal);
    expect(changedDealFields(before, before)).toEqual({ ok: true, fields: {} });
    expect(changedDealFields(before, { ...before, amount: '1500', owner: 'Ana' })).toEqual({
      ok: true,
      fields: { owner: 'Ana' },
    });
    expect(changedDealFields(before, { ...before, currency: 'USD', companyId: '' })).toEqual({
      ok: true,
      fields: { amount: { minor: 150000, currency: 'USD' }, companyId: null },
    });
  });

  it('maps issue paths to form fields', () => {
    expect(dealFieldKey('amount.minor')).toBe('amount');
    expect(dealFieldKey('fields.amount.currency')).toBe('currency');
    expect(dealFieldKey('contactIds.0')).toBe('contactIds');
    expect(dealFieldKey('title')).toBe('title');
  });
});
