/**
 * `eventfold rebuild <dir> [--view V | --projection P]`: deletes snapshots and projection checkpoints so the engine
 * rebuilds them from the events on next open. Refused while the app holds the folder.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deleteSnapshot, snapshotPath, VIEWS_DIR } from '../../log/index.js';
import { checkpointFile } from '../checkpoints.js';
import { stringOpt, type Command } from '../command.js';
import { CliError, FolderInUseError, UsageError } from '../errors.js';
import { removeFileIfExists } from '../fs.js';
import { plural } from '../format.js';
import { applyStoreJournal, journalJson, openFolder, type JournalReport } from '../journal.js';
import { listProjections, listStreams } from '../layout.js';
import { describeLock, holdStoreLock, logLock, storeLocks } from '../locks.js';
import { Progress } from '../progress.js';
import { snapshotNames } from '../snapshots.js';

/** The files to delete for a log folder. */
function logTargets(dir: string, view: string | undefined): string[] {
  const names = snapshotNames(dir);
  if (view === undefined) return names.map((n) => snapshotPath(join(dir, VIEWS_DIR), n));
  if (!names.includes(view)) {
    throw new CliError(
      'NO_VIEW',
      `${dir} has no snapshot of a view "${view}" (snapshots: ${names.join(', ') || 'none'}).`,
    );
  }
  return [snapshotPath(join(dir, VIEWS_DIR), view)];
}

/** The files to delete for a store. */
function storeTargets(dir: string, view: string | undefined, projection: string | undefined): string[] {
  const projections = listProjections(dir);
  if (projection !== undefined) {
    if (!projections.includes(projection)) {
      throw new CliError(
        'NO_PROJECTION',
        `The store ${dir} has no projection "${projection}" (projections: ${projections.join(', ') || 'none'}).`,
      );
    }
    return [checkpointFile(dir, 'projection', projection)].filter((f) => existsSync(f));
  }
  const snapshots: string[] = [];
  for (const s of listStreams(dir)) {
    for (const n of snapshotNames(s.dir))
      if (view === undefined || n === view) snapshots.push(snapshotPath(join(s.dir, VIEWS_DIR), n));
  }
  if (view !== undefined) return snapshots;
  return [
    ...projections.map((p) => checkpointFile(dir, 'projection', p)).filter((f) => existsSync(f)),
    ...snapshots,
  ];
}

/** `eventfold rebuild`. */
export const rebuildCommand: Command = {
  name: 'rebuild',
  summary:
    'delete snapshots / projection checkpoints so they are rebuilt on next open (refused while in use)',
  positionals: ['<dir>'],
  options: {
    view: {
      type: 'string',
      value: '<name>',
      description: "only this view's snapshot (in a store: in every stream, e.g. state)",
    },
    projection: {
      type: 'string',
      value: '<name>',
      description: "store only: only this projection's checkpoint",
    },
  },
  description: `
Deletes derived data so the engine recomputes it from the events the next time the folder is opened: for a log
folder, the view snapshots (views/*.snapshot.json); for a store, every projection checkpoint and every stream's
snapshots. --view or --projection narrows it to one. Events are never touched. Process-manager checkpoints are never
deleted: a process manager replaying from scratch would dispatch its commands again.
This is also the fix for a projection whose checkpoint \`eventfold verify\` rejects (say, a position beyond the last
one the store gave out, after its logs were restored from an older backup). Rotating a stream does not call for it:
positions are kept in the archive.
A store's commit journal (meta/journal.jsonl) is applied first, under the store lock: appends a power cut kept
out of their logs are written back.
Refused (exit 1) while the app holds the folder.`,
  examples: ['eventfold rebuild ./data --view todos', 'eventfold rebuild ./store --projection contact_list'],
  async run({ args, out }) {
    const dir = args.positionals[0]!;
    const view = stringOpt(args, 'view');
    const projection = stringOpt(args, 'projection');
    if (view !== undefined && projection !== undefined) {
      throw new UsageError('give --view or --projection, not both', 'rebuild');
    }
    // Applied under the lock taken below, before any stream's file is deleted.
    const { kind } = await openFolder(dir, out, { apply: false });
    if (kind === 'log' && projection !== undefined) {
      throw new UsageError(
        '--projection is for a store; this is a single log folder (use --view)',
        'rebuild',
      );
    }
    const held = (kind === 'log' ? [logLock(dir)] : storeLocks(dir)).filter((l) => l?.held);
    if (held.length > 0)
      throw new FolderInUseError(
        'rebuild',
        held.map((l) => describeLock(l!, dir)),
      );
    const targets = kind === 'log' ? logTargets(dir, view) : storeTargets(dir, view, projection);
    const progress = new Progress('rebuild', targets.length, 'items');
    const deleted: string[] = [];
    const lock = kind === 'store' ? holdStoreLock(dir, 'rebuild') : null;
    let journal: JournalReport | null = null;
    try {
      if (lock) journal = await applyStoreJournal(dir, out, lock);
      for (const f of targets) {
        if (f.endsWith('.snapshot.json')) {
          deleteSnapshot(f);
          deleted.push(f);
        } else if (removeFileIfExists(f)) deleted.push(f);
        progress.add();
      }
    } finally {
      lock?.release();
    }
    progress.finish();
    await out.result({ ok: true, kind, dir, deleted, ...journalJson(journal) }, () =>
      deleted.length === 0
        ? 'Nothing to delete: no snapshot or checkpoint exists yet (the engine builds them on open).'
        : [
            `Deleted ${plural(deleted.length, 'file')}; the engine rebuilds ${deleted.length === 1 ? 'it' : 'them'} from the events on next open:`,
            ...deleted.map((f) => `  ${f}`),
          ].join('\n'),
    );
    return 0;
  },
};
