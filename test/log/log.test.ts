import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ClosedError,
  createEvent,
  EventReader,
  EventWriter,
  InvalidEventError,
  lineHash,
  logPaths,
  serializeEvent,
  StaleOffsetError,
  type Event,
} from '../../core/log/index.js';
import { appendN, dummyEvent, indices, logDir, readAll, readHistory, sizeOf, types } from '../helpers/log.js';

describe('EventWriter.open', () => {
  it('creates the directory, views/ and app.jsonl', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    expect(existsSync(join(dir, 'views'))).toBe(true);
    expect(existsSync(join(dir, 'app.jsonl'))).toBe(true);
    expect(existsSync(join(dir, 'archive.jsonl.zst'))).toBe(false);
    expect(w.recovery.createdDirectory).toBe(true);
    await w.close();
  });

  it('reopens an existing directory after the first writer is closed', async () => {
    const dir = logDir();
    await (await EventWriter.open(dir)).close();
    const w = await EventWriter.open(dir);
    expect(w.recovery.createdDirectory).toBe(false);
    expect(w.activeLogSize()).toBe(0);
    await w.close();
  });

  it('exposes the paths of the directory', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    expect(w.dir).toBe(dir);
    expect(w.paths).toEqual(logPaths(dir));
    expect(w.paths.log).toBe(join(dir, 'app.jsonl'));
    expect(w.paths.archive).toBe(join(dir, 'archive.jsonl.zst'));
    expect(w.paths.views).toBe(join(dir, 'views'));
    expect(w.reader().dir).toBe(dir);
    await w.close();
  });
});

