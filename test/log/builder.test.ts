import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  countArchiveFrames,
  createEvent,
  DEFAULT_MAX_LOG_SIZE,
  EventLog,
  loadSnapshot,
  UnknownViewError,
} from '../../core/log/index.js';
import {
  appendN,
  counterReducer,
  indices,
  logDir,
  readHistory,
  sizeOf,
  statsReducer,
  todoReducer,
  emptyTodos,
  type TodoState,
} from '../helpers/log.js';

/** A ~100-byte event. */
const padded = (i: number) => createEvent('tick', { i, pad: 'x'.repeat(60) }, { ts: 1000 + i });

describe('EventLog builder', () => {
  it('creates the directory and registers the views', async () => {
    const dir = logDir();
    const log = await EventLog.builder(dir)
      .view('count', counterReducer, 0)
      .view('stats', statsReducer, {})
      .open();
    expect(existsSync(join(dir, 'views'))).toBe(true);
    expect(log.dir).toBe(dir);
    expect(log.viewNames()).toEqual(['count', 'stats']);
    expect(log.recovery.createdDirectory).toBe(true);
    await log.close();
  });

  it('EventLog.open uses the defaults (no views, 10 MB threshold)', async () => {
    expect(DEFAULT_MAX_LOG_SIZE).toBe(10_000_000);
    const log = await EventLog.open(logDir());
    await appendN(log, 2);
    expect(log.viewNames()).toEqual([]);
    expect((await readHistory(log.reader())).length).toBe(2);
    expect(log.writer.durability).toBe('always');
    await log.close();
  });

  it('refreshAll and the typed view accessor', async () => {
    const log = await EventLog.builder(logDir()).view<TodoState>('todos', todoReducer, emptyTodos).open();
    await log.append(createEvent('todo_added', { text: 'milk' }, { ts: 1 }));
    expect(log.view<TodoState>('todos').items).toEqual([]); // not refreshed yet
    await log.refreshAll();
    const todos = log.view<TodoState>('todos');
    expect(todos.items[0]!.text).toBe('milk');
    expect(() => log.view('missing')).toThrow(UnknownViewError);
    await log.close();
  });

  it('rotate uses the registry: every view refreshed, then reset to offset 0', async () => {
    const log = await EventLog.builder(logDir())
      .view('count', counterReducer, 0)
      .view('stats', statsReducer, {})
      .open();
    await appendN(log, 4, 'a');
    await log.rotate();
    expect(log.view('count')).toBe(4);
    expect(log.view('stats')).toEqual({ a: 4 });
    for (const name of ['count', 'stats']) {
      expect(loadSnapshot(log.getView(name).snapshotPath)).toMatchObject({ offset: 0, hash: '' });
    }
    await log.close();
  });

  it('full lifecycle: append, refresh, rotate, append, refresh, reopen', async () => {
    const dir = logDir();
    const log = await EventLog.builder(dir).view('count', counterReducer, 0).open();
    await appendN(log, 3);
    await log.refreshAll();
    await log.rotate();
    await appendN(log, 2);
    await log.refreshAll();
    expect(log.view('count')).toBe(5);
    await log.close();
    const again = await EventLog.builder(dir).view('count', counterReducer, 0).open();
    expect(again.view('count')).toBe(5);
    expect(again.recovery.eventsScanned).toBe(0);
    await again.close();
  });

  it('the logger and lock mode are passed to the writer', async () => {
    const dir = logDir();
    const a = await EventLog.builder(dir).lock('none').open();
    const b = await EventLog.builder(dir).lock('none').open();
    await a.append(createEvent('a', null, { ts: 1 }));
    await b.append(createEvent('b', null, { ts: 2 }));
    expect((await readHistory(a.reader())).map((e) => e.type)).toEqual(['a', 'b']);
    await a.close();
    await b.close();
  });
});

