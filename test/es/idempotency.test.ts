/**
 * Exactly-once commands (command ids, in this process, after a restart, in another process), optimistic
 * concurrency with an expected version, and injected events deduplicated by id.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AggregateStore, VersionConflictError, type ExecuteResult } from '../../core/es/index.js';
import type { Event } from '../../core/log/index.js';
import { spawnHelper } from '../helpers/child.js';
import { counter, inbox, relay, tempDir } from './fixtures.js';

const open = (dir: string, idleTimeoutMs?: number): Promise<AggregateStore> =>
  AggregateStore.builder(dir)
    .aggregate(counter)
    .options(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {})
    .open();
const logFile = (dir: string, id: string): string => join(dir, 'streams/counter', id, 'app.jsonl');
const lineCount = (file: string): number =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '').length;

/** Runs `exec` in a child process: `Add n` with `commandId` on counter `id`. */
async function execInChild(dir: string, id: string, commandId: string, n: number): Promise<ExecuteResult> {
  const child = spawnHelper('../es/es-child.ts', ['exec', dir, id, commandId, String(n)]);
  const line = await child.waitFor((l) => l.startsWith('result '));
  const exit = await child.exited;
  expect(exit.code).toBe(0);
  return JSON.parse(line.slice('result '.length)) as ExecuteResult;
}

describe('command ids', () => {
  it('re-executing a command id in the same process returns the original events, duplicate: true, and appends nothing', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const h = store.get(counter, 'c');
    const first = await h.execute({ type: 'Add', n: 3 }, { actor: 'ana' }, { commandId: 'k-1' });
    expect(first).toMatchObject({ version: 3, duplicate: false });
    await h.execute({ type: 'Increment' });
    const size = statSync(logFile(dir, 'c')).size;
    const position = store.position;

    const again = await h.execute({ type: 'Add', n: 3 }, { actor: 'ana' }, { commandId: 'k-1' });
    expect(again.duplicate).toBe(true);
    expect(again.events).toEqual(first.events);
    expect(again.position).toBe(first.position);
    expect(again.version).toBe(first.version); // the original result, not the current version
    // Even with another payload: the id is the key.
    const other = await h.execute({ type: 'Increment' }, {}, { commandId: 'k-1' });
    expect(other).toEqual(again);
    expect(statSync(logFile(dir, 'c')).size).toBe(size);
    expect(store.position).toBe(position);
    expect(await h.state()).toEqual({ value: 4 });
    expect(store.metrics().duplicates).toBe(2);
    await store.close();
  });

  it('concurrent executes of one command id write it once', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const h = store.get(counter, 'c');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => h.execute({ type: 'Add', n: 2 }, {}, { commandId: 'same' })),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    for (const r of results) expect(r.events).toEqual(results[0]!.events);
    expect(await h.state()).toEqual({ value: 2 });
    await store.close();
    expect(lineCount(logFile(dir, 'c'))).toBe(2);
  });

  it('the same command id on another stream is another command', async () => {
    const store = await open(tempDir());
    await store.get(counter, 'a').execute({ type: 'Increment' }, {}, { commandId: 'k' });
    const r = await store.get(counter, 'b').execute({ type: 'Increment' }, {}, { commandId: 'k' });
    expect(r.duplicate).toBe(false);
    await store.close();
  });

  for (const how of ['with its snapshots', 'replaying the log (snapshots deleted)']) {
    it(`a command id survives close and reopen, ${how}`, async () => {
      const dir = tempDir();
      let store = await open(dir);
      const first = await store.get(counter, 'c').execute({ type: 'Add', n: 2 }, {}, { commandId: 'k-1' });
      await store.get(counter, 'c').execute({ type: 'Increment' }, {}, { commandId: 'k-2' });
      await store.close();
      if (how.startsWith('replaying')) rmSync(join(dir, 'streams/counter/c/views'), { recursive: true });
      const size = statSync(logFile(dir, 'c')).size;
      store = await open(dir);
      const again = await store.get(counter, 'c').execute({ type: 'Add', n: 2 }, {}, { commandId: 'k-1' });
      expect(again).toEqual({ ...first, duplicate: true });
      expect(
        (await store.get(counter, 'c').execute({ type: 'Increment' }, {}, { commandId: 'k-2' })).duplicate,
      ).toBe(true);
      expect(await store.get(counter, 'c').state()).toEqual({ value: 3 });
      await store.close();
      expect(statSync(logFile(dir, 'c')).size).toBe(size);
    });
  }

  it('a command id survives the eviction of its actor', async () => {
    const dir = tempDir();
    const store = await open(dir, 5);
    const h = store.get(counter, 'c');
    await h.execute({ type: 'Add', n: 2 }, {}, { commandId: 'k' });
    const start = Date.now();
    while (store.metrics().evictions === 0 && Date.now() - start < 5000)
      await new Promise((r) => setTimeout(r, 5));
    expect(store.metrics().evictions).toBe(1);
    expect((await h.execute({ type: 'Add', n: 2 }, {}, { commandId: 'k' })).duplicate).toBe(true);
    expect(await h.state()).toEqual({ value: 2 });
    await store.close();
  });

  it('a command id executed here is a duplicate in a new child process, and the other way round', async () => {
    const dir = tempDir();
    let store = await open(dir);
    const first = await store
      .get(counter, 'c')
      .execute({ type: 'Add', n: 2 }, { actor: 'child' }, { commandId: 'k-1' });
    await store.close();
    const size = statSync(logFile(dir, 'c')).size;

    const inChild = await execInChild(dir, 'c', 'k-1', 2);
    expect(inChild).toEqual({ ...first, duplicate: true });
    expect(statSync(logFile(dir, 'c')).size).toBe(size);

    // A command first executed by the child is a duplicate here.
    const byChild = await execInChild(dir, 'c', 'k-2', 3);
    expect(byChild.duplicate).toBe(false);
    expect(byChild.version).toBe(5);
    store = await open(dir);
    const here = await store.get(counter, 'c').execute({ type: 'Add', n: 3 }, {}, { commandId: 'k-2' });
    expect(here).toEqual({ ...byChild, duplicate: true });
    expect(await store.get(counter, 'c').state()).toEqual({ value: 5 });
    await store.close();
    expect(lineCount(logFile(dir, 'c'))).toBe(5);
  });

  it('a command that produced no event leaves no trace: its retry is decided again', async () => {
    const store = await open(tempDir());
    const h = store.get(counter, 'c');
    expect((await h.execute({ type: 'Noop' }, {}, { commandId: 'k' })).duplicate).toBe(false);
    const r = await h.execute({ type: 'Increment' }, {}, { commandId: 'k' });
    expect(r).toMatchObject({ duplicate: false, version: 1 });
    await store.close();
  });
});

