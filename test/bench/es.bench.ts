/**
 * The `es` suite: core/es (aggregates over one log per instance) against the physical limits of this machine,
 * issue 3's benchmarks. Every store uses the default durability (`'group'`: each command durable before `execute`
 * resolves) and has the contact-list projection registered, as the app will. Limits are measured in the same
 * repetition on the same disk (os.tmpdir()), with the same line bytes.
 *
 * The 10,000-contact store built by the first bulk-import repetition (plus one four-field edit per contact) is the
 * data set of the catch-up and cold-open cases.
 * @module
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AggregateStore } from '../../core/es/index.js';
import { runTsChild } from './child.js';
import type { OpenReport } from './es-child.js';
import {
  collectingLogger,
  contact,
  contactId,
  contactList,
  createCommand,
  editCommand,
  openContactStore,
  updateCommand,
} from './es-model.js';
import type { BenchCase, BenchContext, Sample, Suite } from './harness.js';
import {
  BareAppender,
  bareConcurrentAppends,
  bareCreateFiles,
  bareReadStreams,
  concurrentRate,
} from './limits.js';
import { elapsedUs, percentile } from './stats.js';

/** Concurrent callers in the multi-instance and bulk cases. */
const CALLERS = 64;
/** Instance counts of the concurrent case. */
const INSTANCE_COUNTS = [1, 8, 64, 1000] as const;
const CTX = { actor: 'user:bench' };

function freshDir(ctx: BenchContext, prefix: string): string {
  return mkdtempSync(join(ctx.tmp, `${prefix}-`));
}

function streamLog(dir: string, id: string): string {
  return join(dir, 'streams', contact.type, id, 'app.jsonl');
}

/** The last line of a stream's log, with its newline: the bytes the bare loops write. */
function lastLine(file: string): Buffer {
  const text = readFileSync(file, 'utf8').trimEnd();
  return Buffer.from(`${text.slice(text.lastIndexOf('\n') + 1)}\n`);
}

/** Fails the run on warnings (an unusable snapshot or checkpoint would make the figures meaningless). */
function assertQuiet(warnings: string[], where: string): void {
  if (warnings.length > 0) throw new Error(`${where}: the store logged ${warnings.join('; ')}`);
}

/** Sequential commands on one instance, interleaved in blocks with the bare loop so disk drift hits both. */
const singleCase: BenchCase = {
  name: 'one instance',
  metrics: [
    {
      name: '1 instance, sequential: commands/s',
      unit: 'cmd/s',
      better: 'higher',
      target: 0.5,
      limit: 'bare writeSync+fdatasyncSync loop, same line',
    },
    {
      name: '1 instance, sequential: execute p50',
      unit: 'µs',
      better: 'lower',
      target: 2,
      limit: 'bare writeSync+fdatasyncSync loop, same line',
    },
    {
      name: '1 instance, sequential: execute p99',
      unit: 'µs',
      better: 'lower',
      limit: 'bare writeSync+fdatasyncSync loop, same line',
    },
  ],
  async run(ctx) {
    const n = ctx.scaled(2000, 100);
    const block = 100;
    const dir = freshDir(ctx, 'single');
    const warnings: string[] = [];
    const store = await openContactStore(dir, { logger: collectingLogger(warnings) });
    const id = contactId(0);
    const handle = store.get(contact, id);
    let appender: BareAppender | null = null;
    const ours: number[] = [];
    const bare: number[] = [];
    try {
      await handle.execute(createCommand(0), CTX);
      for (let i = 0; i < 20; i++) await handle.execute(updateCommand(i), CTX);
      const line = lastLine(streamLog(dir, id));
      appender = new BareAppender(join(dir, 'bare.jsonl'));
      for (let i = 0; i < 20; i++) appender.append(line);
      for (let from = 0; from < n; from += block) {
        const to = Math.min(n, from + block);
        for (let i = from; i < to; i++) bare.push(appender.append(line));
        for (let i = from; i < to; i++) {
          const t = process.hrtime.bigint();
          await handle.execute(updateCommand(i), CTX);
          ours.push(elapsedUs(t));
        }
      }
    } finally {
      appender?.close();
      await store.close();
    }
    assertQuiet(warnings, 'one instance');
    const rate = (lat: number[]): number => lat.length / (lat.reduce((a, b) => a + b, 0) / 1e6);
    const info = { commands: n, snapshotEvery: 100 };
    return {
      '1 instance, sequential: commands/s': { ours: rate(ours), limit: rate(bare), info },
      '1 instance, sequential: execute p50': {
        ours: percentile(ours, 50),
        limit: percentile(bare, 50),
        info,
      },
      '1 instance, sequential: execute p99': {
        ours: percentile(ours, 99),
        limit: percentile(bare, 99),
        info,
      },
    };
  },
};

