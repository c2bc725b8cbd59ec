import { describe, expect, it } from 'vitest';
import {
  changedContactFields,
  contactFieldErrors,
  createContactInput,
  duplicateOf,
  emptyContactForm,
  formFromContact,
  parseTags,
  type ContactFieldsView,
} from '../../src-renderer/src/pages/contacts/contact-form.js';

const stored: ContactFieldsView = {
  firstName: 'Zoë',
  lastName: 'Lima',
  emails: ['zoe@example.com'],
  phones: [],
  title: 'CTO',
  companyId: 'co-1',
  tags: ['vip', 'lead'],
  owner: null,
};

describe('contact form model', () => {
  it('turns a filled form into CreateContact input, leaving blanks out', () => {
    const form = {
      ...emptyContactForm(),
      firstName: ' Ana ',
      emails: ['ana@example.com', '  ', 'a2@example.com'],
      tags: 'vip, , VIP, lead',
    };
    expect(createContactInput(form)).toEqual({
      firstName: 'Ana',
      emails: ['ana@example.com', 'a2@example.com'],
      tags: ['vip', 'lead'],
    });
    expect(createContactInput(form, true)).toMatchObject({ force: true });
    // A blank first name is sent as typed: the backend refuses it with its own message.
    expect(createContactInput(emptyContactForm())).toEqual({ firstName: '' });
  });

  it('parses comma-separated tags', () => {
    expect(parseTags('')).toEqual([]);
    expect(parseTags(' a ,b,,A, c ')).toEqual(['a', 'b', 'c']);
  });

  it('sends only the changed fields of an edit, or nothing', () => {
    const form = formFromContact(stored);
    expect(form.phones).toEqual(['']);
    expect(form.tags).toBe('vip, lead');
    expect(changedContactFields(stored, form)).toBeNull();
    expect(changedContactFields(stored, { ...form, emails: ['ZOE@example.com', ''] })).toBeNull();
    expect(changedContactFields(stored, { ...form, title: 'CEO', lastName: ' ', companyId: '' })).toEqual({
      title: 'CEO',
      lastName: null,
      companyId: null,
    });
    expect(changedContactFields(stored, { ...form, tags: 'vip' })).toEqual({ tags: ['vip'] });
  });

  it('reads a duplicate-email refusal and maps validation paths to the form fields', () => {
    const dup = {
      kind: 'domain' as const,
      code: 'DUPLICATE_EMAIL',
      message: 'Another contact already has the e-mail address z@x.com.',
      details: { existingContactId: 'c-9', email: 'z@x.com' },
    };
    expect(duplicateOf(dup)).toEqual({ contactId: 'c-9', email: 'z@x.com' });
    expect(duplicateOf(null)).toBeNull();
    expect(contactFieldErrors(dup)).toEqual({});
    expect(
      contactFieldErrors({
        kind: 'validation',
        code: 'INVALID_INPUT',
        message: 'invalid',
        details: [
          { path: 'firstName', message: 'Enter a first name.' },
          { path: 'emails.1', message: 'Enter a valid e-mail address.' },
          { path: 'fields.title', message: 'Too long.' },
        ],
      }),
    ).toEqual({
      firstName: 'Enter a first name.',
      emails: 'Enter a valid e-mail address.',
      title: 'Too long.',
    });
    expect(contactFieldErrors({ kind: 'conflict', code: 'VERSION_CONFLICT', message: 'changed' })).toEqual(
      {},
    );
    expect(contactFieldErrors({ kind: 'internal', code: 'INTERNAL', message: 'Oops.' })).toEqual({
      '': 'Oops.',
    });
  });
});
