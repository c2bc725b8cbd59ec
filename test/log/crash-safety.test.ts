import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  countArchiveFrames,
  createEvent,
  EventLog,
  EventReader,
  EventWriter,
  loadSnapshot,
  logPaths,
  snapshotPath,
} from '../../core/log/index.js';
import {
  appendActiveLogAsFrame,
  leaveStaleLock,
  tornBatch,
  tornLine,
  truncateActiveLog,
  writeRotationMarker,
} from '../helpers/crash-states.js';
import {
  appendN,
  counterReducer,
  indices,
  logDir,
  readAll,
  readHistory,
  sizeOf,
  types,
} from '../helpers/log.js';
import { RecordingLogger } from '../helpers/logger.js';

const openCount = (dir: string, logger = new RecordingLogger()) =>
  EventLog.builder(dir).maxLogSize(0).view('count', counterReducer, 0).logger(logger).open();

/** A closed log with `n` events (and optionally `archived` events rotated before them), views refreshed. */
async function prepared(n: number, archived = 0): Promise<string> {
  const dir = logDir();
  const log = await openCount(dir);
  if (archived > 0) {
    await appendN(log, archived, 'archived');
    await log.rotate();
  }
  await appendN(log, n);
  await log.refreshAll();
  await log.close();
  return dir;
}

describe('crash during append (torn last line)', () => {
  it.each([
    ['only a partial line', 0],
    ['1 complete event + a partial line', 1],
    ['5 complete events + a partial line', 5],
  ])('%s: readers skip it, the writer truncates it on open and appends cleanly', async (_name, n) => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await appendN(w, n);
    const complete = w.activeLogSize();
    await w.close();
    const cut = tornLine(dir, createEvent('torn', { big: 'x'.repeat(50) }, { ts: 1 }), 30);
    expect(indices(await readAll(await EventReader.open(dir)))).toEqual([...Array(n).keys()]);

    const w2 = await EventWriter.open(dir);
    expect(w2.recovery.tornBytesTruncated).toBe(cut.length);
    expect(sizeOf(w2.paths.log)).toBe(complete);
    const r = await w2.append(createEvent('after', null, { ts: 2 }));
    expect(r.startOffset).toBe(complete);
    const events = await readAll(w2.reader());
    expect(types(events)).toEqual([...Array(n).fill('dummy'), 'after']);
    await w2.close();
  });

  it('a tail of NUL bytes (unwritten space after a power cut) is removed, including NUL-only lines', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await appendN(w, 2);
    const complete = w.activeLogSize();
    await w.close();
    appendFileSync(dir + '/app.jsonl', Buffer.from([0, 0, 0, 0, 10, 0, 0, 10, 0, 0, 0]));
    const w2 = await EventWriter.open(dir);
    expect(sizeOf(w2.paths.log)).toBe(complete);
    expect(w2.recovery.tornBytesTruncated).toBe(11);
    await w2.append(createEvent('after', null, { ts: 2 }));
    expect(types(await readAll(w2.reader()))).toEqual(['dummy', 'dummy', 'after']);
    await w2.close();
  });

  it('views refreshed before the crash stay correct after the repair', async () => {
    const dir = await prepared(3);
    tornLine(dir, createEvent('torn', {}, { ts: 1 }), 10);
    const log = await openCount(dir);
    expect(log.view('count')).toBe(3);
    await log.append(createEvent('after', null, { ts: 1 }));
    await log.refreshAll();
    expect(log.view('count')).toBe(4);
    await log.close();
  });
});

