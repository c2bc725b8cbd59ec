/**
 * A full, read-only scan of a store: every stream's log, every projection and process-manager checkpoint, the
 * dead letters and the stream registry.
 * @module
 */
import { join } from 'node:path';
import { checkCheckpoint, checkJsonl, type CheckpointCheck, type JsonlCheck } from './checkpoints.js';
import { listProcessManagers, listProjections, listStreams, STORE, type StreamRef } from './layout.js';
import { scanLog, type LogScan } from './log-scan.js';

/** A process manager's checkpoint plus its dead letters. */
export interface ProcessManagerCheck extends CheckpointCheck {
  deadLetters: JsonlCheck;
}

/** Streams scanned at the same time. */
const CONCURRENCY = 16;

/** What a scan of a store found. */
export interface StoreScan {
  dir: string;
  streams: StreamRef[];
  /** Scan of each stream, keyed by `type/id`. */
  scans: Map<string, LogScan>;
  projections: CheckpointCheck[];
  processManagers: ProcessManagerCheck[];
  registry: JsonlCheck;
}

/** Scans the store `dir`; `onStream` is called after each stream (for a progress bar). */
export async function scanStore(
  dir: string,
  onStream: (done: number, total: number) => void = () => {},
): Promise<StoreScan> {
  const streams = listStreams(dir);
  const scans = new Map<string, LogScan>();
  // A few streams at a time: each is a handful of small async reads, so latency, not the disk, is the limit.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < streams.length) {
      const s = streams[next++]!;
      scans.set(s.name, await scanLog(s.dir));
      onStream(scans.size, streams.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, streams.length) }, worker));
  const projections: CheckpointCheck[] = [];
  for (const name of listProjections(dir)) {
    projections.push(await checkCheckpoint(dir, 'projection', name, streams, scans));
  }
  const processManagers: ProcessManagerCheck[] = [];
  for (const name of listProcessManagers(dir)) {
    const check = await checkCheckpoint(dir, 'process-manager', name, streams, scans);
    const deadLetters = checkJsonl(
      join(dir, STORE.processManagers, name, STORE.deadLetters),
      `dead letters of "${name}"`,
    );
    processManagers.push({ ...check, deadLetters });
  }
  const registry = checkJsonl(join(dir, STORE.registry), 'stream registry');
  return { dir, streams, scans, projections, processManagers, registry };
}
