/** What `EventLog.recovery` (and `EventWriter.recovery`) reports for each state a crash or a hand edit leaves. */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createEvent,
  EventLog,
  EventWriter,
  logPaths,
  snapshotPath,
  type RecoveryReport,
} from '../../core/log/index.js';
import {
  appendActiveLogAsFrame,
  leaveStaleLock,
  tornBatch,
  tornLine,
  truncateActiveLog,
  writeRotationMarker,
} from '../helpers/crash-states.js';
import { appendN, counterReducer, logDir, statsReducer } from '../helpers/log.js';
import { RecordingLogger } from '../helpers/logger.js';

const clean: RecoveryReport = {
  tornBytesTruncated: 0,
  batchLinesRolledBack: 0,
  rotation: 'none',
  createdDirectory: false,
  eventsScanned: 0,
  viewsRebuilt: [],
  rotatedOnOpen: false,
};

async function open(dir: string, logger = new RecordingLogger(), max = 0): Promise<EventLog> {
  return EventLog.builder(dir)
    .maxLogSize(max)
    .view('count', counterReducer, 0)
    .view('stats', statsReducer, {})
    .logger(logger)
    .open();
}

/** A closed log with `n` events, both views up to date. */
async function prepared(n: number): Promise<string> {
  const dir = logDir();
  const log = await open(dir);
  await appendN(log, n);
  await log.refreshAll();
  await log.close();
  return dir;
}

describe('EventLog.recovery', () => {
  it('a brand-new directory: created, both views built from nothing', async () => {
    const log = await open(logDir());
    expect(log.recovery).toEqual({
      ...clean,
      createdDirectory: true,
      viewsRebuilt: [
        { name: 'count', reason: 'no snapshot' },
        { name: 'stats', reason: 'no snapshot' },
      ],
    });
    await log.close();
  });

  it('a clean reopen: nothing to report, and nothing logged', async () => {
    const dir = await prepared(5);
    const logger = new RecordingLogger();
    const log = await open(dir, logger);
    expect(log.recovery).toEqual(clean);
    expect(logger.warnings).toEqual([]);
    await log.close();
  });

  it('events appended after the last refresh: scanned by each view', async () => {
    const dir = await prepared(2);
    const w = await EventWriter.open(dir);
    await appendN(w, 3);
    await w.close();
    const log = await open(dir);
    expect(log.recovery).toEqual({ ...clean, eventsScanned: 6 });
    await log.close();
  });

  it('a torn last line: its bytes are reported and a warning logged', async () => {
    const dir = await prepared(2);
    tornLine(dir, createEvent('t', { long: 'x'.repeat(40) }, { ts: 1 }), 33);
    const logger = new RecordingLogger();
    const log = await open(dir, logger);
    expect(log.recovery).toEqual({ ...clean, tornBytesTruncated: 33 });
    expect(logger.text).toMatch(/removed 33 bytes of a torn write/);
    expect(logger.warnings[0]!.details).toMatchObject({
      file: logPaths(dir).log,
      tornBytes: 33,
      batchLines: 0,
    });
    await log.close();
  });

  it('an unfinished batch: its lines are reported', async () => {
    const dir = await prepared(1);
    tornBatch(
      dir,
      [1, 2, 3, 4].map((i) => createEvent('b', i, { ts: 1 })),
      0,
    );
    const log = await open(dir);
    expect(log.recovery).toEqual({ ...clean, batchLinesRolledBack: 3 });
    await log.close();
  });

  it("a rotation cut before the truncation: 'rolled-back', with a warning", async () => {
    const dir = await prepared(3);
    writeRotationMarker(dir);
    await appendActiveLogAsFrame(dir);
    const logger = new RecordingLogger();
    const log = await open(dir, logger);
    expect(log.recovery).toEqual({ ...clean, rotation: 'rolled-back' });
    expect(logger.text).toMatch(/interrupted before the active log was emptied/);
    await log.close();
  });

  it("a rotation cut after the truncation: 'completed', views kept without a rebuild", async () => {
    const dir = await prepared(3);
    writeRotationMarker(dir);
    await appendActiveLogAsFrame(dir);
    truncateActiveLog(dir);
    const logger = new RecordingLogger();
    const log = await open(dir, logger);
    expect(log.recovery).toEqual({ ...clean, rotation: 'completed' });
    expect(logger.text).toMatch(/interrupted after the active log was emptied/);
    await log.close();
  });

  it('an unreadable snapshot: that view rebuilt with the reason, its events scanned', async () => {
    const dir = await prepared(4);
    writeFileSync(snapshotPath(logPaths(dir).views, 'stats'), '{"state":');
    const logger = new RecordingLogger();
    const log = await open(dir, logger);
    expect(log.recovery).toEqual({
      ...clean,
      eventsScanned: 4,
      viewsRebuilt: [{ name: 'stats', reason: 'the snapshot file is unreadable' }],
    });
    expect(logger.text).toMatch(/view "stats": the snapshot file is unreadable; rebuilding/);
    await log.close();
  });

  it('an oversized log: rotated on open', async () => {
    const dir = await prepared(10);
    const log = await open(dir, new RecordingLogger(), 100);
    expect(log.recovery).toEqual({ ...clean, rotatedOnOpen: true });
    expect(log.view('count')).toBe(10);
    await log.close();
  });

  it('several problems at once are all reported', async () => {
    const dir = await prepared(3);
    leaveStaleLock(dir);
    writeFileSync(snapshotPath(logPaths(dir).views, 'count'), '');
    tornBatch(dir, [createEvent('b', 1, { ts: 1 }), createEvent('b', 2, { ts: 1 })], 4);
    const log = await open(dir);
    expect(log.recovery).toEqual({
      ...clean,
      tornBytesTruncated: 4,
      batchLinesRolledBack: 1,
      eventsScanned: 3,
      viewsRebuilt: [{ name: 'count', reason: 'the snapshot file is unreadable' }],
    });
    await log.close();
  });
});

describe('EventWriter.recovery', () => {
  it('reports the writer-level part of the repair', async () => {
    const dir = await prepared(2);
    tornLine(dir, createEvent('t', null, { ts: 1 }), 6);
    const w = await EventWriter.open(dir);
    expect(w.recovery).toEqual({
      tornBytesTruncated: 6,
      batchLinesRolledBack: 0,
      rotation: 'none',
      createdDirectory: false,
    });
    await w.close();
  });
});
