/**
 * # core/log: the eventfold event log
 *
 * Your application state is a fold over an event log. One directory holds an append-only JSONL log
 * (`app.jsonl`), a zstd archive of rotated history (`archive.jsonl.zst`) and one snapshot per view
 * (`views/<name>.snapshot.json`). This is the TypeScript port of the Rust crate *eventfold* 0.2, file-compatible
 * with it, and hardened where it is weak: torn tails are repaired, batches are atomic, rotation is crash-safe,
 * lines of any length verify, the directory is fsynced.
 *
 * ## Quick start
 * ```ts
 * import { EventLog, createEvent } from './core/log/index.js';
 *
 * const log = await EventLog.builder('./data')
 *   .view('count', (n: number) => n + 1, 0)
 *   .open();
 * await log.append(createEvent('todo_added', { text: 'buy milk' })); // durable when it resolves
 * await log.refreshAll();
 * log.view<number>('count'); // 1
 * await log.close();
 * ```
 *
 * ## Key types
 * | type | what it is |
 * |---|---|
 * | {@link Event} | one line of the log: `{type, data, ts, id?, actor?, meta?}` |
 * | {@link EventWriter} | the exclusive, locked writer: `append`, `appendBatch`, `appendIf`, `rotate` |
 * | {@link EventReader} | lock-free reads: `readFrom(offset)`, `readFull()`, tailing with `waitForEvents` |
 * | {@link View} | a reducer folded over the log, snapshotted, refreshed incrementally |
 * | {@link EventLog} | writer + reader + registered views, auto-rotation, recovery report |
 * | {@link CommitJournal} | group commit across many logs: one `fdatasync` for the appends of a turn |
 * | {@link stateAt} | time travel: a fold up to an event count or a timestamp |
 * | {@link EventfoldError} | base of every typed error (`LockedError`, `AppendConflict`, `CorruptLogError`, ...) |
 *
 * @module
 */
export {
  createEvent,
  parseEvent,
  serializeEvent,
  toEvent,
  type CreateEventOptions,
  type Event,
} from './event.js';
export { lineHash, initHasher } from './hash.js';
export {
  AppendConflict,
  ClosedError,
  CorruptLogError,
  EventfoldError,
  InvalidEventError,
  LockedError,
  lockHolder,
  StaleOffsetError,
  WriteFailedError,
  type LockOwner,
} from './errors.js';
export { CorruptArchiveError, countArchiveFrames, readArchiveFrames } from './archive.js';
export {
  EventWriter,
  type AppendResult,
  type Durability,
  type WriterOptions,
  type WriterRecovery,
} from './writer.js';
export {
  CommitJournal,
  pendingJournalBytes,
  readJournal,
  type JournalEntry,
  type JournaledLog,
  type JournalOptions,
  type JournalRecovery,
} from './journal.js';
export {
  EventReader,
  type HistoryEntry,
  type ReadEntry,
  type ReadOptions,
  type WaitResult,
} from './reader.js';
export { View, initialState, type Initial, type Reducer, type RefreshReport } from './view.js';
export { deleteSnapshot, loadSnapshot, saveSnapshot, type Snapshot } from './snapshot.js';
export {
  EventLog,
  EventLogBuilder,
  UnknownViewError,
  DEFAULT_MAX_LOG_SIZE,
  type RecoveryReport,
} from './event-log.js';
export type { RotateResult, RotatableView, RotationRecovery } from './rotation.js';
export { stateAt, type PastState, type Until } from './time-travel.js';
export { acquireLock, readLockOwner, type HeldLock } from './lock.js';
export { silentLogger, type Logger } from './logger.js';
export type { EventVisitor, OnCorrupt, ScanResult, SkippedLine } from './lines.js';
export {
  logPaths,
  snapshotPath,
  ACTIVE_LOG,
  ARCHIVE,
  VIEWS_DIR,
  ROTATION_MARKER,
  LOCK_DIR,
  type LogPaths,
} from './paths.js';
export { writeFileAtomic, fsyncDir, makeDirs } from './fsutil.js';
