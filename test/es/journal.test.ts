/**
 * The store's commit journal (`meta/journal.jsonl`): commands on many instances at once share journal rounds;
 * a clean close leaves it empty; erasing a stream checkpoints it first, so a crash afterwards cannot write the
 * erased events back.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AggregateStore } from '../../core/es/index.js';
import { CommitJournal, pendingJournalBytes, readJournal } from '../../core/log/index.js';
import { counter, tempDir, totals } from './fixtures.js';

const journalLogs = async (dir: string): Promise<string[]> =>
  (await readJournal(join(dir, 'meta', 'journal.jsonl'))).map((l) => l.log);

const open = (dir: string): Promise<AggregateStore> =>
  AggregateStore.builder(dir).aggregate(counter).projection(totals).open();

describe('the store commit journal', () => {
  it('commands on many instances at once share journal rounds; a clean close empties the journal', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (let round = 0; round < 3; round++)
      await Promise.all(ids.map((id) => store.get(counter, id).execute({ type: 'Increment' })));
    const logs = await journalLogs(dir);
    for (const id of ids) expect(logs).toContain(`streams/counter/${id}/app.jsonl`);
    expect(store.journalRecovery).toEqual({ entries: 0, restored: [], skipped: [], corruptLines: 0 });
    await store.close();
    expect(await pendingJournalBytes(join(dir, 'meta', 'journal.jsonl'))).toBe(0);
    const again = await open(dir);
    for (const id of ids) expect(await again.get(counter, id).state()).toEqual({ value: 3 });
    await again.close();
  });

  it('erasing a stream checkpoints the journal first: no line of it is left to write it back after a crash', async () => {
    const dir = tempDir();
    const store = await open(dir);
    for (let round = 0; round < 3; round++)
      await Promise.all(['gone', 'kept'].map((id) => store.get(counter, id).execute({ type: 'Add', n: 7 })));
    expect(await journalLogs(dir)).toContain('streams/counter/gone/app.jsonl');
    await store.destroyStream('counter', 'gone');
    expect(await journalLogs(dir)).not.toContain('streams/counter/gone/app.jsonl');
    // Not even as stale bytes of an older epoch: the erased stream's events must leave no copy in the journal file.
    expect(readFileSync(join(dir, 'meta', 'journal.jsonl'), 'latin1')).not.toContain('streams/counter/gone');
    // A crash now (the folder as it is, the store never closed): opening it does not bring the stream back.
    const copy = tempDir();
    cpSync(dir, copy, { recursive: true, filter: (src) => !src.endsWith('store.lock') });
    await store.close();
    const journal = await CommitJournal.open(join(copy, 'meta', 'journal.jsonl'), { base: copy });
    expect(journal.recovery.restored).toEqual([]);
    await journal.close();
    expect(existsSync(join(copy, 'streams', 'counter', 'gone'))).toBe(false);
  });
});
