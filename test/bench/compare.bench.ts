/**
 * The `compare` suite (`npm run bench -- --compare`, issue 6): the same workloads on our engine and on every
 * available peer store, each next to its physical limit. Writes `results/compare.json`.
 * @module
 */
import { compress } from '@mongodb-js/zstd';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_FRAME_INPUT, ZSTD_LEVEL } from '../../core/log/archive.js';
import { serializeEvent } from '../../core/log/index.js';
import { benchEvent } from './data.js';
import type { BenchCase, BenchContext, Metric, Sample, Suite } from './harness.js';
import { BareAppender, bareBatchThroughput, bareParseFile } from './limits.js';
import { PEERS } from './peers/index.js';
import { elapsedUs, percentile } from './stats.js';
import type { Fold, StoreEvent, StoreFactory } from './store.js';
import { eventfoldStore } from './stores/eventfold.js';

/** A workload run on every store, with its limits measured once per repetition. */
interface Workload {
  name: string;
  metrics: Metric[];
  /** Physical limit per metric (`null`: none). */
  limits(ctx: BenchContext): Promise<Record<string, number | null>>;
  /** The workload on one store, per metric. */
  measure(ctx: BenchContext, store: StoreFactory): Promise<Record<string, number>>;
}

/** The `i`-th workload event (the log suite's generated event, without actor). */
export function storeEvent(i: number): StoreEvent {
  const e = benchEvent(i);
  return { type: e.type, data: e.data, ts: e.ts, id: e.id! };
}

function storeEvents(from: number, to: number): StoreEvent[] {
  return Array.from({ length: to - from }, (_, k) => storeEvent(from + k));
}

/** The bytes our engine writes for `events` (the format the limits are measured on). */
function jsonl(events: StoreEvent[]): Buffer {
  return Buffer.from(events.map((e) => `${serializeEvent(e)}\n`).join(''));
}

function freshDir(ctx: BenchContext, label: string): string {
  return mkdtempSync(join(ctx.tmp, `${label}-`));
}

const countFold: Fold<number> = (n, e) => (e.type.length > 0 ? n + 1 : n);
const perSecond = (n: number, t: bigint): number => n / (elapsedUs(t) / 1e6);

const singleAppend: Workload = {
  name: 'single append',
  metrics: [
    {
      name: 'durable append p50, 1 stream',
      unit: 'µs',
      better: 'lower',
      target: 1.3,
      limit: 'bare write+fdatasync',
    },
    { name: 'durable append p99, 1 stream', unit: 'µs', better: 'lower', limit: 'bare write+fdatasync' },
  ],
  limits(ctx) {
    const n = ctx.scaled(2000, 100);
    const line = jsonl([storeEvent(0)]);
    const appender = new BareAppender(join(freshDir(ctx, 'bare'), 'bare.jsonl'));
    try {
      for (let i = 0; i < 20; i++) appender.append(line);
      const t = Array.from({ length: n }, () => appender.append(line));
      return Promise.resolve({
        'durable append p50, 1 stream': percentile(t, 50),
        'durable append p99, 1 stream': percentile(t, 99),
      });
    } finally {
      appender.close();
    }
  },
  async measure(ctx, factory) {
    const n = ctx.scaled(2000, 100);
    const store = await factory.open(freshDir(ctx, factory.name));
    const times: number[] = [];
    try {
      for (let i = 0; i < 20; i++) await store.append('s-0', [storeEvent(i)]);
      for (let i = 0; i < n; i++) {
        const e = storeEvent(i);
        const t = process.hrtime.bigint();
        await store.append('s-0', [e]);
        times.push(elapsedUs(t));
      }
    } finally {
      await store.close();
    }
    return {
      'durable append p50, 1 stream': percentile(times, 50),
      'durable append p99, 1 stream': percentile(times, 99),
    };
  },
};

const STREAM_COUNTS = [1, 8, 64, 1000];
const CALLERS = 64;

