/**
 * Builders of the exact file states a crash leaves in a log directory, so crash tests can reopen them.
 * Each function writes what the OS would have on disk after the process died at one point.
 * @module
 */
import { compress } from '@mongodb-js/zstd';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { lineHash, logPaths, serializeEvent, type Event } from '../../core/log/index.js';

/** The pid of a process that has already exited (so it cannot hold anything). */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('could not spawn a child process');
  return child.pid;
}

/** The lock directory a writer leaves when killed: `app.jsonl.lock/owner.json` naming a dead pid. */
export function leaveStaleLock(dir: string): number {
  const pid = deadPid();
  const lock = logPaths(dir).lock;
  mkdirSync(lock, { recursive: true });
  writeFileSync(
    join(lock, 'owner.json'),
    JSON.stringify({ pid, hostname: hostname(), since: Date.now() - 1000 }),
  );
  return pid;
}

/** A write cut short: the first `keep` bytes of an event's line, no newline. */
export function tornLine(dir: string, event: Event, keep: number): string {
  const line = serializeEvent(event);
  const cut = line.slice(0, keep);
  appendFileSync(logPaths(dir).log, cut);
  return cut;
}

/**
 * An atomic batch cut short: the complete lines of all events but the last (each with `"more":true`), and then
 * `lastBytes` bytes of the final line (0 = the final line never started).
 */
export function tornBatch(dir: string, events: Event[], lastBytes = 0): void {
  const lines = events.map((e, i) => serializeEvent(e, i < events.length - 1));
  const body = lines.slice(0, -1).map((l) => `${l}\n`);
  appendFileSync(logPaths(dir).log, body.join('') + lines.at(-1)!.slice(0, lastBytes));
}

/** The content of `rotation.json` the writer puts down before touching the archive. */
export interface RotationMarker {
  archiveSize: number;
  activeSize: number;
  activeHash: string;
}

/** Writes the rotation marker for the current state of `dir` (archive size, active log size and last-line hash). */
export function writeRotationMarker(dir: string): RotationMarker {
  const paths = logPaths(dir);
  const log = readFileSync(paths.log);
  const lines = log.toString('utf8').split('\n');
  const last = lines.at(-2) ?? '';
  let archiveSize = 0;
  try {
    archiveSize = statSync(paths.archive).size;
  } catch {
    archiveSize = 0;
  }
  const marker = { archiveSize, activeSize: log.length, activeHash: log.length === 0 ? '' : lineHash(last) };
  writeFileSync(paths.marker, JSON.stringify(marker));
  return marker;
}

/** Appends the active log, compressed as one zstd frame, to the archive (rotation step 3). */
export async function appendActiveLogAsFrame(dir: string): Promise<number> {
  const paths = logPaths(dir);
  const frame = await compress(readFileSync(paths.log), 3);
  appendFileSync(paths.archive, frame);
  return frame.length;
}

/** Empties the active log (rotation step 4). */
export function truncateActiveLog(dir: string): void {
  writeFileSync(logPaths(dir).log, '');
}
