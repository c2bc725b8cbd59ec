/**
 * notes-cli: a note-taking tool with tags, a slightly richer state than the todo list. Two views over one log:
 * `notes` (the current notes, by id) and `tags` (how many notes use each tag now, and how often it was ever used).
 *
 *   npx tsx core/log/examples/notes-cli.ts <dataDir> add <text> [#tag ...]
 *   npx tsx core/log/examples/notes-cli.ts <dataDir> list [#tag]      # all notes, or those with a tag
 *   npx tsx core/log/examples/notes-cli.ts <dataDir> delete <id>
 *   npx tsx core/log/examples/notes-cli.ts <dataDir> tags             # tag statistics, most used first
 *
 * Expected output, starting from an empty directory:
 *   $ notes-cli.ts /tmp/notes add "Buy oat milk" #shopping #errands   ->  note 1 added [errands, shopping]
 *   $ notes-cli.ts /tmp/notes add "Call the bank" #errands            ->  note 2 added [errands]
 *   $ notes-cli.ts /tmp/notes add "Ideas for the talk" #work          ->  note 3 added [work]
 *   $ notes-cli.ts /tmp/notes list #errands                           ->  1  Buy oat milk  #errands #shopping
 *                                                                         2  Call the bank  #errands
 *   $ notes-cli.ts /tmp/notes delete 2                                ->  note 2 deleted
 *   $ notes-cli.ts /tmp/notes tags                                    ->  errands   1 note  (used 2 times)
 *                                                                         shopping  1 note  (used 1 time)
 *                                                                         work      1 note  (used 1 time)
 *                                                                         most used: errands
 */
import { createEvent, EventLog, type Event } from '../index.js';

interface Note {
  id: number;
  text: string;
  tags: string[];
}
interface NotesState {
  notes: Record<string, Note>; // keyed by id: a flat map is easy to read in the snapshot file
  nextId: number;
}
interface TagStats {
  [tag: string]: { current: number; total: number };
}

// Events carry everything a reducer needs (the id, and a deleted note's tags), so each view stands alone.
type AddedData = { id: number; text: string; tags: string[] };
type DeletedData = { id: number; tags: string[] };

function notes(state: NotesState, event: Event): NotesState {
  if (event.type === 'note_added') {
    const d = event.data as AddedData;
    state.notes[d.id] = { id: d.id, text: d.text, tags: d.tags };
    state.nextId = Math.max(state.nextId, d.id + 1);
  } else if (event.type === 'note_deleted') {
    delete state.notes[(event.data as DeletedData).id];
  }
  return state;
}

function tags(state: TagStats, event: Event): TagStats {
  if (event.type === 'note_added') {
    for (const t of (event.data as AddedData).tags) {
      const s = (state[t] ??= { current: 0, total: 0 });
      s.current++;
      s.total++;
    }
  } else if (event.type === 'note_deleted') {
    for (const t of (event.data as DeletedData).tags) if (state[t]) state[t].current--;
  }
  return state;
}

const [dir, command, ...args] = process.argv.slice(2);
if (!dir || !['add', 'list', 'delete', 'tags'].includes(command ?? '')) {
  console.error('usage: notes-cli.ts <dataDir> add <text> [#tag ...] | list [#tag] | delete <id> | tags');
  process.exit(2);
}

const log = await EventLog.builder(dir)
  .view<NotesState>('notes', notes, () => ({ notes: {}, nextId: 1 }))
  .view<TagStats>('tags', tags, () => ({}))
  .open(); // open() refreshes both views: each folds only what its snapshot has not seen
try {
  const state = log.view<NotesState>('notes');
  const tagArgs = args.filter((a) => a.startsWith('#')).map((a) => a.slice(1).toLowerCase());
  if (command === 'add') {
    const text = args.filter((a) => !a.startsWith('#')).join(' ');
    if (!text) throw new Error('add needs a text');
    const data: AddedData = { id: state.nextId, text, tags: [...new Set(tagArgs)].sort() };
    await log.append(createEvent('note_added', data));
    console.log(`note ${data.id} added [${data.tags.join(', ')}]`);
  } else if (command === 'list') {
    const shown = Object.values(state.notes).filter((n) => tagArgs.every((t) => n.tags.includes(t)));
    for (const n of shown)
      console.log(`${n.id}  ${n.text}  ${n.tags.map((t) => `#${t}`).join(' ')}`.trimEnd());
    if (shown.length === 0) console.log('no notes');
  } else if (command === 'delete') {
    const note = state.notes[Number(args[0])];
    if (!note) throw new Error(`no note ${args[0]}`);
    await log.append(createEvent('note_deleted', { id: note.id, tags: note.tags }));
    console.log(`note ${note.id} deleted`);
  } else {
    const stats = Object.entries(log.view<TagStats>('tags')).filter(([, s]) => s.current > 0);
    stats.sort(([a, x], [b, y]) => y.total - x.total || y.current - x.current || a.localeCompare(b));
    const width = Math.max(0, ...stats.map(([t]) => t.length));
    for (const [t, s] of stats) {
      const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
      console.log(`${t.padEnd(width)}  ${plural(s.current, 'note')}  (used ${plural(s.total, 'time')})`);
    }
    console.log(stats.length ? `most used: ${stats[0]![0]}` : 'no tags yet');
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await log.close();
}
