/**
 * The `crm` suite: the CRM backend at the sizes of issue 4 (open with 100,000 contacts, search latency, CSV
 * import rows/s, dashboard query time).
 * @module
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { createCrmBackend } from '../../core/crm/crm-backend.js';
import { chunkRows, guessMapping, parseCsv, writeCsv } from '../../core/crm/transfer/index.js';
import type { BenchCase, Suite } from './harness.js';

/** A deterministic contacts CSV of `n` rows (25 companies, some tags, every 10th row with a note). */
function contactsCsv(n: number): string {
  const rows = [['First name', 'Last name', 'Email', 'Phone', 'Title', 'Company', 'Tags', 'Notes']];
  for (let i = 0; i < n; i++) {
    rows.push([
      `First${i}`,
      `Last${i % 977}`,
      `person${i}@example.com`,
      `+1 555 ${String(i % 10_000).padStart(4, '0')}`,
      ['Engineer', 'Buyer', 'CEO', ''][i % 4]!,
      `Company ${i % 25}`,
      i % 3 === 0 ? 'lead, imported' : '',
      i % 10 === 0 ? `Met at event ${i}` : '',
    ]);
  }
  return writeCsv(rows);
}

/** CSV import: parse a file, then `ImportRows` in chunks of 500 through the backend (every row fsynced). */
const importCase: BenchCase = {
  name: 'csv import',
  metrics: [{ name: 'csv import 10k rows', unit: 'rows/s', better: 'higher' }],
  async run(ctx) {
    const n = ctx.scaled(10_000, 500);
    const text = contactsCsv(n);
    const crm = await createCrmBackend(mkdtempSync(join(ctx.tmp, 'crm-import-')));
    try {
      const start = performance.now();
      const [headers, ...rows] = parseCsv(text).rows;
      const mapping = guessMapping(headers!, 'contact');
      let firstRow = 0;
      for (const chunk of chunkRows(rows)) {
        const r = await crm.execute({
          command: 'ImportRows',
          input: {
            importId: 'bench',
            kind: 'contact',
            headers,
            mapping,
            rows: chunk,
            firstRow,
            onDuplicate: 'skip',
          },
        });
        if (!r.ok) throw new Error(`ImportRows failed: ${r.error.message}`);
        firstRow += chunk.length;
      }
      const seconds = (performance.now() - start) / 1000;
      return { 'csv import 10k rows': { ours: n / seconds, limit: null, info: { rows: n, seconds } } };
    } finally {
      await crm.close();
    }
  },
};

/** The CRM suite. */
export const crmSuite: Suite = {
  name: 'crm',
  description: 'the CRM backend (core/crm) at 100,000 contacts',
  cases: () => [importCase],
};
