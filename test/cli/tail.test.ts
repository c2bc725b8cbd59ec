import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createEvent, EventWriter } from '../../core/log/index.js';
import {
  appendRaw,
  eventfold,
  jsonl,
  lineStarts,
  makeLog,
  makeStore,
  replaceLineAt,
  spawnEventfold,
  STORE_EVENTS,
} from './helpers.js';

describe('tail on a log folder', () => {
  it('prints every event of the history (archive, then active log) as JSONL', async () => {
    const dir = await makeLog(3, 2);
    const r = await eventfold(['tail', dir]);
    expect(r.code).toBe(0);
    const events = jsonl(r.stdout);
    expect(events.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
    expect(events[1]).toEqual({ type: 'odd', data: { i: 1 }, ts: 1_700_000_001 });
  });

  it('filters by --type (repeatable) and keeps the last n with -n', async () => {
    const dir = await makeLog(0, 6);
    const odd = jsonl((await eventfold(['tail', dir, '--type', 'odd'])).stdout);
    expect(odd.map((e) => (e.data as { i: number }).i)).toEqual([1, 3, 5]);
    const both = jsonl((await eventfold(['tail', dir, '--type', 'odd', '--type', 'even', '-n', '2'])).stdout);
    expect(both.map((e) => (e.data as { i: number }).i)).toEqual([4, 5]);
    const none = await eventfold(['tail', dir, '-n', '0']);
    expect(none.stdout).toBe('');
  });

  it('skips a corrupt line with a warning on stderr, and hides an unfinished batch', async () => {
    const dir = await makeLog(0, 3);
    const log = join(dir, 'app.jsonl');
    const at = lineStarts(log)[1]!;
    replaceLineAt(log, at, '{{{');
    appendRaw(log, '{"type":"pending","data":1,"ts":1,"more":true}\n');
    const r = await eventfold(['tail', dir]);
    expect(r.code).toBe(0);
    expect(jsonl(r.stdout).map((e) => (e.data as { i: number }).i)).toEqual([0, 2]);
    expect(r.stderr).toContain(`skipped a corrupt line at byte ${at} of ${log}`);
  });

  it('rejects a bad -n and --stream on a log folder (exit 2)', async () => {
    const dir = await makeLog(0, 1);
    expect((await eventfold(['tail', dir, '-n', 'many'])).code).toBe(2);
    const r = await eventfold(['tail', dir, '--stream', 'contact/c1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--stream is for a store');
  });

  it('--follow prints new events as they are committed, across a rotation, and stops on SIGTERM', async () => {
    const dir = await makeLog(0, 2);
    const f = spawnEventfold(['tail', dir, '--follow']);
    onTestFinished(() => void f.stop());
    await f.waitForLines(2);
    const w = await EventWriter.open(dir);
    try {
      await w.append(createEvent('live', { n: 1 }, { ts: 1 }));
      await w.appendBatch([
        createEvent('live', { n: 2 }, { ts: 2 }),
        createEvent('live', { n: 3 }, { ts: 3 }),
      ]);
      await f.waitForLines(5);
      // Paused, so the event is appended and rotated into the archive before the follower reads it: printed once.
      f.child.kill('SIGSTOP');
      await w.append(createEvent('live', { n: 4 }, { ts: 4 }));
      await w.rotate();
      await w.append(createEvent('live', { n: 5 }, { ts: 5 }));
      f.child.kill('SIGCONT');
      await f.waitForLines(7);
    } finally {
      await w.close();
    }
    expect(await f.stop()).toBe(0);
    const events = f.lines.map((l) => JSON.parse(l) as { type: string; data: { n?: number; i?: number } });
    expect(events.map((e) => e.data.n ?? `i${e.data.i}`)).toEqual(['i0', 'i1', 1, 2, 3, 4, 5]);
  });
});

describe('tail on a store', () => {
  it('prints every stream in the global order (meta.position), each line with its stream', async () => {
    const store = await makeStore();
    const r = await eventfold(['tail', store.dir]);
    expect(r.code).toBe(0);
    const lines = jsonl(r.stdout);
    const expected = STORE_EVENTS.flat().map(([stream, type]) => [stream, type]);
    expect(lines.map((l) => [l.stream, l.type])).toEqual(expected);
    expect(lines.map((l) => (l.meta as { position: number }).position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Object.keys(lines[0]!)).toEqual(['stream', 'type', 'data', 'ts', 'id', 'actor', 'meta']);
  });

  it('--stream selects a stream or a whole aggregate type; --type filters events', async () => {
    const store = await makeStore();
    const c1 = jsonl((await eventfold(['tail', store.dir, '--stream', 'contact/c1'])).stdout);
    expect(c1.map((l) => l.type)).toEqual(['ContactCreated', 'ContactRenamed', 'ContactEmailChanged']);
    const contacts = jsonl(
      (await eventfold(['tail', store.dir, '--stream', 'contact', '--type', 'ContactCreated'])).stdout,
    );
    expect(contacts.map((l) => l.stream)).toEqual(['contact/c1', 'contact/c2']);
  });

  it('without meta.position, prints stream by stream', async () => {
    const dir = join((await makeLog(0, 1)).replace(/data$/, ''), 'plain-store');
    for (const [stream, n] of [
      ['b/2', 1],
      ['a/1', 2],
    ] as const) {
      const w = await EventWriter.open(join(dir, 'streams', ...stream.split('/')));
      for (let i = 0; i < n; i++) await w.append(createEvent('E', { i }, { ts: 100 - i }));
      await w.close();
    }
    const lines = jsonl((await eventfold(['tail', dir])).stdout);
    expect(lines.map((l) => l.stream)).toEqual(['a/1', 'a/1', 'b/2']);
  });

  it('--follow picks up new events and new streams', async () => {
    const store = await makeStore();
    const f = spawnEventfold(['tail', store.dir, '--follow', '-n', '1']);
    onTestFinished(() => void f.stop());
    await f.waitForLines(1);
    const w1 = await EventWriter.open(join(store.dir, 'streams', 'deal', 'd1'));
    await w1.append(createEvent('DealWon', {}, { ts: 2, meta: { position: 7 } }));
    await w1.close();
    await f.waitForLines(2);
    const w2 = await EventWriter.open(join(store.dir, 'streams', 'contact', 'c9'));
    await w2.append(createEvent('ContactCreated', { name: 'Nu' }, { ts: 3, meta: { position: 8 } }));
    await w2.close();
    await f.waitForLines(3);
    expect(await f.stop()).toBe(0);
    expect(f.lines.map((l) => (JSON.parse(l) as { stream: string }).stream)).toEqual([
      'contact/c1',
      'deal/d1',
      'contact/c9',
    ]);
  });
});
