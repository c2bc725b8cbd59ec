/**
 * The deal form's values (text, as inputs hold them) and the command inputs they make: `CreateDeal` with the
 * amount parsed into minor units, or the changed fields of `UpdateDeal`. Pure, so it is tested alone.
 * @module
 */
import type { DealFields } from '../../../../core/crm/domain/deal.js';
import { moneyInputText, parseMoneyInput } from './money-input.js';

/** What the deal form's inputs hold. */
export interface DealFormValues {
  title: string;
  amount: string;
  currency: string;
  /** `''` for none. */
  companyId: string;
  contactIds: string[];
  /** `YYYY-MM-DD` or `''`. */
  expectedCloseDate: string;
  owner: string;
}

/** The currency a new deal starts with. */
export const DEFAULT_CURRENCY = 'EUR';

/** The form values of an existing deal (or an empty form, optionally for a company). */
export function dealValuesOf(fields?: DealFields, companyId?: string): DealFormValues {
  const amount = fields?.amount ?? null;
  return {
    title: fields?.title ?? '',
    amount: amount ? moneyInputText(amount.minor, amount.currency) : '',
    currency: amount?.currency ?? DEFAULT_CURRENCY,
    companyId: fields?.companyId ?? companyId ?? '',
    contactIds: [...(fields?.contactIds ?? [])],
    expectedCloseDate: fields?.expectedCloseDate ?? '',
    owner: fields?.owner ?? '',
  };
}

/** The deal fields the values make, or the amount's message when it is not money. */
export function dealFieldsOf(
  v: DealFormValues,
): { ok: true; fields: Record<string, unknown> } | { ok: false; field: 'amount'; message: string } {
  const currency = v.currency.trim().toUpperCase();
  const money = parseMoneyInput(v.amount, currency || DEFAULT_CURRENCY);
  if (!money.ok) return { ok: false, field: 'amount', message: money.message };
  const blank = (s: string) => (s.trim() === '' ? null : s.trim());
  return {
    ok: true,
    fields: {
      title: v.title,
      amount: money.minor === null ? null : { minor: money.minor, currency },
      companyId: blank(v.companyId),
      contactIds: v.contactIds,
      expectedCloseDate: blank(v.expectedCloseDate),
      owner: blank(v.owner),
    },
  };
}

/** The input of `CreateDeal` in `pipelineId`/`stageId` (empty fields left out). */
export function createDealInput(
  v: DealFormValues,
  pipelineId: string,
  stageId: string,
): { ok: true; input: Record<string, unknown> } | { ok: false; field: 'amount'; message: string } {
  const r = dealFieldsOf(v);
  if (!r.ok) return r;
  const kept = Object.entries(r.fields).filter(
    ([k, x]) => k === 'title' || (x !== null && !(Array.isArray(x) && x.length === 0)),
  );
  return { ok: true, input: { ...Object.fromEntries(kept), pipelineId, stageId } };
}

/** The `fields` of `UpdateDeal`: those that differ from `before`. */
export function changedDealFields(
  before: DealFormValues,
  after: DealFormValues,
): { ok: true; fields: Record<string, unknown> } | { ok: false; field: 'amount'; message: string } {
  const a = dealFieldsOf(before);
  const b = dealFieldsOf(after);
  if (!b.ok) return b;
  const old = a.ok ? a.fields : {};
  return {
    ok: true,
    fields: Object.fromEntries(
      Object.entries(b.fields).filter(([k, x]) => JSON.stringify(old[k]) !== JSON.stringify(x)),
    ),
  };
}

/** A validation issue's path as the form's field key (`fields.amount.minor` -> `amount`, `amount.currency` -> `currency`). */
export function dealFieldKey(path: string): string {
  const p = path.replace(/^fields\./, '');
  if (p === 'amount.currency') return 'currency';
  if (p.startsWith('amount')) return 'amount';
  if (p.startsWith('contactIds')) return 'contactIds';
  return p;
}
