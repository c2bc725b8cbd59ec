import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures.js';

async function openSettings(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: 'Settings', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
}

test.describe('settings', () => {
  test('add a custom field and a pipeline stage, reorder and remove a stage', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openSettings(page);

    // A choice field on contacts.
    const fieldForm = page.getByRole('form', { name: 'New custom field' });
    await fieldForm.getByLabel('Field label').fill('Lead source');
    await fieldForm.getByLabel('Type').selectOption('choice');
    await fieldForm.getByLabel(/Options/).fill('Web, Referral');
    await fieldForm.getByRole('button', { name: 'Add field' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Added the field' })).toHaveText(
      'Added the field Lead source.',
    );
    // It is stored: a second field with the same label is refused.
    await fieldForm.getByLabel('Field label').fill('lead SOURCE');
    await fieldForm.getByRole('button', { name: 'Add field' }).click();
    await expect(fieldForm.getByRole('alert')).toContainText('There is already a field named "Lead source"');
    await shot(page, testInfo, 'custom-field-added');

    // A new stage goes last; move it up; remove it with its deals going to Lead.
    const stages = page.getByRole('list', { name: 'Stages' }).getByRole('listitem');
    await expect(stages).toHaveText([/Lead/, /Qualified/, /Proposal/, /Negotiation/]);
    const stageForm = page.getByRole('form', { name: 'New stage' });
    await stageForm.getByLabel('Stage name').fill('Contract sent');
    await stageForm.getByRole('button', { name: 'Add stage' }).click();
    await expect(stages).toHaveText([/Lead/, /Qualified/, /Proposal/, /Negotiation/, /Contract sent/]);
    await page.getByRole('button', { name: 'Move Contract sent up' }).click();
    await expect(stages).toHaveText([/Lead/, /Qualified/, /Proposal/, /Contract sent/, /Negotiation/]);
    await shot(page, testInfo, 'stage-added-and-moved');

    await page.getByRole('button', { name: 'Remove Contract sent' }).click();
    const remove = page.getByRole('form', { name: 'Remove Contract sent' });
    await remove.getByLabel('Move its deals to').selectOption({ label: 'Lead' });
    await remove.getByRole('button', { name: 'Remove stage' }).click();
    await expect(stages).toHaveText([/Lead/, /Qualified/, /Proposal/, /Negotiation/]);

    // The data folder is shown.
    await expect(page.getByLabel('Data folder')).toHaveText(app.dataDir);
    await shot(page, testInfo, 'done');
    // Refused commands answer 4xx, which Chromium logs; anything else (CSP, exceptions) is a failure.
    expect(app.pageErrors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
  });
});
