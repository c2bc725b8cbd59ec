import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CorruptLogError,
  createEvent,
  EventLog,
  EventReader,
  EventWriter,
  loadSnapshot,
  saveSnapshot,
  View,
} from '../../core/log/index.js';
import { appendN, counterReducer, indices, logDir, readAll } from '../helpers/log.js';
import { RecordingLogger } from '../helpers/logger.js';

async function populated(n: number): Promise<{ dir: string; w: EventWriter }> {
  const dir = logDir();
  const w = await EventWriter.open(dir);
  await appendN(w, n);
  return { dir, w };
}

function countView(w: EventWriter, logger = new RecordingLogger()): View<number> {
  return new View('count', counterReducer, 0, w.paths.views, logger);
}

describe('snapshot verification on load', () => {
  it('accepts a valid snapshot without a rebuild', async () => {
    const { w } = await populated(5);
    await countView(w).refresh(w.reader());
    const logger = new RecordingLogger();
    const v = countView(w, logger);
    expect(await v.refresh(w.reader())).toBe(5);
    expect(v.lastRefresh).toEqual({ folded: 0, rebuilt: false });
    expect(logger.warnings).toEqual([]);
    await w.close();
  });

  it('rebuilds when the offset is beyond the end of the log (log truncated), and warns', async () => {
    const { w } = await populated(5);
    await countView(w).refresh(w.reader());
    await w.close();
    truncateSync(w.paths.log, 10);
    const logger = new RecordingLogger();
    const v = countView(w, logger);
    expect(await v.refresh(await EventReader.open(w.dir))).toBe(0);
    expect(v.lastRefresh.rebuilt).toBe(true);
    expect(v.lastRefresh.reason).toMatch(/beyond the end of the log \(10 bytes\)/);
    expect(logger.text).toMatch(/view "count".*rebuilding/);
  });

  it('rebuilds when the line before the offset was modified (hash mismatch)', async () => {
    const { w } = await populated(3);
    await countView(w).refresh(w.reader());
    await w.close();
    // Same length, different bytes: the offset still lands on a line end.
    const text = readFileSync(w.paths.log, 'utf8').replace('"i":2', '"i":9');
    writeFileSync(w.paths.log, text);
    const logger = new RecordingLogger();
    const v = countView(w, logger);
    const reader = await EventReader.open(w.dir);
    expect(await v.refresh(reader)).toBe(3);
    expect(v.lastRefresh).toMatchObject({ rebuilt: true, folded: 3 });
    expect(v.lastRefresh.reason).toMatch(/does not match/);
    expect(logger.warnings.length).toBe(1);
    expect(indices(await readAll(reader))).toEqual([0, 1, 9]);
  });

  it('rebuilds to the initial state when the log was emptied under a snapshot with offset > 0', async () => {
    const { w } = await populated(4);
    await countView(w).refresh(w.reader());
    await w.close();
    truncateSync(w.paths.log, 0);
    const v = countView(w);
    expect(await v.refresh(await EventReader.open(w.dir))).toBe(0);
    expect(v.lastRefresh.rebuilt).toBe(true);
  });

  it('trusts a snapshot at offset 0 (nothing to verify)', async () => {
    const { w } = await populated(2);
    saveSnapshot(countView(w).snapshotPath, { state: 42, offset: 0, hash: '' });
    const v = countView(w);
    expect(await v.refresh(w.reader())).toBe(44);
    expect(v.lastRefresh).toEqual({ folded: 2, rebuilt: false });
    await w.close();
  });

  it('gives the correct state after an integrity failure (10 events)', async () => {
    const { w } = await populated(10);
    saveSnapshot(countView(w).snapshotPath, {
      state: 999,
      offset: w.activeLogSize(),
      hash: '0000000000000000',
    });
    expect(await countView(w).refresh(w.reader())).toBe(10);
    await w.close();
  });

  it('detects a line inserted in the middle of the log by hand', async () => {
    const { w } = await populated(3);
    await countView(w).refresh(w.reader());
    await w.close();
    const lines = readFileSync(w.paths.log, 'utf8').split('\n');
    lines.splice(1, 0, JSON.stringify(createEvent('inserted', {}, { ts: 5 })));
    writeFileSync(w.paths.log, lines.join('\n'));
    const v = countView(w);
    expect(await v.refresh(await EventReader.open(w.dir))).toBe(4);
    expect(v.lastRefresh.rebuilt).toBe(true);
  });

  it('rebuilds when the snapshot offset is not at a line end', async () => {
    const { w } = await populated(3);
    saveSnapshot(countView(w).snapshotPath, { state: 1, offset: 7, hash: 'abcdabcdabcdabcd' });
    const v = countView(w);
    expect(await v.refresh(w.reader())).toBe(3);
    expect(v.lastRefresh.reason).toMatch(/not a line end/);
    await w.close();
  });

  it('rebuilds when the snapshot file is unreadable, and warns', async () => {
    const { w } = await populated(3);
    await countView(w).refresh(w.reader());
    writeFileSync(countView(w).snapshotPath, '{"state": 3, "off');
    const logger = new RecordingLogger();
    const v = countView(w, logger);
    expect(await v.refresh(w.reader())).toBe(3);
    expect(v.lastRefresh.reason).toMatch(/unreadable/);
    expect(logger.warnings.length).toBe(1);
    expect(loadSnapshot(v.snapshotPath)).toMatchObject({ state: 3, offset: w.activeLogSize() });
    await w.close();
  });

  it('handles a snapshot from before a rotation whose offset now points into newer data', async () => {
    const { w } = await populated(3);
    const v1 = countView(w);
    await v1.refresh(w.reader());
    const stale = readFileSync(v1.snapshotPath, 'utf8');
    await w.rotate([v1]);
    await appendN(w, 6, 'after'); // the new active log is longer than the stale offset (and differs from the old one)
    writeFileSync(v1.snapshotPath, stale); // e.g. restored from a backup
    const v = countView(w);
    expect(await v.refresh(w.reader())).toBe(9);
    expect(v.lastRefresh.rebuilt).toBe(true);
    await w.close();
  });

  it('has no false positives over many append + refresh cycles and a reload', async () => {
    const dir = logDir();
    const logger = new RecordingLogger();
    const w = await EventWriter.open(dir);
    const v = countView(w, logger);
    for (let i = 0; i < 25; i++) {
      await appendN(w, (i % 3) + 1);
      await v.refresh(w.reader());
      expect(v.lastRefresh.rebuilt).toBe(i === 0);
    }
    const expected = v.state;
    await w.close();
    const log = await EventLog.builder(dir).view('count', counterReducer, 0).logger(logger).open();
    expect(log.view('count')).toBe(expected);
    expect(log.recovery.viewsRebuilt).toEqual([]);
    expect(logger.warnings).toEqual([]);
    await log.close();
  });
});

