/**
 * todo-cli: the "hello world" of core/log. A todo list whose only storage is an event log.
 *
 *   npx tsx core/log/examples/todo-cli.ts <dataDir> add <text>   # append a todo_added event
 *   npx tsx core/log/examples/todo-cli.ts <dataDir> done <id>    # append a todo_completed event
 *   npx tsx core/log/examples/todo-cli.ts <dataDir> list         # print the folded state
 *
 * Every run is a new process: the state survives because it is a fold over `<dataDir>/app.jsonl`, and the
 * view's snapshot (`<dataDir>/views/todos.snapshot.json`) means each run folds only the events it has not seen.
 *
 * Expected output, starting from an empty directory:
 *   $ todo-cli.ts /tmp/todos add "buy milk"      ->  added #1: buy milk
 *   $ todo-cli.ts /tmp/todos add "walk the dog"  ->  added #2: walk the dog
 *   $ todo-cli.ts /tmp/todos done 1              ->  completed #1
 *   $ todo-cli.ts /tmp/todos list                ->  [x] #1 buy milk
 *                                                    [ ] #2 walk the dog
 *   $ cat /tmp/todos/app.jsonl                   ->  {"type":"todo_added","data":{"text":"buy milk"},"ts":1763841600}
 *                                                    ... one line per event
 */
import { createEvent, EventLog, type Event } from '../index.js';

interface Todo {
  id: number;
  text: string;
  done: boolean;
}
interface TodoState {
  items: Todo[];
  nextId: number;
}

// The reducer is the schema: a pure function from (state, event) to state. Unknown types fall through untouched.
function todos(state: TodoState, event: Event): TodoState {
  const data = event.data as { text?: string; id?: number };
  if (event.type === 'todo_added') {
    state.items.push({ id: state.nextId++, text: data.text ?? '', done: false });
  } else if (event.type === 'todo_completed') {
    const item = state.items.find((t) => t.id === data.id);
    if (item) item.done = true;
  }
  return state;
}

const [dir, command, arg] = process.argv.slice(2);
if (!dir || !['add', 'done', 'list'].includes(command ?? '')) {
  console.error('usage: todo-cli.ts <dataDir> add <text> | done <id> | list');
  process.exit(2);
}

// A factory for the initial state, so a rebuild starts from a fresh object (the reducer mutates it).
const log = await EventLog.builder(dir)
  .view('todos', todos, () => ({ items: [], nextId: 1 }))
  .open();
try {
  // open() already brought the view up to date; appends below are durable (fsynced) when they resolve.
  const state = log.view<TodoState>('todos');
  if (command === 'add' && arg) {
    await log.append(createEvent('todo_added', { text: arg }));
    console.log(`added #${state.nextId}: ${arg}`); // the id the reducer will give it when folded
  } else if (command === 'done' && state.items.some((t) => t.id === Number(arg))) {
    await log.append(createEvent('todo_completed', { id: Number(arg) }));
    console.log(`completed #${arg}`);
  } else if (command === 'list') {
    await log.refreshAll();
    for (const t of state.items) console.log(`[${t.done ? 'x' : ' '}] #${t.id} ${t.text}`);
    if (state.items.length === 0) console.log('no todos yet');
  } else {
    console.error(command === 'add' ? 'add needs a text' : `no todo #${arg}`);
    process.exitCode = 1;
  }
} finally {
  await log.close(); // releases the directory's writer lock
}
