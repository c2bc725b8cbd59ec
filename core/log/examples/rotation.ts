/**
 * rotation: how the active log moves into the zstd archive, automatically and by hand, without the views noticing.
 *
 *   npx tsx core/log/examples/rotation.ts <emptyDir>
 *
 * With `maxLogSize(300)`, an append that leaves `app.jsonl` at 300 bytes or more triggers a rotation right after
 * it: every view is refreshed, the active log is compressed into a new zstd frame appended to
 * `archive.jsonl.zst`, `app.jsonl` is emptied, and the snapshots are reset to offset 0. A `rotation.json` marker
 * exists only while this happens, so a crash at any step is undone or finished on the next open.
 *
 * Expected output (each line is 47-48 bytes, so the 7th and the 14th append cross 300 bytes):
 *   append #7 -> rotated (app.jsonl is 0 bytes)
 *   append #14 -> rotated (app.jsonl is 0 bytes)
 *   after 16 appends: app.jsonl 96 bytes, archive.jsonl.zst 2 frames, views/count.snapshot.json
 *   manual rotate: moved 96 bytes into frame 3
 *   after 20 appends: app.jsonl 192 bytes, archive.jsonl.zst 3 frames, views/count.snapshot.json
 *   count view: 20 events, sum of n = 210
 *   readFull: 20 events (16 from the archive, 4 from app.jsonl), n = 1..20 in order: true
 *   reopened: count view 20 events, sum 210 (rebuilt views: none)
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { countArchiveFrames, createEvent, EventLog, type Event } from '../index.js';

interface Count {
  events: number;
  sum: number;
}
const count = (s: Count, e: Event): Count =>
  e.type === 'tick' ? { events: s.events + 1, sum: s.sum + (e.data as { n: number }).n } : s;

const dir = process.argv[2];
if (!dir) throw new Error('usage: rotation.ts <emptyDir>');
if (existsSync(dir) && readdirSync(dir).length > 0)
  throw new Error(`${dir} is not empty: pass a new directory`);

const open = () =>
  EventLog.builder(dir).maxLogSize(300).view<Count>('count', count, { events: 0, sum: 0 }).open();

// What `ls` would show, with the archive's frame count (one frame per rotation).
const listing = async (): Promise<string> => {
  const frames = await countArchiveFrames(join(dir, 'archive.jsonl.zst'));
  const views = readdirSync(join(dir, 'views')).map((f) => `views/${f}`);
  return `app.jsonl ${statSync(join(dir, 'app.jsonl')).size} bytes, archive.jsonl.zst ${frames} frames, ${views.join(', ')}`;
};

let log = await open();
let n = 0;
for (let i = 0; i < 16; i++) {
  // ts is fixed so the output is the same on every run; normally you leave it to createEvent (now).
  const r = await log.append(createEvent('tick', { n: ++n }, { ts: 1_795_000_000 }));
  // An append that rotated reports the new, empty log (offset 0, hash ''), ready for a following appendIf.
  if (r.rotated) console.log(`append #${n} -> rotated (app.jsonl is ${log.writer.activeLogSize()} bytes)`);
}
console.log(`after ${n} appends: ${await listing()}`);

// Manual rotation, e.g. before a backup: whatever the size, the active log becomes one more frame.
const manual = await log.rotate();
console.log(
  `manual rotate: moved ${manual.bytes} bytes into frame ${await countArchiveFrames(join(dir, 'archive.jsonl.zst'))}`,
);
for (let i = 0; i < 4; i++) await log.append(createEvent('tick', { n: ++n }, { ts: 1_795_000_000 }));
console.log(`after ${n} appends: ${await listing()}`);

// The state is continuous: the view folded every event exactly once, across three rotations.
await log.refreshAll();
const c = log.view<Count>('count');
console.log(`count view: ${c.events} events, sum of n = ${c.sum}`);

// The full history reads the archive's frames as one stream, then the active log.
const seen: number[] = [];
let archived = 0;
for await (const { event, offset } of log.reader().readFull()) {
  seen.push((event.data as { n: number }).n);
  if (offset === null) archived++; // archived events have no offset in app.jsonl
}
const inOrder = seen.every((v, i) => v === i + 1);
console.log(
  `readFull: ${seen.length} events (${archived} from the archive, ${seen.length - archived} from app.jsonl), n = 1..${n} in order: ${inOrder}`,
);
await log.close();

// A fresh process (here: a fresh open) trusts the snapshot: nothing is replayed.
log = await open();
const again = log.view<Count>('count');
const rebuilt = log.recovery.viewsRebuilt.map((v) => v.name).join(', ') || 'none';
console.log(`reopened: count view ${again.events} events, sum ${again.sum} (rebuilt views: ${rebuilt})`);
await log.close();
