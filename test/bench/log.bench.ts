/**
 * The `log` suite: core/log against the physical limits of this machine (issue 2's benchmarks).
 * Every limit is measured in the same repetition, on the same disk (os.tmpdir()), with the same line bytes.
 * @module
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventReader, EventWriter, View, serializeEvent, type Event } from '../../core/log/index.js';
import { runTsChild } from './child.js';
import { benchEvent, buildLog, buildRepeatedArchive, type LogDataset } from './data.js';
import type { BenchCase, BenchContext, Sample, Suite } from './harness.js';
import { BareAppender, bareBatchThroughput, bareReadLog } from './limits.js';
import type { RssReport } from './rss-child.js';
import { elapsedUs, percentile } from './stats.js';

const MiB = 2 ** 20;

/** A fresh directory for one repetition. */
function freshDir(ctx: BenchContext, prefix: string): string {
  return mkdtempSync(join(ctx.tmp, `${prefix}-`));
}

/** Durable single appends, interleaved in blocks with the bare loop so drift in disk speed hits both. */
const appendCase: BenchCase = {
  name: 'append',
  metrics: [
    {
      name: 'append p50',
      unit: 'µs',
      better: 'lower',
      target: 1.3,
      limit: 'bare writeSync+fdatasyncSync, same line',
    },
    { name: 'append p99', unit: 'µs', better: 'lower', limit: 'bare writeSync+fdatasyncSync, same line' },
  ],
  async run(ctx) {
    const n = ctx.scaled(3000, 100);
    const block = 100;
    const dir = freshDir(ctx, 'append');
    const writer = await EventWriter.open(join(dir, 'log'), { durability: 'always' });
    const events = Array.from({ length: n }, (_, i) => benchEvent(i));
    const lines = events.map((e) => Buffer.from(`${serializeEvent(e)}\n`));
    const appender = new BareAppender(join(dir, 'bare.jsonl'));
    const ours: number[] = [];
    const bare: number[] = [];
    try {
      // Warm-up: first fsyncs of a new file allocate blocks and are slower than the steady state.
      for (let i = 0; i < 20; i++) appender.append(lines[0]!);
      for (let i = 0; i < 20; i++) await writer.append(events[0]!);
      for (let from = 0; from < n; from += block) {
        const to = Math.min(n, from + block);
        for (let i = from; i < to; i++) bare.push(appender.append(lines[i]!));
        for (let i = from; i < to; i++) {
          const t = process.hrtime.bigint();
          await writer.append(events[i]!);
          ours.push(elapsedUs(t));
        }
      }
    } finally {
      appender.close();
      await writer.close();
    }
    const info = { appends: n, lineBytes: lines[0]!.length };
    return {
      'append p50': { ours: percentile(ours, 50), limit: percentile(bare, 50), info },
      'append p99': { ours: percentile(ours, 99), limit: percentile(bare, 99), info },
    };
  },
};

/** Batched durable appends: appendBatch(100) and 100 concurrent appends in group mode, vs one bare write+sync of 100 lines. */
const batchCase: BenchCase = {
  name: 'batch',
  metrics: [
    {
      name: 'appendBatch(100)',
      unit: 'events/s',
      better: 'higher',
      target: 0.5,
      limit: 'bare write of 100 lines + fdatasync',
    },
    {
      name: 'group commit, 100 appends in flight',
      unit: 'events/s',
      better: 'higher',
      target: 0.5,
      limit: 'bare write of 100 lines + fdatasync',
    },
  ],
  async run(ctx) {
    const rounds = ctx.scaled(500, 20);
    const size = 100;
    const dir = freshDir(ctx, 'batch');
    const batch = Array.from({ length: size }, (_, i) => benchEvent(i));
    const joined = Buffer.from(batch.map((e) => `${serializeEvent(e)}\n`).join(''));
    const bareFile = join(dir, 'bare.jsonl');
    bareBatchThroughput(bareFile, joined, size, 5);
    const always = await EventWriter.open(join(dir, 'always'), { durability: 'always' });
    const group = await EventWriter.open(join(dir, 'group'), { durability: 'group' });
    // The disk's sync latency drifts by 2x within seconds on this kind of machine: the limit and ours run in
    // interleaved blocks, so each ratio compares the same stretch of time.
    const blocks = 10;
    const perBlock = Math.max(1, Math.round(rounds / blocks));
    let bareUs = 0;
    let batchUs = 0;
    let groupUs = 0;
    try {
      await always.appendBatch(batch);
      await Promise.all(batch.map((e) => group.append(e)));
      for (let b = 0; b < blocks; b++) {
        bareUs += (perBlock * size * 1e6) / bareBatchThroughput(bareFile, joined, size, perBlock);
        let t = process.hrtime.bigint();
        for (let r = 0; r < perBlock; r++) await always.appendBatch(batch);
        batchUs += elapsedUs(t);
        t = process.hrtime.bigint();
        for (let r = 0; r < perBlock; r++) await Promise.all(batch.map((e) => group.append(e)));
        groupUs += elapsedUs(t);
      }
    } finally {
      await always.close();
      await group.close();
    }
    const events = blocks * perBlock * size;
    const limit = events / (bareUs / 1e6);
    const info = { rounds: blocks * perBlock, blocks, batchBytes: joined.length };
    return {
      'appendBatch(100)': { ours: events / (batchUs / 1e6), limit, info },
      'group commit, 100 appends in flight': { ours: events / (groupUs / 1e6), limit, info },
    };
  },
};

