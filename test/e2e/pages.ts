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

/** Fills and submits the "New contact" form. */
export async function createContact(page: Page, name: string, email?: string): Promise<void> {
  await page.getByRole('button', { name: 'New contact' }).click();
  const form = page.getByRole('form', { name: 'New contact' });
  await form.getByLabel('Name').fill(name);
  if (email !== undefined) await form.getByLabel('Email').fill(email);
  await form.getByRole('button', { name: 'Save contact' }).click();
}

/** The names shown in the contact list. */
export function contactList(page: Page) {
  return page.getByRole('list', { name: 'Contacts' }).getByRole('listitem');
}