describe('corrupt lines in the log', () => {
  it('a corrupt complete line in the middle is a CorruptLogError with file and byte offset, never a silent skip', async () => {
    const { dir, w } = await populated(3);
    const rs = [];
    for await (const e of w.reader().readFrom(0)) rs.push(e);
    await w.close();
    const lines = readFileSync(w.paths.log, 'utf8').split('\n');
    lines[1] = '{"type":"broken","data":'; // complete line (has its newline), invalid JSON
    writeFileSync(w.paths.log, lines.join('\n'));
    const reader = await EventReader.open(dir);
    const err = await readAll(reader).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptLogError);
    expect(err).toMatchObject({ file: join(dir, 'app.jsonl'), offset: rs[1]!.offset, code: 'CORRUPT_LOG' });
    expect((err as Error).message).toContain(`byte ${rs[1]!.offset} of ${join(dir, 'app.jsonl')}`);
    await expect(new View('c', counterReducer, 0, join(dir, 'views')).refresh(reader)).rejects.toBeInstanceOf(
      CorruptLogError,
    );
  });

  it('readFrom delivers the events before a corrupt line, then throws', async () => {
    const { dir, w } = await populated(4);
    await w.close();
    const lines = readFileSync(w.paths.log, 'utf8').split('\n');
    lines[2] = '{oops';
    writeFileSync(w.paths.log, lines.join('\n'));
    const seen: number[] = [];
    const err = await (async () => {
      for await (const e of (await EventReader.open(dir)).readFrom(0))
        seen.push((e.event.data as { i: number }).i);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([0, 1]);
    expect(err).toBeInstanceOf(CorruptLogError);
  });

  it('a line that is JSON but not an event is corrupt too', async () => {
    const { dir, w } = await populated(1);
    await w.close();
    writeFileSync(
      w.paths.log,
      `${readFileSync(w.paths.log, 'utf8')}{"hello":1}\n{"type":"t","data":1,"ts":1}\n`,
    );
    const err = await readAll(await EventReader.open(dir)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptLogError);
    expect((err as CorruptLogError).reason).toMatch(/type/);
  });

  it("onCorrupt: 'skip' skips the line and reports it", async () => {
    const { dir, w } = await populated(3);
    await w.close();
    const lines = readFileSync(w.paths.log, 'utf8').split('\n');
    const badOffset = Buffer.byteLength(lines[0]!) + 1;
    lines[1] = 'garbage';
    writeFileSync(w.paths.log, lines.join('\n'));
    const reader = await EventReader.open(dir);
    const seen: number[] = [];
    for await (const e of reader.readFrom(0, { onCorrupt: 'skip' }))
      seen.push((e.event.data as { i: number }).i);
    expect(seen).toEqual([0, 2]);
    const res = await reader.scanFrom(0, () => undefined, { onCorrupt: 'skip' });
    expect(res.skipped).toEqual([
      { file: join(dir, 'app.jsonl'), offset: badOffset, reason: expect.stringMatching(/JSON/) },
    ]);
    const full = await reader.scanFull(() => undefined, { onCorrupt: 'skip' });
    expect(full.skipped.length).toBe(1);
  });

  it('the writer does not delete a corrupt complete last line on open (readers report it)', async () => {
    const { dir, w } = await populated(2);
    await w.close();
    writeFileSync(w.paths.log, `${readFileSync(w.paths.log, 'utf8')}not json\n`);
    const before = readFileSync(w.paths.log);
    const w2 = await EventWriter.open(dir);
    expect(w2.recovery.tornBytesTruncated).toBe(0);
    expect(readFileSync(w2.paths.log)).toEqual(before);
    await w2.close();
  });
});