/** The 1M-event log shared by the replay and refresh cases: 90% archived, 10% in the active log. */
function replayDataset(ctx: BenchContext): Promise<LogDataset> {
  return ctx.memo('log-1M', async () => {
    const total = ctx.scaled(1_000_000, 2000);
    const active = Math.round(total / 10);
    ctx.log(`[log] generating a ${total}-event log (${total - active} archived, ${active} active)`);
    const ds = await buildLog(join(ctx.tmp, 'log-1M'), total - active, active);
    ctx.log(
      `[log] ${((ds.archivedBytes + ds.activeBytes) / MiB).toFixed(0)} MiB of JSONL, archive file ${(ds.archiveFileBytes / MiB).toFixed(1)} MiB in ${ds.frames.length} frames`,
    );
    return ds;
  });
}

/** Full replay with a trivial reducer: the callback scan, the async iterator, and the bare loop over the same files. */
const replayCase: BenchCase = {
  name: 'replay',
  metrics: [
    {
      name: 'scanFull + reducer, 1M events',
      unit: 'events/s',
      better: 'higher',
      target: 0.7,
      limit: 'bare zstd decompress + split + JSON.parse, same files',
    },
    {
      name: 'readFull() iterator + reducer, 1M events',
      unit: 'events/s',
      better: 'higher',
      target: 0.7,
      limit: 'bare zstd decompress + split + JSON.parse, same files',
    },
  ],
  async run(ctx) {
    const ds = await replayDataset(ctx);
    const reader = await EventReader.open(ds.dir);
    const rate = (events: number, t: bigint): number => events / (elapsedUs(t) / 1e6);

    let bareN = 0;
    let t = process.hrtime.bigint();
    await bareReadLog(ds, (v) => {
      if ((v as Event).type.length > 0) bareN++;
    });
    const limit = rate(bareN, t);

    let scanN = 0;
    t = process.hrtime.bigint();
    await reader.scanFull((event) => {
      if (event.type.length > 0) scanN++;
    });
    const scan = rate(scanN, t);

    let iterN = 0;
    t = process.hrtime.bigint();
    for await (const { event } of reader.readFull()) if (event.type.length > 0) iterN++;
    const iter = rate(iterN, t);

    if (bareN !== ds.events || scanN !== ds.events || iterN !== ds.events) {
      throw new Error(
        `replay counts differ: expected ${ds.events}, bare ${bareN}, scanFull ${scanN}, readFull ${iterN}`,
      );
    }
    const info = { events: ds.events, mib: Number(((ds.archivedBytes + ds.activeBytes) / MiB).toFixed(1)) };
    return {
      'scanFull + reducer, 1M events': { ours: scan, limit, info },
      'readFull() iterator + reducer, 1M events': { ours: iter, limit, info },
    };
  },
};

interface RefreshTarget {
  writer: EventWriter;
  reader: EventReader;
  view: View<number>;
}

async function openRefreshTarget(ctx: BenchContext, dir: string): Promise<RefreshTarget> {
  const writer = await EventWriter.open(dir, { durability: 'none' });
  ctx.onDispose(() => writer.close());
  const reader = writer.reader();
  const view = new View<number>('count', (n) => n + 1, 0, writer.paths.views);
  await view.refresh(reader); // the first refresh replays everything and writes the snapshot
  return { writer, reader, view };
}

