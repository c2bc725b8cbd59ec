/**
 * Projections on real store folders: catch-up, checkpoints (format, atomic writes, restart without replay, the
 * Rust 0.2 shape), rebuilds (on demand, on a corrupt or stale checkpoint, on a version bump), read-after-write,
 * the global order, and a projection whose code throws.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  AggregateStore,
  ConsumerStalledError,
  seqOf,
  type AnyProjection,
  type Projection,
  type StoreOptions,
} from '../../core/es/index.js';
import { parseStreamIndex } from '../../core/es/stream-index.js';
import { EventWriter, lineHash, type Logger } from '../../core/log/index.js';
import {
  countedApplies,
  countedTotals,
  counter,
  flakyFault,
  flakyTotals,
  recordingLogger,
  tempDir,
  totals,
  type Totals,
} from './fixtures.js';

interface OpenOptions {
  projections?: AnyProjection[];
  logger?: Logger;
  options?: StoreOptions;
}

function openStore(dir: string, o: OpenOptions = {}): Promise<AggregateStore> {
  const b = AggregateStore.builder(dir).aggregate(counter);
  for (const p of o.projections ?? [totals]) b.projection(p);
  if (o.logger) b.logger(o.logger);
  return b.options(o.options ?? {}).open();
}

/** The `totals` read model folded straight from the logs, in `meta.seq` order (independent of the consumers). */
async function totalsFromLogs(store: AggregateStore): Promise<Totals> {
  const all: {
    streamId: string;
    seq: number;
    event: Awaited<ReturnType<AggregateStore['readEvents']>>[number];
  }[] = [];
  for (const { id } of store.listStreams('counter'))
    for (const event of await store.readEvents('counter', id))
      all.push({ streamId: id, seq: seqOf(event), event });
  all.sort((a, b) => a.seq - b.seq);
  let s = totals.initialState();
  for (const e of all)
    s = totals.apply(s, {
      aggregateType: 'counter',
      streamId: e.streamId,
      stream: `counter/${e.streamId}`,
      seq: e.seq,
      event: e.event,
    });
  return s;
}

function checkpointOf(dir: string, name = 'totals'): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'projections', name, 'checkpoint.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

function appLog(dir: string, id: string): string {
  return join(dir, 'streams', 'counter', id, 'app.jsonl');
}

/** Runs `n` commands on counters c-0..c-(streams-1) all at once. */
async function burst(store: AggregateStore, streams: number, n: number, prefix = 'c'): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      store
        .get(counter, `${prefix}-${i % streams}`)
        .execute(i % 3 === 0 ? { type: 'Add', n: 1 + (i % 4) } : { type: 'Increment' }),
    ),
  );
}

describe('projection catch-up', () => {
  it('processes every event on open, then only new ones, and discovers new streams', async () => {
    const dir = tempDir();
    let s = await openStore(dir, { projections: [] }); // events written before the projection exists
    await s.get(counter, 'c-1').execute({ type: 'Increment' });
    await s.get(counter, 'c-2').execute({ type: 'Add', n: 3 });
    await s.close();

    countedApplies.n = 0;
    s = await openStore(dir, { projections: [countedTotals] });
    expect(countedApplies.n).toBe(4);
    expect(s.projection<Totals>(countedTotals).state).toEqual(await totalsFromLogs(s));
    await s.close();

    s = await openStore(dir, { projections: [] });
    await s.get(counter, 'c-1').execute({ type: 'Increment' });
    await s.get(counter, 'c-3').execute({ type: 'Increment' }); // a stream the checkpoint has never seen
    await s.close();

    countedApplies.n = 0;
    s = await openStore(dir, { projections: [countedTotals] });
    expect(countedApplies.n).toBe(2); // incremental: not 6
    const state = s.projection<Totals>(countedTotals).state;
    expect(state.byId).toEqual({ 'c-1': 2, 'c-2': 3, 'c-3': 1 });
    expect(state).toEqual(await totalsFromLogs(s));
    await s.close();
  });

  it('persists across a restart without a replay', async () => {
    const dir = tempDir();
    let s = await openStore(dir, { projections: [countedTotals] });
    await burst(s, 4, 20);
    await s.projection(countedTotals).awaitCaughtUp();
    const before = structuredClone(s.projection<Totals>(countedTotals).state);
    await s.close();

    countedApplies.n = 0;
    s = await openStore(dir, { projections: [countedTotals] });
    expect(countedApplies.n).toBe(0);
    expect(s.projection<Totals>(countedTotals).state).toEqual(before);
    await s.get(counter, 'c-9').execute({ type: 'Increment' }, {}, { waitForProjections: true });
    expect(countedApplies.n).toBe(1);
    expect(s.projection<Totals>(countedTotals).state).toEqual(await totalsFromLogs(s));
    await s.close();
  });
});

