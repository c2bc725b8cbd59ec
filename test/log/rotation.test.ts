import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  countArchiveFrames,
  createEvent,
  EventWriter,
  loadSnapshot,
  readArchiveFrames,
  View,
} from '../../core/log/index.js';
import {
  appendN,
  counterReducer,
  indices,
  logDir,
  readHistory,
  sizeOf,
  statsReducer,
  types,
} from '../helpers/log.js';
import { RecordingLogger } from '../helpers/logger.js';

async function withViews(): Promise<{
  w: EventWriter;
  count: View<number>;
  stats: View<Record<string, number>>;
}> {
  const w = await EventWriter.open(logDir());
  return {
    w,
    count: new View('count', counterReducer, 0, w.paths.views),
    stats: new View('stats', statsReducer, {}, w.paths.views),
  };
}

describe('rotate', () => {
  it('empties app.jsonl and creates the archive with one frame', async () => {
    const { w } = await withViews();
    await appendN(w, 5);
    const size = w.activeLogSize();
    expect(await w.rotate()).toEqual({ rotated: true, bytes: size, frames: 1 });
    expect(sizeOf(w.paths.log)).toBe(0);
    expect(w.activeLogSize()).toBe(0);
    expect(w.lastLineHash()).toBe('');
    expect(existsSync(w.paths.archive)).toBe(true);
    expect(await countArchiveFrames(w.paths.archive)).toBe(1);
    expect(existsSync(w.paths.marker)).toBe(false);
    await w.close();
  });

  it('the archive frame holds exactly the bytes of the rotated log', async () => {
    const { w } = await withViews();
    await appendN(w, 4);
    const before = readFileSync(w.paths.log);
    await w.rotate();
    const frames = [];
    for await (const f of readArchiveFrames(w.paths.archive)) frames.push(f);
    expect(Buffer.concat(frames)).toEqual(before);
    await w.close();
  });

  it('resets view offsets to 0 and keeps their state', async () => {
    const { w, count, stats } = await withViews();
    await appendN(w, 3, 'a');
    await w.rotate([count, stats]);
    expect(count.state).toBe(3);
    expect(stats.state).toEqual({ a: 3 });
    expect(count.offset).toBe(0);
    expect(count.hash).toBe('');
    expect(loadSnapshot(count.snapshotPath)).toEqual({ state: 3, offset: 0, hash: '' });
    expect(loadSnapshot(stats.snapshotPath)).toEqual({ state: { a: 3 }, offset: 0, hash: '' });
    await w.close();
  });

  it('refreshes the given views before archiving (events appended since the last refresh are not lost)', async () => {
    const { w, count } = await withViews();
    await appendN(w, 2);
    await count.refresh(w.reader());
    await appendN(w, 3);
    await w.rotate([count]);
    expect(count.state).toBe(5);
    expect(loadSnapshot(count.snapshotPath)).toEqual({ state: 5, offset: 0, hash: '' });
    await w.close();
  });

  it('resets up-to-date snapshots of views not passed in, and warns about stale ones (rebuilt later, correctly)', async () => {
    const logger = new RecordingLogger();
    const w = await EventWriter.open(logDir(), { logger });
    const upToDate = new View('fresh', counterReducer, 0, w.paths.views);
    const behind = new View('behind', counterReducer, 0, w.paths.views);
    await appendN(w, 2);
    await behind.refresh(w.reader());
    await appendN(w, 2);
    await upToDate.refresh(w.reader());
    await w.rotate();
    expect(loadSnapshot(upToDate.snapshotPath)).toEqual({ state: 4, offset: 0, hash: '' });
    expect(logger.text).toMatch(/behind\.snapshot\.json was behind at rotation/);
    await appendN(w, 1);
    const reopened = new View('behind', counterReducer, 0, w.paths.views);
    expect(await reopened.refresh(w.reader())).toBe(5);
    expect(reopened.lastRefresh.rebuilt).toBe(true);
    await w.close();
  });

  it('appends after a rotation start at offset 0 of the fresh log', async () => {
    const { w } = await withViews();
    await appendN(w, 3);
    await w.rotate();
    const r = await w.append(createEvent('after', null, { ts: 1 }));
    expect(r.startOffset).toBe(0);
    expect(types(await readHistory(w.reader()))).toEqual(['dummy', 'dummy', 'dummy', 'after']);
    await w.close();
  });

  it('a refresh after a rotation folds the new events', async () => {
    const { w, count } = await withViews();
    await appendN(w, 3);
    await w.rotate([count]);
    await appendN(w, 2);
    expect(await count.refresh(w.reader())).toBe(5);
    expect(count.lastRefresh).toEqual({ folded: 2, rebuilt: false });
    await w.close();
  });

  it('multiple rotations append one frame each; readFull yields everything in order', async () => {
    const { w, count } = await withViews();
    let i = 0;
    for (let round = 0; round < 4; round++) {
      for (let k = 0; k < 3; k++) await w.append(createEvent('e', { i: i++ }, { ts: i }));
      await w.rotate([count]);
    }
    for (let k = 0; k < 2; k++) await w.append(createEvent('e', { i: i++ }, { ts: i }));
    expect(await countArchiveFrames(w.paths.archive)).toBe(4);
    expect(indices(await readHistory(w.reader()))).toEqual([...Array(14).keys()]);
    expect(await count.refresh(w.reader())).toBe(14);
    await w.close();
  });

  it('a view created after rotations replays archive + active log', async () => {
    const { w } = await withViews();
    await appendN(w, 4, 'a');
    await w.rotate();
    await appendN(w, 3, 'b');
    await w.rotate();
    await appendN(w, 2, 'c');
    const late = new View('stats', statsReducer, {}, w.paths.views);
    expect(await late.refresh(w.reader())).toEqual({ a: 4, b: 3, c: 2 });
    await w.close();
  });

  it('rotating an empty log is a no-op: no archive, no frame', async () => {
    const { w, count } = await withViews();
    expect(await w.rotate([count])).toEqual({ rotated: false, bytes: 0, frames: 0 });
    expect(existsSync(w.paths.archive)).toBe(false);
    await appendN(w, 1);
    await w.rotate();
    expect(await w.rotate()).toEqual({ rotated: false, bytes: 0, frames: 0 });
    expect(await countArchiveFrames(w.paths.archive)).toBe(1);
    await w.close();
  });

  it('works with no views', async () => {
    const { w } = await withViews();
    await appendN(w, 2);
    expect((await w.rotate([])).rotated).toBe(true);
    expect((await readHistory(w.reader())).length).toBe(2);
    await w.close();
  });

  it('full replay equals the incrementally maintained state across rotations', async () => {
    const { w, stats } = await withViews();
    for (let round = 0; round < 3; round++) {
      await appendN(w, round + 2, `t${round}`);
      await stats.refresh(w.reader());
      await w.rotate([stats]);
    }
    await appendN(w, 2, 'tail');
    await stats.refresh(w.reader());
    const fresh = new View('other', statsReducer, {}, w.paths.views);
    expect(await fresh.refresh(w.reader())).toEqual(stats.state);
    expect(await stats.rebuild(w.reader())).toEqual(fresh.state);
    await w.close();
  });

  it('splits a rotation larger than 16 MiB into several frames at line ends', async () => {
    const { w } = await withViews();
    const big = 'x'.repeat(1 << 20);
    for (let k = 0; k < 17; k++) await w.appendBatch([createEvent('big', { i: k, big }, { ts: k })]);
    const r = await w.rotate();
    expect(r.frames).toBe(2);
    expect(await countArchiveFrames(w.paths.archive)).toBe(2);
    const frames = [];
    for await (const f of readArchiveFrames(w.paths.archive)) frames.push(f);
    for (const f of frames) expect(f[f.length - 1]).toBe(10);
    expect(indices(await readHistory(w.reader()))).toEqual([...Array(17).keys()]);
    await w.close();
  });
});