interface ConcurrentTarget {
  store: AggregateStore;
  warnings: string[];
  /** Open bare files, one per instance of each count. */
  bareFds: Map<number, number[]>;
  line: Buffer;
}

/** One store with the instances of every count created, and the bare files; built once per run. */
function concurrentTarget(ctx: BenchContext): Promise<ConcurrentTarget> {
  return ctx.memo('es-concurrent', async () => {
    const dir = freshDir(ctx, 'concurrent');
    const warnings: string[] = [];
    const store = await openContactStore(dir, { logger: collectingLogger(warnings) });
    const bareFds = new Map<number, number[]>();
    ctx.onDispose(async () => {
      for (const fds of bareFds.values()) for (const fd of fds) closeSync(fd);
      await store.close();
    });
    const ids = INSTANCE_COUNTS.flatMap((count) =>
      Array.from({ length: count }, (_, k) => `n${count}-${k.toString().padStart(4, '0')}`),
    );
    ctx.log(`[es] creating ${ids.length} instances for the concurrent case`);
    await concurrentRate(ids.length, CALLERS, (j) =>
      store.get(contact, ids[j]!).execute(createCommand(j), CTX),
    );
    const line = lastLine(streamLog(dir, ids[0]!));
    const bareDir = join(dir, 'bare');
    for (const count of INSTANCE_COUNTS) {
      bareFds.set(
        count,
        Array.from({ length: count }, (_, k) => openSync(`${bareDir}-${count}-${k}.jsonl`, 'a')),
      );
    }
    return { store, warnings, bareFds, line };
  });
}

const concurrentMetric = (count: number): string => `${count} instance(s), ${CALLERS} callers: commands/s`;

/** Durable commands/s with 64 concurrent callers spread over 1, 8, 64 and 1,000 live instances. */
const concurrentCase: BenchCase = {
  name: 'concurrent',
  metrics: INSTANCE_COUNTS.map((count) => ({
    name: concurrentMetric(count),
    unit: 'cmd/s',
    better: 'higher' as const,
    target: 0.5,
    limit: `bare write + fdatasync (threadpool), ${count} file(s), ${CALLERS} in flight`,
  })),
  async run(ctx) {
    const { store, warnings, bareFds, line } = await concurrentTarget(ctx);
    const total = ctx.scaled(2000, 128);
    const out: Record<string, Sample> = {};
    for (const count of INSTANCE_COUNTS) {
      const handles = Array.from({ length: count }, (_, k) =>
        store.get(contact, `n${count}-${k.toString().padStart(4, '0')}`),
      );
      const limit = await bareConcurrentAppends(bareFds.get(count)!, line, total, CALLERS);
      const ours = await concurrentRate(total, CALLERS, (j) =>
        handles[j % count]!.execute(updateCommand(j), CTX),
      );
      out[concurrentMetric(count)] = { ours, limit, info: { commands: total, callers: CALLERS } };
    }
    assertQuiet(warnings, 'concurrent');
    return out;
  },
};

/** A closed store of imported contacts: the data set of the catch-up and cold-open cases. */
interface ContactStoreDataset {
  dir: string;
  contacts: number;
  events: number;
}

/** The data set, by run: the first bulk repetition keeps its store (or the catch-up case builds one). */
const datasets = new WeakMap<BenchContext, ContactStoreDataset>();

interface ImportResult {
  importRate: number;
  closeMs: number;
}

