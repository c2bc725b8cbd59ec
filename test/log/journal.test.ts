/**
 * The commit journal: appends to many logs in one turn share one journal write and one sync; a round with one log
 * syncs that log alone; after a real kill and a simulated power cut, opening the journal writes the lost bytes
 * back; torn, changed, missing and gapped cases are never applied; rotation and the size limit checkpoint.
 */
import { cpSync, existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ClosedError,
  CommitJournal,
  createEvent,
  EventWriter,
  lineHash,
  serializeEvent,
  pendingJournalBytes,
  readJournal,
  type Event,
  type JournalEntry,
} from '../../core/log/index.js';
import { spawnHelper } from '../helpers/child.js';
import { readAll, readHistory, tempDir } from '../helpers/log.js';
import { cutJournaledTails } from '../helpers/power-cut.js';

const ev = (log: number, round: number): Event => createEvent('tick', { round, log }, { ts: 1 });

/** A journal of the first format (no header: every valid line applies), as hand-made or older journals are. */
function legacyJournal(entries: readonly JournalEntry[]): string {
  // That format had no `created` mark: its lines never make a log again.
  return entries.map(({ created: _, ...e }) => `${JSON.stringify(e)}\n`).join('');
}

async function openAll(base: string, n: number): Promise<{ journal: CommitJournal; writers: EventWriter[] }> {
  const journal = await CommitJournal.open(join(base, 'journal.jsonl'));
  const writers = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      EventWriter.open(join(base, `log-${i}`), { durability: 'group', journal }),
    ),
  );
  return { journal, writers };
}

async function closeAll(o: { journal: CommitJournal; writers: EventWriter[] }): Promise<void> {
  for (const w of o.writers) await w.close();
  await o.journal.close();
}

