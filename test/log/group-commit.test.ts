import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AppendConflict,
  ClosedError,
  createEvent,
  EventLog,
  EventWriter,
  InvalidEventError,
  lineHash,
  serializeEvent,
  type Durability,
  type Event,
} from '../../core/log/index.js';
import { counterReducer, indices, logDir, readAll, readHistory } from '../helpers/log.js';

const ev = (i: number): Event => createEvent('g', { i }, { ts: 1 });

/** Write syscalls made by this process so far (Linux /proc/self/io), or null where unavailable. */
function writeSyscalls(): number | null {
  if (!existsSync('/proc/self/io')) return null;
  const m = /syscw:\s*(\d+)/.exec(readFileSync('/proc/self/io', 'utf8'));
  return m ? Number(m[1]) : null;
}

const noProcIo = writeSyscalls() === null;
if (noProcIo) console.log('group-commit: /proc/self/io is unavailable here; the write-count test is skipped');

describe("durability 'group'", () => {
  it('concurrent appends all land, in submission order, with chained offsets and correct hashes', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'group' });
    expect(w.durability).toBe('group');
    const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => w.append(ev(i))));
    for (let i = 1; i < rs.length; i++) expect(rs[i]!.startOffset).toBe(rs[i - 1]!.endOffset);
    expect(rs.map((r) => r.lineHash)).toEqual(rs.map((_, i) => lineHash(serializeEvent(ev(i)))));
    expect(rs.at(-1)!.endOffset).toBe(w.activeLogSize());
    expect(indices(await readAll(w.reader()))).toEqual([...Array(40).keys()]);
    await w.close();
  });

  it('each append is on disk when its promise resolves', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'group' });
    const checks = Array.from({ length: 10 }, async (_, i) => {
      const r = await w.append(ev(i));
      const bytes = readFileSync(w.paths.log).subarray(r.startOffset, r.endOffset).toString('utf8');
      expect(bytes).toBe(`${serializeEvent(ev(i))}\n`);
    });
    await Promise.all(checks);
    await w.close();
  });

  it.skipIf(noProcIo)(
    'appends issued in the same tick share one write (and so one sync); "always" writes each',
    async () => {
      const count = async (durability: Durability): Promise<number> => {
        const w = await EventWriter.open(logDir(), { durability });
        await w.append(ev(-1));
        const before = writeSyscalls()!;
        await Promise.all(Array.from({ length: 50 }, (_, i) => w.append(ev(i))));
        const after = writeSyscalls()!;
        await w.close();
        return after - before;
      };
      expect(await count('always')).toBeGreaterThanOrEqual(50);
      // One write for the whole group; a little slack for unrelated writes of the test runner.
      expect(await count('group')).toBeLessThan(10);
    },
  );

  it('appendIf inside a group is checked against the position the earlier requests of the group leave', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'group' });
    const base = await w.append(ev(0));
    const a = ev(1);
    const aEnd = base.endOffset + Buffer.byteLength(serializeEvent(a)) + 1;
    const aHash = lineHash(serializeEvent(a));
    const [ra, stale, chained] = await Promise.allSettled([
      w.append(a),
      w.appendIf(ev(2), base.endOffset, base.lineHash), // a comes first: conflict
      w.appendIf(ev(3), aEnd, aHash), // expects exactly what a leaves: succeeds
    ]);
    expect(ra.status).toBe('fulfilled');
    expect(stale.status).toBe('rejected');
    const conflict = (stale as PromiseRejectedResult).reason as AppendConflict;
    expect(conflict).toBeInstanceOf(AppendConflict);
    expect(conflict.actualOffset).toBe(aEnd);
    expect(chained.status).toBe('fulfilled');
    expect((chained as PromiseFulfilledResult<{ startOffset: number }>).value.startOffset).toBe(aEnd);
    expect(indices(await readAll(w.reader()))).toEqual([0, 1, 3]);
    await w.close();
  });

  it('two actors racing in one group: one wins, the other conflicts, nothing else is affected', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'group' });
    const base = await w.append(ev(0));
    const results = await Promise.allSettled([
      w.appendIf(ev(1), base.endOffset, base.lineHash),
      w.appendIf(ev(2), base.endOffset, base.lineHash),
      w.append(ev(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(indices(await readAll(w.reader()))).toEqual([0, 1, 3]);
    await w.close();
  });

  it('batches in a group stay atomic and ordered', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'group' });
    const [b1, single, b2] = await Promise.all([
      w.appendBatch([ev(0), ev(1), ev(2)]),
      w.append(ev(3)),
      w.appendBatch([ev(4), ev(5)]),
    ]);
    expect(b1.length).toBe(3);
    expect(single.startOffset).toBe(b1[2]!.endOffset);
    expect(b2[0]!.startOffset).toBe(single.endOffset);
    expect(indices(await readAll(w.reader()))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(
      readFileSync(w.paths.log, 'utf8')
        .split('\n')
        .filter((l) => l.endsWith(',"more":true}')).length,
    ).toBe(3);
    await w.close();
  });

  it('close waits for a group in flight', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir, { durability: 'group' });
    const pending = Array.from({ length: 5 }, (_, i) => w.append(ev(i)));
    await w.close();
    await Promise.all(pending);
    const again = await EventWriter.open(dir);
    expect(indices(await readAll(again.reader()))).toEqual([0, 1, 2, 3, 4]);
    await again.close();
  });

  it('an invalid event is rejected on its own; the rest of the group is written', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'group' });
    const results = await Promise.allSettled([
      w.append(ev(0)),
      w.append({ type: 'x' } as Event),
      w.append(ev(1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(indices(await readAll(w.reader()))).toEqual([0, 1]);
    await w.close();
  });

  it('an event whose data JSON cannot write fails alone, with a typed error; the rest of the group is written', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'group' });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const results = await Promise.allSettled([
      w.append(ev(0)),
      w.append(createEvent('cycle', cycle, { ts: 1 })),
      w.append(createEvent('bigint', 10n, { ts: 1 })),
      w.append(ev(1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    for (const r of [results[1], results[2]]) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(InvalidEventError);
      expect(String((r as PromiseRejectedResult).reason)).toMatch(/cannot be written as JSON/);
    }
    expect(indices(await readAll(w.reader()))).toEqual([0, 1]);
    await w.close();
  });

  it('an append after close is rejected with ClosedError (it does not hang)', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'group' });
    await w.close();
    await expect(w.append(ev(0))).rejects.toBeInstanceOf(ClosedError);
  });

  it('an append queued while close() runs is either written or rejected, never left hanging', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir, { durability: 'group' });
    const first = w.append(ev(0));
    const closing = w.close();
    const late = w.append(ev(1)).then(
      () => 'written',
      (e: unknown) => (e instanceof ClosedError ? 'closed' : String(e)),
    );
    await closing;
    await first;
    expect(['written', 'closed']).toContain(await late);
    const again = await EventWriter.open(dir);
    expect(indices(await readAll(again.reader()))).toEqual((await late) === 'written' ? [0, 1] : [0]);
    await again.close();
  });

  it('sequential groups keep working (a group is flushed per tick)', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'group' });
    for (let round = 0; round < 5; round++) {
      await Promise.all([w.append(ev(round * 2)), w.append(ev(round * 2 + 1))]);
    }
    expect(indices(await readAll(w.reader()))).toEqual([...Array(10).keys()]);
    await w.close();
  });
});