describe('append and read', () => {
  it('appends one event and reads it back', async () => {
    const w = await EventWriter.open(logDir());
    const e = createEvent('todo_added', { text: 'buy milk' }, { ts: 7 });
    await w.append(e);
    expect(await readAll(w.reader())).toEqual([e]);
    await w.close();
  });

  it('appends several events and reads them back in order', async () => {
    const w = await EventWriter.open(logDir());
    await appendN(w, 10);
    expect(indices(await readAll(w.reader()))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await w.close();
  });

  it('writes exactly the serialized line plus a newline', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const a = dummyEvent('a');
    const b = createEvent('b', [1, 2], { ts: 9, id: 'x' });
    await w.append(a);
    await w.append(b);
    expect(readFileSync(join(dir, 'app.jsonl'), 'utf8')).toBe(`${serializeEvent(a)}\n${serializeEvent(b)}\n`);
    await w.close();
  });

  it('readFrom(offset of the 3rd event) returns only the events from there', async () => {
    const w = await EventWriter.open(logDir());
    const results = await appendN(w, 5);
    expect(indices(await readAll(w.reader(), results[2]!.startOffset))).toEqual([2, 3, 4]);
    expect(indices(await readAll(w.reader(), results[2]!.endOffset))).toEqual([3, 4]);
    await w.close();
  });

  it('every returned offset seeks exactly to its event, and nextOffset chains', async () => {
    const w = await EventWriter.open(logDir());
    await appendN(w, 6);
    const entries = [];
    for await (const e of w.reader().readFrom(0)) entries.push(e);
    expect(entries[0]!.offset).toBe(0);
    for (let i = 0; i < entries.length; i++) {
      const [first] = await readAll(w.reader(), entries[i]!.offset);
      expect(first).toEqual(entries[i]!.event);
      if (i > 0) expect(entries[i]!.offset).toBe(entries[i - 1]!.nextOffset);
      expect(entries[i]!.nextOffset).toBeGreaterThan(entries[i]!.offset);
    }
    expect(entries.at(-1)!.nextOffset).toBe(w.activeLogSize());
    await w.close();
  });

  it('an empty log reads as nothing, and readFrom(EOF) yields nothing', async () => {
    const w = await EventWriter.open(logDir());
    expect(await readAll(w.reader())).toEqual([]);
    await appendN(w, 3);
    expect(await readAll(w.reader(), w.activeLogSize())).toEqual([]);
    await w.close();
  });

  it('readFrom past the end of the log throws StaleOffsetError naming file, offset and size', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await appendN(w, 2);
    const size = w.activeLogSize();
    const err = await readAll(w.reader(), size + 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleOffsetError);
    expect(err).toMatchObject({
      offset: size + 10,
      size,
      file: join(dir, 'app.jsonl'),
      code: 'STALE_OFFSET',
    });
    await w.close();
  });

  it('keeps special characters through the file', async () => {
    const w = await EventWriter.open(logDir());
    const data = { s: 'héllo 日本 🎉 "q" \\ \n\r\t \u0001 \u2028\u2029 𝄞' };
    await w.append(createEvent('t', data, { ts: 1 }));
    expect((await readAll(w.reader()))[0]!.data).toEqual(data);
    await w.close();
  });

  it('persists across close and reopen, and further appends continue after them', async () => {
    const dir = logDir();
    const w1 = await EventWriter.open(dir);
    await appendN(w1, 3);
    const size = w1.activeLogSize();
    const hash = w1.lastLineHash();
    await w1.close();
    const w2 = await EventWriter.open(dir);
    expect(w2.activeLogSize()).toBe(size);
    expect(w2.lastLineHash()).toBe(hash);
    const r = await w2.append(dummyEvent('after'));
    expect(r.startOffset).toBe(size);
    expect(types(await readAll(w2.reader()))).toEqual(['dummy', 'dummy', 'dummy', 'after']);
    await w2.close();
  });

  it('offsets increase strictly', async () => {
    const w = await EventWriter.open(logDir());
    const results = await appendN(w, 20);
    for (let i = 1; i < results.length; i++)
      expect(results[i]!.startOffset).toBeGreaterThan(results[i - 1]!.startOffset);
    await w.close();
  });

  it('rejects an invalid event with a typed error and writes nothing', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await expect(w.append({ type: 't', ts: 1 } as unknown as Event)).rejects.toBeInstanceOf(
      InvalidEventError,
    );
    await expect(w.append({ data: 1, ts: 1 } as unknown as Event)).rejects.toThrow(/type/);
    expect(sizeOf(join(dir, 'app.jsonl'))).toBe(0);
    expect(w.activeLogSize()).toBe(0);
    await w.close();
  });

  it('blank lines are skipped but still count in offsets', async () => {
    const dir = logDir();
    const a = serializeEvent(dummyEvent('a'));
    const b = serializeEvent(dummyEvent('b'));
    await (await EventWriter.open(dir)).close();
    writeFileSync(join(dir, 'app.jsonl'), `${a}\n\n\n${b}\n`);
    const entries = [];
    for await (const e of (await EventReader.open(dir)).readFrom(0)) entries.push(e);
    expect(entries.map((e) => [e.event.type, e.offset, e.nextOffset])).toEqual([
      ['a', 0, a.length + 1],
      ['b', a.length + 3, a.length + b.length + 4],
    ]);
  });

  it('durability "none" still appends and reads back', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'none' });
    expect(w.durability).toBe('none');
    await appendN(w, 3);
    expect((await readAll(w.reader())).length).toBe(3);
    await w.close();
  });
});

