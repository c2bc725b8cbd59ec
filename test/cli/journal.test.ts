import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AggregateStore } from '../../core/es/index.js';
import { EventReader, initHasher, lineHash, pendingJournalBytes } from '../../core/log/index.js';
import { ES_AGGREGATES, eventfold, eventfoldJson, jsonl, makeEsStore } from './helpers.js';

/** What {@link powerCut} took out of a stream's log. */
interface Cut {
  log: string;
  journal: string;
  /** The log as it was before the cut. */
  original: Buffer;
  /** The bytes only the journal still holds. */
  bytes: Buffer;
}

/**
 * Simulates a power cut after a group commit: the last line of `streams/<stream>/app.jsonl` is out of the log (cut
 * off, or with `zeros` replaced by NUL bytes as some file systems leave it) and only in `meta/journal.jsonl`.
 */
async function powerCut(dir: string, stream: string, zeros = false): Promise<Cut> {
  await initHasher();
  const name = `streams/${stream}/app.jsonl`;
  const log = join(dir, ...name.split('/'));
  const original = readFileSync(log);
  const offset = original.lastIndexOf(10, original.length - 2) + 1;
  const bytes = original.subarray(offset);
  truncateSync(log, offset);
  if (zeros) writeFileSync(log, Buffer.alloc(bytes.length), { flag: 'a' });
  const journal = join(dir, 'meta', 'journal.jsonl');
  const line = { log: name, offset, hash: lineHash(bytes), bytes: bytes.toString('utf8') };
  writeFileSync(journal, `${JSON.stringify(line)}\n`);
  return { log, journal, original, bytes };
}

/** Leaves `meta/store.lock` as a crashed app does: its owner, a process that is gone. */
function staleStoreLock(dir: string): void {
  const gone = spawnSync(process.execPath, ['-e', '']).pid!;
  const lock = join(dir, 'meta', 'store.lock');
  mkdirSync(lock, { recursive: true });
  writeFileSync(join(lock, 'owner.json'), JSON.stringify({ pid: gone, hostname: hostname(), since: 0 }));
}

const wroteBack = (n: number): string =>
  `applied the commit journal: wrote back ${n} bytes to 1 stream (a power cut had kept them out of their logs)`;

describe('the commit journal after a power cut, with no process holding the store', () => {
  it('info writes the journaled line back into its log, empties the journal and says so', async () => {
    const dir = await makeEsStore();
    const cut = await powerCut(dir, 'counter/a');
    staleStoreLock(dir);
    const r = await eventfold(['info', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(wroteBack(cut.bytes.length));
    expect(readFileSync(cut.log)).toEqual(cut.original);
    expect(await pendingJournalBytes(cut.journal)).toBe(0);
    expect(existsSync(join(dir, 'meta', 'store.lock'))).toBe(false); // taken over, then released
    expect(r.stdout).not.toContain('Commit journal');

    const again = await eventfoldJson(['info', dir]);
    expect(again.stderr).not.toContain('commit journal');
    expect(again.json).not.toHaveProperty('journal');
  });

  it('verify reads the logs with their lines back: the NUL bytes a power cut left are no torn tail', async () => {
    const dir = await makeEsStore();
    const cut = await powerCut(dir, 'counter/b', true);
    const { code, json, stderr } = await eventfoldJson(['verify', dir]);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      ok: true,
      problems: [],
      notes: [],
      journal: {
        applied: true,
        held: false,
        restored: [{ log: 'streams/counter/b/app.jsonl', bytes: cut.bytes.length }],
        skipped: [],
        corruptLines: 0,
      },
    });
    expect(stderr).toContain(wroteBack(cut.bytes.length));
    expect(readFileSync(cut.log)).toEqual(cut.original);
    expect(await pendingJournalBytes(cut.journal)).toBe(0);
  });

  it('says so when the journal held nothing the logs lacked, and counts lines it could not apply', async () => {
    const dir = await makeEsStore();
    const journal = join(dir, 'meta', 'journal.jsonl');
    const cut = await powerCut(dir, 'note/x');
    writeFileSync(cut.log, cut.original); // a process crash, not a power cut: the bytes made it
    writeFileSync(journal, `${readFileSync(journal, 'utf8')}{"log":"streams/note/x/app.jsonl","offs\n`);
    const r = await eventfold(['verify', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'applied the commit journal: its 1 entry were already in their logs; 1 line not applied (1 torn, never acknowledged)',
    );
    expect(await pendingJournalBytes(journal)).toBe(0);
  });

  it('rotate applies it under the store lock before rotating: the line written back goes into the archive', async () => {
    const dir = await makeEsStore();
    const cut = await powerCut(dir, 'counter/a');
    const { code, json, stderr } = await eventfoldJson(['rotate', dir, '--stream', 'counter/a']);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      ok: true,
      rotated: true,
      bytes: cut.original.length,
      journal: { applied: true, restored: [{ log: 'streams/counter/a/app.jsonl', bytes: cut.bytes.length }] },
    });
    expect(stderr).toContain(wroteBack(cut.bytes.length));
    expect(await pendingJournalBytes(cut.journal)).toBe(0);
    expect(statSync(cut.log).size).toBe(0);
    const history = [];
    for await (const e of (await EventReader.open(join(dir, 'streams', 'counter', 'a'))).readFull())
      history.push(e.event);
    expect(history.map((e) => e.type)).toEqual(['Added', 'Added']);
  });

  it('tail prints the line written back (the note goes to stderr, stdout stays JSONL)', async () => {
    const dir = await makeEsStore();
    const cut = await powerCut(dir, 'note/x');
    const r = await eventfold(['tail', dir, '--stream', 'note/x']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(wroteBack(cut.bytes.length));
    expect(jsonl(r.stdout)).toHaveLength(2);
  });
});

