/**
 * Chunked uploads of attachments: a request stays under the shell's 1 MB limit, so a file is sent as
 * `AttachmentUploadChunk {uploadId, index, base64}` (at most {@link MAX_CHUNK_BYTES} each, any order, a
 * resent chunk replaces itself) and then attached with `AddAttachment {uploadId, ...}`, which assembles the
 * chunks 0..n-1 into one stored file and drops the upload. Chunks wait in
 * `<dataDir>/attachments/uploads/<uploadId>/<index>`; uploads untouched for a day are swept when a new one starts.
 * @module
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DomainError, newEventId } from '../es/index.js';
import { ATTACHMENTS_DIR, putBlob, type BlobInfo } from './blob-store.js';

/** Largest attachment: 100 MiB. */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;
/** Largest chunk of an upload or a read: 512 KiB (its base64 and JSON stay well under the 1 MB request limit). */
export const MAX_CHUNK_BYTES = 512 * 1024;
/** Most chunks in one upload. */
export const MAX_CHUNKS = Math.ceil(MAX_ATTACHMENT_BYTES / 1024);
/** How long an abandoned upload is kept. */
const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;

/** An upload id: chosen by the uploader (a UUID, say), a safe folder name. */
export const uploadIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'An upload id has 8 to 64 letters, digits, - or _.');

/** Standard base64 of at most {@link MAX_CHUNK_BYTES} bytes. */
export const base64ChunkSchema = z
  .string()
  .max(Math.ceil(MAX_CHUNK_BYTES / 3) * 4, `A chunk holds at most ${MAX_CHUNK_BYTES} bytes.`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'A chunk is standard base64.');

/** Input of `AttachmentUploadChunk`. */
export const uploadChunkInput = z
  .object({
    uploadId: uploadIdSchema,
    index: z.number().int().min(0).max(MAX_CHUNKS),
    base64: base64ChunkSchema,
  })
  .strict();

/** What an upload holds so far. */
export interface UploadProgress {
  uploadId: string;
  /** Chunks received. */
  chunks: number;
  /** Bytes received. */
  bytes: number;
}

function uploadsDir(dataDir: string): string {
  return join(dataDir, ATTACHMENTS_DIR, 'uploads');
}

function tooLarge(bytes: number): DomainError {
  return new DomainError(
    'ATTACHMENT_TOO_LARGE',
    `This file is too large to attach: ${Math.ceil(bytes / 1024 / 1024)} MB, the limit is ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`,
    { bytes, limit: MAX_ATTACHMENT_BYTES },
  );
}

/** Refuses `bytes` over {@link MAX_ATTACHMENT_BYTES}. */
export function assertAttachmentSize(bytes: number): void {
  if (bytes > MAX_ATTACHMENT_BYTES) throw tooLarge(bytes);
}

/** The chunk files of an upload by index (an upload that does not exist has none). */
async function chunksOf(dir: string): Promise<Map<number, { path: string; size: number }>> {
  const out = new Map<number, { path: string; size: number }>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue; // temp files of a chunk being written
    const path = join(dir, name);
    out.set(Number(name), { path, size: (await stat(path)).size });
  }
  return out;
}

async function sweepStale(dataDir: string, now: number): Promise<void> {
  let names: string[];
  try {
    names = await readdir(uploadsDir(dataDir));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(uploadsDir(dataDir), name);
    const s = await stat(dir).catch(() => null);
    if (s && now - s.mtimeMs > STALE_UPLOAD_MS) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Stores one chunk of an upload (replacing a chunk sent before with the same index).
 * @throws DomainError ATTACHMENT_TOO_LARGE when the upload would exceed the limit (the upload is dropped).
 */
export async function putUploadChunk(
  dataDir: string,
  input: z.infer<typeof uploadChunkInput>,
): Promise<UploadProgress> {
  const bytes = Buffer.from(input.base64, 'base64');
  const dir = join(uploadsDir(dataDir), input.uploadId);
  const before = await chunksOf(dir);
  if (before.size === 0) await sweepStale(dataDir, Date.now());
  let total = bytes.length;
  for (const [index, c] of before) if (index !== input.index) total += c.size;
  if (total > MAX_ATTACHMENT_BYTES) {
    await dropUpload(dataDir, input.uploadId);
    throw tooLarge(total);
  }
  await mkdir(dir, { recursive: true });
  // Temp + rename: a chunk is either whole or absent, even if the same index is being resent meanwhile.
  const tmp = join(dir, `${input.index}.${newEventId()}.tmp`);
  await writeFile(tmp, bytes);
  await rename(tmp, join(dir, String(input.index)));
  const chunks = before.has(input.index) ? before.size : before.size + 1;
  return { uploadId: input.uploadId, chunks, bytes: total };
}

/**
 * Stores the chunks 0..n-1 of an upload as one content-addressed file; the upload itself stays (see
 * {@link dropUpload}) until the attachment is recorded.
 * @throws DomainError ATTACHMENT_UPLOAD_NOT_FOUND (no chunk), ATTACHMENT_UPLOAD_INCOMPLETE (a gap in the indexes).
 */
export async function assembleUpload(dataDir: string, uploadId: string): Promise<BlobInfo> {
  const chunks = await chunksOf(join(uploadsDir(dataDir), uploadId));
  if (chunks.size === 0) {
    throw new DomainError(
      'ATTACHMENT_UPLOAD_NOT_FOUND',
      'There is no upload with this id (it was attached already, or dropped). Send its chunks again.',
      { uploadId },
    );
  }
  const last = Math.max(...chunks.keys());
  const missing: number[] = [];
  const paths: string[] = [];
  for (let i = 0; i <= last; i++) {
    const c = chunks.get(i);
    if (c) paths.push(c.path);
    else missing.push(i);
  }
  if (missing.length > 0) {
    throw new DomainError(
      'ATTACHMENT_UPLOAD_INCOMPLETE',
      `The upload is missing chunk ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '...' : ''}. Send the missing chunks, then attach it again.`,
      { uploadId, missing: missing.slice(0, 100) },
    );
  }
  return putBlob(dataDir, paths);
}

/** Deletes an upload's chunks. */
export async function dropUpload(dataDir: string, uploadId: string): Promise<void> {
  await rm(join(uploadsDir(dataDir), uploadId), { recursive: true, force: true });
}
