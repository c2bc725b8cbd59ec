/**
 * The content-addressed file store of attachments, beside the logs: `<dataDir>/attachments/<sha256[0..2]>/<sha256>`.
 * A file is written once whatever the number of records it is attached to (dedup by content), atomically: to a
 * temp file in `attachments/tmp/`, fsynced, renamed into place, its directory fsynced. Events refer to files by
 * hash; which hashes are still referenced is the attachments read model's business (core/crm/attachments.ts).
 * @module
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DomainError, newEventId } from '../es/index.js';
import { fsyncDir } from '../log/index.js';

/** The folder of attachment files under the data folder. */
export const ATTACHMENTS_DIR = 'attachments';

/** A sha256 in lowercase hex. */
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** Where the file with hash `sha256` lives. */
export function blobPath(dataDir: string, sha256: string): string {
  if (!SHA256_PATTERN.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  return join(dataDir, ATTACHMENTS_DIR, sha256.slice(0, 2), sha256);
}

/** The folder temp files are written in (same filesystem as the blobs, so the final rename is atomic). */
export function tempDir(dataDir: string): string {
  return join(dataDir, ATTACHMENTS_DIR, 'tmp');
}

/** What a stored file is. */
export interface BlobInfo {
  sha256: string;
  size: number;
}

/** Size of a file, or `null` when it does not exist. */
async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Stores the bytes of `parts` (buffers, or paths of files read in turn) as one file and returns its hash and
 * size. If a file with that hash exists with the right size, it is kept (dedup) and the temp file dropped;
 * a file of the wrong size (damaged) is replaced.
 */
export async function putBlob(dataDir: string, parts: readonly (Uint8Array | string)[]): Promise<BlobInfo> {
  const tmpDir = tempDir(dataDir);
  await mkdir(tmpDir, { recursive: true });
  const tmp = join(tmpDir, `${newEventId()}.tmp`);
  const hash = createHash('sha256');
  let size = 0;
  const out = await open(tmp, 'wx');
  try {
    const write = async (bytes: Uint8Array) => {
      hash.update(bytes);
      size += bytes.length;
      await out.write(bytes);
    };
    for (const part of parts) {
      if (typeof part !== 'string') await write(part);
      else for await (const chunk of createReadStream(part)) await write(chunk as Buffer);
    }
    await out.sync();
  } catch (err) {
    await out.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await out.close();
  const sha256 = hash.digest('hex');
  const path = blobPath(dataDir, sha256);
  if ((await sizeOf(path)) === size) {
    await unlink(tmp);
    return { sha256, size };
  }
  await mkdir(dirname(path), { recursive: true });
  await rename(tmp, path);
  fsyncDir(dirname(path));
  return { sha256, size };
}

/** The sha256 of a stored file, streamed. */
async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The user-facing label of the file in errors (its name when known). */
function label(name: string | undefined): string {
  return name === undefined ? 'this attachment' : `“${name}”`;
}

/**
 * Reads `length` bytes at `offset` of the file `blob` (its recorded hash and size). The file's size is checked
 * on every read; its whole content is checked against the hash when the read starts at offset 0, so a reader
 * going through a file in order learns of damage before it has anything else.
 * @throws DomainError ATTACHMENT_FILE_MISSING (the file is gone), ATTACHMENT_FILE_CORRUPT (size or hash differ).
 */
export async function readBlob(
  dataDir: string,
  blob: BlobInfo,
  offset: number,
  length: number,
  name?: string,
): Promise<Buffer> {
  const path = blobPath(dataDir, blob.sha256);
  const size = await sizeOf(path);
  const details = { sha256: blob.sha256, path };
  if (size === null) {
    throw new DomainError(
      'ATTACHMENT_FILE_MISSING',
      `The file of ${label(name)} is missing from the data folder. Remove the attachment and add the file again, or restore the data folder from a backup.`,
      details,
    );
  }
  const corrupt = () =>
    new DomainError(
      'ATTACHMENT_FILE_CORRUPT',
      `The file of ${label(name)} is damaged in the data folder (its content no longer matches what was added). Remove the attachment and add the file again, or restore the data folder from a backup.`,
      details,
    );
  if (size !== blob.size) throw corrupt();
  if (offset === 0 && (await hashFile(path)) !== blob.sha256) throw corrupt();
  const n = Math.max(0, Math.min(length, size - offset));
  const buffer = Buffer.alloc(n);
  const file = await open(path, 'r');
  try {
    let read = 0;
    while (read < n) {
      const r = await file.read(buffer, read, n - read, offset + read);
      if (r.bytesRead === 0) throw corrupt();
      read += r.bytesRead;
    }
  } finally {
    await file.close();
  }
  return buffer;
}

/** Deletes the file with hash `sha256` (nothing if it is gone already). */
export async function deleteBlob(dataDir: string, sha256: string): Promise<void> {
  const path = blobPath(dataDir, sha256);
  await rm(path, { force: true });
  fsyncDir(dirname(path));
}
