/**
 * The archive: closed history as concatenated zstd frames, read one frame at a time so memory stays bounded
 * by one frame, whatever the archive's size.
 * @module
 */
import { compress, decompress } from '@mongodb-js/zstd';
import { open, type FileHandle } from 'node:fs/promises';
import { EventfoldError } from './errors.js';

/** zstd level used for new frames (the Rust crate's level). */
export const ZSTD_LEVEL = 3;

/** An archive frame is not a valid zstd frame (the archive was cut or overwritten). */
export class CorruptArchiveError extends EventfoldError {
  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(
      'CORRUPT_ARCHIVE',
      `Corrupt archive frame at byte ${offset} of ${file}: ${reason}. Restore the archive from a backup; the active log is unaffected.`,
    );
  }
}

const ZSTD_MAGIC = 0xfd2fb528;

async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len);
  const { bytesRead } = await fh.read(buf, 0, len, pos);
  return buf.subarray(0, bytesRead);
}

/** Byte length of the frame starting at `pos`, found by walking its block headers (no decompression). */
async function frameLength(fh: FileHandle, file: string, pos: number, size: number): Promise<number> {
  const head = await readAt(fh, pos, 18);
  if (head.length < 8) throw new CorruptArchiveError(file, pos, 'truncated frame header');
  const magic = head.readUInt32LE(0);
  if (magic >>> 4 === 0x184d2a5) return 8 + head.readUInt32LE(4); // skippable frame
  if (magic !== ZSTD_MAGIC) throw new CorruptArchiveError(file, pos, 'bad magic number');
  const fhd = head[4] ?? 0;
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const checksum = (fhd >> 2) & 1;
  const dictBytes = [0, 1, 2, 4][fhd & 3] ?? 0;
  const fcsBytes = [single, 2, 4, 8][fcsFlag] ?? 0;
  let p = pos + 5 + (single ? 0 : 1) + dictBytes + fcsBytes;
  for (;;) {
    const bh = await readAt(fh, p, 3);
    if (bh.length < 3) throw new CorruptArchiveError(file, pos, 'truncated block header');
    const v = bh.readUIntLE(0, 3);
    const type = (v >> 1) & 3;
    const bsize = v >>> 3;
    if (type === 3) throw new CorruptArchiveError(file, pos, 'reserved block type');
    p += 3 + (type === 1 ? 1 : bsize);
    if (p > size) throw new CorruptArchiveError(file, pos, 'frame runs past the end of the file');
    if (v & 1) break;
  }
  return p + (checksum ? 4 : 0) - pos;
}

/**
 * Yields the decompressed content of each frame of `file`, in order. A missing archive yields nothing.
 * @throws CorruptArchiveError
 */
export async function* readArchiveFrames(file: string): AsyncGenerator<Buffer> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const size = (await fh.stat()).size;
    let pos = 0;
    while (pos < size) {
      const len = await frameLength(fh, file, pos, size);
      const frame = await readAt(fh, pos, len);
      if (frame.readUInt32LE(0) >>> 4 !== 0x184d2a5) {
        try {
          yield await decompress(frame);
        } catch (err) {
          throw new CorruptArchiveError(file, pos, (err as Error).message);
        }
      }
      pos += len;
    }
  } finally {
    await fh.close();
  }
}

/** Counts the frames of an archive without decompressing them. */
export async function countArchiveFrames(file: string): Promise<number> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  try {
    const size = (await fh.stat()).size;
    let pos = 0;
    let n = 0;
    while (pos < size) {
      pos += await frameLength(fh, file, pos, size);
      n++;
    }
    return n;
  } finally {
    await fh.close();
  }
}

/** Largest input compressed into one frame: keeps a reader's memory bounded even for huge rotations. */
export const MAX_FRAME_INPUT = 16 << 20;

/** Compresses `data` (whole lines) into one or more frames of at most {@link MAX_FRAME_INPUT} input bytes each, split at line ends. */
export async function compressFrames(data: Buffer): Promise<Buffer[]> {
  const frames: Promise<Buffer>[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(start + MAX_FRAME_INPUT, data.length);
    if (end < data.length) {
      const nl = data.lastIndexOf(10, end - 1);
      end = nl >= start ? nl + 1 : end;
    }
    frames.push(compress(data.subarray(start, end), ZSTD_LEVEL));
    start = end;
  }
  return Promise.all(frames);
}
