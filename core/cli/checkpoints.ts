/**
 * Projection and process-manager checkpoints of a store (`{"state","cursors":{"<type>/<id>":{"offset","hash"}}}`)
 * and the store's plain JSONL files (registry, dead letters), checked against the streams' logs.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventReader } from '../log/index.js';
import { STORE, streamRef, type StreamRef } from './layout.js';
import { eventsAfter, type LogScan } from './log-scan.js';
import type { Problem } from './problems.js';

/** `'projection'` lives in `projections/<name>/`, `'process-manager'` in `process_managers/<name>/`. */
export type CheckpointOwner = 'projection' | 'process-manager';

/** One cursor of a checkpoint, and how far its stream has moved on since. */
export interface CursorCheck {
  stream: string;
  offset: number;
  hash: string;
  /** Why the store would reject this cursor (and rebuild); null when valid. */
  problem: string | null;
  /** Bytes of the stream's active log after the cursor (the whole log when the cursor is invalid). */
  lagBytes: number;
  /** Committed events after the cursor (every event of the stream when the cursor is invalid). */
  lagEvents: number;
}

/** A checkpoint file and its cursors. */
export interface CheckpointCheck {
  owner: CheckpointOwner;
  name: string;
  file: string;
  /** False when the folder has no checkpoint yet (never run, or deleted for a rebuild). */
  exists: boolean;
  /** Why the whole file is unusable (unreadable JSON, missing fields); null when it parses. */
  problem: string | null;
  cursors: CursorCheck[];
  /** Streams of the aggregate types this checkpoint follows that it has no cursor for yet (new streams). */
  unseen: string[];
  /** Totals over cursors and unseen streams. */
  lag: { bytes: number; events: number; streams: number };
}

/** Where the checkpoint of `name` lives. */
export function checkpointFile(storeDir: string, owner: CheckpointOwner, name: string): string {
  const root = owner === 'projection' ? STORE.projections : STORE.processManagers;
  return join(storeDir, root, name, STORE.checkpoint);
}

function allEvents(scan: LogScan | undefined): number {
  return scan ? scan.archivedEvents + scan.activeEvents : 0;
}

/**
 * Reads and checks the checkpoint of `name` against the scans of the store's streams (keyed by `type/id`).
 * The aggregate types a checkpoint follows are taken from its cursors' keys (subscriptions live in the app's code).
 */
export async function checkCheckpoint(
  storeDir: string,
  owner: CheckpointOwner,
  name: string,
  streams: StreamRef[],
  scans: Map<string, LogScan>,
): Promise<CheckpointCheck> {
  const file = checkpointFile(storeDir, owner, name);
  const check: CheckpointCheck = {
    owner,
    name,
    file,
    exists: existsSync(file),
    problem: null,
    cursors: [],
    unseen: [],
    lag: { bytes: 0, events: 0, streams: 0 },
  };
  if (!check.exists) return check;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    check.problem = `the checkpoint is not valid JSON (${(err as Error).message})`;
    return check;
  }
  const v = parsed as { state?: unknown; cursors?: unknown } | null;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !('state' in v)) {
    check.problem = 'the checkpoint has no `state` field';
    return check;
  }
  if (v.cursors === null || typeof v.cursors !== 'object' || Array.isArray(v.cursors)) {
    check.problem = 'the checkpoint has no `cursors` object';
    return check;
  }
  const types = new Set<string>();
  for (const [key, raw] of Object.entries(v.cursors as Record<string, unknown>)) {
    const c = raw as { offset?: unknown; hash?: unknown } | null;
    const offset = typeof c?.offset === 'number' ? c.offset : -1;
    const hash = typeof c?.hash === 'string' ? c.hash : '';
    const cursor = await checkCursor(storeDir, key, offset, hash, c, scans);
    const ref = streamRef(storeDir, key);
    if (ref) types.add(ref.type);
    check.cursors.push(cursor);
  }
  check.cursors.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  const seen = new Set(check.cursors.map((c) => c.stream));
  for (const s of streams) {
    if (types.has(s.type) && !seen.has(s.name)) check.unseen.push(s.name);
  }
  for (const c of check.cursors) {
    if (c.lagEvents > 0 || c.lagBytes > 0) check.lag.streams++;
    check.lag.bytes += c.lagBytes;
    check.lag.events += c.lagEvents;
  }
  for (const name of check.unseen) {
    const scan = scans.get(name);
    const events = allEvents(scan);
    if (events > 0) check.lag.streams++;
    check.lag.bytes += scan?.activeBytes ?? 0;
    check.lag.events += events;
  }
  return check;
}

