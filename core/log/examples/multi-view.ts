/**
 * multi-view: one log, two lenses. The same todo events feed a `todos` view (current state) and a `stats` view
 * (totals and completion rate). Each view has its own reducer, its own snapshot file and its own position in the
 * log, and each reducer looks only at the event types it cares about.
 *
 *   npx tsx core/log/examples/multi-view.ts <emptyDir>
 *
 * Expected output:
 *   todos: [x] write report | [ ] call Ana | [x] book flights
 *   stats: added 4, completed 2, deleted 1, completion rate 67%
 *   snapshots: stats.snapshot.json, todos.snapshot.json
 *   after refreshing only stats: stats at byte 610, todos at byte 532 (of 610)
 *   todos (refreshed): [x] write report | [ ] call Ana | [x] book flights | [ ] renew passport
 *   stats: added 5, completed 2, deleted 1, completion rate 50%
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createEvent, EventLog, type Event } from '../index.js';

interface Todo {
  id: number;
  text: string;
  done: boolean;
}
type Todos = Todo[];
interface Stats {
  added: number;
  completed: number;
  deleted: number;
}

// View 1: the current list. Events carry the todo's id, so every reducer can use it.
function todos(state: Todos, event: Event): Todos {
  const d = event.data as { id: number; text?: string };
  switch (event.type) {
    case 'todo_added':
      return [...state, { id: d.id, text: d.text ?? '', done: false }];
    case 'todo_completed':
      return state.map((t) => (t.id === d.id ? { ...t, done: true } : t));
    case 'todo_deleted':
      return state.filter((t) => t.id !== d.id);
    default:
      return state; // not ours: ignore (forward compatibility)
  }
}

// View 2: analytics. It never looks at `data`, only counts types.
function stats(state: Stats, event: Event): Stats {
  if (event.type === 'todo_added') return { ...state, added: state.added + 1 };
  if (event.type === 'todo_completed') return { ...state, completed: state.completed + 1 };
  if (event.type === 'todo_deleted') return { ...state, deleted: state.deleted + 1 };
  return state;
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: multi-view.ts <emptyDir>');
if (existsSync(dir) && readdirSync(dir).length > 0)
  throw new Error(`${dir} is not empty: pass a new directory`);

const open = () =>
  EventLog.builder(dir)
    .view<Todos>('todos', todos, [])
    .view<Stats>('stats', stats, { added: 0, completed: 0, deleted: 0 })
    .open();
const show = (log: EventLog) =>
  log
    .view<Todos>('todos')
    .map((t) => `[${t.done ? 'x' : ' '}] ${t.text}`)
    .join(' | ');
const rate = (s: Stats) => `${Math.round((100 * s.completed) / (s.added - s.deleted))}%`;
const showStats = (s: Stats) =>
  `added ${s.added}, completed ${s.completed}, deleted ${s.deleted}, completion rate ${rate(s)}`;

let log = await open();
// One atomic batch: one write, one fsync; after a crash either all six events are there or none.
await log.appendBatch([
  createEvent('todo_added', { id: 1, text: 'write report' }),
  createEvent('todo_added', { id: 2, text: 'call Ana' }),
  createEvent('todo_added', { id: 3, text: 'water plants' }),
  createEvent('todo_added', { id: 4, text: 'book flights' }),
  createEvent('todo_completed', { id: 1 }),
  createEvent('todo_deleted', { id: 3 }),
]);
await log.append(createEvent('todo_completed', { id: 4 }));
await log.refreshAll(); // folds the new events into both views and saves both snapshots
console.log(`todos: ${show(log)}`);
console.log(`stats: ${showStats(log.view<Stats>('stats'))}`);
console.log(`snapshots: ${readdirSync(join(dir, 'views')).sort().join(', ')}`);
await log.close();

// Views are independent: refresh just one, and only its snapshot moves forward.
log = await open();
await log.append(createEvent('todo_added', { id: 5, text: 'renew passport' }));
await log.getView<Stats>('stats').refresh(log.reader());
const [t, s] = [log.getView('todos'), log.getView('stats')];
console.log(
  `after refreshing only stats: stats at byte ${s.offset}, todos at byte ${t.offset} (of ${log.writer.activeLogSize()})`,
);
await log.refreshAll(); // todos catches up by folding only the one event it has not seen
console.log(`todos (refreshed): ${show(log)}`);
console.log(`stats: ${showStats(log.view<Stats>('stats'))}`);
await log.close();
