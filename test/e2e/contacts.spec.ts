import { contactList, createContact, newContactForm, openContact, openContacts, timeline } from './pages.js';
import { expect, shot, test } from './fixtures.js';

test.describe('contacts', () => {
  test('create a contact, see it listed, reload and it is still there', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openContacts(page);
    await expect(page.getByText('No contacts yet.')).toBeVisible();
    await shot(page, testInfo, 'empty');

    await page.getByRole('button', { name: 'New contact' }).click();
    const form = newContactForm(page);
    await form.getByLabel('First name').fill('Ana');
    await form.getByLabel('Last name').fill('Lima');
    await form.getByLabel('E-mail', { exact: true }).fill('ana@example.com');
    await form.getByRole('button', { name: 'Add e-mail' }).click();
    await form.getByLabel('E-mail 2', { exact: true }).fill('ana.lima@work.example');
    await form.getByLabel('Title').fill('CTO');
    await shot(page, testInfo, 'form-filled');
    await form.getByRole('button', { name: 'Save contact' }).click();

    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText('Saved Ana Lima.');
    await expect(contactList(page)).toHaveText([/Ana Lima\s*ana@example\.com/]);
    await shot(page, testInfo, 'listed');

    await page.reload();
    await openContacts(page);
    await expect(contactList(page)).toHaveText([/Ana Lima\s*ana@example\.com/]);
    await openContact(page, 'Ana Lima');
    await expect(page.getByRole('definition').filter({ hasText: 'ana.lima@work.example' })).toBeVisible();
    await shot(page, testInfo, 'after-reload-detail');
    // No CSP violation, failed request or exception along the way.
    expect(app.pageErrors).toEqual([]);
  });

  test('contacts survive a restart of the app (the store is on disk)', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openContacts(page);
    await createContact(page, { firstName: 'Bruno', lastName: 'Costa', email: 'bruno@example.com' });
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

    await createContact(first, { firstName: 'Chen', lastName: 'Wei' });
    await expect(contactList(second)).toHaveText([/Chen Wei/]);
    await shot(second, testInfo, 'second-sees-first');

    await createContact(second, { firstName: 'Alice', lastName: 'Martin' });
    await expect(contactList(first)).toHaveText([/Alice Martin/, /Chen Wei/]);

    // An edit in one window shows in the other's open detail view.
    await openContact(first, 'Chen Wei');
    await openContact(second, 'Chen Wei');
    await first.getByRole('button', { name: 'Edit' }).click();
    const form = first.getByRole('form', { name: 'Edit contact' });
    await form.getByLabel('Title').fill('Founder');
    await form.getByRole('button', { name: 'Save contact' }).click();
    await expect(second.getByRole('definition').filter({ hasText: 'Founder' })).toBeVisible();
    await shot(first, testInfo, 'first-sees-second');
    expect(app.pageErrors).toEqual([]);
  });

  test('the form shows validation and duplicate errors and saves nothing', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openContacts(page);
    await page.getByRole('button', { name: 'New contact' }).click();
    const form = newContactForm(page);
    await form.getByRole('button', { name: 'Save contact' }).click();
    await expect(form.getByRole('alert')).toContainText('Enter a first name.');
    await form.getByLabel('First name').fill('Dana');
    await form.getByLabel('E-mail', { exact: true }).fill('not-an-email');
    await form.getByRole('button', { name: 'Save contact' }).click();
    await expect(form.getByRole('alert')).toContainText('Enter a valid e-mail address');
    await shot(page, testInfo, 'validation-error');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByText('No contacts yet.')).toBeVisible();

    await createContact(page, 'Dana', 'dana@example.com');
    await expect(contactList(page)).toHaveCount(1);
    await createContact(page, 'Other Dana', 'DANA@example.com');
    const refusal = newContactForm(page).getByRole('alert');
    await expect(refusal).toContainText('Another contact already has the e-mail address dana@example.com');
    await expect(refusal.getByRole('link', { name: 'Open the existing contact' })).toBeVisible();
    await shot(page, testInfo, 'duplicate-error');
    await expect(contactList(page)).toHaveCount(1);

    // The user may still create it on purpose.
    await refusal.getByRole('button', { name: 'Create anyway' }).click();
    await expect(contactList(page)).toHaveCount(2);
  });

  test('an edit shows in the timeline with old -> new, and can be undone', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openContacts(page);
    await createContact(page, { firstName: 'Eva', lastName: 'Rossi', title: 'CTO' });
    await openContact(page, 'Eva Rossi');

    await page.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit contact' });
    await expect(form.getByLabel('Title')).toHaveValue('CTO');
    await form.getByLabel('Title').fill('CEO');
    await form.getByRole('button', { name: 'Save contact' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText('Saved Eva Rossi.');

    const edit = timeline(page).first();
    await expect(edit).toContainText('Edited contact');
    await expect(edit).toContainText(/Title: CTO.*CEO/);
    await expect(edit.locator('del')).toHaveText('CTO');
    await expect(edit.locator('ins')).toHaveText('CEO');
    await expect(edit).toContainText('You');
    await shot(page, testInfo, 'timeline-edit');

    // A note and a task on the contact show in their panels and in the timeline.
    await page.getByLabel('New note').fill('Met at the trade fair.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect(page.getByRole('list', { name: 'Notes' })).toContainText('Met at the trade fair.');
    await page.getByLabel('New task').fill('Send the proposal');
    await page.getByRole('button', { name: 'Add task' }).click();
    const openTasks = page.getByRole('list', { name: 'Open tasks' });
    await expect(openTasks).toContainText('Send the proposal');
    await openTasks.getByRole('checkbox', { name: 'Send the proposal' }).click();
    await expect(page.getByText('Completed (1)')).toBeVisible();
    await expect(timeline(page).first()).toContainText('Completed task');
    await shot(page, testInfo, 'panels');

    await page.getByRole('button', { name: /^Undo: Edited contact/ }).click();
    await expect(page.getByRole('definition').filter({ hasText: 'CTO' })).toBeVisible();
    await expect(timeline(page).first()).toContainText(/Title: CEO.*CTO/);
    await shot(page, testInfo, 'undone');
    expect(app.pageErrors).toEqual([]);
  });

  test('search finds contacts as you type, ignoring case and diacritics', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openContacts(page);
    await createContact(page, { firstName: 'Zoë', lastName: 'Lima', email: 'zoe@example.com' });
    await createContact(page, { firstName: 'Bruno', lastName: 'Costa' });
    await expect(contactList(page)).toHaveCount(2);

    // `/` focuses the search box.
    await page.locator('body').click();
    await page.keyboard.press('/');
    const search = page.getByRole('searchbox', { name: 'Search contacts' });
    await expect(search).toBeFocused();
    await page.keyboard.type('zoe');
    await expect(contactList(page)).toHaveText([/Zoë Lima/]);
    await shot(page, testInfo, 'search-zoe');
    await search.fill('COS');
    await expect(contactList(page)).toHaveText([/Bruno Costa/]);
    await search.fill('nobody');
    await expect(page.getByText('No contacts match.')).toBeVisible();

    // Arrow down into the list, Enter opens the contact.
    await search.fill('lima');
    await expect(contactList(page)).toHaveCount(1);
    await search.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Zoë Lima' })).toBeVisible();
    expect(app.pageErrors).toEqual([]);
  });

  test('archive and restore, delete to the trash and restore', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openContacts(page);
    await createContact(page, { firstName: 'Ivo', lastName: 'Nunes' });
    await openContact(page, 'Ivo Nunes');

    await page.getByRole('button', { name: 'Archive', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Archived' })).toHaveText('Archived Ivo Nunes.');
    await page.getByRole('link', { name: '← All contacts' }).click();
    await expect(page.getByText('No contacts yet.')).toBeVisible();
    await page.getByLabel('Show').selectOption('archived');
    await expect(contactList(page)).toHaveText([/Ivo Nunes/]);
    await shot(page, testInfo, 'archived-list');
    await openContact(page, 'Ivo Nunes');
    await page.getByRole('button', { name: 'Unarchive', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Archive', exact: true })).toBeVisible();

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('In the trash');
    await page.getByRole('link', { name: '← All contacts' }).click();
    await page.getByLabel('Show').selectOption('trash');
    await expect(contactList(page)).toHaveText([/Ivo Nunes/]);
    await openContact(page, 'Ivo Nunes');
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await page.getByRole('link', { name: '← All contacts' }).click();
    await page.getByLabel('Show').selectOption('active');
    await expect(contactList(page)).toHaveText([/Ivo Nunes/]);
    await shot(page, testInfo, 'restored');
    expect(app.pageErrors).toEqual([]);
  });

  test('the tag filter shows the contacts with a tag', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openContacts(page);
    await createContact(page, { firstName: 'Lea', lastName: 'Berg', tags: 'vip, lead' });
    await createContact(page, { firstName: 'Max', lastName: 'Roth', tags: 'lead' });
    await createContact(page, { firstName: 'Noa', lastName: 'Klein' });
    await expect(contactList(page)).toHaveCount(3);

    const tag = page.getByLabel('Tag', { exact: true });
    await tag.selectOption('vip');
    await expect(contactList(page)).toHaveText([/Lea Berg/]);
    await tag.selectOption('lead');
    await expect(contactList(page)).toHaveText([/Lea Berg/, /Max Roth/]);
    await shot(page, testInfo, 'tag-lead');
    await tag.selectOption('');
    await expect(contactList(page)).toHaveCount(3);
    expect(app.pageErrors).toEqual([]);
  });
});
