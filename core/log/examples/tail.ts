/**
 * tail: a reader following a writer in another process, like `tail -f` for an event log.
 *
 *   npx tsx core/log/examples/tail.ts <emptyDir> [count]
 *
 * The program starts a writer child process (this same file with `--writer`) that appends `count` events (default 5),
 * one every 100 ms, each durable before the next. The parent opens an `EventReader` (readers need no lock, so they
 * can run beside the writer that holds it) and loops: read every complete event after its offset, then
 * `waitForEvents(offset, timeout)` until the next one lands (fs.watch, with polling as a fallback). It stops after
 * `count` events. A half-written last line, or a batch whose last line is not there yet, is never shown.
 *
 * Expected output (the writer prints nothing; offsets are bytes into app.jsonl):
 *   following /tmp/tail/app.jsonl for 5 events
 *   @0    ping {"seq":1}
 *   @49   ping {"seq":2}
 *   @98   ping {"seq":3}
 *   @147  ping {"seq":4}
 *   @196  ping {"seq":5}
 *   done: 5 events, next offset 245
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEvent, EventReader, EventWriter } from '../index.js';

const [dir, countArg, role] = process.argv.slice(2);
if (!dir) throw new Error('usage: tail.ts <emptyDir> [count]');
const count = Number(countArg ?? 5);

if (role === '--writer') {
  // The writer process: takes the directory's lock and appends slowly.
  const writer = await EventWriter.open(dir);
  for (let seq = 1; seq <= count; seq++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await writer.append(createEvent('ping', { seq }, { ts: 1_795_000_000 })); // fixed ts: fixed offsets below
  }
  await writer.close();
} else {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new Error(`${dir} is not empty: pass a new directory`);
  // process.execArgv carries tsx's loader flags, so the child runs this TypeScript file the same way.
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), dir, String(count), '--writer'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const writerExit = new Promise<number | null>((resolve) => child.on('exit', resolve));

  const reader = await EventReader.open(dir);
  console.log(`following ${join(dir, 'app.jsonl')} for ${count} events`);
  let offset = 0;
  let seen = 0;
  while (seen < count) {
    for await (const { event, offset: at, nextOffset } of reader.readFrom(offset)) {
      console.log(`@${String(at).padEnd(4)} ${event.type} ${JSON.stringify(event.data)}`);
      offset = nextOffset; // remember where to resume: the next read starts here
      if (++seen === count) break;
    }
    if (seen === count) break;
    const wait = await reader.waitForEvents(offset, 10_000);
    if (wait.kind === 'timeout') throw new Error(`no new event for 10 s after ${seen} events`);
    // 'rotated': our offset is past the end of the active log, so the events after it went into the archive.
    // This writer never rotates; a long-lived follower would re-read with readFull(), skip the `seen` events it
    // already has, and continue from the new active log. Restarting at offset 0 would silently miss events.
    if (wait.kind === 'rotated')
      throw new Error('the log was rotated under the reader: restart with readFull()');
  }
  console.log(`done: ${seen} events, next offset ${offset}`);
  const code = await writerExit;
  if (code !== 0) throw new Error(`the writer process exited with ${code}`);
}
