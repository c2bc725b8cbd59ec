/**
 * A power cut, simulated after a real kill: what a commit journal's logs may lose when the machine stops before
 * their pages reach the disk.
 * @module
 */
import { statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJournal, type JournalEntry } from '../../core/log/index.js';

/**
 * For each log of the journal `file` (paths relative to `base`): the run of its journal lines that ends exactly
 * at the log's end with no gap is what only the journal made durable (a later round that synced the log itself
 * would sit after it, one in the middle would break the run), so the power cut may take it: the log is cut back
 * to the run's start. With `zeros`, the lost bytes turn into zeros instead (delayed allocation). A log that ends
 * where its last journal line starts (the kill came between the journal's write and the log's) lost that line too.
 * Logs with bytes after their last journal line are left as they are. Returns the logs cut, with the bytes each
 * lost (what an open writes back).
 */
export async function cutJournaledTails(
  file: string,
  base: string,
  zeros = false,
): Promise<Map<string, number>> {
  const byLog = new Map<string, JournalEntry[]>();
  for (const l of await readJournal(file)) byLog.set(l.log, [...(byLog.get(l.log) ?? []), l]);
  const cut = new Map<string, number>();
  for (const [log, lines] of byLog) {
    const path = join(base, log);
    const size = statSync(path).size;
    const last = lines[lines.length - 1]!;
    const end = last.offset + Buffer.byteLength(last.bytes);
    // A kill between the journal's write and the log's leaves the log ending where its last entry starts.
    if (size !== end && size !== last.offset) continue;
    let start = end;
    for (let i = lines.length - 1; i >= 0; i--) {
      const l = lines[i]!;
      if (l.offset + Buffer.byteLength(l.bytes) !== start) break;
      start = l.offset;
    }
    truncateSync(path, start);
    if (zeros) writeFileSync(path, Buffer.alloc(size - start), { flag: 'a' });
    cut.set(log, end - start);
  }
  return cut;
}
