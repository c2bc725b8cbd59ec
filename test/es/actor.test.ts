/**
 * The actor of an instance on real temp dirs: strict order under concurrency, atomic multi-event commands (and
 * the rollback of a half-written one after a crash), domain errors, idle eviction and respawn, snapshots.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AggregateStore, DomainError, type Aggregate, type StoreOptions } from '../../core/es/index.js';
import { InvalidEventError, initHasher, lineHash, type Event } from '../../core/log/index.js';
import { RecordingLogger } from '../helpers/logger.js';
import { counter, tempDir, totals, type Totals } from './fixtures.js';

const streamDir = (dir: string, id: string): string => join(dir, 'streams/counter', id);
const logFile = (dir: string, id: string): string => join(streamDir(dir, id), 'app.jsonl');
const rawLines = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
const parsed = (file: string): (Event & { more?: boolean })[] =>
  rawLines(file).map((l) => JSON.parse(l) as Event & { more?: boolean });

const open = (dir: string, opts: StoreOptions = {}, logger?: RecordingLogger): Promise<AggregateStore> => {
  const b = AggregateStore.builder(dir).aggregate(counter).options(opts);
  if (logger) b.logger(logger);
  return b.open();
};

/** Waits (without a fixed delay) until `cond` holds; fails after `ms`. */
async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('strict order on one instance, concurrency across instances', () => {
  it('200 concurrent executes on one instance all apply, in call order, with no lost update', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const h = store.get(counter, 'hot');
    const results = await Promise.all(Array.from({ length: 200 }, () => h.execute({ type: 'Increment' })));
    expect(results.map((r) => r.version)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const positions = results.map((r) => r.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(200);
    expect(await h.state()).toEqual({ value: 200 });
    await store.close();
    const seqs = parsed(logFile(dir, 'hot')).map((e) => e.meta!.seq as number);
    expect(seqs).toEqual(positions);
  });

  it('concurrent commands that depend on state are decided one after another (no stale decide)', async () => {
    const store = await open(tempDir());
    const h = store.get(counter, 'c');
    await h.execute({ type: 'Add', n: 3 });
    // 10 decrements against a value of 3: exactly 3 succeed, 7 are refused with AT_ZERO.
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, () => h.execute({ type: 'Decrement' })),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(3);
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(refused).toHaveLength(7);
    for (const r of refused) expect((r.reason as DomainError).code).toBe('AT_ZERO');
    expect(await h.state()).toEqual({ value: 0 });
    await store.close();
  });

  it('many instances in parallel each end with exactly their own commands', async () => {
    const dir = tempDir();
    const store = await AggregateStore.builder(dir).aggregate(counter).projection(totals).open();
    const ids = Array.from({ length: 40 }, (_, i) => `c-${i}`);
    await Promise.all(
      ids.flatMap((id, i) =>
        Array.from({ length: 1 + (i % 5) }, () => store.get(counter, id).execute({ type: 'Add', n: 2 })),
      ),
    );
    for (const [i, id] of ids.entries()) {
      expect(await store.get(counter, id).state()).toEqual({ value: 2 * (1 + (i % 5)) });
      expect(await store.get(counter, id).version()).toBe(2 * (1 + (i % 5)));
    }
    expect(store.list(counter)).toEqual([...ids].sort());
    await store.projection(totals).awaitCaughtUp();
    expect(store.projection<Totals>(totals).state.total).toBe(
      ids.reduce((s, _, i) => s + 2 * (1 + (i % 5)), 0),
    );
    // Global positions are unique across the store, and increasing within each stream.
    await store.close();
    const all: number[] = [];
    for (const id of ids) {
      const seqs = parsed(logFile(dir, id)).map((e) => e.meta!.seq as number);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      all.push(...seqs);
    }
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('a command is one atomic batch', () => {
  it('the events of one command are one batch: every line but the last carries "more":true', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const h = store.get(counter, 'b');
    await h.execute({ type: 'Add', n: 3 });
    await h.execute({ type: 'Increment' });
    await h.execute({ type: 'Add', n: 2 });
    await store.close();
    const lines = parsed(logFile(dir, 'b'));
    expect(lines.map((l) => [l.type, l.more === true])).toEqual([
      ['Added', true],
      ['Added', true],
      ['Added', false],
      ['Incremented', false],
      ['Added', true],
      ['Added', false],
    ]);
    for (const l of lines) if (!l.more) expect('more' in l).toBe(false);
    // The marker is a storage detail: readers never see it.
    const again = await open(dir);
    for (const e of await again.readEvents('counter', 'b')) expect('more' in e).toBe(false);
    await again.close();
  });

  for (const cut of ['after the first line', 'in the middle of the second line', 'before the last newline']) {
    it(`a crash ${cut} of a batch rolls the whole command back on reopen`, async () => {
      const dir = tempDir();
      let store = await AggregateStore.builder(dir).aggregate(counter).projection(totals).open();
      await store.get(counter, 'b').execute({ type: 'Increment' });
      await store.close();
      // The snapshots as they were before the batch (a crash mid-batch leaves them there).
      const views = join(streamDir(dir, 'b'), 'views');
      const saved = join(dir, 'saved-views');
      mkdirSync(saved);
      for (const f of ['state.snapshot.json', 'es.snapshot.json'])
        copyFileSync(join(views, f), join(saved, f));
      const before = statSync(logFile(dir, 'b')).size;

      store = await AggregateStore.builder(dir).aggregate(counter).projection(totals).open();
      await store.get(counter, 'b').execute({ type: 'Add', n: 3 });
      await store.close();
      const lines = rawLines(logFile(dir, 'b'));
      expect(lines).toHaveLength(4);
      const first = before + Buffer.byteLength(lines[1]!) + 1;
      const size =
        cut === 'after the first line'
          ? first
          : cut === 'in the middle of the second line'
            ? first + 20
            : statSync(logFile(dir, 'b')).size - 1; // the last line without its newline
      truncateSync(logFile(dir, 'b'), size);
      for (const f of ['state.snapshot.json', 'es.snapshot.json'])
        copyFileSync(join(saved, f), join(views, f));
      rmSync(join(dir, 'projections'), { recursive: true }); // its checkpoint is from after the batch

      store = await AggregateStore.builder(dir).aggregate(counter).projection(totals).open();
      const h = store.get(counter, 'b');
      expect(await h.state()).toEqual({ value: 1 });
      expect(await h.version()).toBe(1);
      expect((await store.readEvents('counter', 'b')).map((e) => e.type)).toEqual(['Incremented']);
      await store.projection(totals).awaitCaughtUp();
      expect(store.projection<Totals>(totals).state.total).toBe(1);
      // The stream is writable again at once, and the next command is whole.
      const r = await h.execute({ type: 'Add', n: 2 });
      expect(r.version).toBe(3);
      expect(await h.state()).toEqual({ value: 3 });
      await store.close();
      expect(parsed(logFile(dir, 'b')).map((l) => [l.type, l.more === true])).toEqual([
        ['Incremented', false],
        ['Added', true],
        ['Added', false],
      ]);
    });
  }

  it('a crash that leaves the snapshots behind the torn batch rebuilds from the log (snapshot beyond the end)', async () => {
    const dir = tempDir();
    let store = await open(dir);
    await store.get(counter, 'b').execute({ type: 'Increment' });
    await store.get(counter, 'b').execute({ type: 'Add', n: 4 });
    await store.close();
    const lines = rawLines(logFile(dir, 'b'));
    truncateSync(logFile(dir, 'b'), Buffer.byteLength(lines[0]!) + 1 + Buffer.byteLength(lines[1]!) + 1);
    const logger = new RecordingLogger();
    store = await open(dir, {}, logger);
    expect(await store.get(counter, 'b').state()).toEqual({ value: 1 });
    expect(await store.get(counter, 'b').version()).toBe(1);
    await store.close();
  });
});

describe('domain errors', () => {
  it('a DomainError passes through as is and writes nothing', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const h = store.get(counter, 'z');
    const err = await h.execute({ type: 'Decrement' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('AT_ZERO');
    expect(existsSync(streamDir(dir, 'z'))).toBe(false);
    expect(store.list(counter)).toEqual([]);

    await h.execute({ type: 'Increment' });
    const size = statSync(logFile(dir, 'z')).size;
    const position = store.position;
    await h.execute({ type: 'Decrement' });
    await expect(h.execute({ type: 'Decrement' })).rejects.toMatchObject({ code: 'AT_ZERO' });
    expect(statSync(logFile(dir, 'z')).size).toBeGreaterThan(size);
    const size2 = statSync(logFile(dir, 'z')).size;
    await expect(h.execute({ type: 'Decrement' }, {}, { commandId: 'k' })).rejects.toBeInstanceOf(
      DomainError,
    );
    expect(statSync(logFile(dir, 'z')).size).toBe(size2);
    expect(await h.version()).toBe(2);
    expect(store.position).toBe(position + 1);
    expect(store.metrics().rejected).toBe(3);
    // A refused command id leaves no trace: the same id may succeed later.
    await h.execute({ type: 'Increment' });
    const r = await h.execute({ type: 'Decrement' }, {}, { commandId: 'k' });
    expect(r.duplicate).toBe(false);
    await store.close();
  });

  it('an evolve that throws on a new event writes nothing and leaves the state as it was', async () => {
    const dir = tempDir();
    const fragile = {
      ...counter,
      type: 'fragile',
      evolve: (s: { value: number }, e: { type: string }) => {
        if (e.type === 'Decremented') throw new Error('reducer bug');
        return counter.evolve(s, e as never);
      },
    };
    const store = await AggregateStore.builder(dir).aggregate(fragile).open();
    const h = store.get(fragile, 'f');
    await h.execute({ type: 'Add', n: 2 });
    await expect(h.execute({ type: 'Decrement' })).rejects.toThrow(/reducer bug/);
    expect(await h.state()).toEqual({ value: 2 });
    expect(await h.version()).toBe(2);
    await store.close();
    expect(rawLines(join(dir, 'streams/fragile/f/app.jsonl'))).toHaveLength(2);
  });
  it('an event that cannot be written as JSON is refused, creates no stream, and later positions go on', async () => {
    const dir = tempDir();
    type Bad = { type: 'Bad'; data: unknown };
    const unwritable: Aggregate<null, { data: unknown }, Bad> = {
      type: 'unwritable',
      initialState: () => null,
      decide: (_s, c) => [{ type: 'Bad', data: c.data }],
      evolve: (s) => s,
    };
    const store = await AggregateStore.builder(dir).aggregate(counter).aggregate(unwritable).open();
    await store.get(counter, 'c').execute({ type: 'Increment' });
    const position = store.position;
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const data of [10n, cyclic]) {
      await expect(store.get(unwritable, 'u').execute({ data })).rejects.toBeInstanceOf(InvalidEventError);
    }
    expect(store.list(unwritable)).toEqual([]);
    expect(existsSync(join(dir, 'streams/unwritable'))).toBe(false);
    expect(readFileSync(join(dir, 'meta/streams.jsonl'), 'utf8')).not.toContain('unwritable');
    // On an existing stream too: nothing written, the stream and the positions go on.
    await store.get(unwritable, 'u').execute({ data: 1 });
    const size = statSync(join(dir, 'streams/unwritable/u/app.jsonl')).size;
    await expect(store.get(unwritable, 'u').execute({ data: 2n })).rejects.toBeInstanceOf(InvalidEventError);
    expect(statSync(join(dir, 'streams/unwritable/u/app.jsonl')).size).toBe(size);
    expect(await store.get(unwritable, 'u').version()).toBe(1);
    const r = await store.get(counter, 'c').execute({ type: 'Increment' });
    expect(r.position).toBeGreaterThan(position);
    expect(store.position).toBe(r.position);
    await store.close();
    const again = await AggregateStore.builder(dir).aggregate(counter).aggregate(unwritable).open();
    expect(again.listStreams()).toEqual([
      { type: 'counter', id: 'c' },
      { type: 'unwritable', id: 'u' },
    ]);
    await again.close();
  });
});

describe('commands queued on one instance share one write and one sync', () => {
  /** Lines that end a batch (the last line of each atomic write). */
  const batchEnds = (file: string): number => parsed(file).filter((e) => e.more !== true).length;

  it('64 concurrent commands take far fewer writes than commands, and each resolves with its own version', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const h = store.get(counter, 'hot');
    await h.execute({ type: 'Increment' }); // the stream exists: the next ones queue behind one write
    const results = await Promise.all(Array.from({ length: 64 }, () => h.execute({ type: 'Add', n: 2 })));
    expect(results.map((r) => r.version)).toEqual(Array.from({ length: 64 }, (_, i) => 3 + 2 * i));
    expect(results.map((r) => r.events.length)).toEqual(Array(64).fill(2));
    expect(await h.state()).toEqual({ value: 129 });
    await store.close();
    const lines = parsed(logFile(dir, 'hot'));
    expect(lines).toHaveLength(129);
    const seqs = lines.map((e) => e.meta!.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // Grouped: one batch (write + sync) carries the commands that queued meanwhile.
    expect(batchEnds(logFile(dir, 'hot'))).toBeLessThan(20);
    // Each command's events are whole inside a batch, and every result's position is its last event's.
    const bySeq = new Map(lines.map((e) => [e.meta!.seq as number, e]));
    for (const r of results) expect(bySeq.get(r.position)?.type).toBe('Added');
    // The grouped log reopens to the same state.
    const again = await open(dir);
    expect(await again.get(counter, 'hot').state()).toEqual({ value: 129 });
    await again.close();
  });

  it('a refused command, a version conflict and a no-op in a group fail or pass alone', async () => {
    const store = await open(tempDir());
    const h = store.get(counter, 'g');
    await h.execute({ type: 'Increment' });
    const settled = await Promise.allSettled([
      h.execute({ type: 'Decrement' }), // 1 -> 0
      h.execute({ type: 'Decrement' }), // refused: at zero (decided on the state the first left)
      h.execute({ type: 'Increment' }, {}, { expectedVersion: 2 }), // right: version 2 after the first
      h.execute({ type: 'Increment' }, {}, { expectedVersion: 2 }), // stale now
      h.execute({ type: 'Noop' }),
      h.execute({ type: 'Increment' }),
    ]);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const value = (i: number) => (settled[i] as PromiseFulfilledResult<{ version: number }>).value.version;
    expect([value(0), value(2), value(4), value(5)]).toEqual([2, 3, 3, 4]);
    expect(((settled[1] as PromiseRejectedResult).reason as DomainError).code).toBe('AT_ZERO');
    expect((settled[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(await h.state()).toEqual({ value: 2 });
    await store.close();
  });

  it('a command id repeated inside one group writes once and both callers get the same result', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const h = store.get(counter, 'd');
    await h.execute({ type: 'Increment' });
    const [a, b, c] = await Promise.all([
      h.execute({ type: 'Add', n: 2 }, {}, { commandId: 'once' }),
      h.execute({ type: 'Add', n: 2 }, {}, { commandId: 'once' }),
      h.execute({ type: 'Increment' }),
    ]);
    expect([a!.duplicate, b!.duplicate, c!.duplicate]).toEqual([false, true, false]);
    expect(b!.version).toBe(a!.version);
    expect(b!.position).toBe(a!.position);
    expect(await h.state()).toEqual({ value: 4 });
    await store.close();
    expect(rawLines(logFile(dir, 'd'))).toHaveLength(4);
  });

  it('an event the log cannot write fails only its own command; the rest of the group is written', async () => {
    type Item = { type: 'Set'; data: unknown };
    const box: Aggregate<unknown[], { data: unknown }, Item> = {
      type: 'box',
      initialState: () => [],
      decide: (_s, c) => [{ type: 'Set', data: c.data }],
      evolve: (s, e) => [...s, e.data],
    };
    const dir = tempDir();
    const store = await AggregateStore.builder(dir).aggregate(box).open();
    const h = store.get(box, 'b');
    await h.execute({ data: 0 });
    const settled = await Promise.allSettled([
      h.execute({ data: 1 }),
      h.execute({ data: 2n }),
      h.execute({ data: 3 }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidEventError);
    expect(await h.state()).toEqual([0, 1, 3]);
    await store.close();
    expect(parsed(join(dir, 'streams/box/b/app.jsonl')).map((e) => e.data)).toEqual([0, 1, 3]);
  });
});

describe('idle eviction', () => {
  it('an idle actor is evicted and the next command re-spawns it with the right state', async () => {
    const dir = tempDir();
    // No warm states kept: the evicted actor saves its snapshots, and the next one loads them.
    const store = await open(dir, { idleTimeoutMs: 20, maxWarmActors: 0 });
    const h = store.get(counter, 'e');
    await h.execute({ type: 'Add', n: 2 });
    // The store's lock covers its streams: none has a lock folder of its own.
    const lock = join(streamDir(dir, 'e'), 'app.jsonl.lock');
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(join(dir, 'meta/store.lock'))).toBe(true);
    await until(() => store.metrics().actors === 0);
    expect(store.metrics().evictions).toBe(1);
    // Evicted at close of its actor: the snapshots are saved.
    const snap = JSON.parse(readFileSync(join(streamDir(dir, 'e'), 'views/state.snapshot.json'), 'utf8')) as {
      state: unknown;
    };
    expect(snap.state).toEqual({ value: 2 });
    const es = JSON.parse(readFileSync(join(streamDir(dir, 'e'), 'views/es.snapshot.json'), 'utf8')) as {
      state: { version: number };
    };
    expect(es.state.version).toBe(2);
    // The same handle keeps working.
    const r = await h.execute({ type: 'Increment' });
    expect(r.version).toBe(3);
    expect(await h.state()).toEqual({ value: 3 });
    await store.close();
    expect(existsSync(join(dir, 'meta/store.lock'))).toBe(false);
  });

  it('commands arriving while the actor is being evicted are not lost', async () => {
    const dir = tempDir();
    const store = await open(dir, { idleTimeoutMs: 1 });
    const h = store.get(counter, 'race');
    let expected = 0;
    for (let round = 0; round < 25; round++) {
      await h.execute({ type: 'Increment' });
      expected++;
      const evictions = store.metrics().evictions;
      // Spin on the event loop until the eviction has started, then send commands at once.
      await until(() => store.metrics().evictions > evictions);
      const burst = await Promise.all([
        h.execute({ type: 'Increment' }),
        h.execute({ type: 'Add', n: 2 }),
        h.state(),
        h.execute({ type: 'Increment' }, {}, { commandId: `k-${round}` }),
        h.version(),
      ]);
      expected += 4;
      expect(burst.length).toBe(5);
    }
    expect(await h.state()).toEqual({ value: expected });
    await store.close();
    const again = await open(dir);
    expect(await again.get(counter, 'race').state()).toEqual({ value: expected });
    expect(await again.get(counter, 'race').version()).toBe(expected);
    await again.close();
  });

  it('an actor that keeps receiving commands is not evicted, even well past its idle timeout', async () => {
    // Gaps of ~5 ms against a 1 s timeout, for 2.5 s in all: only a stall of a whole second could evict it.
    const store = await open(tempDir(), { idleTimeoutMs: 1000 });
    const h = store.get(counter, 'busy');
    const start = Date.now();
    let n = 0;
    while (Date.now() - start < 2500) {
      await h.execute({ type: 'Increment' });
      n++;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(store.metrics().evictions).toBe(0);
    expect(await h.version()).toBe(n);
    await store.close();
  });
});

describe('snapshots', () => {
  interface Snap {
    state: unknown;
    offset: number;
    hash: string;
  }
  const snapOf = (dir: string, id: string, view: string): Snap | null => {
    const f = join(streamDir(dir, id), 'views', `${view}.snapshot.json`);
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Snap) : null;
  };

  it('are written every snapshotEvery events and at close, and match the end of the log', async () => {
    const dir = tempDir();
    const store = await open(dir, { snapshotEvery: 5 });
    const h = store.get(counter, 's');
    for (let i = 0; i < 4; i++) await h.execute({ type: 'Increment' });
    expect(snapOf(dir, 's', 'state')).toBeNull();
    await h.execute({ type: 'Increment' }, {}, { commandId: 'fifth' });
    expect(snapOf(dir, 's', 'state')!.state).toEqual({ value: 5 });
    const es = snapOf(dir, 's', 'es')!;
    expect(es.state).toEqual({ version: 5, commands: { fifth: [4, 1] } });
    expect(es.offset).toBe(statSync(logFile(dir, 's')).size);
    await h.execute({ type: 'Add', n: 2 });
    expect(snapOf(dir, 's', 'state')!.state).toEqual({ value: 5 });
    await store.close();
    const s = snapOf(dir, 's', 'state')!;
    expect(s.state).toEqual({ value: 7 });
    expect(s.offset).toBe(statSync(logFile(dir, 's')).size);
    await initHasher();
    expect(s.hash).toBe(lineHash(rawLines(logFile(dir, 's')).at(-1)!));
    expect(snapOf(dir, 's', 'es')).toMatchObject({ offset: s.offset, hash: s.hash });
  });

  it('a valid snapshot is used (no warning), and events after it are folded', async () => {
    const dir = tempDir();
    let store = await open(dir);
    await store.get(counter, 's').execute({ type: 'Add', n: 3 });
    await store.close();
    // Snapshots one command behind the log (as after a crash before the next save).
    const views = join(streamDir(dir, 's'), 'views');
    const saved = ['state', 'es'].map((v) => readFileSync(join(views, `${v}.snapshot.json`)));
    store = await open(dir, { snapshotEvery: 1000 });
    await store.get(counter, 's').execute({ type: 'Increment' });
    await store.close();
    ['state', 'es'].forEach((v, i) => writeFileSync(join(views, `${v}.snapshot.json`), saved[i]!));
    const logger = new RecordingLogger();
    store = await open(dir, {}, logger);
    expect(await store.get(counter, 's').state()).toEqual({ value: 4 });
    expect(logger.warnings).toEqual([]);
    await store.close();
  });

  const corruptions: [string, (views: string, dir: string) => void][] = [
    ['a garbled state snapshot', (v) => writeFileSync(join(v, 'state.snapshot.json'), '{"state": {"val')],
    ['a garbled es snapshot', (v) => writeFileSync(join(v, 'es.snapshot.json'), 'not json')],
    [
      'a state snapshot with a wrong hash',
      (v) => {
        const s = JSON.parse(readFileSync(join(v, 'state.snapshot.json'), 'utf8')) as Snap;
        writeFileSync(
          join(v, 'state.snapshot.json'),
          JSON.stringify({ ...s, state: { value: 999 }, hash: '0123456789abcdef' }),
        );
      },
    ],
    [
      'snapshots whose offset is beyond the end of the log',
      (v) => {
        for (const f of ['state', 'es']) {
          const s = JSON.parse(readFileSync(join(v, `${f}.snapshot.json`), 'utf8')) as Snap;
          writeFileSync(join(v, `${f}.snapshot.json`), JSON.stringify({ ...s, offset: s.offset + 1000 }));
        }
      },
    ],
    [
      'a state and an es snapshot taken at different points',
      (v) => {
        const s = JSON.parse(readFileSync(join(v, 'state.snapshot.json'), 'utf8')) as Snap;
        writeFileSync(
          join(v, 'state.snapshot.json'),
          JSON.stringify({ state: { value: 999 }, offset: 0, hash: '' }),
        );
        void s;
      },
    ],
  ];

  it.each(corruptions)(
    '%s is ignored: the state is rebuilt from the log, with a warning',
    async (_name, corrupt) => {
      const dir = tempDir();
      let store = await open(dir);
      await store.get(counter, 's').execute({ type: 'Add', n: 3 }, {}, { commandId: 'once' });
      await store.get(counter, 's').execute({ type: 'Increment' });
      await store.close();
      corrupt(join(streamDir(dir, 's'), 'views'), dir);
      const logger = new RecordingLogger();
      store = await open(dir, {}, logger);
      const h = store.get(counter, 's');
      expect(await h.state()).toEqual({ value: 4 });
      expect(await h.version()).toBe(4);
      expect(logger.text).toMatch(/counter\/s.*snapshot/);
      // The command bookkeeping is rebuilt too.
      expect((await h.execute({ type: 'Add', n: 3 }, {}, { commandId: 'once' })).duplicate).toBe(true);
      await store.close();
      // And good snapshots are written again at close.
      store = await open(dir, {}, logger);
      const n = logger.warnings.length;
      expect(await store.get(counter, 's').state()).toEqual({ value: 4 });
      expect(logger.warnings.length).toBe(n);
      await store.close();
    },
  );

  it('a Rust-written store (UUIDv4 ids, no seq, only state.snapshot.json, pretty JSON) opens and continues', async () => {
    await initHasher();
    const dir = tempDir();
    const sd = streamDir(dir, 'counter-1');
    mkdirSync(join(sd, 'views'), { recursive: true });
    mkdirSync(join(dir, 'meta'), { recursive: true });
    const rustLines = [
      '{"type":"Incremented","data":null,"ts":1795368231,"id":"ac38904a-1d2e-4f5a-9b6c-7d8e9f0a1b2c","actor":"crm-user","meta":{"correlation_id":"corr-42","source_device":"device-A"}}',
      '{"type":"Incremented","data":null,"ts":1795368232,"id":"bc38904a-1d2e-4f5a-9b6c-7d8e9f0a1b2c"}',
      '{"type":"Added","data":{"n":5},"ts":1795368233,"id":"cc38904a-1d2e-4f5a-9b6c-7d8e9f0a1b2c"}',
    ];
    const text = rustLines.map((l) => `${l}\n`).join('');
    writeFileSync(join(sd, 'app.jsonl'), text);
    writeFileSync(
      join(sd, 'views/state.snapshot.json'),
      JSON.stringify(
        { state: { value: 7 }, offset: Buffer.byteLength(text), hash: lineHash(rustLines[2]!) },
        null,
        2,
      ),
    );
    writeFileSync(join(dir, 'meta/streams.jsonl'), '{"id":"counter-1","ts":1795368231,"type":"counter"}\n');

    const logger = new RecordingLogger();
    const store = await open(dir, {}, logger);
    expect(store.listStreams()).toEqual([{ type: 'counter', id: 'counter-1' }]);
    const h = store.get(counter, 'counter-1');
    expect(await h.state()).toEqual({ value: 7 });
    expect(await h.version()).toBe(3);
    const events = await store.readEvents('counter', 'counter-1');
    expect(events.map((e) => e.id)).toEqual(rustLines.map((l) => (JSON.parse(l) as Event).id));
    const r = await h.execute({ type: 'Increment' }, { actor: 'ts' });
    expect(r.version).toBe(4);
    expect(r.position).toBeGreaterThan(0);
    await store.close();
    const lines = rawLines(join(sd, 'app.jsonl'));
    expect(lines.slice(0, 3)).toEqual(rustLines); // history untouched
    expect(lines).toHaveLength(4);
    expect(rawLines(join(dir, 'meta/streams.jsonl'))).toHaveLength(1);
    // A store the Rust crate wrote is normal, not damaged: no warning (it has no es.snapshot.json, by design).
    expect(logger.warnings).toEqual([]);
    const again = await open(dir);
    expect(await again.get(counter, 'counter-1').state()).toEqual({ value: 8 });
    await again.close();
  });
});

describe('open actor limit', () => {
  it('keeps at most maxOpenActors instances open, evicting the least recently used idle one, without losing state', async () => {
    const dir = tempDir();
    const store = await open(dir, { maxOpenActors: 4 });
    for (let i = 0; i < 10; i++) await store.get(counter, `c${i}`).execute({ type: 'Add', n: i });
    expect(store.metrics().actors).toBe(4);
    expect(store.metrics().evictions).toBe(6);
    // c6..c9 are open; touching c6 makes c7 the least recently used, so opening c0 evicts c7, not c6.
    await store.get(counter, 'c6').execute({ type: 'Increment' });
    const before = store.metrics().evictions;
    await store.get(counter, 'c0').execute({ type: 'Increment' });
    expect(store.metrics().evictions).toBe(before + 1);
    expect(store.metrics().actors).toBe(4);
    // c6 is still open: using it is no new open, so it evicts nothing.
    await store.get(counter, 'c6').execute({ type: 'Increment' });
    expect(store.metrics().evictions).toBe(before + 1);
    // c7 was the one closed: opening it again evicts the least recently used (c8).
    await store.get(counter, 'c7').version();
    expect(store.metrics().evictions).toBe(before + 2);
    for (let i = 0; i < 10; i++) {
      const extra = i === 0 ? 1 : i === 6 ? 2 : 0;
      expect(await store.get(counter, `c${i}`).state()).toEqual({ value: i + extra });
    }
    await store.close();
  });

  it('goes over the limit rather than evicting an instance that is busy, and many concurrent streams all land', async () => {
    const dir = tempDir();
    const store = await open(dir, { maxOpenActors: 2 });
    const ids = Array.from({ length: 60 }, (_, i) => `b${i}`);
    await Promise.all(
      ids.map(async (id) => {
        const h = store.get(counter, id);
        await Promise.all([h.execute({ type: 'Increment' }), h.execute({ type: 'Add', n: 2 })]);
      }),
    );
    for (const id of ids) expect(await store.get(counter, id).state()).toEqual({ value: 3 });
    await store.close();
    const again = await open(dir);
    for (const id of ids) expect(await again.get(counter, id).version()).toBe(3);
    await again.close();
  });
});

describe("warm actors (an evicted instance's state stays in memory)", () => {
  const snapshotOf = (dir: string, id: string): string =>
    join(streamDir(dir, id), 'views/state.snapshot.json');

  it('the next actor of an evicted stream starts from its state: no snapshot written or read, commands ids still known', async () => {
    const dir = tempDir();
    const store = await open(dir, { maxOpenActors: 1 });
    const a = store.get(counter, 'a');
    await a.execute({ type: 'Add', n: 5 }, {}, { commandId: 'cmd-1' });
    await store.get(counter, 'b').execute({ type: 'Increment' }); // evicts a
    expect(store.metrics().evictions).toBe(1);
    expect(existsSync(snapshotOf(dir, 'a'))).toBe(false); // its state went to the store, not into files
    const size = statSync(logFile(dir, 'a')).size;
    const r = await a.execute({ type: 'Increment' });
    expect(store.metrics().warmStarts).toBe(1);
    expect(r.version).toBe(6);
    // Appended at the end its predecessor left, and the command id it executed is still known.
    expect(parsed(logFile(dir, 'a')).map((e) => e.type)).toEqual([...Array(5).fill('Added'), 'Incremented']);
    expect(statSync(logFile(dir, 'a')).size).toBeGreaterThan(size);
    expect((await a.execute({ type: 'Add', n: 5 }, {}, { commandId: 'cmd-1' })).duplicate).toBe(true);
    expect(await a.state()).toEqual({ value: 6 });
    await store.close();
    // Close saved the warm and open states' snapshots; a new store reads the same.
    expect(JSON.parse(readFileSync(snapshotOf(dir, 'b'), 'utf8')).state).toEqual({ value: 1 });
    const again = await open(dir);
    expect(await again.get(counter, 'a').state()).toEqual({ value: 6 });
    expect(await again.get(counter, 'a').version()).toBe(6);
    await again.close();
  });

  it('beyond maxWarmActors the oldest warm state is dropped after saving its snapshots', async () => {
    const dir = tempDir();
    const store = await open(dir, { maxOpenActors: 1, maxWarmActors: 1 });
    for (const id of ['a', 'b', 'c']) await store.get(counter, id).execute({ type: 'Add', n: 3 });
    // a was evicted, then pushed out of the warm states by b: its snapshots are on disk, b's are not.
    expect(JSON.parse(readFileSync(snapshotOf(dir, 'a'), 'utf8')).state).toEqual({ value: 3 });
    expect(existsSync(snapshotOf(dir, 'b'))).toBe(false);
    // a loads from those snapshots (evicting c, which pushes b out); c then starts warm.
    expect(await store.get(counter, 'a').state()).toEqual({ value: 3 });
    expect(store.metrics().warmStarts).toBe(0);
    expect(JSON.parse(readFileSync(snapshotOf(dir, 'b'), 'utf8')).state).toEqual({ value: 3 });
    expect(await store.get(counter, 'c').state()).toEqual({ value: 3 });
    expect(store.metrics().warmStarts).toBe(1);
    await store.close();
  });

  it('a destroyed stream leaves no warm state behind: the same id starts empty', async () => {
    const dir = tempDir();
    const store = await open(dir, { maxOpenActors: 1 });
    await store.get(counter, 'gone').execute({ type: 'Add', n: 7 });
    await store.get(counter, 'other').execute({ type: 'Increment' }); // evicts gone: warm
    await store.destroyStream('counter', 'gone');
    const r = await store.get(counter, 'gone').execute({ type: 'Increment' });
    expect(r.version).toBe(1);
    expect(await store.get(counter, 'gone').state()).toEqual({ value: 1 });
    expect(store.metrics().warmStarts).toBe(0);
    await store.close();
  });
});

describe('snapshotMinEvents', () => {
  it('a stream shorter than snapshotMinEvents gets no snapshot files on close, a longer one does, and both reopen right', async () => {
    const dir = tempDir();
    const store = await open(dir, { snapshotMinEvents: 3 });
    await store.get(counter, 'short').execute({ type: 'Add', n: 2 });
    for (let i = 0; i < 3; i++) await store.get(counter, 'long').execute({ type: 'Increment' });
    await store.close();
    expect(existsSync(join(streamDir(dir, 'short'), 'views/state.snapshot.json'))).toBe(false);
    expect(existsSync(join(streamDir(dir, 'short'), 'views/es.snapshot.json'))).toBe(false);
    expect(existsSync(join(streamDir(dir, 'long'), 'views/state.snapshot.json'))).toBe(true);
    const again = await open(dir, { snapshotMinEvents: 3 });
    expect(await again.get(counter, 'short').state()).toEqual({ value: 2 });
    expect(await again.get(counter, 'long').state()).toEqual({ value: 3 });
    await again.close();
  });
});
