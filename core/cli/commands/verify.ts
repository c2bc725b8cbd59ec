/**
 * `eventfold verify <dir> [--repair]`: checks every line of every log and archive frame, every snapshot and
 * checkpoint, and reports each problem with its file and byte offset. `--repair` applies only what the engine
 * itself does on open: truncate a torn last line or an unfinished batch and settle an interrupted rotation (by
 * opening an EventWriter, which reports what it did), and drop snapshots and projection checkpoints it would reject.
 * @module
 */
import { dirname, resolve } from 'node:path';
import { deleteSnapshot, logPaths } from '../../log/index.js';
import { checkpointProblems } from '../checkpoints.js';
import { flag, type Command } from '../command.js';
import { FolderInUseError } from '../errors.js';
import { plural } from '../format.js';
import type { DirKind } from '../layout.js';
import { applyStoreJournal, journalJson, openFolder } from '../journal.js';
import { describeLock, holdStoreLock, logLock, storeLocks } from '../locks.js';
import { scanLog } from '../log-scan.js';
import type { Problem } from '../problems.js';
import { Progress } from '../progress.js';
import { checkSnapshots } from '../snapshots.js';
import { scanStore } from '../store-scan.js';
import { streamIndexNotes } from '../stream-index.js';
import { fileSize, removeFileIfExists } from '../fs.js';
import { describeRecovery, openWriterFor } from '../writer-open.js';

/** What was checked. */
interface Checked {
  logs: number;
  lines: number;
  frames: number;
  snapshots: number;
  checkpoints: number;
  records: number;
}

/** Something worth knowing that is not a problem (the store fixes it by itself on open). */
interface Note {
  file: string;
  message: string;
}

/** A verification pass: the problems, the notes and what was checked, plus the log folders involved. */
interface Verification {
  problems: Problem[];
  notes: Note[];
  checked: Checked;
  logDirs: string[];
}

/** One repair that was applied. */
interface Repair {
  file: string;
  action: string;
}

function snapshotProblem(file: string, offset: number | null, problem: string): Problem {
  return {
    kind: 'bad-snapshot',
    file,
    offset: offset ?? 0,
    message: `snapshot rejected: ${problem}; --repair deletes it and the view is rebuilt on next open`,
    repairable: true,
  };
}

async function verifyLogDir(
  dir: string,
  checked: Checked,
  onBytes?: (n: number) => void,
): Promise<Problem[]> {
  const scan = await scanLog(dir, onBytes);
  const snaps = await checkSnapshots(dir, scan.activeBytes);
  checked.logs++;
  checked.lines += scan.lines;
  checked.frames += scan.frames;
  checked.snapshots += snaps.length;
  return [
    ...scan.problems,
    ...snaps.filter((s) => s.problem !== null).map((s) => snapshotProblem(s.file, s.offset, s.problem!)),
  ];
}

async function verify(dir: string, kind: DirKind, label: string): Promise<Verification> {
  const checked: Checked = { logs: 0, lines: 0, frames: 0, snapshots: 0, checkpoints: 0, records: 0 };
  if (kind === 'log') {
    const progress = new Progress(label, null, 'bytes');
    const problems = await verifyLogDir(dir, checked, (n) => progress.add(n));
    progress.finish();
    return { problems, notes: [], checked, logDirs: [dir] };
  }
  const progress = new Progress(label, null, 'items');
  const store = await scanStore(dir, (done, total) => progress.set(done, total));
  progress.finish();
  const problems: Problem[] = [];
  for (const s of store.streams) {
    const scan = store.scans.get(s.name)!;
    const snaps = await checkSnapshots(s.dir, scan.activeBytes);
    checked.logs++;
    checked.lines += scan.lines;
    checked.frames += scan.frames;
    checked.snapshots += snaps.length;
    problems.push(...scan.problems);
    for (const snap of snaps)
      if (snap.problem) problems.push(snapshotProblem(snap.file, snap.offset, snap.problem));
  }
  for (const c of [...store.projections, ...store.processManagers]) {
    if (c.exists) checked.checkpoints++;
    problems.push(...checkpointProblems(c, dir));
  }
  for (const pm of store.processManagers) {
    checked.records += pm.deadLetters.records;
    problems.push(...pm.deadLetters.problems);
  }
  checked.records += store.registry.records;
  problems.push(...store.registry.problems);
  const notes = streamIndexNotes(store.streamIndex);
  return { problems, notes, checked, logDirs: store.streams.map((s) => s.dir) };
}

const TAIL_KINDS = new Set(['torn-tail', 'unfinished-batch', 'rotation-pending']);

/** Applies the safe repairs for `found`; returns what was done. */
async function repair(dir: string, kind: DirKind, found: Verification): Promise<Repair[]> {
  const done: Repair[] = [];
  // 1. What the writer repairs on open: torn tail, unfinished batch, interrupted rotation.
  for (const logDir of found.logDirs) {
    const needs = found.problems.some(
      (p) => p.repairable && TAIL_KINDS.has(p.kind) && resolve(dirname(p.file)) === resolve(logDir),
    );
    if (!needs) continue;
    const writer = await openWriterFor(logDir, 'repair');
    const recovery = writer.recovery;
    await writer.close();
    const file = recovery.rotation === 'none' ? writer.paths.log : logDir;
    for (const action of describeRecovery(recovery)) done.push({ file, action });
  }
  // 2. Snapshots the views would reject (checked again: the log may have just been truncated).
  for (const logDir of found.logDirs) {
    for (const s of await checkSnapshots(logDir, fileSize(logPaths(logDir).log))) {
      if (s.problem === null) continue;
      deleteSnapshot(s.file);
      done.push({
        file: s.file,
        action: `deleted the snapshot (${s.problem}); the view is rebuilt on next open`,
      });
    }
  }
  // 3. Projection checkpoints the store would reject (after the streams' repairs).
  if (kind === 'store') {
    const store = await scanStore(dir);
    for (const p of store.projections) {
      if (checkpointProblems(p, dir).length === 0) continue;
      removeFileIfExists(p.file);
      done.push({
        file: p.file,
        action: `deleted the checkpoint of projection "${p.name}"; the store rebuilds it on open`,
      });
    }
  }
  return done;
}

