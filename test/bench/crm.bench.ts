/**
 * The `crm` suite: the CRM backend at the sizes of issue 4 (open with 100,000 contacts, search latency, CSV
 * import rows/s, dashboard query time).
 * @module
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import { benchShape, loadDemo } from '../../core/crm/demo/index.js';
import { chunkRows, guessMapping, parseCsv, writeCsv } from '../../core/crm/transfer/index.js';
import type { BenchCase, BenchContext, Sample, Suite } from './harness.js';

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

/** The demo data set of the suite: 100,000 contacts (about 1M events) at scale 1, loaded once per run. */
interface Dataset {
  dir: string;
  contacts: number;
  events: number;
  /** `null` for a data set reused from an earlier run (`BENCH_CRM_DATASET`). */
  loadSeconds: number | null;
}

const TODAY = '2026-06-15';

/**
 * Loads the data set (durability `none`: this measures reads, and the load rate is reported for information).
 * `BENCH_CRM_DATASET=<folder>` reuses a CRM data folder loaded before (the load takes about 11 minutes at scale 1)
 * and loads into that folder when it is empty.
 */
function dataset(ctx: BenchContext): Promise<Dataset> {
  return ctx.memo('crm-dataset', async () => {
    const reuse = process.env.BENCH_CRM_DATASET;
    if (reuse && existsSync(join(reuse, 'meta'))) {
      ctx.log(`[crm] reusing the data set in ${reuse}`);
      const crm = await createCrmBackend(reuse);
      try {
        const r = await crm.query({ query: 'contact.list', params: { limit: 0 } });
        if (!r.ok) throw new Error(r.error.message);
        const contacts = (r.value as { total: number }).total;
        return { dir: reuse, contacts, events: Number.NaN, loadSeconds: null };
      } finally {
        await crm.close();
      }
    }
    const contacts = ctx.scaled(100_000, 500);
    const dir = reuse ?? mkdtempSync(join(ctx.tmp, 'crm-demo-'));
    ctx.log(`[crm] loading ${contacts} demo contacts`);
    const crm = await createCrmBackend(dir, { store: { durability: 'none' } });
    try {
      const r = await loadDemo(
        crm.execute,
        { seed: 7, shape: benchShape(contacts), today: TODAY },
        { concurrency: 32 },
      );
      await crm.store.awaitProjections();
      return { dir, contacts, events: r.events, loadSeconds: r.ms / 1000 };
    } finally {
      await crm.close();
    }
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? 0;
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  const r = (await f()) as { ok?: boolean; error?: unknown };
  if (r.ok === false) throw new Error(`query failed: ${JSON.stringify(r.error)}`);
  return performance.now() - t;
}

function loadInfo(ds: Dataset): Record<string, number | string> {
  return ds.loadSeconds === null
    ? { reused: ds.dir }
    : { events: ds.events, seconds: Math.round(ds.loadSeconds) };
}

/**
 * Close the loaded store, open it again: the time until the first contact-list page is served, and until every
 * read model is loaded (the others load in the background after the first screens' ones, see CRM_START_FIRST).
 */
const openCase: BenchCase = {
  name: 'open',
  metrics: [
    { name: 'open with 100k contacts: to first query', unit: 'ms', better: 'lower' },
    { name: 'open with 100k contacts: every read model loaded', unit: 'ms', better: 'lower' },
    { name: 'demo load (durability none)', unit: 'events/s', better: 'higher' },
  ],
  async run(ctx) {
    const ds = await dataset(ctx);
    const t = performance.now();
    const crm = await createCrmBackend(ds.dir);
    let total: number;
    let ms: number;
    let allMs: number;
    try {
      const r = await crm.query({ query: 'contact.list', params: { limit: 50 } });
      if (!r.ok) throw new Error(r.error.message);
      ms = performance.now() - t;
      total = (r.value as { total: number }).total;
      await crm.store.ready();
      allMs = performance.now() - t;
    } finally {
      await crm.close();
    }
    if (total !== ds.contacts) throw new Error(`contact.list has ${total} contacts, expected ${ds.contacts}`);
    return {
      'open with 100k contacts: to first query': {
        ours: ms,
        limit: null,
        info: { contacts: ds.contacts, events: ds.events },
      },
      'open with 100k contacts: every read model loaded': {
        ours: allMs,
        limit: null,
        info: { contacts: ds.contacts },
      },
      'demo load (durability none)': {
        ours: ds.loadSeconds === null ? Number.NaN : ds.events / ds.loadSeconds,
        limit: null,
        info: loadInfo(ds),
      },
    };
  },
};

const PREFIXES = ['a', 'an', 'ma', 'mar', 'li', 'jo', 'so', 'el', 'ra', 'ki', 'zo', 'ca', 'be', 'ni', 'tomá'];

/** Search as the user types, over the whole data set: `contact.list {q}` (one page) and the global `search`. */
const searchCase: BenchCase = {
  name: 'search',
  metrics: ['contact.list {q}', 'search'].flatMap((q) => [
    { name: `${q} p50, 100k contacts`, unit: 'ms', better: 'lower' as const },
    { name: `${q} p95, 100k contacts`, unit: 'ms', better: 'lower' as const },
  ]),
  async run(ctx) {
    const ds = await dataset(ctx);
    const crm: OpenCrmBackend = await createCrmBackend(ds.dir);
    // Latency once the app is up: right after open the other read models are still loading (see the open case).
    await crm.store.ready();
    try {
      const out: Record<string, Sample> = {};
      for (const [name, query, params] of [
        ['contact.list {q}', 'contact.list', (q: string) => ({ q, limit: 50 })],
        ['search', 'search', (q: string) => ({ q })],
      ] as const) {
        const times: number[] = [];
        for (let round = 0; round < 4; round++)
          for (const q of PREFIXES) times.push(await timed(() => crm.query({ query, params: params(q) })));
        times.sort((a, b) => a - b);
        const info = { contacts: ds.contacts, queries: times.length };
        out[`${name} p50, 100k contacts`] = { ours: percentile(times, 0.5), limit: null, info };
        out[`${name} p95, 100k contacts`] = { ours: percentile(times, 0.95), limit: null, info };
      }
      return out;
    } finally {
      await crm.close();
    }
  },
};

/** The dashboard over the whole data set (pipeline value, won/lost per month, tasks done). */
const dashboardCase: BenchCase = {
  name: 'dashboard',
  metrics: [{ name: 'dashboard query, 100k contacts (median of 20)', unit: 'ms', better: 'lower' }],
  async run(ctx) {
    const ds = await dataset(ctx);
    const crm = await createCrmBackend(ds.dir);
    await crm.store.ready(); // as in the search case
    try {
      const times: number[] = [];
      for (let i = 0; i < 20; i++)
        times.push(await timed(() => crm.query({ query: 'dashboard', params: {} })));
      times.sort((a, b) => a - b);
      return {
        'dashboard query, 100k contacts (median of 20)': {
          ours: percentile(times, 0.5),
          limit: null,
          info: { contacts: ds.contacts },
        },
      };
    } finally {
      await crm.close();
    }
  },
};

/** The CRM suite. */
export const crmSuite: Suite = {
  name: 'crm',
  description: 'the CRM backend (core/crm) at 100,000 contacts',
  cases: () => [openCase, searchCase, dashboardCase, importCase],
};