const commands: Workload = {
  name: 'commands',
  metrics: STREAM_COUNTS.map((s) => ({
    name: `commands/s, ${s} stream${s > 1 ? 's' : ''}, ${CALLERS} callers`,
    unit: 'events/s',
    better: 'higher' as const,
    target: 0.5,
    limit: `bare write of ${CALLERS} lines + fdatasync`,
  })),
  limits(ctx) {
    const batch = jsonl(storeEvents(0, CALLERS));
    const file = join(freshDir(ctx, 'bare'), 'bare.jsonl');
    const rate = bareBatchThroughput(file, batch, CALLERS, Math.ceil(ctx.scaled(10_000, 640) / CALLERS));
    return Promise.resolve(Object.fromEntries(this.metrics.map((m) => [m.name, rate])));
  },
  async measure(ctx, factory) {
    const out: Record<string, number> = {};
    const total = ctx.scaled(10_000, 640);
    for (const [k, streams] of STREAM_COUNTS.entries()) {
      const store = await factory.open(freshDir(ctx, factory.name));
      try {
        // Untimed: create every stream (opening a log or a table row is not what this measures).
        for (let s = 0; s < streams; s++) await store.append(`s-${s}`, [storeEvent(s)]);
        let next = 0;
        const caller = async (): Promise<void> => {
          for (let i = next++; i < total; i = next++) await store.append(`s-${i % streams}`, [storeEvent(i)]);
        };
        const t = process.hrtime.bigint();
        await Promise.all(Array.from({ length: CALLERS }, caller));
        out[this.metrics[k]!.name] = perSecond(total, t);
      } finally {
        await store.close();
      }
    }
    return out;
  },
};

const BULK_BATCH = 1000;

const bulkImport: Workload = {
  name: 'bulk import',
  metrics: [
    {
      name: `bulk import 100k events, batches of ${BULK_BATCH}`,
      unit: 'events/s',
      better: 'higher',
      target: 0.5,
      limit: `bare write of ${BULK_BATCH} lines + fdatasync`,
    },
  ],
  limits(ctx) {
    const rounds = Math.ceil(ctx.scaled(100_000, 2000) / BULK_BATCH);
    const file = join(freshDir(ctx, 'bare'), 'bare.jsonl');
    const rate = bareBatchThroughput(file, jsonl(storeEvents(0, BULK_BATCH)), BULK_BATCH, rounds);
    return Promise.resolve({ [this.metrics[0]!.name]: rate });
  },
  async measure(ctx, factory) {
    const rounds = Math.ceil(ctx.scaled(100_000, 2000) / BULK_BATCH);
    const batches = Array.from({ length: rounds }, (_, r) =>
      storeEvents(r * BULK_BATCH, (r + 1) * BULK_BATCH),
    );
    const store = await factory.open(freshDir(ctx, factory.name));
    try {
      const t = process.hrtime.bigint();
      for (const b of batches) await store.append('s-0', b);
      return { [this.metrics[0]!.name]: perSecond(rounds * BULK_BATCH, t) };
    } finally {
      await store.close();
    }
  },
};

/** Events in the replay/reopen store: 1M at scale 1. */
function replayCount(ctx: BenchContext): number {
  return ctx.scaled(1_000_000, 2000);
}

/** A store holding the replay events in stream `s-0`, loaded once per store and run; returns its directory. */
function loadedStore(ctx: BenchContext, factory: StoreFactory): Promise<string> {
  return ctx.memo(`loaded-${factory.name}`, async () => {
    const n = replayCount(ctx);
    ctx.log(`[compare] loading ${n} events into ${factory.name}`);
    const dir = freshDir(ctx, `${factory.name}-1M`);
    const store = await factory.open(dir);
    try {
      for (let i = 0; i < n; i += 100_000) await store.load('s-0', storeEvents(i, Math.min(n, i + 100_000)));
    } finally {
      await store.close();
    }
    return dir;
  });
}

