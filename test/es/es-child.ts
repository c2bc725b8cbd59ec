/**
 * Child process of the core/es tests (a real second process):
 * - `hold <dir>`: opens the store, prints `ready <pid>`, and keeps it open until killed.
 * - `open <dir>`: tries to open the store; prints `opened` or `locked <name> <message>`, then exits.
 * - `exec <dir> <id> <commandId> <n>`: executes `Add n` on counter `<id>` with that command id, prints
 *   `result <json>`, closes the store and exits.
 * - `crash <dir> <instances> <batch> <prefix>`: executes `Add n` (n from 1 to batch) on many counters concurrently
 *   forever, with command ids `<prefix>-<i>-<k>-n<n>`, printing `ack <id> <commandId> <n> <version>` after each
 *   resolved execute, until killed.
 *
 * Run with: node --import tsx test/es/es-child.ts <mode> <dir> ...
 * @module
 */
import { AggregateStore, EventfoldStoreLockedError } from '../../core/es/index.js';

// vitest's environment is inherited from the parent test: fixtures.ts must not take this process for a test run.
delete process.env.VITEST;
const { counter, totals } = await import('./fixtures.js');

const [mode, dir, ...rest] = process.argv.slice(2);
if (!mode || !dir) {
  console.error('usage: es-child.ts <hold|open|exec|crash> <dir> ...');
  process.exit(2);
}
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

if (mode === 'hold') {
  await AggregateStore.builder(dir).aggregate(counter).open();
  out(`ready ${process.pid}`);
  setInterval(() => undefined, 1 << 30);
} else if (mode === 'open') {
  try {
    const store = await AggregateStore.builder(dir).aggregate(counter).open();
    out('opened');
    await store.close();
  } catch (err) {
    const name = err instanceof EventfoldStoreLockedError ? 'EventfoldStoreLockedError' : String(err);
    out(`locked ${name} ${(err as Error).message}`);
  }
} else if (mode === 'exec') {
  const [id, commandId, n] = rest;
  const store = await AggregateStore.builder(dir).aggregate(counter).open();
  const r = await store
    .get(counter, id!)
    .execute({ type: 'Add', n: Number(n) }, { actor: 'child' }, { commandId: commandId! });
  out(`result ${JSON.stringify(r)}`);
  await store.close();
} else if (mode === 'crash') {
  const instances = Number(rest[0] ?? 20);
  const batch = Number(rest[1] ?? 3);
  const prefix = rest[2] ?? 'cmd';
  // Frequent checkpoints and snapshots, so the kill may land in the middle of one.
  const store = await AggregateStore.builder(dir)
    .aggregate(counter)
    .projection(totals)
    .options({ checkpointMs: 10, snapshotEvery: 7 })
    .open();
  out(`ready ${process.pid}`);
  let k = 0;
  const worker = async (i: number): Promise<void> => {
    const id = `c-${i}`;
    for (;;) {
      const n = 1 + (k % batch);
      const commandId = `${prefix}-${i}-${k++}-n${n}`;
      const r = await store.get(counter, id).execute({ type: 'Add', n }, {}, { commandId });
      out(`ack ${id} ${commandId} ${n} ${r.version}`);
    }
  };
  await Promise.all(Array.from({ length: instances }, (_, i) => worker(i)));
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