function problemText(p: Problem): string {
  return `  ${p.file}: ${p.message}${p.repairable ? '' : ' [not repairable]'}`;
}

function checkedText(c: Checked): string {
  const parts = [
    plural(c.logs, 'log'),
    plural(c.lines, 'line'),
    plural(c.frames, 'archive frame'),
    plural(c.snapshots, 'snapshot'),
  ];
  if (c.checkpoints > 0) parts.push(plural(c.checkpoints, 'checkpoint'));
  if (c.records > 0) parts.push(plural(c.records, 'record'));
  return parts.join(', ');
}

/** `eventfold verify`. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check every line, archive frame, snapshot and checkpoint; --repair applies the safe repairs',
  positionals: ['<dir>'],
  options: {
    repair: {
      type: 'boolean',
      description:
        'apply the repairs the engine itself applies on open, and say what was done (refused while the folder is in use)',
    },
  },
  description: `
Scans every line of the active log(s) and every frame and line of the archive(s), every view snapshot (its offset
must be inside the log and the hash of the line before it must match) and, for a store, every projection and
process-manager checkpoint, the dead letters and the stream registry. A checkpoint written by the app holds a
global position (events carry theirs as meta.seq): one beyond the last position the store gave out is a problem
(the store would skip new events up to it; \`eventfold rebuild --projection <name>\` rebuilds a projection). A
checkpoint of a store written by the Rust crate holds a cursor per stream: each is checked against its stream.
Entries of the stream index (meta/stream-index.json) that are behind or off their log are notes, not problems:
it is a cache the store checks and brings up to date on open. After a power cut, when no process holds the store,
the commit journal (meta/journal.jsonl) is applied first, as the app does on open: appends it kept out of their
logs are written back, and that is said; a journal line that cannot be applied is not a problem here.
Each problem is reported with its file and byte offset (for archive lines: the offset in the decompressed archive).

--repair only does what opening the log would do anyway: truncate a torn last line or an unfinished atomic batch,
finish or undo an interrupted rotation, delete snapshots the views would reject, and delete projection checkpoints
the store would reject (so they are rebuilt). It never deletes a committed line, never touches an archive, and never
drops a process manager's checkpoint (that would dispatch its commands again). It refuses while the app holds the
folder. Exit code 0 when no problem is left, 1 otherwise.`,
  examples: [
    'eventfold verify ./data',
    'eventfold verify ./store --repair',
    'eventfold verify ./data --json | jq ".problems[].message"',
  ],
  async run({ args, out }) {
    const dir = args.positionals[0]!;
    const wantRepair = flag(args, 'repair');
    const { kind, journal } = await openFolder(dir, out);
    if (wantRepair) {
      const held = (kind === 'log' ? [logLock(dir)] : storeLocks(dir)).filter((l) => l?.held);
      if (held.length > 0)
        throw new FolderInUseError(
          'repair',
          held.map((l) => describeLock(l!, dir)),
        );
    }
    const found = await verify(dir, kind, 'verify');
    let final = found;
    let repaired: Repair[] = [];
    if (wantRepair && found.problems.some((p) => p.repairable)) {
      const lock = kind === 'store' ? holdStoreLock(dir, 'repair') : null;
      try {
        // Again under the lock: the app may have run (and lost power) since the check.
        if (lock) await applyStoreJournal(dir, out, lock);
        repaired = await repair(dir, kind, found);
      } finally {
        lock?.release();
      }
      final = await verify(dir, kind, 'recheck');
    }
    const problems = final.problems;
    const repairable = problems.filter((p) => p.repairable).length;
    const json = {
      ok: problems.length === 0,
      kind,
      dir,
      checked: found.checked,
      problems,
      // A log folder has no cache to note: its JSON stays as it was.
      ...(kind === 'store' ? { notes: final.notes } : {}),
      ...journalJson(journal),
      ...(wantRepair ? { found: found.problems, repaired } : {}),
    };
    await out.result(json, () => {
      const lines = [
        `Verified ${kind === 'log' ? 'log folder' : 'store'} ${dir}: ${checkedText(found.checked)}.`,
      ];
      if (wantRepair && found.problems.length > 0) {
        lines.push(`Found ${plural(found.problems.length, 'problem')}:`, ...found.problems.map(problemText));
        lines.push(repaired.length > 0 ? 'Repaired:' : 'Nothing could be repaired safely.');
        lines.push(...repaired.map((r) => `  ${r.file}: ${r.action}`));
      }
      lines.push(...final.notes.map((n) => `  note: ${n.file}: ${n.message}`));
      if (problems.length === 0)
        lines.push(
          wantRepair && found.problems.length > 0 ? 'OK: no problems left.' : 'OK: no problems found.',
        );
      else {
        if (!wantRepair) lines.push(...problems.map(problemText));
        else lines.push(`Still ${plural(problems.length, 'problem')}:`, ...problems.map(problemText));
        const hint = !wantRepair && repairable > 0 ? ` (${repairable} can be repaired with --repair)` : '';
        lines.push(`${plural(problems.length, 'problem')} found${hint}.`);
      }
      return lines.join('\n');
    });
    return problems.length === 0 ? 0 : 1;
  },
};
