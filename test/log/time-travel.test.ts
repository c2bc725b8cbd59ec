import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEvent, EventLog, stateAt, UnknownViewError, type Event } from '../../core/log/index.js';
import { counterReducer, emptyTodos, logDir, todoReducer, type TodoState } from '../helpers/log.js';

const push = (s: number[], e: Event): number[] => {
  s.push((e.data as { i: number }).i);
  return s;
};

/** A log of 10 events `i = 0..9` with `ts = 100 + 10*i`: 4 archived, 3 archived in a second frame, 3 active. */
async function history(): Promise<EventLog> {
  const log = await EventLog.builder(logDir()).maxLogSize(0).view('count', counterReducer, 0).open();
  for (let i = 0; i < 10; i++) {
    await log.append(createEvent('e', { i }, { ts: 100 + 10 * i }));
    if (i === 3 || i === 6) await log.rotate();
  }
  return log;
}

describe('stateAt', () => {
  it('folds up to an event count, across archive frames and the active log', async () => {
    const log = await history();
    for (let n = 0; n <= 10; n++) {
      const past = await stateAt(log.reader(), push, () => [], { events: n });
      expect(past).toEqual({ state: [...Array(n).keys()], events: n });
    }
    await log.close();
  });

  it('a count beyond the history gives the full state; 0 or less gives the initial state', async () => {
    const log = await history();
    expect(await stateAt(log.reader(), counterReducer, 0, { events: 1000 })).toEqual({
      state: 10,
      events: 10,
    });
    expect(await stateAt(log.reader(), counterReducer, 0, { events: 0 })).toEqual({ state: 0, events: 0 });
    expect(await stateAt(log.reader(), counterReducer, 0, { events: -3 })).toEqual({ state: 0, events: 0 });
    await log.close();
  });

  it('folds up to a timestamp, including events at exactly that second', async () => {
    const log = await history();
    expect(await stateAt(log.reader(), push, () => [], { ts: 99 })).toEqual({ state: [], events: 0 });
    expect(await stateAt(log.reader(), push, () => [], { ts: 100 })).toEqual({ state: [0], events: 1 });
    expect(await stateAt(log.reader(), push, () => [], { ts: 155 })).toEqual({
      state: [0, 1, 2, 3, 4, 5],
      events: 6,
    });
    expect((await stateAt(log.reader(), push, () => [], { ts: 10_000 })).events).toBe(10);
    await log.close();
  });

  it('touches no snapshot', async () => {
    const log = await history();
    await log.refreshAll();
    const viewsDir = log.getView('count').snapshotPath.replace(/\/[^/]+$/, '');
    const before = readdirSync(viewsDir).map((f) => [f, readFileSync(`${viewsDir}/${f}`, 'utf8')]);
    await stateAt(log.reader(), push, () => [], { events: 5 });
    await log.viewAt('count', { events: 2 });
    const after = readdirSync(viewsDir).map((f) => [f, readFileSync(`${viewsDir}/${f}`, 'utf8')]);
    expect(after).toEqual(before);
    expect(log.view('count')).toBe(10);
    await log.close();
  });

  it('starts every replay from a fresh initial state (mutating reducers are safe)', async () => {
    const log = await history();
    const initial: number[] = [];
    await stateAt(log.reader(), push, initial, { events: 3 });
    const again = await stateAt(log.reader(), push, initial, { events: 2 });
    expect(again.state).toEqual([0, 1]);
    expect(initial).toEqual([]);
    await log.close();
  });
});

describe('EventLog.viewAt', () => {
  it("replays a registered view's reducer to a past point", async () => {
    const log = await EventLog.builder(logDir()).view<TodoState>('todos', todoReducer, emptyTodos).open();
    await log.append(createEvent('todo_added', { text: 'milk' }, { ts: 10 }));
    await log.append(createEvent('todo_added', { text: 'eggs' }, { ts: 20 }));
    await log.append(createEvent('todo_completed', { id: 1 }, { ts: 30 }));
    await log.append(createEvent('todo_deleted', { id: 2 }, { ts: 40 }));
    const atTwo = await log.viewAt<TodoState>('todos', { events: 2 });
    expect(atTwo.state.items.map((t) => [t.text, t.done])).toEqual([
      ['milk', false],
      ['eggs', false],
    ]);
    const at30 = await log.viewAt<TodoState>('todos', { ts: 30 });
    expect(at30.state.items.map((t) => [t.text, t.done])).toEqual([
      ['milk', true],
      ['eggs', false],
    ]);
    expect(existsSync(log.getView('todos').snapshotPath)).toBe(false);
    await expect(log.viewAt('nope', { events: 1 })).rejects.toBeInstanceOf(UnknownViewError);
    await log.close();
  });
});
