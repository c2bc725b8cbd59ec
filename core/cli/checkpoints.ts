/**
 * Projection and process-manager checkpoints of a store and the store's plain JSONL files (registry, dead
 * letters), checked against the streams' logs. A checkpoint core/es writes is `{"state","position","version",
 * "types"}`: consumed up to global position `position` (events carry it as `meta.seq`) over the aggregate types
 * `types`. The eventfold-es 0.2 shape `{"state","cursors":{"<type>/<id>":{"offset","hash"}}}` (Rust data, whose
 * events are unnumbered) is checked cursor by cursor; a checkpoint with both a position and cursors (written by
 * older versions of core/es) is read by its position, as the store ignores its cursors.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventReader } from '../log/index.js';
import { STORE, streamRef, type StreamRef } from './layout.js';
import { eventsAfter, eventsAfterPosition, type LogScan } from './log-scan.js';
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

/** How a checkpoint says what it has read: a global position (core/es), or a cursor per stream (Rust data). */
export type CheckpointMode = 'position' | 'cursors';

/** A checkpoint file, how far it has read, and its lag. */
export interface CheckpointCheck {
  owner: CheckpointOwner;
  name: string;
  file: string;
  /** False when the folder has no checkpoint yet (never run, or deleted for a rebuild). */
  exists: boolean;
  /** Why the store would not use the checkpoint (unreadable, missing fields, a position it never gave); null if it would. */
  problem: string | null;
  /** Null when the checkpoint is missing or unreadable. */
  mode: CheckpointMode | null;
  /** The global position consumed (position mode), else null. */
  position: number | null;
  /** The aggregate types it reads (position mode; `'*'`: all), else null (cursor mode: the types of its cursors). */
  types: readonly string[] | '*' | null;
  /** Cursor mode: each cursor, checked. Empty in position mode. */
  cursors: CursorCheck[];
  /** Position mode: cursors left by an older version, which the store ignores. */
  ignoredCursors: number;
  /** Cursor mode: streams of the aggregate types it follows that it has no cursor for yet (new streams). */
  unseen: string[];
  /** Events not read yet, the bytes of active log they take, and the streams holding them. */
  lag: { bytes: number; events: number; streams: number };
}

/** What a checkpoint is checked against. */
export interface CheckpointContext {
  storeDir: string;
  streams: StreamRef[];
  /** Scan of each stream, keyed by `type/id`. */
  scans: Map<string, LogScan>;
  /** The highest global position the store has given out (its logs' highest `meta.seq`, or its lease above it). */
  lastPosition: number;
}

/** Where the checkpoint of `name` lives. */
export function checkpointFile(storeDir: string, owner: CheckpointOwner, name: string): string {
  const root = owner === 'projection' ? STORE.projections : STORE.processManagers;
  return join(storeDir, root, name, STORE.checkpoint);
}

/** Whether the store would use the checkpoint as it is (it exists, and neither it nor any cursor has a problem). */
export function checkpointValid(c: CheckpointCheck): boolean {
  return c.exists && c.problem === null && c.cursors.every((x) => x.problem === null);
}

function allEvents(scan: LogScan | undefined): number {
  return scan ? scan.archivedEvents + scan.activeEvents : 0;
}

