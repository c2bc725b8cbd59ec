/**
 * Child process of the journal tests: opens a commit journal and `<logs>` writers under `<dir>`, then appends one
 * event to every log per round, all logs of a round at once (so every round goes through the journal), printing
 * `ack <round>` once a round is durable, until killed.
 *
 * Run with: node --import tsx test/helpers/journal-writer.ts <dir> <logs>
 * @module
 */
import { join } from 'node:path';
import { CommitJournal, createEvent, EventWriter } from '../../core/log/index.js';

const [dir, count] = process.argv.slice(2);
if (!dir) {
  console.error('usage: journal-writer.ts <dir> <logs>');
  process.exit(2);
}
const journal = await CommitJournal.open(join(dir, 'journal.jsonl'));
const writers = await Promise.all(
  Array.from({ length: Number(count ?? 8) }, (_, i) =>
    EventWriter.open(join(dir, `log-${i}`), { durability: 'group', journal }),
  ),
);
process.stdout.write('ready\n');
for (let round = 0; ; round++) {
  await Promise.all(writers.map((w, i) => w.append(createEvent('tick', { round, log: i }, { ts: 1 }))));
  process.stdout.write(`ack ${round}\n`);
}
