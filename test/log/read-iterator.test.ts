/**
 * readFull/readFrom hand events out from batches (64 KiB of lines at a time): order, hashes and
 * offsets must not depend on where the slices fall, a corrupt archived line keeps its exact offset, and leaving a
 * `for await` early closes the files.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CorruptLogError,
  EventReader,
  EventWriter,
  createEvent,
  lineHash,
  logPaths,
  serializeEvent,
  type Event,
} from '../../core/log/index.js';
import { appendActiveLogAsFrame, truncateActiveLog } from '../helpers/crash-states.js';
import { logDir } from '../helpers/log.js';

/** Lines of varied length (10 B to 20 KiB of text), so slice boundaries cut lines at every kind of place. */
function variedEvent(i: number): Event {
  return createEvent('e', { i, pad: 'x'.repeat((i * 7919) % 20_000) }, { ts: 1_700_000_000 + i });
}

/** Writes `n` varied events and rotates them into one archive frame (3 MiB or so), then `active` more. */
async function archivedLog(n: number, active: number): Promise<{ dir: string; lines: string[] }> {
  const dir = logDir();
  const w = await EventWriter.open(dir, { durability: 'none' });
  const lines: string[] = [];
  for (let i = 0; i < n + active; i++) {
    if (i === n) await w.rotate([]);
    const e = variedEvent(i);
    await w.append(e);
    lines.push(serializeEvent(e));
  }
  await w.close();
  return { dir, lines };
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('readFull over an archive frame larger than one read slice', () => {
  it('yields every event once, in order, with its own line hash; active events keep their offsets', async () => {
    const { dir, lines } = await archivedLog(300, 20);
    const reader = await EventReader.open(dir);
    let i = 0;
    let offset = 0;
    for await (const entry of reader.readFull()) {
      expect((entry.event.data as { i: number }).i).toBe(i);
      expect(entry.lineHash).toBe(lineHash(lines[i]!));
      if (i < 300) expect(entry.offset).toBeNull();
      else {
        expect(entry.offset).toBe(offset);
        offset = entry.nextOffset!;
      }
      i++;
    }
    expect(i).toBe(320);
    let scanned = 0;
    await reader.scanFull(() => {
      scanned++;
    });
    expect(scanned).toBe(320);
  });

  it('a corrupt line deep in a frame is a CorruptLogError at its offset in the archive, after the events before it', async () => {
    const dir = logDir();
    mkdirSync(dir, { recursive: true });
    const good = Array.from({ length: 200 }, (_, i) => serializeEvent(variedEvent(i)));
    const before = `${good.join('\n')}\n`;
    expect(Buffer.byteLength(before)).toBeGreaterThan(1.5 * 2 ** 20); // past the first 1 MiB slice
    writeFileSync(logPaths(dir).log, `${before}{"type":"broken"\n${good[0]}\n`);
    await appendActiveLogAsFrame(dir);
    truncateActiveLog(dir);
    const reader = await EventReader.open(dir);
    const seen: number[] = [];
    let error: unknown;
    try {
      for await (const { event } of reader.readFull()) seen.push((event.data as { i: number }).i);
    } catch (err) {
      error = err;
    }
    expect(seen).toEqual(good.map((_, i) => i));
    expect(error).toBeInstanceOf(CorruptLogError);
    expect((error as CorruptLogError).offset).toBe(Buffer.byteLength(before));
    expect((error as CorruptLogError).file).toBe(logPaths(dir).archive);
  });
});

describe('leaving a read early', () => {
  it('break out of readFull (in the archive, then in the active log) and out of readFrom closes the files', async () => {
    const { dir } = await archivedLog(300, 20);
    const reader = await EventReader.open(dir);
    const fds = openFds();
    for (const stopAt of [5, 310]) {
      let n = 0;
      for await (const _ of reader.readFull()) if (++n === stopAt) break;
      expect(n).toBe(stopAt);
      expect(openFds()).toBe(fds);
    }
    for await (const _ of reader.readFrom(0)) break;
    expect(openFds()).toBe(fds);
  });

  it('an iterator that was never started, or is asked again after the end, is done', async () => {
    const { dir } = await archivedLog(3, 2);
    const reader = await EventReader.open(dir);
    const unused = reader.readFull();
    expect(await unused.return(undefined)).toEqual({ value: undefined, done: true });
    expect(await unused.next()).toEqual({ value: undefined, done: true });
    const it = reader.readFrom(0);
    const got: number[] = [];
    for (let r = await it.next(); !r.done; r = await it.next())
      got.push((r.value.event.data as { i: number }).i);
    expect(got).toEqual([3, 4]);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('concurrent next() calls get consecutive events, none twice', async () => {
    const { dir } = await archivedLog(40, 10);
    const reader = await EventReader.open(dir);
    const it = reader.readFull();
    const results = await Promise.all(Array.from({ length: 60 }, () => it.next()));
    const values = results.filter((r) => !r.done).map((r) => (r.value as { event: Event }).event.data);
    expect(values.map((d) => (d as { i: number }).i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(results.slice(50).every((r) => r.done)).toBe(true);
  });
});

describe('entries keep their line as a range of the read buffer', () => {
  it('lineHash of batch lines held across 64 KiB slices, 1 MiB reads and a frame boundary (CRLF too)', async () => {
    const dir = logDir();
    mkdirSync(logPaths(dir).dir, { recursive: true });
    // Batches of 40 lines of ~3 KiB: each spans a 64 KiB slice boundary, some a 1 MiB read boundary.
    const text: string[] = [];
    const lines: string[] = [];
    for (let b = 0; b < 30; b++) {
      for (let j = 0; j < 40; j++) {
        const e = createEvent('e', { b, j, pad: 'y'.repeat(3000 + ((b * 31 + j) % 97)) }, { ts: 1 });
        const more = j < 39;
        text.push(serializeEvent(e, more) + (j % 3 === 0 ? '\r\n' : '\n'));
        lines.push(serializeEvent(e));
      }
    }
    const all = text.join('');
    writeFileSync(logPaths(dir).log, all);
    const reader = await EventReader.open(dir);
    const got: { hash: string; offset: number | null }[] = [];
    for await (const entry of reader.readFrom(0)) got.push({ hash: entry.lineHash, offset: entry.offset });
    expect(got.map((g) => g.hash)).toEqual(text.map((t) => lineHash(t.replace(/\r?\n$/, ''))));
    // A torn batch at the end stays invisible; the held lines before it do not leak.
    writeFileSync(logPaths(dir).log, all + text.slice(0, 5).join(''));
    let n = 0;
    for await (const entry of reader.readFrom(0)) expect(entry.lineHash).toBe(got[n++]!.hash);
    expect(n).toBe(lines.length);
    // The same lines archived in two frames cut mid-line, inside a batch, and read by readFull.
    const cut = Math.floor(all.length / 2) + 7;
    writeFileSync(logPaths(dir).log, all.slice(0, cut));
    await appendActiveLogAsFrame(dir);
    writeFileSync(logPaths(dir).log, all.slice(cut));
    await appendActiveLogAsFrame(dir);
    truncateActiveLog(dir);
    const full: string[] = [];
    for await (const entry of reader.readFull()) full.push(entry.lineHash);
    expect(full).toEqual(got.map((g) => g.hash));
  });
});