describe('auto-rotation', () => {
  it('rotates inside append when the active log reaches maxLogSize (500 B, 20 events)', async () => {
    const dir = logDir();
    const log = await EventLog.builder(dir).maxLogSize(500).view('count', counterReducer, 0).open();
    const results = [];
    for (let i = 0; i < 20; i++) results.push(await log.append(padded(i)));
    expect(existsSync(join(dir, 'archive.jsonl.zst'))).toBe(true);
    expect(sizeOf(join(dir, 'app.jsonl'))).toBeLessThan(500);
    expect(results.some((r) => r.rotated === true)).toBe(true);
    expect(indices(await readHistory(log.reader()))).toEqual([...Array(20).keys()]);
    await log.refreshAll();
    expect(log.view('count')).toBe(20);
    await log.close();
  });

  it('rotates when the size after the write is >= the threshold (not before), like the Rust crate', async () => {
    const dir = logDir();
    const line = Buffer.byteLength(JSON.stringify(padded(0))) + 1;
    const log = await EventLog.builder(dir)
      .maxLogSize(3 * line)
      .open();
    const r1 = await log.append(padded(0));
    const r2 = await log.append(padded(1));
    expect([r1.rotated, r2.rotated]).toEqual([undefined, undefined]);
    const r3 = await log.append(padded(2));
    expect(r3).toEqual({ startOffset: 0, endOffset: 0, lineHash: '', rotated: true });
    expect(sizeOf(join(dir, 'app.jsonl'))).toBe(0);
    await log.close();
  });

  it('views stay consistent through many auto-rotations, and subsequent appends go to a fresh app.jsonl', async () => {
    const dir = logDir();
    const log = await EventLog.builder(dir)
      .maxLogSize(300)
      .view('count', counterReducer, 0)
      .view('stats', statsReducer, {})
      .open();
    for (let i = 0; i < 100; i++) {
      await log.append(padded(i));
      if (i % 7 === 0) await log.refreshAll();
    }
    await log.refreshAll();
    expect(log.view('count')).toBe(100);
    expect(log.view('stats')).toEqual({ tick: 100 });
    expect(await countArchiveFrames(join(dir, 'archive.jsonl.zst'))).toBeGreaterThan(10);
    expect(indices(await readHistory(log.reader()))).toEqual([...Array(100).keys()]);
    expect(sizeOf(join(dir, 'app.jsonl'))).toBeLessThan(300);
    await log.close();
  });

  it('maxLogSize(0) disables auto-rotation whatever the size', async () => {
    const dir = logDir();
    const log = await EventLog.builder(dir).maxLogSize(0).open();
    for (let i = 0; i < 50; i++) expect((await log.append(padded(i))).rotated).toBeUndefined();
    expect(existsSync(join(dir, 'archive.jsonl.zst'))).toBe(false);
    await log.close();
    const again = await EventLog.builder(dir).maxLogSize(0).open();
    expect(again.recovery.rotatedOnOpen).toBe(false);
    await again.close();
  });

  it('rotates on open when the log is already over maxLogSize, with views reflecting every event', async () => {
    const dir = logDir();
    const first = await EventLog.builder(dir).maxLogSize(0).view('count', counterReducer, 0).open();
    for (let i = 0; i < 10; i++) await first.append(padded(i));
    await first.close();
    const log = await EventLog.builder(dir).maxLogSize(500).view('count', counterReducer, 0).open();
    expect(log.recovery.rotatedOnOpen).toBe(true);
    expect(sizeOf(join(dir, 'app.jsonl'))).toBe(0);
    expect(log.view('count')).toBe(10);
    expect(loadSnapshot(log.getView('count').snapshotPath)).toEqual({ state: 10, offset: 0, hash: '' });
    await log.close();
  });

  it('appendBatch may auto-rotate; every result then describes the fresh log', async () => {
    const dir = logDir();
    const log = await EventLog.builder(dir).maxLogSize(250).view('count', counterReducer, 0).open();
    const rs = await log.appendBatch([padded(0), padded(1), padded(2)]);
    expect(rs).toEqual(Array(3).fill({ startOffset: 0, endOffset: 0, lineHash: '', rotated: true }));
    const next = await log.appendIf(padded(3), rs[2]!.endOffset, rs[2]!.lineHash);
    expect(next.startOffset).toBe(0);
    await log.refreshAll();
    expect(log.view('count')).toBe(4);
    await log.close();
  });
});