describe('the commit journal while the app holds the store', () => {
  it('is left alone: nothing is written; info shows its size; rotate refuses; applied once the app is gone', async () => {
    const dir = await makeEsStore();
    const app = await AggregateStore.builder(dir)
      .aggregate(ES_AGGREGATES.counter)
      .aggregate(ES_AGGREGATES.note)
      .open();
    let cut: Cut;
    let journaledAtCut: Buffer;
    try {
      // The app applied its journal when it opened; this stands for one it journals now.
      cut = await powerCut(dir, 'counter/a');
      const journaled = readFileSync(cut.journal);
      journaledAtCut = journaled;
      const cutLog = readFileSync(cut.log);

      const info = await eventfold(['info', dir]);
      expect(info.code).toBe(0);
      expect(info.stdout).toContain(
        `Commit journal: ${cut.bytes.length} bytes in the commit journal (the running app syncs them into the logs)`,
      );
      expect(info.stderr).not.toContain('applied the commit journal');
      const infoJson = await eventfoldJson(['info', dir]);
      expect(infoJson.json).toMatchObject({
        journal: { bytes: cut.bytes.length, applied: false, held: true, restored: [] },
      });

      const verify = await eventfoldJson(['verify', dir]);
      expect(verify.stderr).not.toContain('applied the commit journal');
      expect(verify.json).toMatchObject({ journal: { applied: false, held: true } });

      const rotate = await eventfold(['rotate', dir, '--stream', 'counter/a']);
      expect(rotate.code).toBe(1);
      expect(rotate.stderr).toContain('Refusing to rotate: the folder is in use');

      expect(readFileSync(cut.log)).toEqual(cutLog);
      expect(readFileSync(cut.journal)).toEqual(journaled);
    } finally {
      await app.close();
    }
    // The app's clean close cut its journal back to its header (its own entries were synced); the line stood for
    // one a power cut would have left behind instead, so it goes back for the CLI to find.
    writeFileSync(cut.journal, journaledAtCut);
    const after = await eventfold(['verify', dir]);
    expect(after.stderr).toContain(wroteBack(cut.bytes.length));
    expect(readFileSync(cut.log)).toEqual(cut.original);
    expect(await pendingJournalBytes(cut.journal)).toBe(0);
  });

  it('export leaves the journal out: its bytes are in the logs it exports', async () => {
    const dir = await makeEsStore();
    const app = await AggregateStore.builder(dir).aggregate(ES_AGGREGATES.counter).open();
    const out = join(dir, '..', 'backup.jsonl');
    try {
      await powerCut(dir, 'counter/a');
      const ex = await eventfoldJson(['export', dir, '--out', out]);
      expect(ex.code).toBe(0);
      expect(ex.json).toMatchObject({ journal: { applied: false, held: true } });
    } finally {
      await app.close();
    }
    const records = jsonl(readFileSync(out, 'utf8'));
    expect(records.filter((r) => 'file' in r).map((r) => r.file)).not.toContain('meta/journal.jsonl');
  });
});

describe('import of an export that holds a journal (made before exports left it out)', () => {
  it('skips the journal file: a stale line must not write old bytes into the new store', async () => {
    const dir = await makeEsStore();
    const out = join(dir, '..', 'backup.jsonl');
    expect((await eventfold(['export', dir, '--out', out])).code).toBe(0);
    const records = readFileSync(out, 'utf8').trimEnd().split('\n');
    const end = JSON.parse(records.pop()!) as { eventfold_export_end: { files: number } };
    end.eventfold_export_end.files++;
    records.push(
      JSON.stringify({ file: 'meta/journal.jsonl', text: '{"log":"streams/note/x/app.jsonl"}\n' }),
    );
    writeFileSync(out, `${[...records, JSON.stringify(end)].join('\n')}\n`);
    const into = join(dir, '..', 'restored');
    const r = await eventfold(['import', out, '--into', into]);
    expect(r.code).toBe(0);
    expect(existsSync(join(into, 'meta', 'journal.jsonl'))).toBe(false);
    expect(existsSync(join(into, 'meta', 'streams.jsonl'))).toBe(true);
  });
});