describe.each<Durability>(['group', 'always'])(
  'EventLog auto-rotation under concurrent appends (%s)',
  (durability) => {
    it('every result is a valid appendIf expectation for the log as it is after the appends', async () => {
      const line = Buffer.byteLength(serializeEvent(ev(0))) + 1;
      const log = await EventLog.builder(logDir())
        .durability(durability)
        .maxLogSize(line * 3)
        .view('count', counterReducer, 0)
        .open();
      // When each append resolves, its result points at its line in the active log, or says it was rotated away.
      const valid: boolean[] = [];
      const rs = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          log.append(ev(i)).then((r) => {
            valid.push(r.rotated === true || log.reader().lineHashBefore(r.endOffset) === r.lineHash);
            return r;
          }),
        ),
      );
      expect(valid).toEqual([true, true, true, true, true]);
      // The log rotated once it reached three lines; the last result must describe the current end.
      const last = rs.at(-1)!;
      const end = await log.reader().activeLogSize();
      expect(last.endOffset).toBe(end);
      expect(last.lineHash).toBe(log.reader().lineHashBefore(end));
      await log.appendIf(ev(5), last.endOffset, last.lineHash);
      expect(indices(await readHistory(log.reader()))).toEqual([0, 1, 2, 3, 4, 5]);
      await log.refreshAll();
      expect(log.view('count')).toBe(6);
      await log.close();
    });
  },
);
