/**
 * `eventfold info <dir>`: what a folder holds. For a log folder: events, bytes (active/archived), archive frames,
 * views with their offsets and lag, the lock holder. For a store: streams per aggregate type, events, bytes,
 * projections and process managers with how far they have read (position or cursors) and their lag, dead letters,
 * the stream index, lock holders.
 * @module
 */
import { relative } from 'node:path';
import { checkpointValid, type CheckpointCheck } from '../checkpoints.js';
import type { Command } from '../command.js';
import { formatBytes, isoSeconds, plural, table } from '../format.js';
import { journalJson, journalText, openFolder, type JournalReport } from '../journal.js';
import { describeLock, logLock, storeLocks, type LockInfo } from '../locks.js';
import { eventsAfter, scanLog, type LogScan } from '../log-scan.js';
import { Progress } from '../progress.js';
import { checkSnapshots } from '../snapshots.js';
import { scanStore, type StoreScan } from '../store-scan.js';
import type { StreamIndexCheck } from '../stream-index.js';
import type { Event } from '../../log/index.js';

/** A lock as printed in `--json`. */
interface LockJson {
  path: string;
  held: boolean;
  pid: number | null;
  hostname: string | null;
  since: string | null;
}

function lockJson(l: LockInfo): LockJson {
  return {
    path: l.path,
    held: l.held,
    pid: l.owner?.pid ?? null,
    hostname: l.owner?.hostname ?? null,
    since: l.owner ? new Date(l.owner.since).toISOString() : null,
  };
}

function eventSummary(e: Event | null): { type: string; ts: number; time: string } | null {
  return e ? { type: e.type, ts: e.ts, time: isoSeconds(e.ts) } : null;
}

function lockText(locks: LockInfo[], dir: string): string {
  const held = locks.filter((l) => l.held);
  const stale = locks.filter((l) => !l.held);
  const lines: string[] = [];
  if (held.length === 0) lines.push('Lock: not locked');
  else lines.push(`Lock: held (${held.length}):`, ...held.map((l) => `  ${describeLock(l, dir)}`));
  if (stale.length > 0)
    lines.push(`  ${plural(stale.length, 'stale lock')} left by a crash (taken over on next open)`);
  return lines.join('\n');
}

async function logInfo(dir: string): Promise<{ json: object; text: string }> {
  const progress = new Progress('info', null, 'bytes');
  const scan = await scanLog(dir, (n) => progress.add(n));
  progress.finish();
  const total = scan.archivedEvents + scan.activeEvents;
  const views = (await checkSnapshots(dir, scan.activeBytes)).map((s) => ({
    name: s.name,
    offset: s.offset,
    hash: s.hash,
    valid: s.problem === null,
    problem: s.problem,
    // An invalid snapshot means a rebuild: the whole history is behind.
    lag:
      s.problem === null
        ? { bytes: scan.activeBytes - s.offset!, events: eventsAfter(scan, s.offset!) }
        : { bytes: scan.activeBytes, events: total },
  }));
  const lock = logLock(dir);
  const json = {
    ok: true,
    kind: 'log',
    dir,
    events: { total, archived: scan.archivedEvents, active: scan.activeEvents },
    bytes: { active: scan.activeBytes, archived: scan.archiveBytes },
    frames: scan.frames,
    lastEvent: eventSummary(scan.lastEvent),
    views,
    lock: lock ? lockJson(lock) : null,
    problems: scan.problems.length,
  };
  const lines = [
    `Log folder ${dir}`,
    `  ${plural(total, 'event')} (${scan.archivedEvents.toLocaleString('en-US')} archived, ${scan.activeEvents.toLocaleString('en-US')} active)`,
    `  ${formatBytes(scan.activeBytes)} active (app.jsonl), ${formatBytes(scan.archiveBytes)} archived in ${plural(scan.frames, 'frame')}`,
  ];
  if (scan.lastEvent) lines.push(`  last event: ${scan.lastEvent.type} at ${isoSeconds(scan.lastEvent.ts)}`);
  lines.push(views.length === 0 ? 'Views: none' : 'Views:');
  lines.push(
    table(
      views.map((v) => [
        v.name,
        v.valid ? `offset ${v.offset}` : 'invalid',
        v.valid
          ? v.lag.events === 0
            ? 'up to date'
            : `behind by ${plural(v.lag.events, 'event')} (${formatBytes(v.lag.bytes)})`
          : `${v.problem}: rebuilt on next open`,
      ]),
    ),
  );
  lines.push(lockText(lock ? [lock] : [], dir));
  if (scan.problems.length > 0) {
    lines.push(
      `${plural(scan.problems.length, 'problem')} found: run \`eventfold verify ${dir}\` for details.`,
    );
  }
  return { json, text: lines.filter((l) => l.length > 0).join('\n') };
}

