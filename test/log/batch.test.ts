import { appendFileSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createEvent,
  EventReader,
  EventWriter,
  InvalidEventError,
  lineHash,
  serializeEvent,
  View,
  type Event,
} from '../../core/log/index.js';
import { tornBatch } from '../helpers/crash-states.js';
import { counterReducer, indices, logDir, readAll, readHistory, sizeOf } from '../helpers/log.js';

const evs = (n: number, from = 0): Event[] =>
  Array.from({ length: n }, (_, k) => createEvent('b', { i: from + k }, { ts: 100 + k }));

describe('appendBatch', () => {
  it('writes every event, chaining results, with "more":true on every line but the last', async () => {
    const w = await EventWriter.open(logDir());
    const batch = evs(3);
    const rs = await w.appendBatch(batch);
    const lines = readFileSync(w.paths.log, 'utf8').split('\n');
    expect(lines).toEqual([
      serializeEvent(batch[0]!, true),
      serializeEvent(batch[1]!, true),
      serializeEvent(batch[2]!),
      '',
    ]);
    expect(rs.map((r) => r.startOffset)).toEqual([0, rs[0]!.endOffset, rs[1]!.endOffset]);
    expect(rs[2]!.endOffset).toBe(sizeOf(w.paths.log));
    expect(rs.map((r) => r.lineHash)).toEqual(lines.slice(0, 3).map((l) => lineHash(l)));
    await w.close();
  });

  it('readers return the events without the "more" marker, with the on-disk line hashes', async () => {
    const w = await EventWriter.open(logDir());
    const batch = evs(3);
    const rs = await w.appendBatch(batch);
    const entries = [];
    for await (const e of w.reader().readFrom(0)) entries.push(e);
    expect(entries.map((e) => e.event)).toEqual(batch);
    expect(entries.map((e) => e.lineHash)).toEqual(rs.map((r) => r.lineHash));
    expect(entries.map((e) => e.nextOffset)).toEqual(rs.map((r) => r.endOffset));
    await w.close();
  });

  it('scans hand the lines of a batch over unchanged (marker included) to a visitor that takes them', async () => {
    const w = await EventWriter.open(logDir());
    const batch = evs(4);
    const rs = await w.appendBatch(batch);
    const seen: { event: Event; hash: string }[] = [];
    await w.reader().scanFull((event, _o, _n, line) => {
      seen.push({ event, hash: lineHash(line) });
    });
    expect(seen.map((s) => s.event)).toEqual(batch);
    expect(seen.map((s) => s.hash)).toEqual(rs.map((r) => r.lineHash));
    // A visitor without the `line` parameter gets the same events (and no view per line).
    const events: Event[] = [];
    await w.reader().scanFrom(0, (event) => {
      events.push(event);
    });
    expect(events).toEqual(batch);
    expect(events.every((e) => !('more' in e))).toBe(true);
    await w.close();
  });

  it('a "more" key written some other way (by hand, false, not last) is not part of the event either', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await w.append(createEvent('first', null, { ts: 1 }));
    appendFileSync(
      w.paths.log,
      [
        '{"type":"a","more":true,"data":1,"ts":2}',
        '{"type":"b","data":2,"ts":3,"more":false}',
        '{"type":"c","data":{"more":true},"ts":4}',
        '',
      ].join('\n'),
    );
    const events = await readAll(w.reader());
    expect(events.map((e) => [e.type, e.data, 'more' in e])).toEqual([
      ['first', null, false],
      ['a', 1, false],
      ['b', 2, false],
      ['c', { more: true }, false],
    ]);
    await w.close();
  });

  it('an empty batch writes nothing; a batch of one has no marker', async () => {
    const w = await EventWriter.open(logDir());
    expect(await w.appendBatch([])).toEqual([]);
    expect(sizeOf(w.paths.log)).toBe(0);
    const [e] = evs(1);
    await w.appendBatch([e!]);
    expect(readFileSync(w.paths.log, 'utf8')).toBe(`${serializeEvent(e!)}\n`);
    await w.close();
  });

  it('refuses the whole batch when one event is invalid; nothing is written', async () => {
    const w = await EventWriter.open(logDir());
    const bad = [...evs(2), { type: 'x', ts: 1 } as unknown as Event];
    await expect(w.appendBatch(bad)).rejects.toBeInstanceOf(InvalidEventError);
    expect(sizeOf(w.paths.log)).toBe(0);
    await w.close();
  });

  it('a "more" key inside data is just data', async () => {
    const w = await EventWriter.open(logDir());
    const e = createEvent('t', { more: true }, { ts: 1 });
    await w.append(e);
    expect(await readAll(w.reader())).toEqual([e]);
    await w.close();
  });

  it('a reader sees nothing of a batch until its last line exists, then all of it', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const first = await w.append(createEvent('before', null, { ts: 1 }));
    await w.close();
    const batch = evs(3);
    tornBatch(dir, batch, 0);
    const reader = await EventReader.open(dir);
    expect((await readAll(reader)).map((e) => e.type)).toEqual(['before']);
    const scan = await reader.scanFrom(0, () => undefined);
    expect(scan.end).toBe(first.endOffset);
    appendFileSync(`${dir}/app.jsonl`, `${serializeEvent(batch[2]!)}\n`);
    expect(await readAll(reader)).toEqual([createEvent('before', null, { ts: 1 }), ...batch]);
  });

  it('a view refreshed during an unfinished batch stops before it and folds it whole once finished', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await w.append(createEvent('before', null, { ts: 1 }));
    const size = w.activeLogSize();
    await w.close();
    const batch = evs(3);
    tornBatch(dir, batch, 0);
    const reader = await EventReader.open(dir);
    const v = new View('count', counterReducer, 0, `${dir}/views`);
    expect(await v.refresh(reader)).toBe(1);
    expect(v.offset).toBe(size);
    appendFileSync(`${dir}/app.jsonl`, `${serializeEvent(batch[2]!)}\n`);
    expect(await v.refresh(reader)).toBe(4);
    expect(v.lastRefresh.folded).toBe(3);
  });

  it('a batch is archived by rotation and read back from the archive without markers', async () => {
    const w = await EventWriter.open(logDir());
    const batch = evs(4);
    await w.appendBatch(batch);
    await w.rotate();
    await w.appendBatch(evs(2, 4));
    expect(indices(await readHistory(w.reader()))).toEqual([0, 1, 2, 3, 4, 5]);
    expect((await readHistory(w.reader())).slice(0, 4)).toEqual(batch);
    await w.close();
  });

  it("the last result of a batch is a valid expectation for appendIf and for a view's snapshot", async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const rs = await w.appendBatch(evs(3));
    const next = await w.appendIf(evs(1, 3)[0]!, rs[2]!.endOffset, rs[2]!.lineHash);
    expect(next.startOffset).toBe(rs[2]!.endOffset);
    // A snapshot whose last line is a batch line (with its marker) verifies on reload.
    await w.appendBatch(evs(2, 4));
    const v = new View('count', counterReducer, 0, w.paths.views);
    await v.refresh(w.reader());
    const again = new View('count', counterReducer, 0, w.paths.views);
    expect(await again.refresh(w.reader())).toBe(6);
    expect(again.lastRefresh.rebuilt).toBe(false);
    await w.close();
  });
});
