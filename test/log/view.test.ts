import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEvent, EventWriter, loadSnapshot, View, type Event } from '../../core/log/index.js';
import {
  appendN,
  counterReducer,
  dummyEvent,
  emptyTodos,
  logDir,
  todoReducer,
  type TodoState,
} from '../helpers/log.js';

async function setup(): Promise<{ w: EventWriter; count: () => View<number> }> {
  const w = await EventWriter.open(logDir());
  return { w, count: () => new View('count', counterReducer, 0, w.paths.views) };
}

describe('View lifecycle', () => {
  it('a fresh view over an empty log has the initial state and writes no snapshot', async () => {
    const { w, count } = await setup();
    const v = count();
    expect(await v.refresh(w.reader())).toBe(0);
    expect(v.lastRefresh).toEqual({ folded: 0, rebuilt: true, reason: 'no snapshot' });
    expect(existsSync(v.snapshotPath)).toBe(false);
    await w.close();
  });

  it('a fresh view over a populated log replays it and saves a snapshot at the end', async () => {
    const { w, count } = await setup();
    const rs = await appendN(w, 5);
    const v = count();
    expect(await v.refresh(w.reader())).toBe(5);
    expect(v.lastRefresh).toEqual({ folded: 5, rebuilt: true, reason: 'no snapshot' });
    expect(loadSnapshot(v.snapshotPath)).toEqual({
      state: 5,
      offset: rs[4]!.endOffset,
      hash: rs[4]!.lineHash,
    });
    expect(v.offset).toBe(rs[4]!.endOffset);
    expect(v.hash).toBe(rs[4]!.lineHash);
    await w.close();
  });

  it('refresh folds only new events incrementally and saves the snapshot', async () => {
    const { w, count } = await setup();
    await appendN(w, 3);
    const v = count();
    await v.refresh(w.reader());
    const rs = await appendN(w, 2);
    expect(await v.refresh(w.reader())).toBe(5);
    expect(v.lastRefresh).toEqual({ folded: 2, rebuilt: false });
    expect(loadSnapshot(v.snapshotPath)).toEqual({
      state: 5,
      offset: rs[1]!.endOffset,
      hash: rs[1]!.lineHash,
    });
    await w.close();
  });

  it('a refresh with no new events does not write the snapshot', async () => {
    const { w, count } = await setup();
    await appendN(w, 3);
    const v = count();
    await v.refresh(w.reader());
    const before = statSync(v.snapshotPath, { bigint: true }).mtimeNs;
    const content = readFileSync(v.snapshotPath, 'utf8');
    await new Promise((r) => setTimeout(r, 20));
    expect(await v.refresh(w.reader())).toBe(3);
    expect(v.lastRefresh.folded).toBe(0);
    expect(statSync(v.snapshotPath, { bigint: true }).mtimeNs).toBe(before);
    expect(readFileSync(v.snapshotPath, 'utf8')).toBe(content);
    // Stronger: with the file gone, a no-op refresh must not recreate it.
    rmSync(v.snapshotPath);
    await v.refresh(w.reader());
    expect(existsSync(v.snapshotPath)).toBe(false);
    await w.close();
  });

  it('the snapshot persists across view re-creation; only new events are folded', async () => {
    const { w, count } = await setup();
    await appendN(w, 4);
    await count().refresh(w.reader());
    await appendN(w, 3);
    const v2 = count();
    expect(await v2.refresh(w.reader())).toBe(7);
    expect(v2.lastRefresh).toEqual({ folded: 3, rebuilt: false });
    await w.close();
  });

  it('state does no I/O: initial before the first refresh, unchanged by appends until refreshed', async () => {
    const { w, count } = await setup();
    await appendN(w, 2);
    const v = count();
    expect(v.state).toBe(0);
    await v.refresh(w.reader());
    await appendN(w, 2);
    expect(v.state).toBe(2);
    await v.refresh(w.reader());
    expect(v.state).toBe(4);
    await w.close();
  });

  it('rebuild deletes the snapshot and replays the full log to the same state at the full offset', async () => {
    const { w } = await setup();
    await appendN(w, 3);
    // A reducer bug persisted in the snapshot: every event counted twice.
    const buggy = new View('count', (n: number) => n + 2, 0, w.paths.views);
    expect(await buggy.refresh(w.reader())).toBe(6);
    const fixed = new View('count', counterReducer, 0, w.paths.views);
    expect(await fixed.refresh(w.reader())).toBe(6); // the snapshot is trusted
    expect(await fixed.rebuild(w.reader())).toBe(3);
    expect(fixed.lastRefresh).toEqual({ folded: 3, rebuilt: true });
    expect(loadSnapshot(fixed.snapshotPath)).toEqual({
      state: 3,
      offset: w.activeLogSize(),
      hash: w.lastLineHash(),
    });
    await w.close();
  });

  it('rebuild includes archived events', async () => {
    const { w, count } = await setup();
    await appendN(w, 3);
    await w.rotate();
    await appendN(w, 2);
    const v = count();
    await v.refresh(w.reader());
    expect(await v.rebuild(w.reader())).toBe(5);
    await w.close();
  });

  it('refresh is idempotent', async () => {
    const { w, count } = await setup();
    await appendN(w, 4);
    const v = count();
    const a = await v.refresh(w.reader());
    const b = await v.refresh(w.reader());
    const c = await v.refresh(w.reader());
    expect([a, b, c]).toEqual([4, 4, 4]);
    await w.close();
  });

  it('folds the todo reducer: add, complete, delete', async () => {
    const { w } = await setup();
    const v = new View<TodoState>('todos', todoReducer, emptyTodos, w.paths.views);
    await w.append(createEvent('todo_added', { text: 'milk' }, { ts: 1 }));
    await w.append(createEvent('todo_added', { text: 'eggs' }, { ts: 2 }));
    await w.append(createEvent('todo_added', { text: 'bread' }, { ts: 3 }));
    await w.append(createEvent('todo_completed', { id: 1 }, { ts: 4 }));
    await w.append(createEvent('todo_deleted', { id: 2 }, { ts: 5 }));
    await w.append(createEvent('unknown_type', {}, { ts: 6 }));
    expect(await v.refresh(w.reader())).toEqual({
      items: [
        { id: 1, text: 'milk', done: true },
        { id: 3, text: 'bread', done: false },
      ],
      nextId: 4,
    });
    await w.close();
  });

  it('a mutating reducer with a plain initial value never corrupts the initial state across rebuilds', async () => {
    const { w } = await setup();
    const initial = { seen: [] as string[] };
    const push = (s: { seen: string[] }, e: Event): { seen: string[] } => {
      s.seen.push(e.type);
      return s;
    };
    await w.append(dummyEvent('a'));
    const v = new View('seen', push, initial, w.paths.views);
    await v.refresh(w.reader());
    expect(await v.rebuild(w.reader())).toEqual({ seen: ['a'] });
    expect(initial).toEqual({ seen: [] });
    await w.close();
  });

  it('overlapping refreshes run one after the other: a mutating reducer never folds an event twice', async () => {
    const { w } = await setup();
    const push = (s: string[], e: Event): string[] => {
      s.push(e.type);
      return s;
    };
    const v = new View('seen', push, () => [], w.paths.views);
    await w.append(dummyEvent('a'));
    await v.refresh(w.reader());
    await w.append(dummyEvent('b'));
    await Promise.all([
      v.refresh(w.reader()),
      v.refresh(w.reader()),
      v.rebuild(w.reader()),
      v.refresh(w.reader()),
    ]);
    expect(v.state).toEqual(['a', 'b']);
    await w.append(dummyEvent('c'));
    await Promise.all([v.refresh(w.reader()), v.refresh(w.reader())]);
    expect(v.state).toEqual(['a', 'b', 'c']);
    await w.close();
  });

  it('a reducer that throws leaves the view state as before and propagates the error', async () => {
    const { w, count } = await setup();
    await appendN(w, 2);
    const good = count();
    await good.refresh(w.reader());
    await w.append(dummyEvent('boom'));
    const v = new View(
      'count',
      (n: number, e: Event) => {
        if (e.type === 'boom') throw new Error('reducer failed');
        return n + 1;
      },
      0,
      w.paths.views,
    );
    await expect(v.refresh(w.reader())).rejects.toThrow('reducer failed');
    expect(loadSnapshot(v.snapshotPath)).toMatchObject({ state: 2 });
    await w.close();
  });
});
