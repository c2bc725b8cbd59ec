import { expect, shot, test } from './fixtures.js';
import { addField, newContactForm, openContact, openContacts, openSettings } from './pages.js';

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

  test('custom fields defined in Settings are set in the record forms and shown after a reload', async ({
    app,
  }, testInfo) => {
    const page = await app.openWindow();
    await openSettings(page);
    await addField(page, 'Lead source', 'choice', 'Web, Referral');
    await addField(page, 'Score', 'number');
    await addField(page, 'Newsletter', 'checkbox');
    await addField(page, 'First met', 'date');
    await page.getByRole('tab', { name: 'Companies' }).click();
    await addField(page, 'Tier', 'text');

    // A new contact with a value in each field.
    await openContacts(page);
    await page.getByRole('button', { name: 'New contact' }).click();
    const form = newContactForm(page);
    const custom = form.getByRole('group', { name: 'Custom fields' });
    await form.getByLabel('First name').fill('Dora');
    await custom.getByLabel('Lead source').selectOption('Referral');
    await custom.getByLabel('Score').fill('7.5');
    await custom.getByLabel('Newsletter').check();
    await custom.getByLabel('First met').fill('2026-03-31');
    await shot(page, testInfo, 'contact-form-custom-fields');
    await form.getByRole('button', { name: 'Save contact' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText('Saved Dora.');

    await page.reload();
    await openContacts(page);
    await openContact(page, 'Dora');
    const details = page.getByRole('definition');
    const facts = page.getByLabel('Contact details');
    await expect(facts).toContainText(/Lead source\s*Referral/);
    await expect(facts).toContainText(/Score\s*7\.5/);
    await expect(facts).toContainText(/Newsletter\s*Yes/);
    await expect(facts).toContainText(/First met\s*.*2026/);
    await shot(page, testInfo, 'contact-detail-custom-fields');

    // An edit changes one value and clears two: only those are sent.
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit contact' });
    await expect(edit.getByLabel('Score')).toHaveValue('7.5');
    await edit.getByLabel('Lead source').selectOption('Web');
    await edit.getByLabel('Score').fill('');
    await edit.getByLabel('Newsletter').uncheck();
    await edit.getByRole('button', { name: 'Save contact' }).click();
    await expect(facts).toContainText(/Lead source\s*Web/);
    await expect(facts).toContainText(/Score\s*—/);
    await expect(facts).toContainText(/Newsletter\s*No/);
    await expect(details.filter({ hasText: '2026' })).toBeVisible();

    // A company's text field.
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Companies', exact: true })
      .click();
    await page.getByRole('button', { name: 'New company' }).click();
    const company = page.getByRole('form', { name: 'New company' });
    await company.getByLabel('Name').fill('Acme Corp');
    await company.getByRole('group', { name: 'Custom fields' }).getByLabel('Tier').fill('Gold');
    await company.getByRole('button', { name: 'Save company' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Acme Corp' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Acme Corp' })).toBeVisible();
    await expect(page.getByRole('definition').filter({ hasText: 'Gold' })).toBeVisible();
    await shot(page, testInfo, 'company-detail-custom-field');
    expect(app.pageErrors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
  });
});