describe('crash during an atomic batch', () => {
  it('complete lines of an unfinished batch are invisible to readers and rolled back by the writer', async () => {
    const dir = await prepared(2);
    const batch = [1, 2, 3].map((i) => createEvent('batch', { i }, { ts: i }));
    tornBatch(dir, batch, 0); // two "more" lines, the final line never written
    expect(types(await readAll(await EventReader.open(dir)))).toEqual(['dummy', 'dummy']);
    const logger = new RecordingLogger();
    const log = await openCount(dir, logger);
    expect(log.recovery.batchLinesRolledBack).toBe(2);
    expect(log.recovery.tornBytesTruncated).toBe(0);
    expect(log.view('count')).toBe(2);
    expect(logger.text).toMatch(/2 lines of an unfinished batch/);
    await log.appendBatch(batch);
    await log.refreshAll();
    expect(log.view('count')).toBe(5);
    await log.close();
  });

  it('a batch whose final line is torn is removed whole', async () => {
    const dir = await prepared(1);
    const complete = sizeOf(logPaths(dir).log);
    tornBatch(
      dir,
      [1, 2, 3, 4].map((i) => createEvent('batch', { i }, { ts: i })),
      12,
    );
    const w = await EventWriter.open(dir);
    expect(w.recovery).toMatchObject({ tornBytesTruncated: 12, batchLinesRolledBack: 3 });
    expect(sizeOf(w.paths.log)).toBe(complete);
    await w.close();
  });

  it('a finished batch is kept whole', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await w.appendBatch([1, 2, 3].map((i) => createEvent('batch', { i }, { ts: i })));
    await w.close();
    const w2 = await EventWriter.open(dir);
    expect(w2.recovery).toMatchObject({ tornBytesTruncated: 0, batchLinesRolledBack: 0 });
    expect(indices(await readAll(w2.reader()))).toEqual([1, 2, 3]);
    await w2.close();
  });
});

describe('crash during a snapshot write', () => {
  it('a stale .tmp is ignored: the old snapshot is used and only new events are folded', async () => {
    const dir = await prepared(3);
    const snap = snapshotPath(logPaths(dir).views, 'count');
    writeFileSync(`${snap}.tmp`, JSON.stringify({ state: 999, offset: 0, hash: '' }));
    const w = await EventWriter.open(dir);
    await appendN(w, 2);
    await w.close();
    const log = await openCount(dir);
    expect(log.view('count')).toBe(5);
    expect(log.recovery.eventsScanned).toBe(2);
    expect(log.recovery.viewsRebuilt).toEqual([]);
    await log.close();
  });

  it('a zero-length snapshot (data lost after the rename by a filesystem without ordering) is rebuilt', async () => {
    const dir = await prepared(3);
    const snap = snapshotPath(logPaths(dir).views, 'count');
    writeFileSync(`${snap}.tmp`, readFileSync(snap, 'utf8').slice(0, 5));
    writeFileSync(snap, '');
    const log = await openCount(dir);
    expect(log.view('count')).toBe(3);
    expect(log.recovery.viewsRebuilt).toEqual([
      { name: 'count', reason: expect.stringMatching(/unreadable/) },
    ]);
    await log.close();
  });
});

