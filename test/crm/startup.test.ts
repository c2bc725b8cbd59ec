/**
 * Opening the CRM: the first screens' read models (CRM_START_FIRST) are loaded when createCrmBackend resolves, the
 * others right after; a query or command issued at once waits for the read models it needs and answers right.
 */
import { describe, expect, it } from 'vitest';
import { createCrmBackend, CRM_START_FIRST } from '../../core/crm/crm-backend.js';
import { tempDir } from '../es/fixtures.js';

async function seeded(dir: string): Promise<void> {
  const crm = await createCrmBackend(dir);
  const company = await crm.execute({ command: 'CreateCompany', input: { name: 'Acme', tags: ['vip'] } });
  if (!company.ok) throw new Error(company.error.message);
  const id = (company.value as { id: string }).id;
  for (const [first, email] of [
    ['Ana', 'ana@example.com'],
    ['Bo', 'bo@example.com'],
  ] as const) {
    const r = await crm.execute({
      command: 'CreateContact',
      input: { firstName: first, emails: [email], companyId: id, tags: ['vip'] },
    });
    if (!r.ok) throw new Error(r.error.message);
  }
  await crm.close();
}

describe('opening the CRM', () => {
  it('answers at once from the first read models, and waits for the others when asked', async () => {
    const dir = tempDir('crm-startup-');
    await seeded(dir);
    const crm = await createCrmBackend(dir);
    expect(CRM_START_FIRST).toContain('crm-contacts');
    // Loaded before open resolved.
    expect(crm.store.projection<{ rows: object }>('crm-contacts').state.rows).not.toEqual({});
    // Straight after open, before the others had their turn: each query waits for its own read model.
    const [contacts, companies, tags, search] = await Promise.all([
      crm.query({ query: 'contact.list', params: {} }),
      crm.query({ query: 'company.list', params: {} }),
      crm.query({ query: 'tag.list', params: {} }),
      crm.query({ query: 'search', params: { q: 'acm' } }),
    ]);
    expect(contacts.ok && (contacts.value as { total: number }).total).toBe(2);
    expect(companies.ok && (companies.value as { total: number }).total).toBe(1);
    expect(JSON.stringify(tags.ok && tags.value)).toContain('vip');
    expect(JSON.stringify(search.ok && search.value)).toContain('Acme');
    await crm.close();
  });

  it('a command issued at once sees every read model (the duplicate e-mail check)', async () => {
    const dir = tempDir('crm-startup-');
    await seeded(dir);
    const crm = await createCrmBackend(dir);
    const r = await crm.execute({
      command: 'CreateContact',
      input: { firstName: 'Ana', emails: ['ana@example.com'] },
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('DUPLICATE_EMAIL');
    await crm.close();
  });
});
