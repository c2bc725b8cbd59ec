/**
 * Child process of the `es` suite's cold-open case: opens a store (or does the bare reads) in a fresh process and
 * prints the time to the first query and the peak RSS as one JSON line.
 *
 * `node --import tsx es-child.ts open <storeDir> <contactId>`: `open()` with the contact list registered, then the
 * first query: the projection's state (count) and one contact's `state()` (its snapshot, or its log if it has none).
 * `... bare <storeDir> <contactId>`: the bare minimum the same answers need: read and `JSON.parse` the registry, the
 * projection checkpoint and the contact's state snapshot (or its log).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectingLogger, contact, contactList, openContactStore } from './es-model.js';

/** What the child prints. */
export interface OpenReport {
  mode: string;
  /** open() to the first query answered (ms). */
  ms: number;
  /** of which open() (ms). */
  openMs: number;
  peakKiB: number;
  /** Peak RSS after loading modules, before opening (KiB). */
  baseKiB: number;
  /** Contacts in the projection (bare: registry lines). */
  count: number;
  /** The probed contact's revision. */
  rev: number;
  /** Warnings the store logged (an unusable snapshot or checkpoint). */
  warnings: string[];
}

async function main(): Promise<void> {
  const [mode, dir, id] = process.argv.slice(2);
  if (!mode || !dir || !id) throw new Error('usage: es-child.ts <open|bare> <storeDir> <contactId>');
  const warnings: string[] = [];
  const baseKiB = process.resourceUsage().maxRSS;
  const t = performance.now();
  let openMs = 0;
  let count = 0;
  let rev = 0;
  if (mode === 'open') {
    const store = await openContactStore(dir, { logger: collectingLogger(warnings) });
    openMs = performance.now() - t;
    count = store.projection(contactList).state.count;
    rev = (await store.get(contact, id).state()).rev;
    const ms = performance.now() - t;
    const peakKiB = process.resourceUsage().maxRSS;
    await store.close();
    print({ mode, ms, openMs, peakKiB, baseKiB, count, rev, warnings });
    return;
  }
  if (mode !== 'bare') throw new Error(`unknown mode ${mode}`);
  const registry = readFileSync(join(dir, 'meta', 'streams.jsonl'), 'utf8').split('\n');
  for (const line of registry) if (line !== '') count += (JSON.parse(line) as { id: string }).id ? 1 : 0;
  const cp = JSON.parse(
    readFileSync(join(dir, 'projections', contactList.name, 'checkpoint.json'), 'utf8'),
  ) as {
    state: { count: number };
  };
  if (cp.state.count !== count) throw new Error(`checkpoint count ${cp.state.count} != registry ${count}`);
  // The contact's snapshot, or (a small stream keeps none: snapshotMinEvents) its log, one event a revision.
  const stream = join(dir, 'streams', contact.type, id);
  const snapFile = join(stream, 'views', 'state.snapshot.json');
  if (existsSync(snapFile)) {
    rev = (JSON.parse(readFileSync(snapFile, 'utf8')) as { state: { rev: number } }).state.rev;
  } else {
    for (const line of readFileSync(join(stream, 'app.jsonl'), 'utf8').split('\n'))
      if (line !== '') rev += (JSON.parse(line) as { type: string }).type ? 1 : 0;
  }
  const ms = performance.now() - t;
  print({ mode, ms, openMs: ms, peakKiB: process.resourceUsage().maxRSS, baseKiB, count, rev, warnings });
}

function print(report: OpenReport): void {
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