describe('crash during rotation', () => {
  it('right after the marker was written: rolled back, nothing changed', async () => {
    const dir = await prepared(4, 2);
    const archiveBefore = readFileSync(logPaths(dir).archive);
    writeRotationMarker(dir);
    const log = await openCount(dir);
    expect(log.recovery.rotation).toBe('rolled-back');
    expect(readFileSync(logPaths(dir).archive)).toEqual(archiveBefore);
    expect(existsSync(logPaths(dir).marker)).toBe(false);
    expect(log.view('count')).toBe(6);
    await log.close();
  });

  it('mid-way through the frame write: the partial frame is cut off the archive', async () => {
    const dir = await prepared(4, 2);
    const archiveSize = sizeOf(logPaths(dir).archive);
    writeRotationMarker(dir);
    appendFileSync(logPaths(dir).archive, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]));
    const log = await openCount(dir);
    expect(log.recovery.rotation).toBe('rolled-back');
    expect(sizeOf(logPaths(dir).archive)).toBe(archiveSize);
    expect((await readHistory(log.reader())).length).toBe(6);
    await log.close();
  });

  it('after the frame was appended, before the truncation: no event is duplicated', async () => {
    const dir = await prepared(4, 2);
    const marker = writeRotationMarker(dir);
    await appendActiveLogAsFrame(dir);
    // What a reader sees before recovery: the 4 events twice (in the new frame and in app.jsonl).
    expect((await readHistory(await EventReader.open(dir))).length).toBe(10);
    const log = await openCount(dir);
    expect(log.recovery.rotation).toBe('rolled-back');
    expect(sizeOf(logPaths(dir).archive)).toBe(marker.archiveSize);
    expect(types(await readHistory(log.reader()))).toEqual([
      ...Array(2).fill('archived'),
      ...Array(4).fill('dummy'),
    ]);
    expect(log.view('count')).toBe(6);
    await log.getView('count').rebuild(log.reader());
    expect(log.view('count')).toBe(6); // a rebuild does not double-count (the Rust crate gives 10)
    // The rotation can be redone.
    await log.rotate();
    expect(await countArchiveFrames(logPaths(dir).archive)).toBe(2);
    expect((await readHistory(log.reader())).length).toBe(6);
    await log.close();
  });

  it('after the truncation, before the snapshot reset: completed, snapshots moved to offset 0 without a rebuild', async () => {
    const dir = await prepared(4, 2);
    writeRotationMarker(dir);
    await appendActiveLogAsFrame(dir);
    truncateActiveLog(dir);
    const log = await openCount(dir);
    expect(log.recovery.rotation).toBe('completed');
    expect(log.recovery.viewsRebuilt).toEqual([]);
    expect(log.view('count')).toBe(6);
    expect(loadSnapshot(log.getView('count').snapshotPath)).toEqual({ state: 6, offset: 0, hash: '' });
    expect(existsSync(logPaths(dir).marker)).toBe(false);
    expect((await readHistory(log.reader())).length).toBe(6);
    await log.close();
  });

  it('after the snapshot reset, before the marker was removed: completed again, idempotently', async () => {
    const dir = await prepared(4, 2);
    writeRotationMarker(dir);
    await appendActiveLogAsFrame(dir);
    truncateActiveLog(dir);
    const snap = snapshotPath(logPaths(dir).views, 'count');
    writeFileSync(snap, JSON.stringify({ state: 6, offset: 0, hash: '' }));
    const log = await openCount(dir);
    expect(log.recovery.rotation).toBe('completed');
    expect(log.view('count')).toBe(6);
    expect(log.recovery.eventsScanned).toBe(0);
    await log.close();
  });

  it('a hand-damaged rotation marker is ignored with a warning and removed', async () => {
    const dir = await prepared(3, 1);
    writeFileSync(logPaths(dir).marker, '{"archiveSize": 1');
    const logger = new RecordingLogger();
    const log = await openCount(dir, logger);
    expect(log.recovery.rotation).toBe('none');
    expect(logger.text).toMatch(/ignoring an unreadable .*rotation\.json/);
    expect(existsSync(logPaths(dir).marker)).toBe(false);
    expect(log.view('count')).toBe(4);
    await log.close();
  });

  it('without a marker (a Rust-made crash after truncation): the stale snapshot is rebuilt from the archive', async () => {
    const dir = await prepared(4, 2);
    await appendActiveLogAsFrame(dir);
    truncateActiveLog(dir);
    const log = await openCount(dir);
    expect(log.recovery.rotation).toBe('none');
    expect(log.view('count')).toBe(6);
    expect(log.recovery.viewsRebuilt).toEqual([
      { name: 'count', reason: expect.stringMatching(/beyond the end/) },
    ]);
    await log.close();
  });
});

describe('crash of the whole process', () => {
  it('a writer that died holding the lock: the next open takes the stale lock over and state is correct', async () => {
    const dir = await prepared(5);
    leaveStaleLock(dir);
    tornLine(dir, createEvent('torn', {}, { ts: 1 }), 7);
    const log = await openCount(dir);
    expect(log.view('count')).toBe(5);
    await appendN(log, 1);
    await log.refreshAll();
    expect(log.view('count')).toBe(6);
    await log.close();
  });

  it('recovery is idempotent and deterministic over repeated re-corruption', async () => {
    const dir = await prepared(3);
    const sizes: number[] = [];
    for (let round = 0; round < 4; round++) {
      tornLine(dir, createEvent('torn', { round }, { ts: round }), 9 + round);
      const log = await openCount(dir);
      await log.append(createEvent('ok', { i: round }, { ts: round }));
      await log.refreshAll();
      expect(log.view('count')).toBe(4 + round);
      await log.close();
      sizes.push(statSync(logPaths(dir).log).size);
      const again = await openCount(dir);
      expect(again.recovery.tornBytesTruncated).toBe(0);
      expect(again.view('count')).toBe(4 + round);
      await again.close();
    }
    expect(types(await readAll(await EventReader.open(dir)))).toEqual([
      'dummy',
      'dummy',
      'dummy',
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1]!);
  });
});
