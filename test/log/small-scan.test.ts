/**
 * `EventReader.scanSmallSync`: the one-read path for the many tiny logs of a store (an actor's load, a catch-up).
 * It must read exactly what `scanFrom` reads, refuse (null, nothing visited) a log over its limit or with an archive,
 * and hand visitors lines that outlive the next scan (it reads into a scratch buffer shared by the process).
 */
import { describe, expect, it } from 'vitest';
import { createEvent, EventWriter, type Event } from '../../core/log/index.js';
import { logDir, readAll } from '../helpers/log.js';

async function logOf(events: number, pad = 0): Promise<EventWriter> {
  const w = await EventWriter.open(logDir(), { durability: 'none' });
  for (let i = 0; i < events; i++) await w.append(createEvent('e', { i, pad: 'x'.repeat(pad) }, { ts: 1 }));
  return w;
}

function scan(w: EventWriter, from: number, maxBytes: number): { events: Event[]; lines: Buffer[] } | null {
  const events: Event[] = [];
  const lines: Buffer[] = [];
  const r = w.reader().scanSmallSync(
    from,
    (e, _offset, _next, line) => {
      events.push(e);
      lines.push(line);
    },
    maxBytes,
  );
  return r === null ? null : { events, lines };
}

describe('scanSmallSync', () => {
  it('reads the same events as scanFrom, from the start or an offset', async () => {
    const w = await logOf(20);
    const all = await readAll(w.reader());
    expect(scan(w, 0, 1 << 20)!.events).toEqual(all);
    const tenth = (await w.append(createEvent('e', { i: 20 }, { ts: 1 }))).startOffset;
    expect(scan(w, tenth, 1 << 20)!.events).toEqual([createEvent('e', { i: 20 }, { ts: 1 })]);
    await w.close();
  });

  it('reads a log of exactly maxBytes, and refuses one a byte longer without visiting anything', async () => {
    const w = await logOf(5);
    const size = w.activeLogSize();
    expect(scan(w, 0, size)!.events).toHaveLength(5);
    expect(scan(w, 0, size - 1)).toBeNull();
    await w.close();
  });

  it('reads a log bigger than its scratch buffer when the caller allows it', async () => {
    const w = await logOf(400, 1000); // ~400 KiB, over the 256 KiB scratch
    expect(w.activeLogSize()).toBeGreaterThan(256 * 1024 + 1);
    const r = scan(w, 0, 1 << 20)!;
    expect(r.events.map((e) => (e.data as { i: number }).i)).toEqual([...Array(400).keys()]);
    expect(scan(w, 0, 300 * 1024)).toBeNull();
    await w.close();
  });

  it('refuses a log with an archive (its history is longer than the active log), and reads an empty one as empty', async () => {
    const w = await logOf(3);
    await w.rotate();
    await w.append(createEvent('after', null, { ts: 1 }));
    expect(scan(w, 0, 1 << 20)).toBeNull();
    await w.close();
    const none = await EventWriter.open(logDir(), { durability: 'none' });
    expect(scan(none, 0, 1 << 20)).toEqual({ events: [], lines: [] });
    await none.close();
  });

  it('lines handed to a visitor stay as they were after another scan reuses the scratch buffer', async () => {
    const a = await logOf(2);
    const b = await logOf(2, 50);
    const first = scan(a, 0, 1 << 20)!;
    const before = first.lines.map((l) => l.toString('utf8'));
    scan(b, 0, 1 << 20);
    expect(first.lines.map((l) => l.toString('utf8'))).toEqual(before);
    expect(JSON.parse(before[1]!)).toMatchObject({ type: 'e', data: { i: 1 } });
    await a.close();
    await b.close();
  });
});
