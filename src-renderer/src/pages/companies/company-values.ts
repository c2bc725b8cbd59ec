/**
 * The company form's values (every field as text, the way inputs hold them) and the command inputs they make:
 * the whole record for `CreateCompany`, only what changed for `UpdateCompany`. Pure, so it is tested alone.
 * @module
 */
import type { CompanyFields } from '../../../../core/crm/domain/company.js';

/** The address parts, in form order. */
export const ADDRESS_PARTS = ['street', 'city', 'postalCode', 'region', 'country'] as const;

/** One address part. */
export type AddressPart = (typeof ADDRESS_PARTS)[number];

/** What the form's inputs hold. */
export interface CompanyFormValues {
  name: string;
  domain: string;
  industry: string;
  /** A size band, or `''` for none. */
  size: string;
  address: Record<AddressPart, string>;
  /** Comma-separated. */
  tags: string;
}

/** The form values of an existing company (or an empty form without one). */
export function formValuesOf(fields?: CompanyFields): CompanyFormValues {
  const address = Object.fromEntries(ADDRESS_PARTS.map((p) => [p, fields?.address?.[p] ?? ''])) as Record<
    AddressPart,
    string
  >;
  return {
    name: fields?.name ?? '',
    domain: fields?.domain ?? '',
    industry: fields?.industry ?? '',
    size: fields?.size ?? '',
    address,
    tags: (fields?.tags ?? []).join(', '),
  };
}

/** Comma-separated tags as a list (trimmed, empty ones dropped). */
export function parseTags(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** The fields as the commands take them: blank text is `null` ("no value"), an all-blank address too. */
function fieldsOf(v: CompanyFormValues): Record<string, unknown> {
  const blank = (s: string) => (s.trim() === '' ? null : s.trim());
  const parts = ADDRESS_PARTS.map((p) => [p, blank(v.address[p])] as const);
  return {
    name: v.name,
    domain: blank(v.domain),
    industry: blank(v.industry),
    size: v.size === '' ? null : v.size,
    address: parts.every(([, s]) => s === null) ? null : Object.fromEntries(parts),
    tags: parseTags(v.tags),
  };
}

/** The input of `CreateCompany` (empty fields left out). */
export function createInput(v: CompanyFormValues): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fieldsOf(v)).filter(
      ([k, x]) => k === 'name' || (x !== null && !(Array.isArray(x) && x.length === 0)),
    ),
  );
}

/** The `fields` of `UpdateCompany`: only those that differ from `before` (empty when nothing changed). */
export function changedFields(before: CompanyFormValues, after: CompanyFormValues): Record<string, unknown> {
  const a = fieldsOf(before);
  const b = fieldsOf(after);
  return Object.fromEntries(Object.entries(b).filter(([k, x]) => JSON.stringify(a[k]) !== JSON.stringify(x)));
}

/** A validation issue's path as the form's field key: `fields.address.city` and `address.city` are the same. */
export function fieldKey(path: string): string {
  return path.replace(/^fields\./, '');
}