/** One new event, then View.refresh: the cost must follow the new events, not the log's length. */
const refreshCase: BenchCase = {
  name: 'refresh',
  metrics: [
    {
      name: 'View.refresh of 1 new event, 1M-event log',
      unit: 'µs',
      better: 'lower',
      target: 2,
      limit: 'same refresh on a 1k-event log',
    },
  ],
  async run(ctx) {
    const targets = await ctx.memo('refresh-logs', async () => {
      const ds = await replayDataset(ctx);
      const bigDir = join(ctx.tmp, 'refresh-1M');
      cpSync(ds.dir, bigDir, { recursive: true });
      const small = await buildLog(join(ctx.tmp, 'refresh-1k'), 900, 100);
      return { big: await openRefreshTarget(ctx, bigDir), small: await openRefreshTarget(ctx, small.dir) };
    });
    const k = ctx.scaled(200, 20);
    const times = { big: [] as number[], small: [] as number[] };
    for (let i = 0; i < k; i++) {
      for (const which of ['big', 'small'] as const) {
        const { writer, reader, view } = targets[which];
        await writer.append(benchEvent(i));
        const t = process.hrtime.bigint();
        await view.refresh(reader);
        times[which].push(elapsedUs(t));
        if (view.lastRefresh.folded !== 1)
          throw new Error(`refresh folded ${view.lastRefresh.folded} events, not 1`);
      }
    }
    return {
      'View.refresh of 1 new event, 1M-event log': {
        ours: percentile(times.big, 50),
        limit: percentile(times.small, 50),
        info: { refreshes: k, p99_1M: percentile(times.big, 99), p99_1k: percentile(times.small, 99) },
      },
    };
  },
};

/** Peak RSS of a full read of a large archive (1 GB of JSONL at scale 1), each in a fresh child process. */
const rssCase: BenchCase = {
  name: 'rss',
  metrics: [
    {
      name: 'readFull() peak RSS, 1 GB archive',
      unit: 'MiB',
      better: 'lower',
      target: 2,
      limit: 'bare frame-at-a-time read (one 16 MiB frame + parse)',
    },
    {
      name: 'scanFull peak RSS, 1 GB archive',
      unit: 'MiB',
      better: 'lower',
      target: 2,
      limit: 'bare frame-at-a-time read (one 16 MiB frame + parse)',
    },
  ],
  async run(ctx) {
    const file = await ctx.memo('rss-archive', async () => {
      const frames = ctx.scaled(64, 1);
      ctx.log(`[log] writing a ${frames * 16} MiB archive (${frames} frames)`);
      const ds = await buildRepeatedArchive(join(ctx.tmp, 'rss'), frames);
      const path = join(ctx.tmp, 'rss-dataset.json');
      writeFileSync(path, JSON.stringify(ds));
      return path;
    });
    const bare = await runTsChild<RssReport>('rss-child.ts', ['bare', file]);
    const full = await runTsChild<RssReport>('rss-child.ts', ['readFull', file]);
    const scan = await runTsChild<RssReport>('rss-child.ts', ['scanFull', file]);
    if (full.events !== bare.events || scan.events !== bare.events) {
      throw new Error(
        `rss counts differ: bare ${bare.events}, readFull ${full.events}, scanFull ${scan.events}`,
      );
    }
    const mib = (kib: number): number => kib / 1024;
    const sample = (r: RssReport): Sample => ({
      ours: mib(r.peakKiB),
      limit: mib(bare.peakKiB),
      info: {
        archiveMiB: ctx.scaled(64, 1) * 16,
        events: r.events,
        baseMiB: Number(mib(r.baseKiB).toFixed(1)),
        bareBaseMiB: Number(mib(bare.baseKiB).toFixed(1)),
        ms: Math.round(r.ms),
        bareMs: Math.round(bare.ms),
      },
    });
    return {
      'readFull() peak RSS, 1 GB archive': sample(full),
      'scanFull peak RSS, 1 GB archive': sample(scan),
    };
  },
};

/** The `log` suite. */
export const logSuite: Suite = {
  name: 'log',
  description: 'core/log vs the physical limits of this machine',
  cases: () => [appendCase, batchCase, replayCase, refreshCase, rssCase],
};
