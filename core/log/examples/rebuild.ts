/**
 * rebuild: changing a reducer and replaying history. The log never changes; only the state derived from it does.
 *
 *   npx tsx core/log/examples/rebuild.ts <emptyDir>
 *
 * v1 of the app stores todos as `{ text, done }`. v2 adds a priority: new events may carry one, old events get
 * "normal". The v1 snapshot on disk is still *valid* for the log (its offset and hash match), so opening with the
 * v2 reducer just loads it: the old shape survives until the view is rebuilt. `rebuild()` deletes the snapshot
 * and folds the full history (archive, then active log) through the v2 reducer.
 *
 * Expected output:
 *   v1 state: [{"text":"buy milk","done":true},{"text":"file taxes","done":false}]
 *   v2 reducer, v1 snapshot loaded: [{"text":"buy milk","done":true},{"text":"file taxes","done":false}]
 *   v2 after rebuild (3 events folded): [{"text":"buy milk","done":true,"priority":"normal"},{"text":"file taxes","done":false,"priority":"normal"}]
 *   v2 with a new event: [{"text":"buy milk","done":true,"priority":"normal"},{"text":"file taxes","done":false,"priority":"normal"},{"text":"renew passport","done":false,"priority":"high"}]
 */
import { existsSync, readdirSync } from 'node:fs';
import { createEvent, EventLog, type Event } from '../index.js';

interface TodoV1 {
  text: string;
  done: boolean;
}
interface TodoV2 extends TodoV1 {
  priority: 'low' | 'normal' | 'high';
}

function reducerV1(state: TodoV1[], event: Event): TodoV1[] {
  const d = event.data as { text?: string; index?: number };
  if (event.type === 'todo_added') return [...state, { text: d.text ?? '', done: false }];
  if (event.type === 'todo_completed') return state.map((t, i) => (i === d.index ? { ...t, done: true } : t));
  return state;
}

// v2: same events, richer state. Old `todo_added` events have no priority: default it here, not in a migration.
function reducerV2(state: TodoV2[], event: Event): TodoV2[] {
  const d = event.data as { text?: string; index?: number; priority?: TodoV2['priority'] };
  if (event.type === 'todo_added')
    return [...state, { text: d.text ?? '', done: false, priority: d.priority ?? 'normal' }];
  if (event.type === 'todo_completed') return state.map((t, i) => (i === d.index ? { ...t, done: true } : t));
  return state;
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: rebuild.ts <emptyDir>');
if (existsSync(dir) && readdirSync(dir).length > 0)
  throw new Error(`${dir} is not empty: pass a new directory`);

// --- v1 of the app ---
const v1 = await EventLog.builder(dir).view<TodoV1[]>('todos', reducerV1, []).open();
await v1.append(createEvent('todo_added', { text: 'buy milk' }));
await v1.append(createEvent('todo_added', { text: 'file taxes' }));
await v1.append(createEvent('todo_completed', { index: 0 }));
await v1.refreshAll(); // writes views/todos.snapshot.json in the v1 shape
console.log(`v1 state: ${JSON.stringify(v1.view('todos'))}`);
await v1.close();

// --- v2 of the app: same directory, same view name, new reducer ---
const v2 = await EventLog.builder(dir).view<TodoV2[]>('todos', reducerV2, []).open();
console.log(`v2 reducer, v1 snapshot loaded: ${JSON.stringify(v2.view('todos'))}`);

const view = v2.getView<TodoV2[]>('todos');
await view.rebuild(v2.reader()); // delete the snapshot, replay everything with reducerV2, save a new snapshot
console.log(`v2 after rebuild (${view.lastRefresh.folded} events folded): ${JSON.stringify(view.state)}`);

await v2.append(createEvent('todo_added', { text: 'renew passport', priority: 'high' }));
await v2.refreshAll();
console.log(`v2 with a new event: ${JSON.stringify(v2.view('todos'))}`);
await v2.close();
