/**
 * Child process of the directory-fsync test (run under strace): creates a log directory in `argv[2]`, appends,
 * refreshes a view (snapshot rename), rotates (archive creation, rotation marker) and closes.
 *
 * Run with: node --import tsx test/helpers/fs-ops.ts <dir>
 * @module
 */
import { createEvent, EventLog } from '../../core/log/index.js';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: fs-ops.ts <dir>');
  process.exit(2);
}
const log = await EventLog.builder(dir)
  .maxLogSize(0)
  .view('count', (n: number) => n + 1, 0)
  .open();
for (let i = 0; i < 3; i++) await log.append(createEvent('op', { i }, { ts: 1 }));
await log.refreshAll();
await log.rotate();
await log.close();
process.stdout.write('done\n');
