/**
 * Child process of the real crash test: opens the log in `argv[2]` and appends events forever, printing one line
 * per acknowledged append (`ack <i> <endOffset>`), until it is killed. With `argv[3] === 'group'` it keeps several
 * appends in flight (group commit), so a kill is likely to land mid-write.
 *
 * Run with: node --import tsx test/helpers/crash-writer.ts <dir> [always|group]
 * @module
 */
import { createEvent, EventWriter } from '../../core/log/index.js';

const dir = process.argv[2];
const durability = process.argv[3] === 'group' ? 'group' : 'always';
if (!dir) {
  console.error('usage: crash-writer.ts <dir> [always|group]');
  process.exit(2);
}

const writer = await EventWriter.open(dir, { durability });
process.stdout.write(`ready ${process.pid} ${writer.activeLogSize()}\n`);
const pad = 'p'.repeat(200);
for (let i = 0; ; i += 4) {
  const batch = [0, 1, 2, 3].map((k) =>
    writer.append(createEvent('crash_test', { i: i + k, pad }, { ts: 1700000000 + i + k })).then((r) => {
      process.stdout.write(`ack ${i + k} ${r.endOffset}\n`);
    }),
  );
  await (durability === 'group'
    ? Promise.all(batch)
    : batch.reduce((p, b) => p.then(() => b), Promise.resolve()));
}