/** One row of the contact list: the latest value of each field, and the revision and time of the last change. */
type Contact = Record<string, string | number>;

/** A fold like the CRM's contact-list projection: one record per contact, field-by-field updates applied. */
const contactListFold: Fold<Map<string, Contact>> = (list, e) => {
  if (e.type !== 'contact_updated') return list;
  const d = e.data as { contactId: string; field: string; value: string; rev: number };
  let c = list.get(d.contactId);
  if (!c) list.set(d.contactId, (c = { id: d.contactId }));
  c[d.field] = d.value;
  c.rev = d.rev;
  c.updatedAt = e.ts;
  return list;
};

/** The replay events as our JSONL bytes in one file (the limits' input), written once per run. */
function replayFile(ctx: BenchContext): Promise<string> {
  return ctx.memo('replay-jsonl', () => {
    const path = join(ctx.tmp, 'replay.jsonl');
    const n = replayCount(ctx);
    for (let i = 0; i < n; i += 100_000) {
      writeFileSync(path, jsonl(storeEvents(i, Math.min(n, i + 100_000))), { flag: i === 0 ? 'w' : 'a' });
    }
    return Promise.resolve(path);
  });
}

const TRIVIAL = 'full replay 1M events, trivial fold';
const CONTACTS = 'full replay 1M events, contact-list fold';

const replay: Workload = {
  name: 'replay',
  metrics: [
    {
      name: TRIVIAL,
      unit: 'events/s',
      better: 'higher',
      target: 0.7,
      limit: 'bare split + JSON.parse of the JSONL',
    },
    {
      name: CONTACTS,
      unit: 'events/s',
      better: 'higher',
      target: 0.7,
      limit: 'bare split + JSON.parse + same fold',
    },
  ],
  async limits(ctx) {
    const file = await replayFile(ctx);
    let count = 0;
    let t = process.hrtime.bigint();
    bareParseFile(file, (v) => {
      if ((v as StoreEvent).type.length > 0) count++;
    });
    const trivial = perSecond(count, t);
    let list = new Map<string, Contact>();
    t = process.hrtime.bigint();
    bareParseFile(file, (v) => {
      list = contactListFold(list, v as StoreEvent);
    });
    return { [TRIVIAL]: trivial, [CONTACTS]: perSecond(count, t) };
  },
  async measure(ctx, factory) {
    const dir = await loadedStore(ctx, factory);
    const n = replayCount(ctx);
    const store = await factory.open(dir);
    try {
      let t = process.hrtime.bigint();
      const count = await store.replay(countFold, 0);
      const trivial = perSecond(count, t);
      if (count !== n) throw new Error(`${factory.name} replayed ${count} events, not ${n}`);
      t = process.hrtime.bigint();
      const list = await store.replay(contactListFold, new Map<string, Contact>());
      const contacts = perSecond(n, t);
      if (list.size !== Math.min(n, 5000)) throw new Error(`${factory.name} folded ${list.size} contacts`);
      return { [TRIVIAL]: trivial, [CONTACTS]: contacts };
    } finally {
      await store.close();
    }
  },
};

const REOPEN = 'reopen + first query, 1M events with snapshot';