describe('AppendResult', () => {
  it('reports start, end (start + bytes + 1) and the line hash', async () => {
    const w = await EventWriter.open(logDir());
    const e = dummyEvent('a');
    const line = serializeEvent(e);
    const r = await w.append(e);
    expect(r).toEqual({ startOffset: 0, endOffset: Buffer.byteLength(line) + 1, lineHash: lineHash(line) });
    await w.close();
  });

  it('counts bytes, not UTF-16 units, for non-ASCII lines', async () => {
    const w = await EventWriter.open(logDir());
    const r = await w.append(createEvent('t', { s: 'é🎉日' }, { ts: 1 }));
    expect(r.endOffset).toBe(
      Buffer.byteLength(serializeEvent(createEvent('t', { s: 'é🎉日' }, { ts: 1 }))) + 1,
    );
    expect(r.endOffset).toBe(w.activeLogSize());
    await w.close();
  });

  it('consecutive results chain (end == next start) and end at the file size', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const rs = await appendN(w, 5);
    for (let i = 1; i < rs.length; i++) expect(rs[i]!.startOffset).toBe(rs[i - 1]!.endOffset);
    expect(rs.at(-1)!.endOffset).toBe(statSync(join(dir, 'app.jsonl')).size);
    expect(w.lastLineHash()).toBe(rs.at(-1)!.lineHash);
    await w.close();
  });

  it('the hash equals the one a reader sees, and is deterministic', async () => {
    const w = await EventWriter.open(logDir());
    const r1 = await w.append(dummyEvent('same'));
    const r2 = await w.append(dummyEvent('same'));
    const r3 = await w.append(dummyEvent('other'));
    expect(r1.lineHash).toBe(r2.lineHash);
    expect(r1.lineHash).not.toBe(r3.lineHash);
    const seen = [];
    for await (const e of w.reader().readFrom(0)) seen.push(e.lineHash);
    expect(seen).toEqual([r1.lineHash, r2.lineHash, r3.lineHash]);
    await w.close();
  });
});