function checkpointJson(c: CheckpointCheck): object {
  return {
    name: c.name,
    checkpoint: c.exists,
    valid: checkpointValid(c),
    problem: c.problem,
    mode: c.mode,
    position: c.position,
    types: c.types,
    cursors: c.cursors,
    ignoredCursors: c.ignoredCursors,
    unseen: c.unseen,
    lag: c.lag,
  };
}

function lagText(c: CheckpointCheck): string {
  if (c.lag.events === 0) return 'up to date';
  return `behind by ${plural(c.lag.events, 'event')} (${formatBytes(c.lag.bytes)}) in ${plural(c.lag.streams, 'stream')}`;
}

/** How far a valid checkpoint has read: its position and types, or its cursors. */
function readText(c: CheckpointCheck): string {
  if (c.mode === 'cursors') {
    const bad = c.cursors.filter((x) => x.problem !== null).length;
    return `${plural(c.cursors.length, 'cursor')}, ${lagText(c)}${bad > 0 ? `, ${plural(bad, 'invalid cursor')}` : ''}`;
  }
  const types = c.types === '*' || c.types === null ? 'all types' : c.types.join(', ') || 'no types';
  const ignored = c.ignoredCursors > 0 ? ` (${plural(c.ignoredCursors, 'old cursor')} ignored)` : '';
  return `position ${c.position ?? 0} (${types})${ignored}, ${lagText(c)}`;
}

function checkpointText(c: CheckpointCheck, extra = ''): string[] {
  let status: string;
  if (!c.exists) status = 'no checkpoint (built on next open)';
  else if (c.problem) status = `invalid: ${c.problem}`;
  else status = readText(c);
  return [`  ${c.name}: ${status}${extra}`];
}

function streamIndexJson(i: StreamIndexCheck): object {
  return { file: i.file, exists: i.exists, unreadable: i.unreadable, streams: i.streams, stale: i.stale };
}

/** One line: the stream index is a cache, so only whether it is there and how much of it is out of date. */
function streamIndexText(i: StreamIndexCheck): string {
  if (!i.exists) return 'Stream index: none (written by the app on open)';
  if (i.unreadable !== null)
    return `Stream index: unreadable (${i.unreadable}); the store rebuilds it on open`;
  const stale =
    i.stale.length === 0
      ? 'all up to date'
      : `${i.stale.length} behind their log (brought up to date on open)`;
  return `Stream index: ${plural(i.streams, 'stream')} recorded, ${stale}`;
}

