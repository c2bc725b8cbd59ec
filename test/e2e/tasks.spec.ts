import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures.js';
import { contactList, createContact, openContacts } from './pages.js';

async function openTasks(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: 'Tasks', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tasks' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
}

test.describe('tasks', () => {
  test('create a task due today, see it under Today, complete it', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openTasks(page);
    await expect(page.getByText('No tasks yet.')).toBeVisible();

    await page.getByRole('button', { name: 'New task' }).click();
    const form = page.getByRole('form', { name: 'New task' });
    await form.getByLabel('Title').fill('Call Ana back');
    // The due date starts as today (local); pick a high priority.
    await form.getByLabel('Priority').selectOption('high');
    await shot(page, testInfo, 'form-filled');
    await form.getByRole('button', { name: 'Save task' }).click();

    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText('Saved Call Ana back.');
    const today = page.getByRole('list', { name: 'Today' });
    await expect(today.getByRole('listitem')).toHaveText([/Call Ana back\s*Today\s*high/]);
    await shot(page, testInfo, 'listed-today');

    await today.getByRole('checkbox', { name: 'Complete Call Ana back' }).click();
    await expect(page.getByRole('list', { name: 'Today' })).toHaveCount(0);
    const done = page.getByRole('list', { name: 'Done' });
    await expect(done.getByRole('listitem')).toHaveText([/Call Ana back/]);
    await shot(page, testInfo, 'completed');

    // Reopen, reschedule to tomorrow, then delete.
    await done.getByRole('checkbox', { name: 'Reopen Call Ana back' }).click();
    await page.getByRole('list', { name: 'Today' }).getByRole('button', { name: 'Reschedule' }).click();
    const reschedule = page.getByRole('form', { name: 'Reschedule Call Ana back' });
    const tomorrow = await page.evaluate(() => {
      const d = new Date();
      d.setDate(d.getDate() + 1);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await reschedule.getByLabel('New date').fill(tomorrow);
    await reschedule.getByRole('button', { name: 'Save date' }).click();
    await expect(page.getByRole('list', { name: 'Upcoming' }).getByRole('listitem')).toHaveText([
      /Call Ana back\s*Tomorrow/,
    ]);
    await shot(page, testInfo, 'rescheduled');

    await page.getByRole('button', { name: 'Delete Call Ana back' }).click();
    await expect(page.getByText('No tasks yet.')).toBeVisible();

    // It waits in the trash; restoring brings it back.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Trash' }).click();
    const trashed = page.getByRole('table', { name: 'Deleted records' }).getByRole('row');
    await expect(trashed).toHaveCount(2);
    await expect(trashed.last()).toContainText(/Task\s*Call Ana back/);
    await shot(page, testInfo, 'in-trash');
    await page.getByRole('button', { name: 'Restore Call Ana back' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Restored' })).toContainText(
      'Restored Call Ana back.',
    );
    await expect(page.getByText('The trash is empty.')).toBeVisible();
    await openTasks(page);
    await expect(page.getByRole('list', { name: 'Upcoming' }).getByRole('listitem')).toHaveText([
      /Call Ana back/,
    ]);

    // Deleted again and emptied from the trash for good (after a confirmation).
    await page.getByRole('button', { name: 'Delete Call Ana back' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Trash' }).click();
    await page.getByRole('button', { name: 'Empty trash' }).click();
    await page.getByRole('button', { name: 'Delete for good' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'for good' })).toHaveText(
      'Deleted 1 record for good.',
    );
    await expect(page.getByText('The trash is empty.')).toBeVisible();
    expect(app.pageErrors).toEqual([]);
  });

  test('a new task can be linked to a record picked by name, and shows on its page', async ({
    app,
  }, testInfo) => {
    const page = await app.openWindow();
    await openContacts(page);
    await createContact(page, { firstName: 'Ana', lastName: 'Lima' });
    await expect(contactList(page)).toHaveCount(1);

    await openTasks(page);
    await page.getByRole('button', { name: 'New task' }).click();
    const form = page.getByRole('form', { name: 'New task' });
    await form.getByLabel('Title').fill('Send Ana the offer');
    await form.getByLabel('Linked to').selectOption('contact');
    // A kind without a record is refused here, before anything is sent.
    await form.getByRole('button', { name: 'Save task' }).click();
    await expect(form.getByRole('alert')).toHaveText('Pick the record, or link to nothing.');
    const contact = form.getByRole('combobox', { name: 'Contact' });
    await contact.fill('an');
    await expect(form.getByRole('option', { name: 'Ana Lima' })).toBeVisible();
    await contact.press('Enter');
    await expect(contact).toHaveValue('Ana Lima');
    await shot(page, testInfo, 'linked-task-form');
    await form.getByRole('button', { name: 'Save task' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText(
      'Saved Send Ana the offer.',
    );

    // The list names the linked record; the name opens its page, where the task is listed too.
    const task = page.getByRole('list', { name: 'Today' }).getByRole('listitem');
    await expect(task).toHaveText([/Send Ana the offer\s*Contact: Ana Lima\s*Today/]);
    await shot(page, testInfo, 'linked-task-listed');
    await task.getByRole('link', { name: 'Ana Lima' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Ana Lima' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Open tasks' })).toContainText('Send Ana the offer');

    // A rename shows in the task list (the names are kept live).
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit contact' });
    await edit.getByLabel('Last name').fill('Souza');
    await edit.getByRole('button', { name: 'Save contact' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Ana Souza' })).toBeVisible();
    await openTasks(page);
    await expect(
      page.getByRole('list', { name: 'Today' }).getByRole('link', { name: 'Ana Souza' }),
    ).toHaveAttribute('href', /^#\/contacts\//);
    expect(app.pageErrors).toEqual([]);
  });
});