describe('lineHash', () => {
  it('is xxh64 seed 0 as 16 lowercase hex digits (Rust vectors)', async () => {
    await EventReader.open(logDir()); // loads the wasm hasher
    expect(lineHash('')).toBe('ef46db3751d8e999');
    expect(lineHash('abc')).toBe('44bc2cf5ad770999');
    expect(lineHash(Buffer.from('abc'))).toBe('44bc2cf5ad770999');
    expect(lineHash('a')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('hashes strings as their UTF-8 bytes', async () => {
    await EventReader.open(logDir());
    expect(lineHash('héllo 🎉')).toBe(lineHash(Buffer.from('héllo 🎉', 'utf8')));
  });
});

describe('EventReader', () => {
  it('works on a directory that does not exist yet (empty history)', async () => {
    const r = await EventReader.open(logDir());
    expect(await readHistory(r)).toEqual([]);
    expect(await r.activeLogSize()).toBe(0);
    await expect(readAll(r, 5)).rejects.toBeInstanceOf(StaleOffsetError);
  });

  it('readFull with no archive reads the active log from the start', async () => {
    const w = await EventWriter.open(logDir());
    await appendN(w, 4);
    const entries = [];
    for await (const e of w.reader().readFull()) entries.push(e);
    expect(indices(entries.map((e) => e.event))).toEqual([0, 1, 2, 3]);
    expect(entries[0]!.offset).toBe(0);
    await w.close();
  });

  it('readFull with archive and active log reads the archive first; archived entries have null offsets', async () => {
    const w = await EventWriter.open(logDir());
    await appendN(w, 3, 'old');
    await w.rotate();
    await appendN(w, 2, 'new');
    const entries = [];
    for await (const e of w.reader().readFull()) entries.push(e);
    expect(types(entries.map((e) => e.event))).toEqual(['old', 'old', 'old', 'new', 'new']);
    expect(entries.slice(0, 3).map((e) => e.offset)).toEqual([null, null, null]);
    expect(entries[3]!.offset).toBe(0);
    await w.close();
  });

  it('readFull with an archive and an empty active log reads only the archive', async () => {
    const w = await EventWriter.open(logDir());
    await appendN(w, 3);
    await w.rotate();
    expect(indices(await readHistory(w.reader()))).toEqual([0, 1, 2]);
    await w.close();
  });

  it('readFull with neither archive nor events is empty', async () => {
    const w = await EventWriter.open(logDir());
    expect(await readHistory(w.reader())).toEqual([]);
    await w.close();
  });

  it('archived entries carry the same line hash as when they were appended', async () => {
    const w = await EventWriter.open(logDir());
    const rs = await appendN(w, 3);
    await w.rotate();
    const hashes = [];
    for await (const e of w.reader().readFull()) hashes.push(e.lineHash);
    expect(hashes).toEqual(rs.map((r) => r.lineHash));
    await w.close();
  });

  it('scanFrom visits events with offsets and line bytes, and stops when the visitor returns false', async () => {
    const w = await EventWriter.open(logDir());
    const rs = await appendN(w, 5);
    const seen: [number, number, number, string][] = [];
    const res = await w.reader().scanFrom(rs[1]!.startOffset, (e, off, next, line) => {
      seen.push([(e.data as { i: number }).i, off, next, lineHash(line)]);
      return seen.length < 2;
    });
    expect(seen).toEqual([
      [1, rs[1]!.startOffset, rs[1]!.endOffset, rs[1]!.lineHash],
      [2, rs[2]!.startOffset, rs[2]!.endOffset, rs[2]!.lineHash],
    ]);
    expect(res).toEqual({ end: rs[2]!.endOffset, skipped: [], stopped: true });
    const all = await w.reader().scanFrom(0, () => undefined);
    expect(all).toEqual({ end: rs[4]!.endOffset, skipped: [], stopped: false });
    await w.close();
  });

  it('scanFull visits archived events with offsets -1, then active ones', async () => {
    const w = await EventWriter.open(logDir());
    await appendN(w, 2, 'old');
    await w.rotate();
    const r = await w.append(dummyEvent('new'));
    const seen: [string, number, number][] = [];
    await w.reader().scanFull((e, off, next) => {
      seen.push([e.type, off, next]);
    });
    expect(seen).toEqual([
      ['old', -1, -1],
      ['old', -1, -1],
      ['new', 0, r.endOffset],
    ]);
    await w.close();
  });

  it('lineHashBefore gives the hash of the line ending at an offset, "" at 0 and null off a line end', async () => {
    const w = await EventWriter.open(logDir());
    const rs = await appendN(w, 3);
    const r = w.reader();
    expect(r.lineHashBefore(0)).toBe('');
    for (const x of rs) expect(r.lineHashBefore(x.endOffset)).toBe(x.lineHash);
    expect(r.lineHashBefore(rs[1]!.endOffset - 3)).toBeNull();
    await w.close();
  });

  it('activeLogSize follows appends (reader and writer agree)', async () => {
    const w = await EventWriter.open(logDir());
    expect(await w.reader().activeLogSize()).toBe(0);
    const r = await w.append(dummyEvent());
    expect(await w.reader().activeLogSize()).toBe(r.endOffset);
    expect(w.activeLogSize()).toBe(r.endOffset);
    await w.close();
  });

  it('a reader built from the directory alone sees the writer’s appends', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const reader = await EventReader.open(dir);
    await appendN(w, 2);
    expect((await readAll(reader)).length).toBe(2);
    await appendN(w, 1);
    expect((await readAll(reader)).length).toBe(3);
    await w.close();
    expect((await readAll(reader)).length).toBe(3);
  });

  it('does not yield a line that is being written (no newline yet)', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await appendN(w, 2);
    await w.close();
    appendFileSync(join(dir, 'app.jsonl'), '{"type":"half","data":');
    expect(indices(await readAll(await EventReader.open(dir)))).toEqual([0, 1]);
  });
});

describe('close', () => {
  it('is idempotent, and a closed writer refuses appends with ClosedError', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await w.close();
    await w.close();
    const err = await w.append(dummyEvent()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClosedError);
    expect((err as Error).message).toContain(dir);
    await expect(w.rotate()).rejects.toBeInstanceOf(ClosedError);
  });

  it('two concurrent closes both resolve', async () => {
    const w = await EventWriter.open(logDir());
    await w.append(dummyEvent());
    await expect(Promise.all([w.close(), w.close()])).resolves.toEqual([undefined, undefined]);
  });

  it('waits for pending appends before closing', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const pending = [w.append(dummyEvent('a')), w.append(dummyEvent('b'))];
    await w.close();
    await Promise.all(pending);
    expect(types(await readAll(await EventReader.open(dir)))).toEqual(['a', 'b']);
  });
});
