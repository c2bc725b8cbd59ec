/**
 * Opening a log folder's writer for a maintenance command: a held lock becomes a polite refusal, and what the
 * open repaired is described in words.
 * @module
 */
import { EventWriter, LockedError, type WriterRecovery } from '../log/index.js';
import { FolderInUseError } from './errors.js';
import { plural } from './format.js';

/** Opens the writer of `dir`, or refuses to `what` when another process holds it. */
export async function openWriterFor(dir: string, what: string): Promise<EventWriter> {
  try {
    return await EventWriter.open(dir);
  } catch (err) {
    if (err instanceof LockedError) {
      const o = err.owner;
      throw new FolderInUseError(what, [
        o
          ? `${dir} is locked by process ${o.pid} on ${o.hostname} since ${new Date(o.since).toISOString()}`
          : `${dir} is locked`,
      ]);
    }
    throw err;
  }
}

/** What opening a writer repaired, as sentences (empty when nothing). */
export function describeRecovery(r: WriterRecovery): string[] {
  const out: string[] = [];
  if (r.tornBytesTruncated > 0)
    out.push(`truncated ${plural(r.tornBytesTruncated, 'byte')} of a torn last line`);
  if (r.batchLinesRolledBack > 0)
    out.push(`removed ${plural(r.batchLinesRolledBack, 'line')} of an unfinished batch`);
  if (r.rotation === 'rolled-back') out.push('undid an interrupted rotation (the archive was cut back)');
  if (r.rotation === 'completed') out.push('finished an interrupted rotation');
  return out;
}
