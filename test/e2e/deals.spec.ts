/**
 * Deals end to end: a company and a deal for it, the board's columns and sums, a keyboard move seen live in a
 * second window, winning it changes the dashboard, and the board as of a past moment shows the old stage;
 * custom fields defined for deals are set in the deal form and shown on its page.
 */
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures.js';
import { addField, openSettings } from './pages.js';

/** Goes to a section through the sidebar and waits for the live connection. */
async function open(page: Page, section: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: section, exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: section })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
}

/** A column of the board, by stage name. */
function column(page: Page, name: string) {
  return page.getByRole('region', { name, exact: true });
}

/** The count and sums line of a column. */
function figures(page: Page, name: string) {
  return column(page, name).getByTestId('column-figures');
}

/** The value of a dashboard count card. */
function count(page: Page, label: string) {
  return page
    .getByRole('list', { name: 'Counts' })
    .getByRole('listitem')
    .filter({ hasText: new RegExp(`^[^A-Za-z]*${label}$`) })
    .locator('.card-value');
}

/** The current local time as a `datetime-local` value with seconds. */
function localNow(page: Page): Promise<string> {
  return page.evaluate(() => {
    const d = new Date();
    return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  });
}

test.describe('deals', () => {
  test('a deal for a company moves on the board, live in a second window; winning it shows on the dashboard; the past board is read-only', async ({
    app,
  }, testInfo) => {
    const first = await app.openWindow();
    const second = await app.openWindow();

    await open(first, 'Companies');
    await first.getByRole('button', { name: 'New company' }).click();
    const companyForm = first.getByRole('form', { name: 'New company' });
    await companyForm.getByLabel('Name').fill('Acme Corp');
    await companyForm.getByRole('button', { name: 'Save company' }).click();
    await expect(first.getByRole('heading', { level: 1, name: 'Acme Corp' })).toBeVisible();

    await open(first, 'Deals');
    await open(second, 'Deals');
    await expect(figures(first, 'Lead')).toHaveText(/^0 deals/);
    await first.getByRole('button', { name: 'New deal' }).click();
    const form = first.getByRole('form', { name: 'New deal' });
    await form.getByLabel('Title').fill('Website');
    await form.getByLabel('Amount').fill('1.500,00');
    await form.getByLabel('Currency').fill('EUR');
    await form.getByLabel('Stage').selectOption({ label: 'Lead' });
    // The company picker is a type-ahead over the names: type, the first match is active, Enter picks it.
    const company = form.getByRole('combobox', { name: 'Company' });
    await company.fill('acm');
    await expect(form.getByRole('option', { name: 'Acme Corp' })).toBeVisible();
    await company.press('Enter');
    await expect(company).toHaveValue('Acme Corp');
    await form.getByLabel('Expected close date').fill('2026-09-30');
    await shot(first, testInfo, 'new-deal-form');
    await form.getByRole('button', { name: 'Save deal' }).click();
    await expect(form).toBeHidden();

    await expect(figures(first, 'Lead')).toHaveText('1 dealEUR 1,500.00');
    const card = column(first, 'Lead').getByRole('listitem', { name: 'Website' });
    await expect(card).toContainText('Acme Corp');
    await expect(figures(second, 'Lead')).toHaveText('1 dealEUR 1,500.00');
    await shot(first, testInfo, 'on-the-board');

    // A moment while the deal was still a lead, for time travel below.
    await first.waitForTimeout(1100);
    const before = await localNow(first);
    await first.waitForTimeout(1100);

    // Move it with the keyboard: the menu button, Enter, the first item (Qualified), Enter.
    await card.getByRole('button', { name: 'Move Website to…' }).focus();
    await first.keyboard.press('Enter');
    const menu = first.getByRole('menu', { name: 'Move Website to' });
    await expect(menu.getByRole('menuitem', { name: 'Qualified' })).toBeFocused();
    await shot(first, testInfo, 'move-menu');
    await first.keyboard.press('Enter');
    await expect(first.getByRole('status').filter({ hasText: 'Moved' })).toHaveText(
      'Moved “Website” to Qualified.',
    );
    await expect(figures(first, 'Qualified')).toHaveText('1 dealEUR 1,500.00');

    // The second window follows live.
    await expect(figures(second, 'Lead')).toHaveText(/^0 deals/);
    await expect(figures(second, 'Qualified')).toHaveText('1 dealEUR 1,500.00');
    await shot(second, testInfo, 'second-window-live');

    await open(second, 'Dashboard');
    await expect(count(second, 'Won')).toHaveText('0');
    await expect(count(second, 'Open deals')).toHaveText('1');

    // Win it from the menu (Arrow Up wraps: Lost…, then Won).
    const moved = column(first, 'Qualified').getByRole('listitem', { name: 'Website' });
    await moved.getByRole('button', { name: 'Move Website to…' }).focus();
    await first.keyboard.press('Enter');
    await first.keyboard.press('ArrowUp');
    await first.keyboard.press('ArrowUp');
    await expect(first.getByRole('menuitem', { name: 'Won' })).toBeFocused();
    await first.keyboard.press('Enter');
    await expect(figures(first, 'Won')).toHaveText('1 dealEUR 1,500.00');
    await expect(figures(first, 'Qualified')).toHaveText(/^0 deals/);

    await expect(count(second, 'Won')).toHaveText('1');
    await expect(count(second, 'Open deals')).toHaveText('0');
    await expect(count(second, 'Win rate')).toHaveText('100 %');
    await shot(second, testInfo, 'dashboard-won');

    // The board as it was: the deal still a lead, nothing movable.
    await first.getByLabel('As of').fill(before);
    await expect(first.getByRole('note', { name: 'Time travel' })).toContainText('Read-only');
    await expect(figures(first, 'Lead')).toHaveText('1 dealEUR 1,500.00');
    await expect(figures(first, 'Won')).toHaveText(/^0 deals/);
    await expect(first.getByRole('button', { name: /^Move .* to…$/ })).toHaveCount(0);
    await expect(first.getByRole('button', { name: 'New deal' })).toHaveCount(0);
    await shot(first, testInfo, 'as-of-past');

    await first.getByRole('button', { name: 'Back to live' }).click();
    await expect(figures(first, 'Won')).toHaveText('1 dealEUR 1,500.00');
    expect(app.pageErrors).toEqual([]);
  });

  test('a lost deal needs a reason; reopen brings it back to its stage; the detail view opens from the card', async ({
    app,
  }, testInfo) => {
    const page = await app.openWindow();
    await open(page, 'Deals');
    await page.getByRole('button', { name: 'New deal' }).click();
    const form = page.getByRole('form', { name: 'New deal' });
    await form.getByLabel('Title').fill('Audit');
    await form.getByLabel('Amount').fill('12,5');
    await form.getByLabel('Currency').fill('JPY');
    await form.getByRole('button', { name: 'Save deal' }).click();
    await expect(form.getByRole('alert')).toHaveText('JPY has no decimals: enter a whole amount.');
    await form.getByLabel('Amount').fill('125000');
    await form.getByRole('button', { name: 'Save deal' }).click();
    await expect(figures(page, 'Lead')).toHaveText('1 dealJPY 125,000');

    const card = column(page, 'Lead').getByRole('listitem', { name: 'Audit' });
    await card.getByRole('button', { name: 'Move Audit to…' }).click();
    await page.getByRole('menuitem', { name: 'Lost…' }).click();
    const dialog = page.getByRole('dialog', { name: /Why was “Audit” lost/ });
    await dialog.getByRole('button', { name: 'Mark lost' }).click();
    await expect(dialog.getByRole('alert')).toHaveText('Enter the reason the deal was lost.');
    await dialog.getByLabel('Reason').fill('Went with a competitor');
    await shot(page, testInfo, 'lost-reason');
    await dialog.getByRole('button', { name: 'Mark lost' }).click();
    await expect(figures(page, 'Lost')).toHaveText('1 dealJPY 125,000');
    await expect(column(page, 'Lost')).toContainText('Went with a competitor');

    await column(page, 'Lost').getByRole('link', { name: 'Audit' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Audit/ })).toContainText('Lost');
    await expect(page.getByText('Went with a competitor')).toBeVisible();
    await page.getByRole('button', { name: 'Reopen' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Audit/ })).toContainText('Lead');
    await shot(page, testInfo, 'detail-reopened');

    // Drag and drop: from Lead to Proposal on the board.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link').click();
    await column(page, 'Lead').getByRole('listitem', { name: 'Audit' }).dragTo(column(page, 'Proposal'));
    await expect(figures(page, 'Proposal')).toHaveText('1 dealJPY 125,000');
    await expect(figures(page, 'Lead')).toHaveText(/^0 deals/);
    await shot(page, testInfo, 'dragged');
    expect(app.pageErrors).toEqual([]);
  });

  test('the company and contact detail pages list their deals; pickers are type-ahead and keyboard driven', async ({
    app,
  }, testInfo) => {
    const page = await app.openWindow();
    await open(page, 'Companies');
    for (const name of ['Beta Labs', 'Beta Works']) {
      await page.getByRole('button', { name: 'New company' }).click();
      const companyForm = page.getByRole('form', { name: 'New company' });
      await companyForm.getByLabel('Name').fill(name);
      await companyForm.getByRole('button', { name: 'Save company' }).click();
      await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
      await open(page, 'Companies');
    }

    // A contact at Beta Works, picked with the arrow keys.
    await open(page, 'Contacts');
    await page.getByRole('button', { name: 'New contact' }).click();
    const contactForm = page.getByRole('form', { name: 'New contact' });
    await contactForm.getByLabel('First name').fill('Ana');
    await contactForm.getByLabel('Last name').fill('Lima');
    const company = contactForm.getByRole('combobox', { name: 'Company' });
    await company.fill('beta');
    const options = contactForm.getByRole('listbox', { name: 'Company' }).getByRole('option');
    await expect(options).toHaveText(['Beta Labs', 'Beta Works']);
    await company.press('ArrowDown');
    await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
    await shot(page, testInfo, 'company-type-ahead');
    await company.press('Enter');
    await expect(company).toHaveValue('Beta Works');
    // Escape closes the list only, not the form.
    await company.fill('lab');
    await company.press('Escape');
    await expect(contactForm).toBeVisible();
    await expect(company).toHaveValue('Beta Works');
    await contactForm.getByRole('button', { name: 'Save contact' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText('Saved Ana Lima.');

    // A deal of Beta Works with Ana (offered as one of the company's contacts).
    await open(page, 'Deals');
    await page.getByRole('button', { name: 'New deal' }).click();
    const dealForm = page.getByRole('form', { name: 'New deal' });
    await dealForm.getByLabel('Title').fill('Pilot');
    await dealForm.getByLabel('Amount').fill('2000');
    await dealForm.getByLabel('Currency').fill('EUR');
    await dealForm.getByRole('combobox', { name: 'Company' }).fill('Beta W');
    await dealForm.getByRole('combobox', { name: 'Company' }).press('Enter');
    await dealForm.getByRole('checkbox', { name: 'Ana Lima' }).check();
    await dealForm.getByRole('button', { name: 'Save deal' }).click();
    await expect(dealForm).toBeHidden();

    await open(page, 'Companies');
    await page.getByRole('link', { name: 'Beta Works' }).click();
    const ofCompany = page.getByRole('list', { name: 'Deals of this company' }).getByRole('listitem');
    await expect(ofCompany).toHaveText([/Pilot\s*· Lead\s*· EUR 2,000\.00/]);
    await shot(page, testInfo, 'company-deals');
    await open(page, 'Contacts');
    await page.getByRole('list', { name: 'Contacts' }).getByRole('link', { name: 'Ana Lima' }).click();
    const ofContact = page.getByRole('list', { name: 'Deals of this contact' }).getByRole('listitem');
    await expect(ofContact).toHaveText([/Pilot\s*· Lead/]);
    await ofContact.getByRole('link', { name: 'Pilot' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Pilot/ })).toBeVisible();

    // The other company has none.
    await open(page, 'Companies');
    await page.getByRole('link', { name: 'Beta Labs' }).click();
    await expect(page.getByText('No deals with this company.')).toBeVisible();
    expect(app.pageErrors).toEqual([]);
  });

  test('custom fields defined for deals in Settings are set in the deal form and shown after a reload', async ({
    app,
  }, testInfo) => {
    const page = await app.openWindow();
    await openSettings(page);
    await page.getByRole('tab', { name: 'Deals' }).click();
    await addField(page, 'Source', 'choice', 'Inbound, Outbound');
    await addField(page, 'Seats', 'number');

    await open(page, 'Deals');
    await page.getByRole('button', { name: 'New deal' }).click();
    const form = page.getByRole('form', { name: 'New deal' });
    await form.getByLabel('Title').fill('Licences');
    const custom = form.getByRole('group', { name: 'Custom fields' });
    await custom.getByLabel('Source').selectOption('Inbound');
    await custom.getByLabel('Seats').fill('25');
    await shot(page, testInfo, 'deal-form-custom-fields');
    await form.getByRole('button', { name: 'Save deal' }).click();
    await expect(form).toBeHidden();

    await column(page, 'Lead').getByRole('link', { name: 'Licences' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Licences/ })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: /Licences/ })).toBeVisible();
    const facts = page.getByLabel('Deal details');
    await expect(facts).toContainText(/Source\s*Inbound/);
    await expect(facts).toContainText(/Seats\s*25/);
    await shot(page, testInfo, 'deal-detail-custom-fields');

    // An edit changes one value and clears the other.
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit deal' });
    await expect(edit.getByLabel('Seats')).toHaveValue('25');
    await edit.getByLabel('Source').selectOption('Outbound');
    await edit.getByLabel('Seats').fill('');
    await edit.getByRole('button', { name: 'Save deal' }).click();
    await expect(edit).toBeHidden();
    await expect(facts).toContainText(/Source\s*Outbound/);
    await expect(facts).toContainText(/Seats\s*—/);
    await page.reload();
    await expect(page.getByLabel('Deal details')).toContainText(/Source\s*Outbound/);
    expect(app.pageErrors).toEqual([]);
  });
});