const reopen: Workload = {
  name: 'reopen',
  metrics: [
    {
      name: REOPEN,
      unit: 'ms',
      better: 'lower',
      limit: 'bare read + JSON.parse of a snapshot, stat of the log',
    },
  ],
  async limits(ctx) {
    // What a reopen cannot avoid: read the snapshot, parse it, and learn that the log has nothing newer.
    const log = await replayFile(ctx);
    const snap = join(ctx.tmp, 'bare.snapshot.json');
    writeFileSync(
      snap,
      JSON.stringify({ state: replayCount(ctx), offset: statSync(log).size, hash: 'x'.repeat(16) }),
    );
    const t = process.hrtime.bigint();
    const s = JSON.parse(readFileSync(snap, 'utf8')) as { offset: number };
    if (statSync(log).size !== s.offset) throw new Error('bare reopen: log and snapshot disagree');
    return { [REOPEN]: elapsedUs(t) / 1000 };
  },
  async measure(ctx, factory) {
    const dir = await loadedStore(ctx, factory);
    await ctx.memo(`snapshot-${factory.name}`, async () => {
      const store = await factory.open(dir);
      try {
        await store.project('count', 's-0', countFold, () => 0);
      } finally {
        await store.close();
      }
    });
    const t = process.hrtime.bigint();
    const store = await factory.open(dir);
    try {
      const n = await store.project('count', 's-0', countFold, () => 0);
      const ms = elapsedUs(t) / 1000;
      if (n !== replayCount(ctx))
        throw new Error(`${factory.name} projected ${n} events, not ${replayCount(ctx)}`);
      return { [REOPEN]: ms };
    } finally {
      await store.close();
    }
  },
};

const disk: Workload = {
  name: 'disk',
  metrics: [
    { name: 'disk bytes/event, active', unit: 'B', better: 'lower', limit: 'the JSONL line' },
    { name: 'disk bytes/event, archived', unit: 'B', better: 'lower', limit: 'bare zstd -3 of the JSONL' },
  ],
  async limits(ctx) {
    const raw = jsonl(storeEvents(0, ctx.scaled(100_000, 1000)));
    let zBytes = 0;
    for (let i = 0; i < raw.length; i += MAX_FRAME_INPUT) {
      zBytes += (await compress(raw.subarray(i, i + MAX_FRAME_INPUT), ZSTD_LEVEL)).length;
    }
    const n = ctx.scaled(100_000, 1000);
    return { 'disk bytes/event, active': raw.length / n, 'disk bytes/event, archived': zBytes / n };
  },
  async measure(ctx, factory) {
    const n = ctx.scaled(100_000, 1000);
    const store = await factory.open(freshDir(ctx, factory.name));
    try {
      await store.load('s-0', storeEvents(0, n));
      const active = store.diskBytes() / n;
      const archived = (await store.archive()) ? store.diskBytes() / n : active;
      return { 'disk bytes/event, active': active, 'disk bytes/event, archived': archived };
    } finally {
      await store.close();
    }
  },
};

const WORKLOADS = [singleAppend, commands, bulkImport, replay, reopen, disk];

function workloadCase(w: Workload, peers: StoreFactory[]): BenchCase {
  return {
    name: w.name,
    metrics: w.metrics,
    async run(ctx) {
      const limits = await w.limits(ctx);
      const ours = await w.measure(ctx, eventfoldStore);
      const peerValues: Record<string, Record<string, number>> = {};
      for (const p of peers) peerValues[p.name] = await w.measure(ctx, p);
      const out: Record<string, Sample> = {};
      for (const m of w.metrics) {
        const peersOf: Record<string, number> = {};
        for (const p of peers) peersOf[p.name] = peerValues[p.name]![m.name]!;
        out[m.name] = { ours: ours[m.name]!, limit: limits[m.name] ?? null, peers: peersOf };
      }
      return out;
    },
  };
}

/** The `compare` suite: our engine and every available peer through the same workloads. */
export const compareSuite: Suite = {
  name: 'compare',
  description: 'our engine vs peer stores and the physical limits, same workloads',
  async cases(ctx) {
    const peers: StoreFactory[] = [];
    // BENCH_PEERS=sqlite,emmett runs only those peers (e.g. the slow ones at a smaller scale in a separate run).
    const only = process.env.BENCH_PEERS?.split(',').filter(Boolean);
    for (const p of PEERS) {
      if (only && !only.includes(p.name)) {
        ctx.log(`[compare] peer ${p.name} left out: not in BENCH_PEERS`);
        continue;
      }
      const why = await p.unavailable();
      if (why === null) peers.push(p);
      else ctx.log(`[compare] peer ${p.name} left out: ${why}`);
    }
    return WORKLOADS.map((w) => workloadCase(w, peers));
  },
};
