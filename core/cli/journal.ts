/**
 * The commit journal of a store (`meta/journal.jsonl`, core/log's CommitJournal): after a power cut a stream log
 * may lack its last journaled bytes, which only the journal holds. A command must not read such a log stale, so
 * before it reads or writes a store, the journal is applied, under the store lock. While the app holds the lock
 * nothing is done: it applied the journal when it opened, and the bytes it journals since are in its logs.
 * @module
 */
import { join } from 'node:path';
import { CommitJournal, pendingJournalBytes, type HeldLock, type JournalRecovery } from '../log/index.js';
import { FolderInUseError } from './errors.js';
import { plural } from './format.js';
import { detectKind, STORE, type DirKind } from './layout.js';
import { holdStoreLock } from './locks.js';
import type { Output } from './output.js';

/** What a command found in a store's non-empty commit journal, and what it did with it. */
export interface JournalReport {
  file: string;
  /** Bytes of the journal entries found (what an open would apply). */
  bytes: number;
  /** Whether this command applied it (and emptied it). */
  applied: boolean;
  /** Whether a live process (the app) holds the store, which is why it was left alone. */
  held: boolean;
  /** When applied: what CommitJournal.open found and wrote back. */
  recovery: JournalRecovery | null;
}

/** The store's journal file. */
export function journalFile(storeDir: string): string {
  return join(storeDir, STORE.journal);
}

/**
 * Applies the commit journal of the store `storeDir` if it is not empty, and tells the user in one line on
 * stderr. With `lock` (a command that holds the store lock already) it is applied under that lock; without, the
 * store lock is taken for the while, and a held lock means the app runs: the journal is left to it.
 * Returns null when the journal is empty or missing.
 */
export async function applyStoreJournal(
  storeDir: string,
  out: Output,
  lock?: HeldLock,
): Promise<JournalReport | null> {
  const file = journalFile(storeDir);
  const bytes = await pendingJournalBytes(file);
  if (bytes === 0) return null;
  const report: JournalReport = { file, bytes, applied: false, held: false, recovery: null };
  let taken: HeldLock | null = null;
  if (!lock) {
    try {
      taken = holdStoreLock(storeDir, 'apply the commit journal');
    } catch (err) {
      if (!(err instanceof FolderInUseError)) throw err;
      report.held = true;
      return report;
    }
  }
  try {
    const journal = await CommitJournal.open(file, { base: storeDir });
    report.recovery = journal.recovery;
    await journal.close();
    report.applied = true;
  } finally {
    taken?.release();
  }
  out.note(`eventfold: ${journalText(report)}`);
  return report;
}

/** The one line that tells what applying the journal did. */
export function journalText(r: JournalReport): string {
  if (!r.applied || !r.recovery) {
    return `${plural(r.bytes, 'byte')} in the commit journal (the running app syncs them into the logs)`;
  }
  const { restored, skipped, corruptLines, entries } = r.recovery;
  const written = restored.reduce((n, x) => n + x.bytes, 0);
  let text =
    restored.length > 0
      ? `applied the commit journal: wrote back ${plural(written, 'byte')} to ${plural(restored.length, 'stream')} (a power cut had kept them out of their logs)`
      : `applied the commit journal: its ${plural(entries, 'entry', 'entries')} were already in their logs`;
  const notApplied = skipped.length + corruptLines;
  if (notApplied > 0) {
    text += `; ${plural(notApplied, 'line')} not applied (${[
      skipped.length > 0 ? `${skipped.length} for a log erased or rewritten since` : '',
      corruptLines > 0 ? `${corruptLines} torn, never acknowledged` : '',
    ]
      .filter((s) => s.length > 0)
      .join(', ')})`;
  }
  return text;
}

/** `{ journal }` for a command's `--json` document, or nothing when the journal was empty. */
export function journalJson(r: JournalReport | null): { journal?: object } {
  if (!r) return {};
  return {
    journal: {
      file: r.file,
      bytes: r.bytes,
      applied: r.applied,
      held: r.held,
      restored: r.recovery?.restored ?? [],
      skipped: r.recovery?.skipped ?? [],
      corruptLines: r.recovery?.corruptLines ?? 0,
    },
  };
}

/**
 * What every command starts with: whether `dir` is a log folder or a store, and for a store, its commit
 * journal applied ({@link applyStoreJournal}) unless `apply` is false (a command that applies it under the store
 * lock it takes itself, before it touches a stream).
 * @throws NotEventfoldDirError
 */
export async function openFolder(
  dir: string,
  out: Output,
  options: { apply?: boolean } = {},
): Promise<{ kind: DirKind; journal: JournalReport | null }> {
  const kind = detectKind(dir);
  const journal = kind === 'store' && options.apply !== false ? await applyStoreJournal(dir, out) : null;
  return { kind, journal };
}
