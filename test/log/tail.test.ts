import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createEvent,
  EventReader,
  EventWriter,
  serializeEvent,
  StaleOffsetError,
} from '../../core/log/index.js';
import { tornBatch, tornLine } from '../helpers/crash-states.js';
import { appendN, dummyEvent, indices, logDir, readAll } from '../helpers/log.js';

const later = (ms: number, fn: () => unknown): Promise<void> =>
  new Promise((resolve, reject) =>
    setTimeout(() => {
      Promise.resolve()
        .then(fn)
        .then(() => resolve(), reject);
    }, ms),
  );

describe('hasNewEvents', () => {
  it('is false on an empty log', async () => {
    const w = await EventWriter.open(logDir());
    expect(await w.reader().hasNewEvents(0)).toBe(false);
    await w.close();
  });

  it('is true before an appended event and false at the current end', async () => {
    const w = await EventWriter.open(logDir());
    const r = await w.append(dummyEvent());
    expect(await w.reader().hasNewEvents(0)).toBe(true);
    expect(await w.reader().hasNewEvents(r.endOffset)).toBe(false);
    await w.close();
  });

  it('answers per offset after several appends', async () => {
    const w = await EventWriter.open(logDir());
    const rs = await appendN(w, 4);
    for (const r of rs.slice(0, -1)) expect(await w.reader().hasNewEvents(r.endOffset)).toBe(true);
    expect(await w.reader().hasNewEvents(rs.at(-1)!.endOffset)).toBe(false);
    await w.close();
  });

  it('is false when only a torn (incomplete) line follows the offset', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const r = await w.append(dummyEvent());
    await w.close();
    tornLine(dir, dummyEvent('torn'), 15);
    expect(await (await EventReader.open(dir)).hasNewEvents(r.endOffset)).toBe(false);
  });

  it('is false when only an unfinished batch follows the offset (readers cannot see it)', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const r = await w.append(dummyEvent());
    await w.close();
    tornBatch(dir, [dummyEvent('b1'), dummyEvent('b2'), dummyEvent('b3')], 0);
    const reader = await EventReader.open(dir);
    expect(await readAll(reader, r.endOffset)).toEqual([]);
    expect(await reader.hasNewEvents(r.endOffset)).toBe(false);
  });

  it('is true when a corrupt line follows, so the poller reads and gets the CorruptLogError', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const r = await w.append(dummyEvent());
    await w.close();
    appendFileSync(join(dir, 'app.jsonl'), 'not json\n');
    expect(await (await EventReader.open(dir)).hasNewEvents(r.endOffset)).toBe(true);
  });

  it('is true for an offset rotated away, so a poller reads and learns to restart (StaleOffsetError)', async () => {
    const w = await EventWriter.open(logDir());
    const rs = await appendN(w, 3);
    await w.rotate();
    const stale = rs.at(-1)!.endOffset;
    expect(await w.reader().hasNewEvents(stale)).toBe(true);
    await expect(readAll(w.reader(), stale)).rejects.toBeInstanceOf(StaleOffsetError);
    expect(await w.reader().hasNewEvents(0)).toBe(false);
    await w.close();
  });

  it('a poll loop catches up, finds nothing, then catches the next events', async () => {
    const w = await EventWriter.open(logDir());
    const reader = w.reader();
    let pos = 0;
    const seen: number[] = [];
    const poll = async (): Promise<void> => {
      if (!(await reader.hasNewEvents(pos))) return;
      for await (const e of reader.readFrom(pos)) {
        seen.push((e.event.data as { i: number }).i);
        pos = e.nextOffset;
      }
    };
    await appendN(w, 3);
    await poll();
    expect(seen).toEqual([0, 1, 2]);
    await poll();
    expect(seen).toEqual([0, 1, 2]);
    await w.append(createEvent('dummy', { i: 3 }, { ts: 1 }));
    await w.append(createEvent('dummy', { i: 4 }, { ts: 1 }));
    await poll();
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    await w.close();
  });
});

describe('activeLogSize', () => {
  it('is 0 when empty, grows with appends and is 0 again after rotation', async () => {
    const w = await EventWriter.open(logDir());
    expect(await w.reader().activeLogSize()).toBe(0);
    const r = await w.append(dummyEvent());
    expect(await w.reader().activeLogSize()).toBe(r.endOffset);
    await w.rotate();
    expect(await w.reader().activeLogSize()).toBe(0);
    await w.close();
  });
});

describe('waitForEvents', () => {
  it('returns at once when data already exists, with the size', async () => {
    const w = await EventWriter.open(logDir());
    const r = await w.append(dummyEvent());
    expect(await w.reader().waitForEvents(0, 5000)).toEqual({ kind: 'new-data', size: r.endOffset });
    await w.close();
  });

  it('wakes up on an append made while waiting, and the event can then be read', async () => {
    const w = await EventWriter.open(logDir());
    const r0 = await w.append(dummyEvent());
    const waiting = w.reader().waitForEvents(r0.endOffset, 10_000);
    const appended = later(50, () => w.append(createEvent('dummy', { i: 7 }, { ts: 1 })));
    const result = await waiting;
    await appended;
    expect(result).toEqual({ kind: 'new-data', size: w.activeLogSize() });
    expect(indices(await readAll(w.reader(), r0.endOffset))).toEqual([7]);
    await w.close();
  });

  it('times out when nothing is appended', async () => {
    const w = await EventWriter.open(logDir());
    await appendN(w, 1);
    expect(await w.reader().waitForEvents(w.activeLogSize(), 150, 50)).toEqual({ kind: 'timeout' });
    await w.close();
  });

  it('does not wake up for a torn line, only for a complete one', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const r = await w.append(dummyEvent());
    await w.close();
    const line = serializeEvent(createEvent('late', null, { ts: 1 }));
    appendFileSync(join(dir, 'app.jsonl'), line.slice(0, 10));
    const reader = await EventReader.open(dir);
    expect(await reader.waitForEvents(r.endOffset, 150, 50)).toEqual({ kind: 'timeout' });
    const waiting = reader.waitForEvents(r.endOffset, 10_000, 50);
    await later(30, () => appendFileSync(join(dir, 'app.jsonl'), `${line.slice(10)}\n`));
    expect((await waiting).kind).toBe('new-data');
  });

  it("reports 'rotated' for an offset beyond the end of the active log", async () => {
    const w = await EventWriter.open(logDir());
    const rs = await appendN(w, 2);
    await w.rotate();
    expect(await w.reader().waitForEvents(rs[1]!.endOffset, 1000)).toEqual({ kind: 'rotated', size: 0 });
    await w.close();
  });

  it('follows several rounds of appends', async () => {
    const w = await EventWriter.open(logDir());
    const reader = w.reader();
    let pos = 0;
    for (let round = 0; round < 3; round++) {
      const waiting = reader.waitForEvents(pos, 10_000);
      await later(10, () => w.append(createEvent('dummy', { i: round }, { ts: 1 })));
      const res = await waiting;
      expect(res.kind).toBe('new-data');
      const events = [];
      for await (const e of reader.readFrom(pos)) {
        events.push(e.event);
        pos = e.nextOffset;
      }
      expect(indices(events)).toEqual([round]);
    }
    await w.close();
  });

  it('falls back to polling when the directory cannot be watched (it does not exist yet)', async () => {
    const dir = logDir();
    const reader = await EventReader.open(dir);
    const waiting = reader.waitForEvents(0, 10_000, 20);
    await later(60, () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'app.jsonl'), `${serializeEvent(dummyEvent())}\n`);
    });
    expect((await waiting).kind).toBe('new-data');
  });
});