describe('projection checkpoint', () => {
  it('a slow checkpoint is held back so that saving takes at most a twentieth of the time, and is complete after close', async () => {
    // A read model whose checkpoint is large (about 30 MB): writing it takes well over the 20 ms a save may take
    // before it is spaced out.
    const big: Projection<{ n: number; ballast: string }> = {
      name: 'big',
      subscriptions: ['counter'],
      initialState: () => ({ n: 0, ballast: 'x'.repeat(30 << 20) }),
      apply: (st) => ({ ...st, n: st.n + 1 }),
    };
    const dir = tempDir();
    const s = await openStore(dir, { projections: [big], options: { checkpointEvery: 1, checkpointMs: 1 } });
    await s.get(counter, 'c-1').execute({ type: 'Increment' }, {}, { waitForProjections: true });
    const first = checkpointOf(dir, 'big').position;
    expect(first).toBe(s.position); // the first save is not held back
    for (let i = 0; i < 5; i++)
      await s.get(counter, 'c-1').execute({ type: 'Increment' }, {}, { waitForProjections: true });
    expect(checkpointOf(dir, 'big').position).toBe(first); // every event would have saved without the spacing
    await s.close();
    expect(checkpointOf(dir, 'big')).toMatchObject({ position: s.position, state: { n: 6 } });
  });

  it('is {"state","position","version","types"}, written atomically, complete after close; the stream index has where each stream ends', async () => {
    const dir = tempDir();
    const s = await openStore(dir, { options: { checkpointEvery: 1 } });
    await burst(s, 3, 12);
    await s.projection(totals).awaitCaughtUp();
    // Saved while open (checkpointEvery: 1): a whole, parseable file, never a temp file beside it.
    expect(readdirSync(join(dir, 'projections', 'totals'))).toEqual(['checkpoint.json']);
    expect(checkpointOf(dir).position).toBe(s.position);
    await s.get(counter, 'c-7').execute({ type: 'Add', n: 2 });
    await s.projection(totals).awaitCaughtUp();
    const position = s.position;
    const state = structuredClone(s.projection<Totals>(totals).state);
    await s.close();

    expect(readdirSync(join(dir, 'projections', 'totals'))).toEqual(['checkpoint.json']);
    const cp = checkpointOf(dir);
    expect(Object.keys(cp).sort()).toEqual(['position', 'state', 'types', 'version']);
    expect(cp.state).toEqual(state);
    expect(state.total).toBe(8 + (1 + 4 + 3 + 2) + 2); // 8 Increments, Adds of 1,4,3,2 (i = 0,3,6,9), then Add 2
    expect(cp.position).toBe(position);
    expect(cp.version).toBe(1);
    expect(cp.types).toEqual(['counter']);
    // One index for the store, not a cursor per stream in every checkpoint: [offset, hash of the last line, its seq].
    const text = readFileSync(join(dir, 'meta', 'stream-index.json'), 'utf8');
    expect((JSON.parse(text) as { version: number }).version).toBe(2);
    const index = parseStreamIndex(text);
    expect([...index.keys()].sort()).toEqual(['counter/c-0', 'counter/c-1', 'counter/c-2', 'counter/c-7']);
    for (const [key, { offset, hash, lastSeq }] of index) {
      const file = appLog(dir, key.split('/')[1]!);
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(offset).toBe(statSync(file).size);
      expect(hash).toBe(lineHash(lines.at(-1)!));
      expect(lastSeq).toBe((JSON.parse(lines.at(-1)!) as { meta: { seq: number } }).meta.seq);
    }
    expect(Math.max(...[...index.values()].map((e) => e.lastSeq))).toBe(position);
  });

  it('loads a checkpoint written in the Rust 0.2 shape (no position, no version, pretty JSON)', async () => {
    const dir = tempDir();
    let s = await openStore(dir, { projections: [] });
    await s.get(counter, 'c-1').execute({ type: 'Increment' });
    await s.get(counter, 'c-1').execute({ type: 'Increment' });
    await s.get(counter, 'c-1').execute({ type: 'Increment' });
    await s.get(counter, 'c-2').execute({ type: 'Increment' });
    await s.close();
    // The Rust crate's checkpoint: c-1 read up to its second line, c-2 fully; a state that says so.
    const lines = (id: string): string[] => readFileSync(appLog(dir, id), 'utf8').split('\n');
    const c1 = lines('c-1');
    const c2 = lines('c-2');
    const rust = {
      state: { total: 3, byId: { 'c-1': 2, 'c-2': 1 }, order: ['rust'] },
      cursors: {
        'counter/c-1': { offset: Buffer.byteLength(c1[0]! + '\n' + c1[1]! + '\n'), hash: lineHash(c1[1]!) },
        'counter/c-2': { offset: Buffer.byteLength(c2[0]! + '\n'), hash: lineHash(c2[0]!) },
      },
    };
    mkdirSync(join(dir, 'projections', 'counted-totals'), { recursive: true });
    writeFileSync(
      join(dir, 'projections', 'counted-totals', 'checkpoint.json'),
      JSON.stringify(rust, null, 2),
    );

    countedApplies.n = 0;
    const logger = recordingLogger();
    s = await openStore(dir, { projections: [countedTotals], logger });
    expect(logger.messages).toEqual([]);
    expect(countedApplies.n).toBe(1); // only c-1's third event: the cursors were used
    const state = s.projection<Totals>(countedTotals).state;
    expect(state.total).toBe(4);
    expect(state.order[0]).toBe('rust');
    await s.close();
    const cp = checkpointOf(dir, 'counted-totals');
    expect(cp.position).toBeGreaterThan(0);
    expect(cp.version).toBe(1);
  }, 15_000);
});

