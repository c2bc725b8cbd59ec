/**
 * A full, read-only scan of a store: every stream's log, every projection and process-manager checkpoint, the
 * dead letters, the stream registry and the stream index.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkCheckpoint,
  checkJsonl,
  type CheckpointCheck,
  type CheckpointContext,
  type JsonlCheck,
} from './checkpoints.js';
import { listProcessManagers, listProjections, listStreams, STORE, type StreamRef } from './layout.js';
import { scanLog, type LogScan } from './log-scan.js';
import { checkStreamIndex, type StreamIndexCheck } from './stream-index.js';

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
  /** `meta/stream-index.json` against the logs. */
  streamIndex: StreamIndexCheck;
  /** The highest global position the store has given out (see {@link lastPosition}). */
  lastPosition: number;
}

/**
 * The highest global position the store has given out: its logs' highest `meta.seq`, or the lease in
 * `meta/sequence.json` when higher. On open, core/es resumes numbering above the lease and moves its consumers up
 * to it, so a checkpoint's position may lawfully be anywhere up to the lease without any event there.
 */
export function lastPosition(dir: string, scans: Map<string, LogScan>): number {
  let max = 0;
  for (const scan of scans.values()) if (scan.maxSeq > max) max = scan.maxSeq;
  let leased: unknown;
  try {
    leased = (JSON.parse(readFileSync(join(dir, STORE.sequence), 'utf8')) as { leased?: unknown }).leased;
  } catch {
    // Missing or unreadable: the store numbers from its logs' highest position, as this does.
    return max;
  }
  return typeof leased === 'number' && Number.isSafeInteger(leased) && leased > max ? leased : max;
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
  const ctx: CheckpointContext = { storeDir: dir, streams, scans, lastPosition: lastPosition(dir, scans) };
  const projections: CheckpointCheck[] = [];
  for (const name of listProjections(dir)) {
    projections.push(await checkCheckpoint(ctx, 'projection', name));
  }
  const processManagers: ProcessManagerCheck[] = [];
  for (const name of listProcessManagers(dir)) {
    const check = await checkCheckpoint(ctx, 'process-manager', name);
    const deadLetters = checkJsonl(
      join(dir, STORE.processManagers, name, STORE.deadLetters),
      `dead letters of "${name}"`,
    );
    processManagers.push({ ...check, deadLetters });
  }
  const registry = checkJsonl(join(dir, STORE.registry), 'stream registry');
  const streamIndex = checkStreamIndex(dir, streams, scans);
  return {
    dir,
    streams,
    scans,
    projections,
    processManagers,
    registry,
    streamIndex,
    lastPosition: ctx.lastPosition,
  };
}
