import { contactList, createContact, openContacts } from './pages.js';
import { expect, shot, test } from './fixtures.js';

test.describe('contacts', () => {
  test('create a contact, see it listed, reload and it is still there', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openContacts(page);
    await expect(page.getByText('No contacts yet.')).toBeVisible();
    await shot(page, testInfo, 'empty');

    await page.getByRole('button', { name: 'New contact' }).click();
    const form = page.getByRole('form', { name: 'New contact' });
    await form.getByLabel('Name').fill('Ana Lima');
    await form.getByLabel('Email').fill('ana@example.com');
    await shot(page, testInfo, 'form-filled');
    await form.getByRole('button', { name: 'Save contact' }).click();

    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText('Saved Ana Lima.');
    await expect(contactList(page)).toHaveText([/Ana Lima\s*ana@example\.com/]);
    await shot(page, testInfo, 'listed');

    await page.reload();
    await openContacts(page);
    await expect(contactList(page)).toHaveText([/Ana Lima\s*ana@example\.com/]);
    await shot(page, testInfo, 'after-reload');
    // No CSP violation, failed request or exception along the way.
    expect(app.pageErrors).toEqual([]);
  });

  test('contacts survive a restart of the app (the store is on disk)', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openContacts(page);
    await createContact(page, 'Bruno Costa', 'bruno@example.com');
    await expect(contactList(page)).toHaveCount(1);
    await page.close();

    await app.restart();
    const again = await app.openWindow();
    await openContacts(again);
    await expect(contactList(again)).toHaveText([/Bruno Costa/]);
    await shot(again, testInfo, 'after-restart');
  });

  test('two windows see each other’s changes live', async ({ app }, testInfo) => {
    const first = await app.openWindow();
    const second = await app.openWindow();
    await openContacts(first);
    await openContacts(second);

    await createContact(first, 'Chen Wei');
    await expect(contactList(second)).toHaveText([/Chen Wei/]);
    await shot(second, testInfo, 'second-sees-first');

    await createContact(second, 'Alice Martin');
    await expect(contactList(first)).toHaveText([/Alice Martin/, /Chen Wei/]);
    await shot(first, testInfo, 'first-sees-second');
    expect(app.pageErrors).toEqual([]);
  });

  test('the form shows validation and duplicate errors and saves nothing', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openContacts(page);
    await page.getByRole('button', { name: 'New contact' }).click();
    const form = page.getByRole('form', { name: 'New contact' });
    await form.getByRole('button', { name: 'Save contact' }).click();
    await expect(form.getByRole('alert')).toContainText('Enter a name.');
    await form.getByLabel('Name').fill('Dana');
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByRole('button', { name: 'Save contact' }).click();
    await expect(form.getByRole('alert')).toContainText('Enter a valid e-mail address');
    await shot(page, testInfo, 'validation-error');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByText('No contacts yet.')).toBeVisible();

    await createContact(page, 'Dana', 'dana@example.com');
    await expect(contactList(page)).toHaveCount(1);
    await createContact(page, 'Other Dana', 'DANA@example.com');
    await expect(page.getByRole('form', { name: 'New contact' }).getByRole('alert')).toContainText(
      'Dana already has the e-mail address',
    );
    await shot(page, testInfo, 'duplicate-error');
    await expect(contactList(page)).toHaveCount(1);
  });
});
