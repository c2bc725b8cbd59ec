/**
 * The contact form's model: what the form holds, how a stored contact fills it, and how it becomes the input
 * of `CreateContact` or the changed fields of `UpdateContact`. Pure, so it is tested without a browser.
 * @module
 */
import type { BackendError } from '../../../../src-preload/api.js';
import { fieldMessages } from '../../errors.js';

/** A contact's editable fields as `record.get` returns them (`state.fields`). */
export interface ContactFieldsView {
  firstName: string;
  lastName: string | null;
  emails: string[];
  phones: string[];
  title: string | null;
  companyId: string | null;
  tags: string[];
  owner: string | null;
}

/** What the form's inputs hold (strings, as typed). */
export interface ContactFormState {
  firstName: string;
  lastName: string;
  /** One input per address; blank ones are dropped on save. */
  emails: string[];
  phones: string[];
  title: string;
  /** `''`: no company. */
  companyId: string;
  /** Tags as typed, comma-separated. */
  tags: string;
}

/** The form of a new contact: one empty e-mail and phone input, ready to type in. */
export function emptyContactForm(): ContactFormState {
  return { firstName: '', lastName: '', emails: [''], phones: [''], title: '', companyId: '', tags: '' };
}

/** The form filled with a stored contact's fields. */
export function formFromContact(fields: ContactFieldsView): ContactFormState {
  return {
    firstName: fields.firstName,
    lastName: fields.lastName ?? '',
    emails: fields.emails.length > 0 ? [...fields.emails] : [''],
    phones: fields.phones.length > 0 ? [...fields.phones] : [''],
    title: fields.title ?? '',
    companyId: fields.companyId ?? '',
    tags: fields.tags.join(', '),
  };
}

/** Comma-separated tags as a list: trimmed, blanks dropped, duplicates (ignoring case) dropped. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const tag = raw.trim();
    if (tag === '' || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}

const filled = (list: readonly string[]): string[] => list.map((s) => s.trim()).filter((s) => s !== '');
const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** The fields the form describes, in the stored shape (blanks are "no value"). */
export function fieldsOfForm(form: ContactFormState): ContactFieldsView & { owner: null } {
  return {
    firstName: form.firstName.trim(),
    lastName: orNull(form.lastName),
    emails: filled(form.emails),
    phones: filled(form.phones),
    title: orNull(form.title),
    companyId: orNull(form.companyId),
    tags: parseTags(form.tags),
    owner: null,
  };
}

/**
 * The input of `CreateContact`: only the fields that have a value (the backend validates them, so a blank first
 * name is sent as typed and refused with its message). `force` creates it despite a duplicate e-mail.
 */
export function createContactInput(form: ContactFormState, force = false): Record<string, unknown> {
  const f = fieldsOfForm(form);
  const input: Record<string, unknown> = { firstName: f.firstName };
  if (f.lastName !== null) input.lastName = f.lastName;
  if (f.emails.length > 0) input.emails = f.emails;
  if (f.phones.length > 0) input.phones = f.phones;
  if (f.title !== null) input.title = f.title;
  if (f.companyId !== null) input.companyId = f.companyId;
  if (f.tags.length > 0) input.tags = f.tags;
  if (force) input.force = true;
  return input;
}

const EDITABLE = ['firstName', 'lastName', 'emails', 'phones', 'title', 'companyId', 'tags'] as const;

/**
 * The fields of `UpdateContact` that the form changes relative to `original` (events carry only what changed),
 * or `null` when nothing did. E-mails compare ignoring case, as the backend stores them lower-cased.
 */
export function changedContactFields(
  original: ContactFieldsView,
  form: ContactFormState,
): Record<string, unknown> | null {
  const next = fieldsOfForm(form);
  const out: Record<string, unknown> = {};
  for (const key of EDITABLE) {
    const a = original[key];
    const b = next[key];
    const same =
      Array.isArray(a) && Array.isArray(b)
        ? a.length === b.length &&
          a.every((v, i) => (key === 'emails' ? v.toLowerCase() === b[i]?.toLowerCase() : v === b[i]))
        : a === b;
    if (!same) out[key] = b;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** The existing contact a `DUPLICATE_EMAIL` refusal names, if `error` is one. */
export function duplicateOf(error: BackendError | null): { contactId: string; email: string } | null {
  if (!error || error.code !== 'DUPLICATE_EMAIL') return null;
  const d = error.details as { existingContactId?: unknown; email?: unknown } | undefined;
  return typeof d?.existingContactId === 'string'
    ? { contactId: d.existingContactId, email: typeof d.email === 'string' ? d.email : '' }
    : null;
}

/**
 * Messages by form field (`firstName`, `emails`, ...; `''` for the form as a whole): the backend's paths
 * (`emails.1`, `fields.title`) mapped to the input they come from. A duplicate or a conflict is shown by the
 * form itself, with its actions, so it is left out here.
 */
export function contactFieldErrors(error: BackendError | null): Record<string, string> {
  if (!error || duplicateOf(error) || error.kind === 'conflict') return {};
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldMessages(error))) {
    const field = path.replace(/^fields\./, '').split('.')[0] ?? '';
    out[field] = out[field] ? `${out[field]} ${message}` : message;
  }
  return out;
}
