/**
 * Page helpers for the specs: find things by role and label, the way a user (or a screen reader) would.
 * @module
 */
import { expect, type Page } from '@playwright/test';

/** Goes to Contacts through the sidebar and waits for the live connection. */
export async function openContacts(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: 'Contacts', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
}

/** What {@link createContact} fills in. */
export interface NewContact {
  firstName: string;
  lastName?: string;
  email?: string;
  title?: string;
  /** Comma-separated. */
  tags?: string;
}

/** The "New contact" form. */
export function newContactForm(page: Page) {
  return page.getByRole('form', { name: 'New contact' });
}

/** Fills and submits the "New contact" form (a name alone is the first name). */
export async function createContact(page: Page, contact: NewContact | string, email?: string): Promise<void> {
  const c = typeof contact === 'string' ? { firstName: contact, ...(email ? { email } : {}) } : contact;
  await page.getByRole('button', { name: 'New contact' }).click();
  const form = newContactForm(page);
  await form.getByLabel('First name').fill(c.firstName);
  if (c.lastName !== undefined) await form.getByLabel('Last name').fill(c.lastName);
  if (c.email !== undefined) await form.getByLabel('E-mail', { exact: true }).fill(c.email);
  if (c.title !== undefined) await form.getByLabel('Title').fill(c.title);
  if (c.tags !== undefined) await form.getByLabel('Tags').fill(c.tags);
  await form.getByRole('button', { name: 'Save contact' }).click();
}

/** The rows of the contact list. */
export function contactList(page: Page) {
  return page.getByRole('list', { name: 'Contacts' }).getByRole('listitem');
}

/** Opens the contact named `name` from the list and waits for its detail view. */
export async function openContact(page: Page, name: string): Promise<void> {
  await contactList(page).filter({ hasText: name }).getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** The entries of the record's timeline. */
export function timeline(page: Page) {
  return page.getByRole('list', { name: 'Timeline' }).locator(':scope > li');
}

/** Adds a custom field in Settings (on the kind tab shown) and waits until it is saved. */
export async function addField(page: Page, label: string, type: string, options?: string): Promise<void> {
  const form = page.getByRole('form', { name: 'New custom field' });
  await form.getByLabel('Field label').fill(label);
  await form.getByLabel('Type').selectOption(type);
  if (options !== undefined) await form.getByLabel(/Options/).fill(options);
  await form.getByRole('button', { name: 'Add field' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added the field' })).toHaveText(
    `Added the field ${label}.`,
  );
}

/** Goes to Settings through the sidebar and waits for the live connection. */
export async function openSettings(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: 'Settings', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
}
