/**
 * `eventfold rotate <dir> [--stream type/id]`: moves the active log into the archive (one more zstd frame), as the
 * engine does when the log reaches its size limit. Refused while the app holds the folder.
 * @module
 */
import { stringOpt, type Command } from '../command.js';
import { CliError, FolderInUseError, UsageError } from '../errors.js';
import { describeLock, holdStoreLock, storeLocks } from '../locks.js';
import { formatBytes, plural } from '../format.js';
import { applyStoreJournal, journalJson, openFolder, type JournalReport } from '../journal.js';
import { listStreams, streamRef } from '../layout.js';
import { existsSync } from 'node:fs';
import { describeRecovery, openWriterFor } from '../writer-open.js';

/** `eventfold rotate`. */
export const rotateCommand: Command = {
  name: 'rotate',
  summary: 'move the active log into the archive now (refused while the app holds the folder)',
  positionals: ['<dir>'],
  options: {
    stream: {
      type: 'string',
      value: '<type/id>',
      description: 'store only (required there): the stream to rotate',
    },
  },
  description: `
Compresses app.jsonl into a new frame of archive.jsonl.zst and empties it, crash-safely (the engine's own rotation).
View snapshots that were up to date are moved to offset 0; others are rebuilt from the archive on next open.
Opening the log first applies the engine's usual repairs (torn last line, unfinished batch), which are reported.
In a store, only one stream is rotated (--stream). Its events keep their global positions (meta.seq) in the
archive and the store's stream index sees a rotation for what it is, so projections and process managers, which
checkpoint a position, rebuild nothing. Only in a store written by the Rust crate (checkpoints with a cursor per
stream) do the read models whose cursor was in that stream rebuild on next open.
A store's commit journal (meta/journal.jsonl) is applied first, under the store lock: appends a power cut kept
out of their logs are written back.
Refused (exit 1) while another process holds the log's lock.`,
  examples: ['eventfold rotate ./data', 'eventfold rotate ./store --stream contact/c-42 --json'],
  async run({ args, out }) {
    const dir = args.positionals[0]!;
    // Applied under the lock taken below, before the stream is opened.
    const { kind } = await openFolder(dir, out, { apply: false });
    const stream = stringOpt(args, 'stream');
    let logDir = dir;
    if (kind === 'log' && stream !== undefined) {
      throw new UsageError('--stream is for a store; this is a single log folder', 'rotate');
    }
    if (kind === 'store') {
      if (stream === undefined)
        throw new UsageError(
          'a store needs --stream <type>/<id>: its streams are rotated one by one',
          'rotate',
        );
      const ref = streamRef(dir, stream);
      if (!ref) throw new UsageError(`--stream takes <type>/<id>, not "${stream}"`, 'rotate');
      if (!existsSync(ref.dir)) {
        const n = listStreams(dir).length;
        throw new CliError(
          'NO_STREAM',
          `The store ${dir} has no stream ${stream} (it has ${plural(n, 'stream')}).`,
        );
      }
      // The app may hold the store without holding this stream right now (idle streams are closed): any held lock
      // means it runs, and rotating under it would pull the log from under the readers and stream index it holds.
      const held = storeLocks(dir).filter((l) => l.held);
      if (held.length > 0)
        throw new FolderInUseError(
          'rotate',
          held.map((l) => describeLock(l, dir)),
        );
      logDir = ref.dir;
    }
    const lock = kind === 'store' ? holdStoreLock(dir, 'rotate') : null;
    let result;
    let writer;
    let journal: JournalReport | null = null;
    try {
      // A journal line of this stream would otherwise be lost (or, after the rotation, point into the wrong log).
      if (lock) journal = await applyStoreJournal(dir, out, lock);
      writer = await openWriterFor(logDir, 'rotate');
      try {
        result = await writer.rotate();
      } finally {
        await writer.close();
      }
    } finally {
      lock?.release();
    }
    const repaired = describeRecovery(writer.recovery);
    const json = {
      ok: true,
      dir,
      ...(stream ? { stream } : {}),
      ...result,
      repaired,
      ...journalJson(journal),
    };
    await out.result(json, () =>
      [
        ...repaired.map((r) => `${logDir}: ${r}`),
        result.rotated
          ? `Rotated ${logDir}: ${formatBytes(result.bytes)} moved into the archive (${plural(result.frames, 'new frame')}).`
          : `Nothing to rotate: the active log of ${logDir} is empty.`,
      ].join('\n'),
    );
    return 0;
  },
};