describe('projection rebuild', () => {
  it('rebuildProjection gives the incrementally maintained state, even while commands run', async () => {
    const dir = tempDir();
    const s = await openStore(dir);
    await burst(s, 5, 40);
    await s.projection(totals).awaitCaughtUp();
    const incremental = structuredClone(s.projection<Totals>(totals).state);
    await s.rebuildProjection(totals);
    expect(s.projection<Totals>(totals).state).toEqual(incremental);

    // A rebuild racing with live commands must neither lose nor repeat an event.
    await Promise.all([burst(s, 5, 40), s.rebuildProjection(totals), burst(s, 7, 30, 'd')]);
    await s.projection(totals).awaitCaughtUp();
    const live = s.projection<Totals>(totals).state;
    expect(live).toEqual(await totalsFromLogs(s));
    await s.rebuildProjection(totals);
    expect(s.projection<Totals>(totals).state).toEqual(live);
    await s.close();
  });

  it('a rebuild asked for while live deliveries are queued neither repeats nor loses an event', async () => {
    const dir = tempDir();
    const s = await openStore(dir);
    await burst(s, 10, 60);
    await s.get(counter, 'big').execute({ type: 'Increment' });
    await s.get(counter, 'small').execute({ type: 'Increment' });
    // A big batch takes its positions first and is durable last, so the small command behind it is released in
    // the same breath. onCommit runs synchronously on each release, after the projection queued it: a rebuild
    // asked for on the big release sits between the two queued live deliveries.
    const rebuilds: Promise<void>[] = [];
    const off = s.onCommit((events) => {
      if (events.length > 1) rebuilds.push(s.rebuildProjection(totals));
    });
    await Promise.all([
      s.get(counter, 'big').execute({ type: 'Add', n: 3000 }),
      s.get(counter, 'small').execute({ type: 'Increment' }),
    ]);
    off();
    expect(rebuilds).toHaveLength(1);
    await Promise.all(rebuilds);
    await s.projection(totals).awaitCaughtUp();
    const state = s.projection<Totals>(totals).state;
    expect(state.byId['small']).toBe(2);
    expect(state).toEqual(await totalsFromLogs(s));
    await s.close();
  });

  it('rebuilds a corrupt checkpoint, with a warning', async () => {
    const dir = tempDir();
    let s = await openStore(dir);
    await burst(s, 3, 10);
    await s.close();
    writeFileSync(join(dir, 'projections', 'totals', 'checkpoint.json'), '{"state": {"total": 1, "by');
    const logger = recordingLogger();
    s = await openStore(dir, { logger });
    expect(s.projection<Totals>(totals).state).toEqual(await totalsFromLogs(s));
    expect(logger.messages.some((m) => m.includes('totals') && m.includes('rebuilding'))).toBe(true);
    await s.close();
    expect(checkpointOf(dir).state).toEqual((await reopenTotals(dir)).state);
  });

  it('rebuilds when a stream lost or changed events it had read (truncated, edited), not when it was rotated', async () => {
    const dir = tempDir();
    let s = await openStore(dir);
    for (const id of ['c-1', 'c-2', 'c-3']) {
      await s.get(counter, id).execute({ type: 'Increment' });
      await s.get(counter, id).execute({ type: 'Increment' });
    }
    await s.close();

    // Truncated: c-1 keeps its first event only.
    const c1 = readFileSync(appLog(dir, 'c-1'), 'utf8');
    truncateSync(appLog(dir, 'c-1'), c1.indexOf('\n') + 1);
    let logger = recordingLogger();
    s = await openStore(dir, { logger });
    await s.streamsVerified();
    let state = s.projection<Totals>(totals).state;
    expect(state.byId).toEqual({ 'c-1': 1, 'c-2': 2, 'c-3': 2 });
    expect(state).toEqual(await totalsFromLogs(s));
    expect(logger.messages.some((m) => m.includes('counter/c-1') && m.includes('rebuilding'))).toBe(true);
    await s.close();

    // Edited by hand: c-2's last event becomes a decrement (a longer line).
    const lines = readFileSync(appLog(dir, 'c-2'), 'utf8').trimEnd().split('\n');
    lines[1] = lines[1]!
      .replace('"Incremented"', '"Decremented"')
      .replace('"data":null', '"data":{"edited":1}');
    writeFileSync(appLog(dir, 'c-2'), lines.join('\n') + '\n');
    logger = recordingLogger();
    s = await openStore(dir, { logger });
    await s.streamsVerified();
    state = s.projection<Totals>(totals).state;
    expect(state.byId).toEqual({ 'c-1': 1, 'c-2': 0, 'c-3': 2 });
    expect(state).toEqual(await totalsFromLogs(s));
    expect(logger.messages.some((m) => m.includes('counter/c-2') && m.includes('rebuilding'))).toBe(true);
    await s.close();

    // Rotated with core/log: c-3's events move to the archive, its active log is empty.
    const w = await EventWriter.open(join(dir, 'streams', 'counter', 'c-3'));
    expect((await w.rotate()).rotated).toBe(true);
    await w.close();
    expect(statSync(appLog(dir, 'c-3')).size).toBe(0);
    logger = recordingLogger();
    s = await openStore(dir, { logger });
    await s.streamsVerified();
    state = s.projection<Totals>(totals).state;
    expect(state.byId).toEqual({ 'c-1': 1, 'c-2': 0, 'c-3': 2 });
    // Its events and positions are all still there (in the archive): nothing to rebuild.
    expect(logger.messages.filter((m) => m.includes('rebuilding'))).toEqual([]);
    expect(s.indexReport.changed).toEqual([]);
    await s.get(counter, 'c-3').execute({ type: 'Increment' }, {}, { waitForProjections: true });
    expect(s.projection<Totals>(totals).state.byId['c-3']).toBe(3);
    expect(s.projection<Totals>(totals).state).toEqual(await totalsFromLogs(s));
    await s.close();
  });

  it('rebuilds when the projection version is bumped, and says so through the logger', async () => {
    const dir = tempDir();
    let s = await openStore(dir, { projections: [countedTotals] });
    await burst(s, 3, 9);
    await s.close();
    countedApplies.n = 0;
    const warnings: string[] = [];
    const logger = { warn: (m: string) => void warnings.push(m) }; // warn only: info is optional
    const v2: AnyProjection = { ...countedTotals, version: 2 };
    s = await openStore(dir, { projections: [v2], logger });
    expect(countedApplies.n).toBe((await totalsFromLogs(s)).order.length); // a full replay
    expect(s.projection<Totals>(v2).state).toEqual(await totalsFromLogs(s));
    expect(warnings.some((m) => m.includes('counted-totals') && m.includes('rebuilding'))).toBe(true);
    await s.close();
    expect(checkpointOf(dir, 'counted-totals').version).toBe(2);
    countedApplies.n = 0;
    s = await openStore(dir, { projections: [v2] });
    expect(countedApplies.n).toBe(0); // the version-2 checkpoint is used
    await s.close();
  });
});

