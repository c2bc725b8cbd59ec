/** Property-based tests (fast-check): the log's state is always the fold of its events, whatever happens in between. */
import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createEvent,
  EventLog,
  EventWriter,
  stateAt,
  View,
  type Durability,
  type Event,
  type Reducer,
} from '../../core/log/index.js';
import { tornBatch, tornLine } from '../helpers/crash-states.js';
import { counterReducer, logDir, readHistory, statsReducer } from '../helpers/log.js';

const RUNS = { numRuns: 50 };

/** Random events: types a-d, any JSON data (normalized the way JSON stores it), integer seconds, optional metadata. */
const eventArb: fc.Arbitrary<Event> = fc
  .record({
    type: fc.constantFrom('a', 'b', 'c', 'd'),
    data: fc.jsonValue({ maxDepth: 2 }),
    ts: fc.integer({ min: 0, max: 2 ** 40 }),
    actor: fc.option(fc.string({ unit: 'binary', maxLength: 8 }), { nil: undefined }),
  })
  .map(({ type, data, ts, actor }) =>
    createEvent(
      type,
      JSON.parse(JSON.stringify(data)) as unknown,
      actor === undefined ? { ts } : { ts, actor },
    ),
  );
const eventsArb = fc.array(eventArb, { maxLength: 30 });

/** A reducer sensitive to order and content: a rolling digest of every event. */
const digestReducer: Reducer<string> = (s, e) => {
  let h = 0;
  for (const ch of `${s}|${e.type}|${JSON.stringify(e.data)}|${e.ts}|${e.actor ?? ''}`)
    h = (h * 31 + ch.charCodeAt(0)) | 0;
  return `${h}`;
};
const lastTs: Reducer<number> = (_s, e) => e.ts;
const fold = <S>(events: Event[], r: Reducer<S>, initial: S): S => events.reduce(r, initial);

/** Where to cut the event list: sorted distinct indices in [0, n]. */
const cutsArb = (max: number) =>
  fc.uniqueArray(fc.integer({ min: 0, max }), { maxLength: 5 }).map((a) => a.sort((x, y) => x - y));

async function openLog(dir: string, durability: Durability = 'none'): Promise<EventLog> {
  return EventLog.builder(dir)
    .maxLogSize(0)
    .durability(durability)
    .view('digest', digestReducer, '0')
    .view('count', counterReducer, 0)
    .view('stats', statsReducer, () => ({}))
    .view('last_ts', lastTs, -1)
    .open();
}