describe('expected version', () => {
  it('a stale expected version is VersionConflictError (expected, actual) and writes nothing', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const h = store.get(counter, 'c');
    await h.execute({ type: 'Add', n: 2 }, {}, { expectedVersion: 0 });
    const size = statSync(logFile(dir, 'c')).size;
    const position = store.position;
    const err = await h.execute({ type: 'Increment' }, {}, { expectedVersion: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VersionConflictError);
    expect(err).toMatchObject({ stream: 'counter/c', expected: 1, actual: 2, code: 'VERSION_CONFLICT' });
    expect((err as Error).message).toContain('counter/c');
    await expect(h.execute({ type: 'Increment' }, {}, { expectedVersion: 3 })).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect(statSync(logFile(dir, 'c')).size).toBe(size);
    expect(store.position).toBe(position);
    expect(store.metrics().conflicts).toBe(2);
    // The right version succeeds.
    expect((await h.execute({ type: 'Increment' }, {}, { expectedVersion: 2 })).version).toBe(3);
    await store.close();
  });

  it('a new stream is at version 0: expectedVersion 1 conflicts and creates nothing', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await expect(
      store.get(counter, 'new').execute({ type: 'Increment' }, {}, { expectedVersion: 1 }),
    ).rejects.toMatchObject({ expected: 1, actual: 0 });
    expect(store.list(counter)).toEqual([]);
    await store.close();
  });

  it('two forms read at the same version: the first save wins, the second gets a conflict', async () => {
    const store = await open(tempDir());
    const h = store.get(counter, 'c');
    await h.execute({ type: 'Increment' });
    const read = await h.version();
    const [a, b] = await Promise.allSettled([
      h.execute({ type: 'Increment' }, {}, { expectedVersion: read }),
      h.execute({ type: 'Add', n: 5 }, {}, { expectedVersion: read }),
    ]);
    expect(a.status).toBe('fulfilled');
    expect(b.status).toBe('rejected');
    expect((b as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
    expect(await h.state()).toEqual({ value: 2 });
    await store.close();
  });

  it('the retry of a succeeded command with its (now old) expected version is a duplicate, not a conflict', async () => {
    const dir = tempDir();
    let store = await open(dir);
    const first = await store
      .get(counter, 'c')
      .execute({ type: 'Increment' }, {}, { commandId: 'save-1', expectedVersion: 0 });
    await store.close();
    store = await open(dir);
    const again = await store
      .get(counter, 'c')
      .execute({ type: 'Increment' }, {}, { commandId: 'save-1', expectedVersion: 0 });
    expect(again).toEqual({ ...first, duplicate: true });
    await store.close();
  });
});

describe('injected events', () => {
  const event = (id: string): Event => ({
    type: 'Incremented',
    data: null,
    ts: 1795368231,
    id,
    actor: 'device-B:ana',
    meta: { source_device: 'device-B' },
  });

  it('are appended once per event id, durably across a restart', async () => {
    const dir = tempDir();
    let store = await open(dir);
    expect(await store.injectEvent(counter, 'c', event('ev-1'))).toBe(true);
    expect(await store.injectEvent(counter, 'c', event('ev-1'))).toBe(false);
    expect(await store.injectEvent(counter, 'c', event('ev-2'))).toBe(true);
    await store.get(counter, 'c').execute({ type: 'Increment' });
    expect(await store.get(counter, 'c').state()).toEqual({ value: 3 });
    await store.close();
    for (const withSnapshots of [true, false]) {
      if (!withSnapshots) rmSync(join(dir, 'streams/counter/c/views'), { recursive: true });
      store = await open(dir);
      expect(await store.injectEvent(counter, 'c', event('ev-1'))).toBe(false);
      expect(await store.injectEvent(counter, 'c', event('ev-2'))).toBe(false);
      expect(await store.get(counter, 'c').state()).toEqual({ value: 3 });
      await store.close();
    }
    store = await open(dir);
    const events = await store.readEvents('counter', 'c');
    expect(events.map((e) => e.id).slice(0, 2)).toEqual(['ev-1', 'ev-2']);
    expect(events).toHaveLength(3);
    // The event keeps its origin's ts, actor and meta, and gets a global position.
    expect(events[0]).toMatchObject({
      ts: 1795368231,
      actor: 'device-B:ana',
      meta: { source_device: 'device-B' },
    });
    expect(events[0]!.meta!.seq).toEqual(expect.any(Number));
    await store.close();
  });

  it('an injected event id does not collide with a command id of the same text', async () => {
    const store = await open(tempDir());
    await store.get(counter, 'c').execute({ type: 'Increment' }, {}, { commandId: 'x-1' });
    expect(await store.injectEvent(counter, 'c', event('x-1'))).toBe(true);
    expect(await store.get(counter, 'c').state()).toEqual({ value: 2 });
    await store.close();
  });

  it('process managers do not react to injected events by default; runProcessManagers: true makes them react', async () => {
    const dir = tempDir();
    const build = (): Promise<AggregateStore> =>
      AggregateStore.builder(dir).aggregate(counter).aggregate(inbox).processManager(relay).open();
    let store = await build();
    await store.injectEvent(counter, 'c', event('ev-1'));
    expect(await store.runProcessManagers()).toEqual({ dispatched: 0, deadLettered: 0 });
    expect(store.list(inbox)).toEqual([]);
    await store.injectEvent(counter, 'c', event('ev-2'), { runProcessManagers: true });
    expect(await store.runProcessManagers()).toEqual({ dispatched: 1, deadLettered: 0 });
    expect(await store.get(inbox, 'in-c').state()).toEqual({ received: ['c'] });
    // The counter's state has both.
    expect(await store.get(counter, 'c').state()).toEqual({ value: 2 });
    await store.close();
    // A process manager replaying from scratch makes the same decision.
    rmSync(join(dir, 'process_managers'), { recursive: true });
    store = await build();
    expect(await store.runProcessManagers()).toEqual({ dispatched: 1, deadLettered: 0 });
    expect(await store.get(inbox, 'in-c').state()).toEqual({ received: ['c'] }); // same command id: once
    await store.close();
  });
});