/** The fields of a checkpoint the checks look at. */
interface RawCheckpoint {
  state?: unknown;
  cursors?: unknown;
  position?: unknown;
  types?: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reads and checks the checkpoint of `name` (see the module comment for the two shapes). */
export async function checkCheckpoint(
  ctx: CheckpointContext,
  owner: CheckpointOwner,
  name: string,
): Promise<CheckpointCheck> {
  const file = checkpointFile(ctx.storeDir, owner, name);
  const check: CheckpointCheck = {
    owner,
    name,
    file,
    exists: existsSync(file),
    problem: null,
    mode: null,
    position: null,
    types: null,
    cursors: [],
    ignoredCursors: 0,
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
  if (!isObject(parsed) || !('state' in parsed)) {
    check.problem = 'the checkpoint has no `state` field';
    return check;
  }
  const v = parsed as RawCheckpoint;
  check.problem = shapeProblem(v);
  if (check.problem) return check;
  if (typeof v.position === 'number' && v.position > 0) {
    checkPosition(ctx, check, v);
  } else if (isObject(v.cursors)) {
    await checkCursors(ctx, check, v.cursors);
  } else {
    checkPosition(ctx, check, v);
  }
  return check;
}

/** Why the store would reject the file outright (as core/es loadCheckpoint does), or null. */
function shapeProblem(v: RawCheckpoint): string | null {
  if (v.position !== undefined) {
    const p = v.position;
    if (typeof p !== 'number' || !Number.isSafeInteger(p) || p < 0)
      return "the checkpoint's `position` is not a non-negative integer";
  }
  if (v.cursors === undefined) {
    // Without cursors the position is all the store goes by: a missing one would replay every event onto the state.
    return v.position === undefined ? 'the checkpoint has neither a `position` nor a `cursors` object' : null;
  }
  if (!isObject(v.cursors)) return "the checkpoint's `cursors` is not an object";
  // The store validates every cursor's shape even when it goes by the position (and rebuilds on a bad one).
  for (const [key, raw] of Object.entries(v.cursors)) {
    const c = raw as { offset?: unknown; hash?: unknown } | null;
    const shaped =
      isObject(c) && Number.isInteger(c.offset) && (c.offset as number) >= 0 && typeof c.hash === 'string';
    if (!shaped && typeof v.position === 'number' && v.position > 0)
      return `the checkpoint's cursor for ${key} has no valid \`offset\` and \`hash\``;
  }
  return null;
}

/**
 * The types a position checkpoint reads. Missing or malformed means every type: core/es writes `types` for tools
 * only and never reads it back, so a bad value is no reason to reject the checkpoint.
 */
function typesOf(raw: unknown): readonly string[] | '*' {
  if (Array.isArray(raw) && raw.every((t) => typeof t === 'string')) return raw as string[];
  return '*';
}

/** A position checkpoint: lag from each stream's `meta.seq`s; a position the store never gave is a problem. */
function checkPosition(ctx: CheckpointContext, check: CheckpointCheck, v: RawCheckpoint): void {
  const position = (v.position as number | undefined) ?? 0;
  const types = typesOf(v.types);
  check.mode = 'position';
  check.position = position;
  check.types = types;
  check.ignoredCursors = isObject(v.cursors) ? Object.keys(v.cursors).length : 0;
  if (position > ctx.lastPosition) {
    check.problem = `position ${position} is beyond the last position the store gave out (${ctx.lastPosition}): the store does not know the events it says were read (restored from an older backup, or copied from another store?) and would skip new ones up to it`;
  }
  const follows = types === '*' ? () => true : (t: string) => types.includes(t);
  for (const s of ctx.streams) {
    const scan = ctx.scans.get(s.name);
    if (!scan || !follows(s.type)) continue;
    const lag = eventsAfterPosition(scan, position);
    if (lag.events > 0) check.lag.streams++;
    check.lag.events += lag.events;
    check.lag.bytes += lag.bytes;
  }
}

/** A cursor checkpoint (eventfold-es 0.2): every cursor against its stream; its types are its cursors' types. */
async function checkCursors(
  ctx: CheckpointContext,
  check: CheckpointCheck,
  cursors: Record<string, unknown>,
): Promise<void> {
  check.mode = 'cursors';
  const types = new Set<string>();
  for (const [key, raw] of Object.entries(cursors)) {
    const c = raw as { offset?: unknown; hash?: unknown } | null;
    const offset = typeof c?.offset === 'number' ? c.offset : -1;
    const hash = typeof c?.hash === 'string' ? c.hash : '';
    const ref = streamRef(ctx.storeDir, key);
    if (ref) types.add(ref.type);
    check.cursors.push(await checkCursor(ctx, key, offset, hash, c));
  }
  check.cursors.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  const seen = new Set(check.cursors.map((c) => c.stream));
  for (const s of ctx.streams) {
    if (types.has(s.type) && !seen.has(s.name)) check.unseen.push(s.name);
  }
  for (const c of check.cursors) {
    if (c.lagEvents > 0 || c.lagBytes > 0) check.lag.streams++;
    check.lag.bytes += c.lagBytes;
    check.lag.events += c.lagEvents;
  }
  for (const name of check.unseen) {
    const scan = ctx.scans.get(name);
    const events = allEvents(scan);
    if (events > 0) check.lag.streams++;
    check.lag.bytes += scan?.activeBytes ?? 0;
    check.lag.events += events;
  }
}

async function checkCursor(
  ctx: CheckpointContext,
  key: string,
  offset: number,
  hash: string,
  raw: unknown,
): Promise<CursorCheck> {
  const ref = streamRef(ctx.storeDir, key);
  const scan = ctx.scans.get(key);
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
export function checkpointProblems(check: CheckpointCheck, storeDir: string): Problem[] {
  // Dropping a process manager's checkpoint would make it dispatch its commands again: never done automatically.
  const repairable = check.owner === 'projection';
  const what =
    check.owner === 'projection' ? `projection "${check.name}"` : `process manager "${check.name}"`;
  const fix = repairable
    ? `--repair (or \`eventfold rebuild ${storeDir} --projection ${check.name}\`) deletes the checkpoint and the store rebuilds the projection on open`
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
