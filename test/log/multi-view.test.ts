import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createEvent,
  EventfoldError,
  EventLog,
  EventWriter,
  UnknownViewError,
  View,
} from '../../core/log/index.js';
import {
  appendN,
  counterReducer,
  emptyTodos,
  logDir,
  statsReducer,
  todoReducer,
  type TodoState,
} from '../helpers/log.js';

describe('several views over the same log', () => {
  it('different reducers give different states from the same events', async () => {
    const log = await EventLog.builder(logDir())
      .view('count', counterReducer, 0)
      .view('stats', statsReducer, {})
      .view('todos', todoReducer, emptyTodos)
      .open();
    await log.append(createEvent('todo_added', { text: 'a' }, { ts: 1 }));
    await log.append(createEvent('todo_added', { text: 'b' }, { ts: 2 }));
    await log.append(createEvent('todo_completed', { id: 2 }, { ts: 3 }));
    await log.refreshAll();
    expect(log.view<number>('count')).toBe(3);
    expect(log.view('stats')).toEqual({ todo_added: 2, todo_completed: 1 });
    expect(log.view<TodoState>('todos').items).toEqual([
      { id: 1, text: 'a', done: false },
      { id: 2, text: 'b', done: true },
    ]);
    await log.close();
  });

  it('each view keeps its own snapshot; refreshing one does not touch the other', async () => {
    const w = await EventWriter.open(logDir());
    const count = new View('count', counterReducer, 0, w.paths.views);
    const stats = new View('stats', statsReducer, {}, w.paths.views);
    await appendN(w, 3, 'a');
    await count.refresh(w.reader());
    expect(existsSync(stats.snapshotPath)).toBe(false);
    expect(stats.state).toEqual({});
    await stats.refresh(w.reader());
    const countSnap = readFileSync(count.snapshotPath, 'utf8');
    await appendN(w, 2, 'b');
    await stats.refresh(w.reader());
    expect(readFileSync(count.snapshotPath, 'utf8')).toBe(countSnap);
    expect(count.state).toBe(3);
    expect(stats.state).toEqual({ a: 3, b: 2 });
    expect(JSON.parse(countSnap)).toMatchObject({ state: 3 });
    await w.close();
  });

  it('views refreshed at different times each catch up from their own offset', async () => {
    const w = await EventWriter.open(logDir());
    const count = new View('count', counterReducer, 0, w.paths.views);
    const stats = new View('stats', statsReducer, {}, w.paths.views);
    await appendN(w, 2, 'a');
    await count.refresh(w.reader());
    await appendN(w, 2, 'b');
    await stats.refresh(w.reader());
    await appendN(w, 1, 'c');
    await count.refresh(w.reader());
    await stats.refresh(w.reader());
    expect(count.state).toBe(5);
    expect(count.lastRefresh.folded).toBe(3);
    expect(stats.state).toEqual({ a: 2, b: 2, c: 1 });
    expect(stats.lastRefresh.folded).toBe(1);
    expect(count.offset).toBe(stats.offset);
    await w.close();
  });

  it('a view registered after events exist replays the full history on its first refresh', async () => {
    const dir = logDir();
    const first = await EventLog.builder(dir).view('count', counterReducer, 0).maxLogSize(0).open();
    await appendN(first, 4, 'x');
    await first.rotate();
    await appendN(first, 2, 'y');
    await first.refreshAll();
    await first.close();
    const second = await EventLog.builder(dir)
      .view('count', counterReducer, 0)
      .view('stats', statsReducer, {})
      .maxLogSize(0)
      .open();
    expect(second.view('count')).toBe(6);
    expect(second.view('stats')).toEqual({ x: 4, y: 2 });
    expect(second.recovery.viewsRebuilt).toEqual([{ name: 'stats', reason: 'no snapshot' }]);
    await second.close();
  });

  it('refreshAll reports what each view did', async () => {
    const log = await EventLog.builder(logDir())
      .view('count', counterReducer, 0)
      .view('stats', statsReducer, {})
      .open();
    await appendN(log, 3);
    expect(await log.refreshAll()).toEqual({
      count: { folded: 3, rebuilt: false },
      stats: { folded: 3, rebuilt: false },
    });
    expect(await log.refreshAll()).toEqual({
      count: { folded: 0, rebuilt: false },
      stats: { folded: 0, rebuilt: false },
    });
    await log.close();
  });

  it('an unknown view name is a typed error listing the known views', async () => {
    const log = await EventLog.builder(logDir())
      .view('count', counterReducer, 0)
      .view('stats', statsReducer, {})
      .open();
    expect(() => log.view('nope')).toThrow(UnknownViewError);
    expect(() => log.view('nope')).toThrow(/"nope".*count, stats/);
    expect(log.viewNames()).toEqual(['count', 'stats']);
    expect(log.getView('count')).toBeInstanceOf(View);
    await log.close();
  });

  it('registering two views with the same name is refused', () => {
    const b = EventLog.builder(logDir()).view('count', counterReducer, 0);
    expect(() => b.view('count', counterReducer, 0)).toThrow(EventfoldError);
    expect(() => b.view('count', counterReducer, 0)).toThrow(/already registered/);
  });
});
