import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures.js';
import { contactList, openContacts } from './pages.js';

const CSV =
  'First name,Last name,E-mail,Company\r\nAna,Lima,ana@example.com,Acme\r\nBruno,Costa,bruno@example.com,\r\n';

async function openImport(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: 'Import / export', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import and export' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
}

async function chooseCsv(page: Page): Promise<void> {
  await page.getByLabel('CSV or vCard file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(CSV),
  });
}

test.describe('import', () => {
  test('preview and import a CSV, import it again (nothing new), revert it', async ({ app }, testInfo) => {
    const page = await app.openWindow();
    await openImport(page);
    await expect(page.getByText('No imports yet.')).toBeVisible();

    await chooseCsv(page);
    // The guessed mapping, editable per column.
    await expect(page.getByLabel('Import column E-mail as')).toHaveValue('email');
    await expect(page.getByLabel('Import column Company as')).toHaveValue('companyName');
    await expect(page.getByRole('status', { name: 'Preview counts' })).toHaveText(
      '2 new, 0 duplicates, 0 invalid; creates 1 company.',
    );
    await expect(page.getByRole('table', { name: 'Preview' }).getByRole('row')).toHaveCount(3);
    await shot(page, testInfo, 'preview');

    await page.getByRole('button', { name: 'Import 2 rows' }).click();
    await expect(page.getByRole('status', { name: 'Import result' })).toHaveText(
      '2 created, 0 updated, 0 skipped, 0 failed (and 1 companies created).',
    );
    await expect(page.getByLabel('Import progress')).toHaveAttribute('value', '2');
    await expect(page.getByRole('table', { name: 'Past imports' }).getByRole('row')).toHaveCount(2);
    await shot(page, testInfo, 'imported');

    await openContacts(page);
    await expect(contactList(page)).toHaveCount(2);
    await expect(contactList(page).filter({ hasText: 'Ana Lima' })).toHaveCount(1);
    await expect(contactList(page).filter({ hasText: 'Bruno Costa' })).toHaveCount(1);
    await shot(page, testInfo, 'contacts-listed');

    // The sidebar's search box (Ctrl+K) finds them, grouped by kind, with links to their pages.
    await page.keyboard.press('Control+k');
    await expect(page.getByRole('searchbox', { name: 'Search everything' }).first()).toBeFocused();
    await page.keyboard.type('lima');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Contacts' }).getByRole('link')).toHaveText(['Ana Lima']);
    await expect(page.getByRole('list', { name: 'Contacts' }).getByRole('link')).toHaveAttribute(
      'href',
      /^#\/contacts\//,
    );
    await shot(page, testInfo, 'search');

    // Export the contacts as CSV and as vCard (downloads).
    await openImport(page);
    for (const [button, text] of [
      ['Contacts as CSV', 'ana@example.com'],
      ['Contacts as vCard', 'BEGIN:VCARD'],
    ] as const) {
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: button }).click();
      const saved = await (await download).path();
      expect(readFileSync(saved, 'utf8')).toContain(text);
    }
    await expect(page.getByRole('status').filter({ hasText: 'Saved 2 records' })).toBeVisible();

    // The same file again: flagged as duplicates, and importing it creates nothing.
    await chooseCsv(page);
    await expect(page.getByRole('status', { name: 'Preview counts' })).toHaveText(
      '0 new, 2 duplicates, 0 invalid.',
    );
    await expect(page.getByRole('table', { name: 'Preview' })).toContainText(
      'Already in the CRM (same e-mail',
    );
    await expect(page.getByLabel('Skip them')).toBeChecked();
    await page.getByRole('button', { name: 'Import 2 rows' }).click();
    await expect(page.getByRole('status', { name: 'Import result' })).toHaveText(
      '0 created, 0 updated, 2 skipped, 0 failed.',
    );
    await shot(page, testInfo, 'reimported');
    await page.getByRole('button', { name: 'Import another file' }).click();

    // Revert the first import (the oldest row): its contacts are gone.
    const past = page.getByRole('table', { name: 'Past imports' }).getByRole('row');
    await expect(past).toHaveCount(3);
    await past
      .last()
      .getByRole('button', { name: /Revert the import/ })
      .click();
    await past.last().getByRole('button', { name: 'Revert import' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Reverted:' })).toContainText(
      'Reverted: 3 records moved to the trash',
    );
    await expect(past.filter({ hasText: '2 created' })).toContainText('Reverted');
    await shot(page, testInfo, 'reverted');

    await openContacts(page);
    await expect(contactList(page)).toHaveCount(0);
    expect(app.pageErrors).toEqual([]);
  });
});