async function storeInfo(
  dir: string,
  journal: JournalReport | null,
): Promise<{ json: object; text: string }> {
  const progress = new Progress('info', null, 'items');
  const store: StoreScan = await scanStore(dir, (done, total) => progress.set(done, total));
  progress.finish();
  const byType = new Map<string, { type: string; streams: number; events: number; bytes: number }>();
  let events = 0;
  let active = 0;
  let archived = 0;
  let problems = store.registry.problems.length;
  for (const s of store.streams) {
    const scan = store.scans.get(s.name) as LogScan;
    const t = byType.get(s.type) ?? { type: s.type, streams: 0, events: 0, bytes: 0 };
    const n = scan.archivedEvents + scan.activeEvents;
    t.streams++;
    t.events += n;
    t.bytes += scan.activeBytes + scan.archiveBytes;
    byType.set(s.type, t);
    events += n;
    active += scan.activeBytes;
    archived += scan.archiveBytes;
    problems += scan.problems.length;
  }
  const locks = storeLocks(dir);
  const deadLetters = store.processManagers.reduce((n, p) => n + p.deadLetters.records, 0);
  for (const p of store.processManagers) problems += p.deadLetters.problems.length;
  for (const c of [...store.projections, ...store.processManagers]) {
    if (c.exists && !checkpointValid(c)) problems++;
  }
  const types = [...byType.values()];
  const json = {
    ok: true,
    kind: 'store',
    dir,
    streams: store.streams.length,
    events,
    bytes: { active, archived },
    types,
    projections: store.projections.map(checkpointJson),
    processManagers: store.processManagers.map((p) => ({
      ...checkpointJson(p),
      deadLetters: p.deadLetters.records,
    })),
    deadLetters,
    registry: { entries: store.registry.records },
    streamIndex: streamIndexJson(store.streamIndex),
    lastPosition: store.lastPosition,
    ...journalJson(journal),
    locks: locks.map(lockJson),
    problems,
  };
  const lines = [
    `Store ${dir}`,
    `  ${plural(store.streams.length, 'stream')}, ${plural(events, 'event')}, ${formatBytes(active)} active, ${formatBytes(archived)} archived`,
  ];
  if (types.length > 0) {
    lines.push(
      table([
        ['type', 'streams', 'events', 'bytes'],
        ...types.map((t) => [t.type, String(t.streams), String(t.events), formatBytes(t.bytes)]),
      ]),
    );
  }
  lines.push(store.projections.length === 0 ? 'Projections: none' : 'Projections:');
  for (const p of store.projections) lines.push(...checkpointText(p));
  lines.push(store.processManagers.length === 0 ? 'Process managers: none' : 'Process managers:');
  for (const p of store.processManagers) {
    lines.push(...checkpointText(p, `, ${plural(p.deadLetters.records, 'dead letter')}`));
  }
  lines.push(`Dead letters: ${deadLetters}`);
  lines.push(streamIndexText(store.streamIndex));
  // Applied, it was told on stderr; held by the app, it is still there.
  if (journal?.held) lines.push(`Commit journal: ${journalText(journal)}`);
  lines.push(lockText(locks, dir));
  if (problems > 0) {
    lines.push(
      `${plural(problems, 'problem')} found: run \`eventfold verify ${relative(process.cwd(), dir) || '.'}\` for details.`,
    );
  }
  return { json, text: lines.join('\n') };
}

/** `eventfold info`. */
export const infoCommand: Command = {
  name: 'info',
  summary: 'what a log folder or store holds: events, sizes, views/projections and their lag, locks',
  positionals: ['<dir>'],
  options: {},
  description: `
For a log folder: events (archived and active), bytes of app.jsonl and of the archive, archive frames, every view
snapshot with its offset and lag (bytes and events behind the end of the log), and who holds the writer lock.
For a store (a folder with streams/): streams and events per aggregate type, bytes, every projection and process
manager with how far it has read and its lag, dead letters, the stream index (meta/stream-index.json, a cache of
where each stream ends: recorded streams and how many are behind their log), lock holders, and while the app holds
the store, the bytes in its commit journal (meta/journal.jsonl). A checkpoint written by the app holds a global position (events carry theirs as meta.seq) and the aggregate types it reads: its lag is
the events of those types numbered after it. A checkpoint of a store written by the Rust crate holds a cursor per
stream instead (its types are those of its cursors): each cursor is checked against its stream.
Read-only and safe while the app runs, with one exception: after a power cut, when no process holds the store,
the commit journal's appends are written back into their logs first (as the app does on open), and that is said.`,
  examples: ['eventfold info ./data', 'eventfold info ./store --json | jq .projections'],
  async run({ args, out }) {
    const dir = args.positionals[0]!;
    const { kind, journal } = await openFolder(dir, out);
    const { json, text } = kind === 'log' ? await logInfo(dir) : await storeInfo(dir, journal);
    await out.result(json, () => text);
    return 0;
  },
};
