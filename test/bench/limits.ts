/**
 * Physical limits: the bare loops a log engine cannot beat on this machine (write+fdatasync, batched write+sync,
 * decompress+split+JSON.parse; for core/es: concurrent syncs over many files, bulk file creation, reading every
 * stream of a store), measured in the same run and on the same disk as the engine.
 * @module
 */
import { decompress } from '@mongodb-js/zstd';
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { logPaths } from '../../core/log/index.js';
import type { LogDataset } from './data.js';
import { elapsedUs } from './stats.js';

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/** A bare appender: `writeSync` + `fdatasyncSync` per line on one open file, nothing else. */
export class BareAppender {
  private readonly fd: number;

  constructor(file: string) {
    this.fd = openSync(file, 'a');
  }

  /** Appends `line` durably; returns the latency in µs. */
  append(line: Buffer): number {
    const t = process.hrtime.bigint();
    writeAll(this.fd, line);
    fdatasyncSync(this.fd);
    return elapsedUs(t);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Latency (µs) of each of `n` bare appends of `line` to `file` (created or appended). */
export function bareAppendLatencies(file: string, line: Buffer, n: number): number[] {
  const appender = new BareAppender(file);
  try {
    return Array.from({ length: n }, () => appender.append(line));
  } finally {
    appender.close();
  }
}

/** Lines per second of `rounds` bare batched appends: `batch` (`lines` joined lines) in one write, then one fdatasync. */
export function bareBatchThroughput(file: string, batch: Buffer, lines: number, rounds: number): number {
  const fd = openSync(file, 'a');
  try {
    const t = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) {
      writeAll(fd, batch);
      fdatasyncSync(fd);
    }
    return (lines * rounds) / (elapsedUs(t) / 1e6);
  } finally {
    closeSync(fd);
  }
}

/**
 * The bare parse loop: split `buf` on `\n`, `JSON.parse` each non-empty line, hand it to `visit`.
 * Returns the index after the last complete line.
 */
export function splitParse(buf: Buffer, visit: (value: unknown) => void): number {
  let start = 0;
  for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
    if (nl > start) visit(JSON.parse(buf.toString('utf8', start, nl)));
    start = nl + 1;
  }
  return start;
}

/** Reads `file` from 0 in 1 MiB chunks and runs {@link splitParse} over it. */
export function bareParseFile(file: string, visit: (value: unknown) => void): void {
  const fd = openSync(file, 'r');
  try {
    let carry = 0;
    let buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      if (carry === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const n = readSync(fd, buf, carry, buf.length - carry, null);
      if (n === 0) break;
      const filled = carry + n;
      const used = splitParse(buf.subarray(0, filled), visit);
      buf.copy(buf, 0, used, filled);
      carry = filled - used;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The bare full read of a generated log: each archive frame (at its known place) read, decompressed and
 * split+parsed, then the active log. Every value goes to `visit`. Memory: one frame.
 */
export async function bareReadLog(ds: LogDataset, visit: (value: unknown) => void): Promise<void> {
  const paths = logPaths(ds.dir);
  if (ds.frames.length > 0) {
    const fd = openSync(paths.archive, 'r');
    try {
      for (const f of ds.frames) {
        const z = Buffer.allocUnsafe(f.length);
        readSync(fd, z, 0, f.length, f.offset);
        splitParse(await decompress(z), visit);
      }
    } finally {
      closeSync(fd);
    }
  }
  bareParseFile(paths.log, visit);
}

/** `fdatasync` on the libuv threadpool, as the engine's group commit does (at most `UV_THREADPOOL_SIZE` at once). */
export function fdatasyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

/** Runs `total` operations `op(j)` (j = 0..total-1) from `callers` concurrent loops; resolves with ops/s. */
export async function concurrentRate(
  total: number,
  callers: number,
  op: (j: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(callers, total) }, async () => {
      for (let j = next++; j < total; j = next++) await op(j);
    }),
  );
  return total / (elapsedUs(t) / 1e6);
}

/**
 * The bare limit of durable appends spread over several files: `callers` concurrent loops, operation `j` writes
 * `line` to `fds[j % fds.length]` (`writeSync`) and awaits its `fdatasync` on the threadpool. Appends per second.
 */
export function bareConcurrentAppends(
  fds: readonly number[],
  line: Buffer,
  total: number,
  callers: number,
): Promise<number> {
  return concurrentRate(total, callers, async (j) => {
    const fd = fds[j % fds.length]!;
    writeAll(fd, line);
    await fdatasyncAsync(fd);
  });
}

/**
 * The bare limit of a bulk creation: `count` new files in `dir`, each created, written with `line`, fdatasynced
 * (threadpool) and closed, `callers` at a time. No directory fsync (a lower bound). Files per second.
 */
export function bareCreateFiles(dir: string, count: number, line: Buffer, callers: number): Promise<number> {
  return concurrentRate(count, callers, async (j) => {
    const fd = openSync(join(dir, `f-${j}.jsonl`), 'wx');
    try {
      writeAll(fd, line);
      await fdatasyncAsync(fd);
    } finally {
      closeSync(fd);
    }
  });
}

/**
 * The bare catch-up: every `app.jsonl` under `streamsDir/<type>/<id>/` listed, read whole (`readFileSync`), split
 * and `JSON.parse`d line by line. Returns the number of events.
 */
export function bareReadStreams(streamsDir: string, visit: (value: unknown) => void): number {
  let n = 0;
  const count = (v: unknown): void => {
    n++;
    visit(v);
  };
  for (const type of readdirSync(streamsDir)) {
    for (const id of readdirSync(join(streamsDir, type))) {
      splitParse(readFileSync(join(streamsDir, type, id, 'app.jsonl')), count);
    }
  }
  return n;
}