describe('properties', () => {
  it('reducer determinism: incremental refreshes at arbitrary points (with reopens) equal one fold', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb, fc.array(fc.boolean(), { maxLength: 30 }), async (events, reopenAt) => {
        const dir = logDir();
        let log = await openLog(dir);
        for (const [i, e] of events.entries()) {
          await log.append(e);
          if (reopenAt[i]) {
            await log.refreshAll();
            await log.close();
            log = await openLog(dir);
          }
        }
        await log.refreshAll();
        expect(log.view('digest')).toBe(fold(events, digestReducer, '0'));
        await log.close();
        rmSync(dir, { recursive: true, force: true });
      }),
      RUNS,
    );
  });

  it('rotation invariance: rotating at random points gives the same state as no rotation', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb, cutsArb(30), async (events, cuts) => {
        const dir = logDir();
        const log = await openLog(dir);
        for (const [i, e] of events.entries()) {
          if (cuts.includes(i)) await log.rotate();
          await log.append(e);
        }
        await log.refreshAll();
        expect(log.view('digest')).toBe(fold(events, digestReducer, '0'));
        expect(log.view('stats')).toEqual(fold(events, statsReducer, {}));
        await log.close();
        rmSync(dir, { recursive: true, force: true });
      }),
      RUNS,
    );
  });

  it('snapshot equivalence: deleting every snapshot and rebuilding equals the incremental state', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb, cutsArb(30), cutsArb(30), async (events, rotations, refreshes) => {
        const dir = logDir();
        const log = await openLog(dir);
        for (const [i, e] of events.entries()) {
          if (rotations.includes(i)) await log.rotate();
          if (refreshes.includes(i)) await log.refreshAll();
          await log.append(e);
        }
        await log.refreshAll();
        const incremental = log.viewNames().map((n) => log.view(n));
        for (const n of log.viewNames()) await log.getView(n).rebuild(log.reader());
        expect(log.viewNames().map((n) => log.view(n))).toEqual(incremental);
        await log.close();
        rmSync(dir, { recursive: true, force: true });
      }),
      RUNS,
    );
  });

  it('ordering: readFull after arbitrary rotations and batches returns exactly what was appended, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(eventArb, { minLength: 1, maxLength: 4 }), { maxLength: 12 }),
        cutsArb(12),
        fc.constantFrom<Durability>('none', 'group'),
        async (groups, cuts, durability) => {
          const dir = logDir();
          const log = await openLog(dir, durability);
          for (const [i, g] of groups.entries()) {
            if (cuts.includes(i)) await log.rotate();
            if (g.length === 1) await log.append(g[0]!);
            else await log.appendBatch(g);
          }
          expect(await readHistory(log.reader())).toEqual(groups.flat());
          await log.close();
          rmSync(dir, { recursive: true, force: true });
        },
      ),
      RUNS,
    );
  });

  it('multi-view consistency: every view after refreshAll equals a fresh fold with its reducer', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb, cutsArb(30), async (events, cuts) => {
        const dir = logDir();
        const log = await openLog(dir);
        for (const [i, e] of events.entries()) {
          if (cuts.includes(i)) await log.refreshAll();
          await log.append(e);
        }
        await log.refreshAll();
        expect(log.view('count')).toBe(events.length);
        expect(log.view('stats')).toEqual(fold(events, statsReducer, {}));
        expect(log.view('last_ts')).toBe(events.at(-1)?.ts ?? -1);
        expect(log.view('digest')).toBe(fold(events, digestReducer, '0'));
        await log.close();
        rmSync(dir, { recursive: true, force: true });
      }),
      RUNS,
    );
  });

  it('time travel: the state after k events equals the fold of the first k, across rotations', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb, cutsArb(30), fc.nat({ max: 35 }), async (events, cuts, k) => {
        const dir = logDir();
        const log = await openLog(dir);
        for (const [i, e] of events.entries()) {
          if (cuts.includes(i)) await log.rotate();
          await log.append(e);
        }
        const past = await stateAt(log.reader(), digestReducer, '0', { events: k });
        expect(past).toEqual({
          state: fold(events.slice(0, k), digestReducer, '0'),
          events: Math.min(k, events.length),
        });
        await log.close();
        rmSync(dir, { recursive: true, force: true });
      }),
      RUNS,
    );
  });

  it('crash repair: after a torn line or torn batch at any point, committed events are exactly preserved', async () => {
    await fc.assert(
      fc.asyncProperty(
        eventsArb,
        fc.array(eventArb, { minLength: 1, maxLength: 4 }),
        fc.nat({ max: 200 }),
        async (events, lost, cutAt) => {
          const dir = logDir();
          const w = await EventWriter.open(dir, { durability: 'none' });
          for (const e of events) await w.append(e);
          await w.close();
          if (lost.length === 1) tornLine(dir, lost[0]!, Math.max(1, cutAt % 60));
          else tornBatch(dir, lost, cutAt % 30);
          const log = await openLog(dir);
          expect(log.view('digest')).toBe(fold(events, digestReducer, '0'));
          const extra = createEvent('after', null, { ts: 1 });
          await log.append(extra);
          expect(await readHistory(log.reader())).toEqual([...events, extra]);
          await log.close();
          rmSync(dir, { recursive: true, force: true });
        },
      ),
      RUNS,
    );
  });

  it('a View used alone (no EventLog) agrees with a fold, refreshed at arbitrary points', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb, cutsArb(30), async (events, refreshes) => {
        const dir = logDir();
        const w = await EventWriter.open(dir, { durability: 'none' });
        let view = new View('digest', digestReducer, '0', w.paths.views);
        for (const [i, e] of events.entries()) {
          if (refreshes.includes(i)) {
            await view.refresh(w.reader());
            view = new View('digest', digestReducer, '0', w.paths.views); // reload from the snapshot
          }
          await w.append(e);
        }
        expect(await view.refresh(w.reader())).toBe(fold(events, digestReducer, '0'));
        await w.close();
        rmSync(dir, { recursive: true, force: true });
      }),
      RUNS,
    );
  });
});
