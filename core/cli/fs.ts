/**
 * File helpers of the CLI that core/log does not export.
 * @module
 */
import { statSync, unlinkSync } from 'node:fs';

/** Deletes a file if it exists; returns whether it did. */
export function removeFileIfExists(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Size of a file in bytes, 0 if it does not exist. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}