describe('commit journal', () => {
  it('appends to several logs in one turn share one journal round: a line per log naming it, its offset and bytes', async () => {
    const base = tempDir();
    const o = await openAll(base, 4);
    await Promise.all(o.writers.map((w, i) => w.append(ev(i, 0))));
    const first = await Promise.all(o.writers.map((w, i) => w.append(ev(i, 1))));
    const lines = await readJournal(o.journal.file);
    expect(lines.map((l) => l.log).sort()).toEqual([0, 0, 1, 1, 2, 2, 3, 3].map((i) => `log-${i}/app.jsonl`));
    for (const [i, w] of o.writers.entries()) {
      const mine = lines.filter((l) => l.log === `log-${i}/app.jsonl`);
      expect(mine.map((l) => l.offset)).toEqual([0, first[i]!.startOffset]);
      const text = readFileSync(w.paths.log, 'utf8');
      expect(mine.map((l) => l.bytes).join('')).toBe(text);
      for (const l of mine) expect(l.hash).toBe(lineHash(Buffer.from(l.bytes)));
    }
    expect(o.journal.bytes).toBeGreaterThan(await pendingJournalBytes(o.journal.file)); // + an entry line each
    await o.journal.checkpoint();
    expect(o.journal.bytes).toBe(0);
    expect(await readJournal(o.journal.file)).toEqual([]);
    // The file keeps its size (grown by 1 MiB of zeros, written in place), and no trace of the old entries: a
    // checkpoint comes before a stream is erased, and the erased bytes must not stay here.
    expect(statSync(o.journal.file).size).toBe(1024 * 1024);
    expect(readFileSync(o.journal.file, 'utf8')).not.toContain('log-3/app.jsonl');
    for (const [i, w] of o.writers.entries()) expect(await readAll(w.reader())).toEqual([ev(i, 0), ev(i, 1)]);
    await closeAll(o);
  });

  it('a small round of one log goes through the journal too; a big one (a bulk batch) syncs its log itself', async () => {
    const base = tempDir();
    const o = await openAll(base, 2);
    for (let r = 0; r < 5; r++) await o.writers[0]!.append(ev(0, r));
    expect((await readJournal(o.journal.file)).map((l) => l.log)).toEqual(Array(5).fill('log-0/app.jsonl'));
    const big = Array.from({ length: 2000 }, (_, k) =>
      createEvent('bulk', { k, pad: 'x'.repeat(40) }, { ts: 1 }),
    );
    await o.writers[1]!.appendBatch(big);
    expect(await readJournal(o.journal.file)).toHaveLength(5);
    expect(await readAll(o.writers[0]!.reader())).toHaveLength(5);
    expect(await readAll(o.writers[1]!.reader())).toHaveLength(2000);
    await closeAll(o);
  });

  it('a child killed with SIGKILL, then a power cut that loses every journaled tail: opening writes them back', async () => {
    const dir = tempDir();
    const proc = spawnHelper('./journal-writer.ts', [dir, '6']);
    let acked = -1;
    try {
      await proc.waitFor((l) => l === 'ready');
      await proc.waitFor((l) => l.startsWith('ack ') && Number(l.slice(4)) >= 40);
      proc.child.kill('SIGKILL');
      await proc.exited;
    } finally {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
    for (const l of proc.lines) if (l.startsWith('ack ')) acked = Math.max(acked, Number(l.slice(4)));
    const journalFile = join(dir, 'journal.jsonl');
    // Log 0 keeps zeros where its bytes were (delayed allocation); the others are cut short.
    const copy = tempDir();
    cpSync(dir, copy, { recursive: true });
    const cut = await cutJournaledTails(journalFile, dir);
    const zeroed = await cutJournaledTails(join(copy, 'journal.jsonl'), copy, true);
    expect(cut.size).toBeGreaterThan(0);

    for (const [base, lost] of [
      [dir, cut],
      [copy, zeroed],
    ] as const) {
      const journal = await CommitJournal.open(join(base, 'journal.jsonl'));
      expect(journal.recovery.corruptLines).toBeLessThanOrEqual(1); // the kill may cut the last line
      expect(journal.recovery.skipped).toEqual([]);
      expect(new Map(journal.recovery.restored.map((r) => [r.log, r.bytes]))).toEqual(lost);
      expect(await readJournal(journal.file)).toEqual([]);
      for (let i = 0; i < 6; i++) {
        const w = await EventWriter.open(join(base, `log-${i}`), { durability: 'group', journal });
        expect(w.recovery.tornBytesTruncated).toBe(0);
        const rounds = (await readAll(w.reader())).map((e) => (e.data as { round: number }).round);
        // Every acknowledged round is there once, in order (an unacknowledged last one may be too).
        expect(rounds.slice(0, acked + 1)).toEqual([...Array(acked + 1).keys()]);
        expect(rounds.length).toBeLessThanOrEqual(acked + 2);
        await w.close();
      }
      await journal.close();
    }
  });

  it('lines of an older epoch (before a checkpoint) are never applied, even to a log that lost its bytes', async () => {
    const base = tempDir();
    const o = await openAll(base, 2);
    await Promise.all(o.writers.map((w, i) => w.append(ev(i, 0))));
    await o.journal.checkpoint(); // the logs are synced; their lines stay in the file, of the older epoch
    const before = o.writers[0]!.activeLogSize();
    await o.writers[0]!.append(ev(0, 1));
    // A crash now, as the disk holds it: log-1 was emptied since (erased and made again), log-0 lost round 1.
    const copy = tempDir();
    cpSync(base, copy, { recursive: true });
    await closeAll(o);
    truncateSync(join(copy, 'log-1', 'app.jsonl'), 0);
    truncateSync(join(copy, 'log-0', 'app.jsonl'), before);
    const journal = await CommitJournal.open(join(copy, 'journal.jsonl'));
    expect(journal.recovery).toEqual({
      entries: 1,
      restored: [{ log: 'log-0/app.jsonl', bytes: serializeEvent(ev(0, 1)).length + 1 }],
      skipped: [],
      corruptLines: 0,
    });
    expect(readFileSync(join(copy, 'log-1', 'app.jsonl'), 'utf8')).toBe('');
    await journal.close();
  });

  it('a torn last journal line is not applied, and a line whose log is gone does not bring it back', async () => {
    const base = tempDir();
    const o = await openAll(base, 3);
    await Promise.all(o.writers.map((w, i) => w.append(ev(i, 0))));
    const lines = legacyJournal(await readJournal(o.journal.file))
      .split('\n')
      .filter((l) => l !== '');
    await closeAll(o);
    expect(lines).toHaveLength(3);
    // Power cut: every log lost its line; the journal's last line is torn; log-1 was erased meanwhile.
    for (let i = 0; i < 3; i++) truncateSync(join(base, `log-${i}`, 'app.jsonl'), 0);
    const torn = lines.find((l) => l.includes('log-2'))!;
    const kept = lines.filter((l) => l !== torn);
    writeFileSync(join(base, 'journal.jsonl'), `${kept.join('\n')}\n${torn.slice(0, 40)}`);
    rmSync(join(base, 'log-1'), { recursive: true });

    const journal = await CommitJournal.open(join(base, 'journal.jsonl'));
    expect(journal.recovery).toEqual({
      entries: 2,
      restored: [{ log: 'log-0/app.jsonl', bytes: serializeEvent(ev(0, 0)).length + 1 }],
      skipped: [{ log: 'log-1/app.jsonl', offset: 0, reason: 'missing' }],
      corruptLines: 1,
    });
    expect(existsSync(join(base, 'log-1'))).toBe(false);
    expect(readFileSync(join(base, 'log-2', 'app.jsonl'), 'utf8')).toBe('');
    await journal.close();
  });

  it('a log made in this epoch whose name a power cut lost is made again from its entries; after a checkpoint it is not', async () => {
    const base = tempDir();
    const journal = await CommitJournal.open(join(base, 'journal.jsonl'));
    const dir = join(base, 'streams', 'contact', 'c-1');
    const w = await EventWriter.open(dir, { durability: 'group', journal, fresh: true, lock: 'held' });
    expect(w.recovery.createdDirectory).toBe(true);
    await w.append(ev(0, 0));
    await w.append(ev(0, 1));
    const entries = await readJournal(journal.file);
    expect(entries.map((e) => [e.log, e.offset, e.created])).toEqual([
      ['streams/contact/c-1/app.jsonl', 0, true],
      ['streams/contact/c-1/app.jsonl', serializeEvent(ev(0, 0)).length + 1, true],
    ]);
    const text = readFileSync(w.paths.log, 'utf8');
    // A power cut before the journal's checkpoint synced the new folders: the whole type folder is gone.
    const copy = tempDir();
    cpSync(base, copy, { recursive: true });
    rmSync(join(copy, 'streams'), { recursive: true });
    const again = await CommitJournal.open(join(copy, 'journal.jsonl'));
    expect(again.recovery).toEqual({
      entries: 2,
      restored: [{ log: 'streams/contact/c-1/app.jsonl', bytes: Buffer.byteLength(text) }],
      skipped: [],
      corruptLines: 0,
    });
    expect(readFileSync(join(copy, 'streams', 'contact', 'c-1', 'app.jsonl'), 'utf8')).toBe(text);
    const reopened = await EventWriter.open(join(copy, 'streams', 'contact', 'c-1'), { journal: again });
    expect((await readAll(reopened.reader())).map((e) => (e.data as { round: number }).round)).toEqual([
      0, 1,
    ]);
    await reopened.close();
    await again.close();

    // Once checkpointed, the names are durable: later entries are not marked, and a log gone since stays gone.
    await journal.checkpoint();
    await w.append(ev(0, 2));
    expect((await readJournal(journal.file)).map((e) => e.created)).toEqual([undefined]);
    const later = tempDir();
    cpSync(base, later, { recursive: true });
    rmSync(join(later, 'streams', 'contact', 'c-1'), { recursive: true });
    const third = await CommitJournal.open(join(later, 'journal.jsonl'));
    expect(third.recovery.skipped).toEqual([
      { log: 'streams/contact/c-1/app.jsonl', offset: Buffer.byteLength(text), reason: 'missing' },
    ]);
    expect(existsSync(join(later, 'streams', 'contact', 'c-1'))).toBe(false);
    await third.close();
    await w.close();
    await journal.close();
  });

  it('the journal is JSONL (an entry line, then the log lines as they are); an entry whose bytes are torn is not applied', async () => {
    const base = tempDir();
    const o = await openAll(base, 3);
    await Promise.all(o.writers.map((w, i) => w.append(ev(i, 0))));
    const copy = tempDir();
    cpSync(base, copy, { recursive: true }); // the disk as a crash leaves it: the journal holds the round
    await closeAll(o);
    const file = join(copy, 'journal.jsonl');
    const raw = readFileSync(file);
    const written = raw.subarray(0, raw.indexOf(0));
    const lines = written.toString('utf8').split('\n').slice(0, -1);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]).toEqual({ journal: 3, epoch: expect.any(String) });
    expect(parsed.slice(1).map((l) => l.log ?? l.type)).toEqual([
      'log-0/app.jsonl',
      'tick',
      'log-1/app.jsonl',
      'tick',
      'log-2/app.jsonl',
      'tick',
    ]);
    expect(parsed[1]).toMatchObject({ offset: 0, length: Buffer.byteLength(lines[2]!) + 1 });
    // Power cut: every log lost its line, and the last entry's bytes were cut short (zeros follow, as in place).
    for (let i = 0; i < 3; i++) truncateSync(join(copy, `log-${i}`, 'app.jsonl'), 0);
    writeFileSync(file, Buffer.concat([written.subarray(0, written.length - 10), Buffer.alloc(4096)]));
    const journal = await CommitJournal.open(file);
    const bytes = serializeEvent(ev(0, 0)).length + 1;
    expect(journal.recovery).toEqual({
      entries: 2,
      restored: [
        { log: 'log-0/app.jsonl', bytes },
        { log: 'log-1/app.jsonl', bytes },
      ],
      skipped: [],
      corruptLines: 1,
    });
    expect(readFileSync(join(copy, 'log-2', 'app.jsonl'), 'utf8')).toBe('');
    await journal.close();
  });

  it('a journal of the previous format (its bytes quoted in the line) is still applied, up to another epoch', async () => {
    const base = tempDir();
    const o = await openAll(base, 2);
    await Promise.all(o.writers.map((w, i) => w.append(ev(i, 0))));
    const entries = await readJournal(o.journal.file);
    await closeAll(o);
    const line = (e: JournalEntry, epoch: string): string => `${JSON.stringify({ epoch, ...e })}\n`;
    writeFileSync(
      join(base, 'journal.jsonl'),
      `{"journal":2,"epoch":"e2"}\n${line(entries[0]!, 'e2')}${line(entries[1]!, 'e1')}`,
    );
    for (let i = 0; i < 2; i++) truncateSync(join(base, `log-${i}`, 'app.jsonl'), 0);
    const journal = await CommitJournal.open(join(base, 'journal.jsonl'));
    expect(journal.recovery).toEqual({
      entries: 1,
      restored: [{ log: entries[0]!.log, bytes: Buffer.byteLength(entries[0]!.bytes) }],
      skipped: [],
      corruptLines: 0,
    });
    expect(readFileSync(join(base, entries[1]!.log), 'utf8')).toBe('');
    await journal.close();
  });

  it('a log holding other bytes than its journal line (rewritten since), or ending before it, is left alone', async () => {
    const base = tempDir();
    const o = await openAll(base, 2);
    await Promise.all(o.writers.map((w, i) => w.append(ev(i, 0))));
    await Promise.all(o.writers.map((w, i) => w.append(ev(i, 1))));
    const snapshot = legacyJournal(await readJournal(o.journal.file));
    await closeAll(o);
    writeFileSync(join(base, 'journal.jsonl'), snapshot);
    const other = `${serializeEvent(createEvent('other', { x: 1 }, { ts: 2 }))}\n`;
    writeFileSync(join(base, 'log-0', 'app.jsonl'), other);
    writeFileSync(join(base, 'log-1', 'app.jsonl'), '');
    const second = (await readJournal(join(base, 'journal.jsonl'))).find(
      (l) => l.log === 'log-1/app.jsonl' && l.offset > 0,
    )!;
    // log-1 keeps only its second line's journal entry: its first is gone, so the second would leave a gap.
    writeFileSync(
      join(base, 'journal.jsonl'),
      snapshot
        .split('\n')
        .filter((l) => !(l.includes('log-1/app.jsonl') && l.includes('"offset":0,')))
        .join('\n'),
    );

    const journal = await CommitJournal.open(join(base, 'journal.jsonl'));
    expect(journal.recovery.restored).toEqual([]);
    expect(journal.recovery.skipped).toEqual(
      expect.arrayContaining([
        { log: 'log-0/app.jsonl', offset: 0, reason: 'changed' },
        { log: 'log-1/app.jsonl', offset: second.offset, reason: 'gap' },
      ]),
    );
    expect(readFileSync(join(base, 'log-0', 'app.jsonl'), 'utf8')).toBe(other);
    expect(readFileSync(join(base, 'log-1', 'app.jsonl'), 'utf8')).toBe('');
    await journal.close();
  });

  it('rotation checkpoints first, so no journal line points into the emptied log', async () => {
    const base = tempDir();
    const o = await openAll(base, 3);
    for (let r = 0; r < 3; r++) await Promise.all(o.writers.map((w, i) => w.append(ev(i, r))));
    expect(o.journal.bytes).toBeGreaterThan(0);
    await o.writers[0]!.rotate();
    expect(await readJournal(o.journal.file)).toEqual([]);
    await Promise.all(o.writers.map((w, i) => w.append(ev(i, 3))));
    const after = await readJournal(o.journal.file);
    expect(after.find((l) => l.log === 'log-0/app.jsonl')!.offset).toBe(0);
    expect(
      (await readHistory(o.writers[0]!.reader())).map((e) => (e.data as { round: number }).round),
    ).toEqual([0, 1, 2, 3]);
    await closeAll(o);
  });

  it('checkpoints when the journal reaches checkpointBytes, and keeps every append', async () => {
    const base = tempDir();
    const journal = await CommitJournal.open(join(base, 'journal.jsonl'), { checkpointBytes: 2048 });
    const writers = await Promise.all(
      [0, 1, 2, 3].map((i) => EventWriter.open(join(base, `log-${i}`), { durability: 'group', journal })),
    );
    let starts = 0;
    let last = 0;
    for (let r = 0; r < 50; r++) {
      await Promise.all(writers.map((w, i) => w.append(ev(i, r))));
      if (journal.bytes < last) starts++; // it filled up and started over
      last = journal.bytes;
    }
    expect(statSync(journal.file).size).toBe(2048);
    expect(starts).toBeGreaterThan(5);
    for (const [i, w] of writers.entries()) {
      expect((await readAll(w.reader())).map((e) => e.data)).toEqual(
        Array.from({ length: 50 }, (_, r) => ({ round: r, log: i })),
      );
      await w.close();
    }
    await journal.close();
  });

  it('appends after the journal is closed fail with ClosedError and leave the log as it was', async () => {
    const base = tempDir();
    const o = await openAll(base, 2);
    await Promise.all(o.writers.map((w, i) => w.append(ev(i, 0))));
    await o.journal.close();
    const size = o.writers[0]!.activeLogSize();
    await expect(Promise.all(o.writers.map((w, i) => w.append(ev(i, 1))))).rejects.toBeInstanceOf(
      ClosedError,
    );
    expect(o.writers[0]!.activeLogSize()).toBe(size);
    expect(statSync(o.writers[0]!.paths.log).size).toBe(size);
    for (const w of o.writers) await w.close();
  });
});
