/**
 * Reading a log backwards from a line end: the hash check behind snapshots and `appendIf`, and the torn-tail
 * repair on open. No length limit (the Rust crate scans back 8 KiB at most and fails on longer lines).
 * @module
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readFully } from './fsutil.js';
import { lineHash } from './hash.js';

const STEP = 8192;

/** One line found by {@link lineBefore}: its first byte's offset and its bytes (without `\r\n`). */
export interface TailLine {
  start: number;
  bytes: Buffer;
}

/**
 * The line that ends at byte `end` (its newline is byte `end - 1`), read backwards from an open fd.
 * Returns `null` when `end` is 0 or byte `end - 1` is not a newline.
 */
export function lineBefore(fd: number, end: number): TailLine | null {
  if (end <= 0) return null;
  const nlByte = Buffer.allocUnsafe(1);
  if (readSync(fd, nlByte, 0, 1, end - 1) !== 1 || nlByte[0] !== 10) return null;
  const parts: Buffer[] = [];
  let stop = end - 1;
  let start = 0;
  while (stop > 0) {
    const from = Math.max(0, stop - STEP);
    const buf = Buffer.allocUnsafe(stop - from);
    const n = readSync(fd, buf, 0, stop - from, from);
    const chunk = buf.subarray(0, n);
    const nl = chunk.lastIndexOf(10);
    if (nl >= 0) {
      parts.unshift(chunk.subarray(nl + 1));
      start = from + nl + 1;
      break;
    }
    parts.unshift(chunk);
    stop = from;
  }
  let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  if (bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
  return { start, bytes };
}

/** The hash of the line ending at `end` in an open fd; `''` for 0; `null` if `end` is not a line end. */
export function hashBefore(fd: number, end: number): string | null {
  if (end === 0) return '';
  const line = lineBefore(fd, end);
  return line ? lineHash(line.bytes) : null;
}

/** {@link hashBefore} on a file path; `null` if the file is missing. */
export function hashBeforeInFile(path: string, end: number): string | null {
  if (end === 0) return '';
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    return hashBefore(fd, end);
  } finally {
    closeSync(fd);
  }
}

/** Offset just after the last `\n` in the first `size` bytes of an fd (0 if none): where a torn tail begins. */
export function lastLineEnd(fd: number, size: number): number {
  let end = size;
  while (end > 0) {
    const from = Math.max(0, end - 65536);
    const buf = Buffer.allocUnsafe(end - from);
    const n = readSync(fd, buf, 0, end - from, from);
    const nl = buf.subarray(0, n).lastIndexOf(10);
    if (nl >= 0) return from + nl + 1;
    end = from;
  }
  return 0;
}

/** Reads `len` bytes at `pos` of an fd (fewer at EOF). */
export function readRange(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  return buf.subarray(0, readFully(fd, buf, len, pos));
}