/**
 * The bulk path: `contacts` new instances, each one `Create` with an import command id, `CALLERS` at a time; then
 * (for the data set only) one four-field edit each; then `close()`.
 */
async function importContacts(
  dir: string,
  contacts: number,
  withEdits: boolean,
): Promise<ImportResult & { events: number }> {
  const warnings: string[] = [];
  const store = await openContactStore(dir, { logger: collectingLogger(warnings) });
  let importRate: number;
  let events = contacts;
  try {
    importRate = await concurrentRate(contacts, CALLERS, (j) =>
      store.get(contact, contactId(j)).execute(createCommand(j), CTX, { commandId: `import:${j}` }),
    );
    if (withEdits) {
      await concurrentRate(contacts, CALLERS, (j) =>
        store.get(contact, contactId(j)).execute(editCommand(j), CTX),
      );
      events += 4 * contacts;
    }
    await store.awaitProjections();
  } catch (err) {
    await store.close();
    throw err;
  }
  const t = process.hrtime.bigint();
  await store.close();
  const closeMs = elapsedUs(t) / 1000;
  assertQuiet(warnings, 'bulk import');
  return { importRate, closeMs, events };
}

function datasetContacts(ctx: BenchContext): number {
  return ctx.scaled(10_000, 200);
}

/** The 10k-contact store (5 events each), built here if no bulk repetition kept one. */
async function dataset(ctx: BenchContext): Promise<ContactStoreDataset> {
  return ctx.memo('es-dataset', async () => {
    const kept = datasets.get(ctx);
    if (kept) return kept;
    const contacts = datasetContacts(ctx);
    const dir = join(ctx.tmp, 'es-10k');
    ctx.log(`[es] building a ${contacts}-contact store`);
    const { events } = await importContacts(dir, contacts, true);
    const ds = { dir, contacts, events };
    datasets.set(ctx, ds);
    return ds;
  });
}

/** 10,000 new instances, one creation command each, 64 at a time, vs N bare files created + synced 64 at a time. */
const bulkCase: BenchCase = {
  name: 'bulk import',
  metrics: [
    {
      name: 'bulk: 10k new instances, 1 command each: events/s',
      unit: 'events/s',
      better: 'higher',
      target: 0.5,
      limit: `bare create + write + fdatasync (threadpool) + close of N files, ${CALLERS} in flight`,
    },
    { name: 'bulk: close() after the import', unit: 'ms', better: 'lower' },
  ],
  async run(ctx) {
    const contacts = datasetContacts(ctx);
    const keep = !datasets.has(ctx);
    const dir = keep ? join(ctx.tmp, 'es-10k') : freshDir(ctx, 'bulk');
    const r = await importContacts(dir, contacts, keep);
    const line = lastLine(streamLog(dir, contactId(0)));
    if (keep) datasets.set(ctx, { dir, contacts, events: r.events });
    else rmSync(dir, { recursive: true, force: true });
    const bareDir = freshDir(ctx, 'bulk-bare');
    const limit = await bareCreateFiles(bareDir, contacts, line, CALLERS);
    rmSync(bareDir, { recursive: true, force: true });
    const info = { contacts, callers: CALLERS, lineBytes: line.length };
    return {
      'bulk: 10k new instances, 1 command each: events/s': { ours: r.importRate, limit, info },
      'bulk: close() after the import': {
        ours: r.closeMs,
        limit: null,
        info: { ...info, perActorUs: Math.round((r.closeMs * 1000) / contacts) },
      },
    };
  },
};

