/**
 * A problem found in a folder: which file, at which byte, what kind, and whether `verify --repair` may fix it.
 * @module
 */

/** Kinds of problems `verify` reports. */
export type ProblemKind =
  /** A complete line of the active log that is not a valid event. */
  | 'corrupt-line'
  /** The active log ends with a line without its newline (a crash mid-append). */
  | 'torn-tail'
  /** The active log ends with lines of an atomic batch whose last line never made it. */
  | 'unfinished-batch'
  /** A rotation was interrupted (`rotation.json` is present). */
  | 'rotation-pending'
  /** An archive frame cannot be read (cut, overwritten). */
  | 'corrupt-archive'
  /** A line inside the archive is not a valid event, or the archive ends mid-line or mid-batch. */
  | 'corrupt-archive-line'
  /** A view snapshot is unreadable, points past the end of the log, or its hash does not match. */
  | 'bad-snapshot'
  /** A projection or process-manager checkpoint is unreadable or one of its cursors is invalid. */
  | 'bad-checkpoint'
  /** A line of `meta/streams.jsonl` or of a `dead_letters.jsonl` is not valid JSON. */
  | 'corrupt-record';

/** One problem. `offset` is a byte offset in `file` (for archive lines: in the decompressed archive). */
export interface Problem {
  kind: ProblemKind;
  file: string;
  offset: number;
  message: string;
  /** Whether `verify --repair` fixes it (only repairs the engine itself applies on open). */
  repairable: boolean;
}