async function checkCursor(
  storeDir: string,
  key: string,
  offset: number,
  hash: string,
  raw: unknown,
  scans: Map<string, LogScan>,
): Promise<CursorCheck> {
  const ref = streamRef(storeDir, key);
  const scan = scans.get(key);
  const invalid = (problem: string): CursorCheck => ({
    stream: key,
    offset,
    hash,
    problem,
    lagBytes: scan?.activeBytes ?? 0,
    lagEvents: allEvents(scan),
  });
  if (raw === null || typeof raw !== 'object' || !Number.isInteger(offset) || offset < 0) {
    return invalid('the cursor has no valid `offset`');
  }
  if (!ref) return invalid(`"${key}" is not a stream name (type/id)`);
  if (!scan) return invalid(`the stream ${key} does not exist`);
  if (offset > scan.activeBytes) {
    return invalid(`offset ${offset} is beyond the end of the stream's log (${scan.activeBytes} bytes)`);
  }
  const actual = (await EventReader.open(ref.dir)).lineHashBefore(offset);
  if (actual !== hash) {
    return invalid(
      actual === null
        ? `offset ${offset} is not at the end of a line`
        : `hash ${hash} does not match the line before offset ${offset} (${actual})`,
    );
  }
  return {
    stream: key,
    offset,
    hash,
    problem: null,
    lagBytes: scan.activeBytes - offset,
    lagEvents: eventsAfter(scan, offset),
  };
}

/** Problems of a checkpoint, for `verify`. A projection's bad checkpoint is repairable (the store rebuilds it). */
export function checkpointProblems(check: CheckpointCheck): Problem[] {
  // Dropping a process manager's checkpoint would make it dispatch its commands again: never done automatically.
  const repairable = check.owner === 'projection';
  const what =
    check.owner === 'projection' ? `projection "${check.name}"` : `process manager "${check.name}"`;
  const fix = repairable
    ? '--repair deletes the checkpoint and the store rebuilds the projection on open'
    : 'fix it by hand: deleting it would make the process manager dispatch its commands again';
  if (check.problem) {
    return [
      {
        kind: 'bad-checkpoint',
        file: check.file,
        offset: 0,
        message: `${what}: ${check.problem}; ${fix}`,
        repairable,
      },
    ];
  }
  return check.cursors
    .filter((c) => c.problem !== null)
    .map((c) => ({
      kind: 'bad-checkpoint' as const,
      file: check.file,
      offset: 0,
      message: `${what}: cursor ${c.stream}: ${c.problem}; ${fix}`,
      repairable,
    }));
}

/** Records of a plain JSONL file (registry, dead letters) and its problems. */
export interface JsonlCheck {
  file: string;
  exists: boolean;
  records: number;
  problems: Problem[];
}

/** Counts the JSON records of `file` and reports lines that are not JSON objects (or a last line cut short). */
export function checkJsonl(file: string, what: string): JsonlCheck {
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch {
    return { file, exists: false, records: 0, problems: [] };
  }
  const problems: Problem[] = [];
  let records = 0;
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf(10, start);
    const end = nl < 0 ? text.length : nl;
    const line = text.toString('utf8', start, end).trim();
    if (line.length > 0) {
      let ok = false;
      try {
        const v: unknown = JSON.parse(line);
        ok = v !== null && typeof v === 'object' && !Array.isArray(v);
      } catch {
        ok = false;
      }
      if (ok && nl >= 0) records++;
      else {
        problems.push({
          kind: 'corrupt-record',
          file,
          offset: start,
          message:
            nl < 0
              ? `${what}: the last line is cut short at byte ${start} (no newline)`
              : `${what}: line at byte ${start} is not a JSON object`,
          repairable: false,
        });
      }
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  return { file, exists: true, records, problems };
}
