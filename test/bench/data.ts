/**
 * Generated benchmark data: realistic ~170-byte event lines, and log directories (zstd archive + active log)
 * written straight to disk in the engine's format, so a 1M-event or 1 GB log takes seconds to build.
 * @module
 */
import { compress } from '@mongodb-js/zstd';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { MAX_FRAME_INPUT, ZSTD_LEVEL } from '../../core/log/archive.js';
import { createEvent, logPaths, serializeEvent, type Event } from '../../core/log/index.js';

const FIELDS = ['email', 'phone', 'company', 'stage'] as const;

/** The `i`-th generated event: a CRM-like contact update whose line is about 170 bytes. */
export function benchEvent(i: number): Event {
  return createEvent(
    'contact_updated',
    {
      contactId: `c-${(i % 5000).toString().padStart(4, '0')}`,
      field: FIELDS[i % 4],
      value: `person${i}@example.com`,
      rev: i,
    },
    { ts: 1_767_225_600 + (i >> 4), id: `ev-${i.toString(36).padStart(8, '0')}`, actor: `user-${i % 7}` },
  );
}

/** The `i`-th generated event's line, without newline. */
export function benchLine(i: number): string {
  return serializeEvent(benchEvent(i));
}

/** Lines `from..to-1` joined, each with its newline, as bytes. */
export function benchLines(from: number, to: number): Buffer {
  const parts: string[] = [];
  for (let i = from; i < to; i++) parts.push(benchLine(i));
  return Buffer.from(parts.length > 0 ? `${parts.join('\n')}\n` : '');
}

/** One zstd frame of the archive, where it sits in the file and how many bytes it expands to. */
export interface FrameInfo {
  offset: number;
  length: number;
  rawLength: number;
}

/** A generated log directory and what it holds. */
export interface LogDataset {
  dir: string;
  events: number;
  archivedEvents: number;
  /** Uncompressed bytes of the archive. */
  archivedBytes: number;
  /** Compressed size of the archive file. */
  archiveFileBytes: number;
  activeBytes: number;
  frames: FrameInfo[];
}

/** Splits `data` (whole lines) into chunks of at most `max` bytes, cut at line ends, like the engine's rotation. */
function splitAtLines(data: Buffer, max: number): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(start + max, data.length);
    if (end < data.length) {
      const nl = data.lastIndexOf(10, end - 1);
      if (nl >= start) end = nl + 1;
    }
    out.push(data.subarray(start, end));
    start = end;
  }
  return out;
}

/**
 * Writes a log directory with `archived` events in `archive.jsonl.zst` (frames of at most 16 MiB input, as the
 * engine writes them) followed by `active` events in `app.jsonl`. Events are numbered consecutively.
 */
export async function buildLog(dir: string, archived: number, active: number): Promise<LogDataset> {
  const paths = logPaths(dir);
  mkdirSync(paths.views, { recursive: true });
  const frames: FrameInfo[] = [];
  let archivedBytes = 0;
  let offset = 0;
  const fd = openSync(paths.archive, 'w');
  try {
    // Generate about 64 MiB of lines at a time and compress its frames in parallel (libuv pool).
    const step = Math.max(1, Math.floor((64 << 20) / 172));
    for (let from = 0; from < archived; from += step) {
      const raw = benchLines(from, Math.min(archived, from + step));
      const chunks = splitAtLines(raw, MAX_FRAME_INPUT);
      const compressed = await Promise.all(chunks.map((c) => compress(c, ZSTD_LEVEL)));
      compressed.forEach((z, k) => {
        writeSync(fd, z);
        frames.push({ offset, length: z.length, rawLength: chunks[k]!.length });
        offset += z.length;
        archivedBytes += chunks[k]!.length;
      });
    }
  } finally {
    closeSync(fd);
  }
  const activeBuf = benchLines(archived, archived + active);
  writeFileSync(paths.log, activeBuf);
  return {
    dir,
    events: archived + active,
    archivedEvents: archived,
    archivedBytes,
    archiveFileBytes: offset,
    activeBytes: activeBuf.length,
    frames,
  };
}

/**
 * Writes a large archive fast: one block of generated lines (one frame's worth, 16 MiB) is compressed once and
 * written `frames` times; the active log is empty. Readers see `frames` x the block's events.
 */
export async function buildRepeatedArchive(dir: string, frames: number): Promise<LogDataset> {
  const paths = logPaths(dir);
  mkdirSync(paths.views, { recursive: true });
  const block = splitAtLines(benchLines(0, Math.ceil(MAX_FRAME_INPUT / 150)), MAX_FRAME_INPUT)[0]!;
  const perBlock = countLines(block);
  const z = await compress(block, ZSTD_LEVEL);
  const infos: FrameInfo[] = [];
  const fd = openSync(paths.archive, 'w');
  try {
    for (let k = 0; k < frames; k++) {
      writeSync(fd, z);
      infos.push({ offset: k * z.length, length: z.length, rawLength: block.length });
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(paths.log, '');
  return {
    dir,
    events: perBlock * frames,
    archivedEvents: perBlock * frames,
    archivedBytes: block.length * frames,
    archiveFileBytes: z.length * frames,
    activeBytes: 0,
    frames: infos,
  };
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}