async function reopenTotals(dir: string): Promise<{ state: Totals }> {
  const s = await openStore(dir);
  const state = structuredClone(s.projection<Totals>(totals).state);
  await s.close();
  return { state };
}

describe('read-after-write', () => {
  it('execute with waitForProjections and awaitCaughtUp both show the write', async () => {
    const dir = tempDir();
    const s = await openStore(dir, { projections: [totals, countedTotals] });
    for (let i = 0; i < 10; i++) {
      const r = await s
        .get(counter, `c-${i % 3}`)
        .execute({ type: 'Increment' }, {}, { waitForProjections: true });
      expect(s.projection<Totals>(totals).state.total).toBe(i + 1);
      expect(s.projection<Totals>(countedTotals).state.total).toBe(i + 1);
      expect(s.projection(totals).position).toBeGreaterThanOrEqual(r.position);
    }
    for (let i = 0; i < 10; i++) {
      await s.get(counter, `d-${i % 4}`).execute({ type: 'Add', n: 2 });
      await s.projection(totals).awaitCaughtUp();
      expect(s.projection<Totals>(totals).state.total).toBe(10 + 2 * (i + 1));
    }
    await s.close();
  });
});

describe('global order', () => {
  it('is the order of meta.seq: live, after a rebuild, after a restart', async () => {
    const dir = tempDir();
    let s = await openStore(dir);
    await burst(s, 16, 200);
    await s.projection(totals).awaitCaughtUp();
    const live = structuredClone(s.projection<Totals>(totals).state);
    const fromLogs = await totalsFromLogs(s);
    expect(live.order).toEqual(fromLogs.order);
    const seqs = live.order.map((o) => Number(o.split('#')[1]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(live).toEqual(fromLogs);

    await s.rebuildProjection(totals);
    expect(s.projection<Totals>(totals).state).toEqual(live);
    await s.close();

    s = await openStore(dir);
    expect(s.projection<Totals>(totals).state).toEqual(live);
    await burst(s, 16, 100);
    await s.projection(totals).awaitCaughtUp();
    const after = structuredClone(s.projection<Totals>(totals).state);
    expect(after).toEqual(await totalsFromLogs(s));
    expect(after.order.slice(0, live.order.length)).toEqual(live.order);
    await s.rebuildProjection(totals);
    expect(s.projection<Totals>(totals).state).toEqual(after);
    await s.close();
  });
});

describe('a projection that throws', () => {
  it('does not block execute, stalls with its error and lag, and retries by itself once the fault is gone', async () => {
    const dir = tempDir();
    const logger = recordingLogger();
    flakyFault.on = true;
    try {
      const s = await openStore(dir, {
        projections: [totals, flakyTotals],
        logger,
        options: { retryMs: 10 },
      });
      await s.get(counter, 'c-1').execute({ type: 'Increment' }, {}, { waitForProjections: true });
      expect(s.projection<Totals>(flakyTotals).state.total).toBe(1);

      // The fault: execute still succeeds (even waiting for projections), the others keep up.
      const r = await s
        .get(counter, 'boom-1')
        .execute({ type: 'Increment' }, {}, { waitForProjections: true });
      expect(r.events).toHaveLength(1);
      await expect(s.projection(flakyTotals).awaitCaughtUp()).rejects.toBeInstanceOf(ConsumerStalledError);
      for (let i = 0; i < 5; i++) await s.get(counter, `c-${i}`).execute({ type: 'Increment' });
      await s.projection(totals).awaitCaughtUp();
      expect(s.projection<Totals>(totals).state.total).toBe(7);
      // Between two retries it is briefly catching up again: wait for the stalled report rather than sample it.
      const flaky = () => s.metrics().projections.find((p) => p.name === 'flaky-totals')!;
      await vi.waitFor(() => expect(flaky().status).toBe('stalled'), { timeout: 10_000, interval: 1 });
      expect(flaky().error).toContain('flaky-totals cannot read counter/boom-1');
      expect(flaky().lag).toBeGreaterThan(0);
      expect(s.metrics().projections.find((p) => p.name === 'totals')!.status).toBe('live');
      expect(logger.messages.some((m) => m.includes('flaky-totals'))).toBe(true);
      await expect(s.projection(flakyTotals).awaitCaughtUp()).rejects.toBeInstanceOf(ConsumerStalledError);

      // The fault is gone: it retries by itself and reaches the same state as a rebuild.
      flakyFault.on = false;
      await vi.waitFor(
        () => expect(s.metrics().projections.find((p) => p.name === 'flaky-totals')!.status).toBe('live'),
        {
          timeout: 10_000,
          interval: 10,
        },
      );
      await s.projection(flakyTotals).awaitCaughtUp();
      const healed = structuredClone(s.projection<Totals>(flakyTotals).state);
      expect(healed).toEqual(s.projection<Totals>(totals).state);
      expect(s.metrics().projections.find((p) => p.name === 'flaky-totals')!.lag).toBe(0);
      await s.rebuildProjection(flakyTotals);
      expect(s.projection<Totals>(flakyTotals).state).toEqual(healed);
      await s.close();
    } finally {
      flakyFault.on = false;
    }
  });

  it('stalls on open when it throws during the catch-up, without failing the open or writes', async () => {
    const dir = tempDir();
    let s = await openStore(dir, { projections: [] });
    await s.get(counter, 'boom-1').execute({ type: 'Increment' });
    await s.get(counter, 'c-1').execute({ type: 'Increment' });
    await s.close();
    flakyFault.on = true;
    try {
      s = await openStore(dir, { projections: [flakyTotals], options: { retryMs: 10 } });
      await vi.waitFor(() => expect(s.metrics().projections[0]!.status).toBe('stalled'), {
        timeout: 10_000,
        interval: 1,
      });
      await s.get(counter, 'c-2').execute({ type: 'Increment' }, {}, { waitForProjections: true });
      await expect(s.projection(flakyTotals).awaitCaughtUp()).rejects.toBeInstanceOf(ConsumerStalledError);
      flakyFault.on = false;
      await vi.waitFor(() => expect(s.metrics().projections[0]!.status).toBe('live'), {
        timeout: 10_000,
        interval: 10,
      });
      await s.projection(flakyTotals).awaitCaughtUp();
      expect(s.projection<Totals>(flakyTotals).state).toEqual(await totalsFromLogs(s));
      await s.close();
    } finally {
      flakyFault.on = false;
    }
  });
});