/** Delete the projection checkpoint, open: the time until the projection has read every stream. */
const catchUpCase: BenchCase = {
  name: 'catch-up',
  metrics: [
    {
      name: 'projection catch-up, 10k streams: events/s',
      unit: 'events/s',
      better: 'higher',
      target: 0.5,
      limit: 'bare readdir + readFileSync + split + JSON.parse of every app.jsonl',
    },
  ],
  async run(ctx) {
    const ds = await dataset(ctx);
    const checkpoint = join(ds.dir, 'projections', contactList.name, 'checkpoint.json');
    if (!existsSync(checkpoint)) throw new Error(`no checkpoint at ${checkpoint}`);
    unlinkSync(checkpoint);
    // Untimed: one bare pass first, so that ours and the bare read both find the files in the OS caches (ours ran
    // first on a cold cache, the bare read after it on the cache ours had warmed: a bias of up to 3x).
    bareReadStreams(join(ds.dir, 'streams'), () => undefined);
    const warnings: string[] = [];
    let t = process.hrtime.bigint();
    const store = await openContactStore(ds.dir, { logger: collectingLogger(warnings) });
    let seconds: number;
    let state;
    try {
      await store.projection(contactList).awaitCaughtUp();
      seconds = elapsedUs(t) / 1e6;
      state = store.projection(contactList).state;
    } finally {
      await store.close(); // saves the checkpoint again (the cold-open case needs it)
    }
    if (state.count !== ds.contacts || state.events !== ds.events) {
      throw new Error(
        `catch-up saw ${state.count} contacts and ${state.events} events, expected ${ds.contacts} and ${ds.events}`,
      );
    }
    assertQuiet(warnings, 'catch-up');
    let parsed = 0;
    t = process.hrtime.bigint();
    const bareEvents = bareReadStreams(join(ds.dir, 'streams'), (v) => {
      if ((v as { type: string }).type.length > 0) parsed++;
    });
    const bareSeconds = elapsedUs(t) / 1e6;
    if (bareEvents !== ds.events || parsed !== ds.events)
      throw new Error(`bare read ${bareEvents} events, expected ${ds.events}`);
    return {
      'projection catch-up, 10k streams: events/s': {
        ours: ds.events / seconds,
        limit: ds.events / bareSeconds,
        info: {
          streams: ds.contacts,
          events: ds.events,
          ms: Math.round(seconds * 1000),
          bareMs: Math.round(bareSeconds * 1000),
        },
      },
    };
  },
};

/** Cold open of the 10k-stream store (snapshots, checkpointed projection) in a fresh process: time to first query. */
const coldOpenCase: BenchCase = {
  name: 'cold open',
  metrics: [
    {
      name: 'cold open, 10k streams: open() to first query',
      unit: 'ms',
      better: 'lower',
      target: 2,
      limit: 'bare read + JSON.parse of registry, checkpoint, one snapshot',
    },
    {
      name: 'cold open, 10k streams: peak RSS',
      unit: 'MiB',
      better: 'lower',
      target: 2,
      limit: 'bare reads, same process setup',
    },
  ],
  async run(ctx) {
    const ds = await dataset(ctx);
    const probe = contactId(Math.floor(ds.contacts / 2));
    const bare = await runTsChild<OpenReport>('es-child.ts', ['bare', ds.dir, probe]);
    const ours = await runTsChild<OpenReport>('es-child.ts', ['open', ds.dir, probe]);
    assertQuiet(ours.warnings, 'cold open');
    if (ours.count !== ds.contacts || ours.rev !== bare.rev || bare.count !== ds.contacts) {
      throw new Error(
        `cold open answered ${ours.count} contacts (rev ${ours.rev}), bare ${bare.count} (rev ${bare.rev}), expected ${ds.contacts}`,
      );
    }
    const mib = (kib: number): number => kib / 1024;
    const info = {
      streams: ds.contacts,
      openMs: Math.round(ours.openMs),
      baseMiB: Number(mib(ours.baseKiB).toFixed(1)),
      bareBaseMiB: Number(mib(bare.baseKiB).toFixed(1)),
    };
    return {
      'cold open, 10k streams: open() to first query': { ours: ours.ms, limit: bare.ms, info },
      'cold open, 10k streams: peak RSS': { ours: mib(ours.peakKiB), limit: mib(bare.peakKiB), info },
    };
  },
};

/** The `es` suite. */
export const esSuite: Suite = {
  name: 'es',
  description: 'core/es (one log per aggregate instance) vs the physical limits of this machine',
  cases: () => [singleCase, concurrentCase, bulkCase, catchUpCase, coldOpenCase],
};
