import { describe, expect, it } from 'vitest';
import { AggregateStore } from '../../core/es/index.js';
import { counter, tempDir, totals, type Totals } from './fixtures.js';

describe('time travel', () => {
  it('a projection and an instance as of a past date or position equal what the live store showed then', async () => {
    const dir = tempDir();
    let now = new Date('2026-03-01T10:00:00Z');
    const store = await AggregateStore.builder(dir)
      .aggregate(counter)
      .projection(totals)
      .options({ clock: () => now })
      .open();
    const seen: { date: Date; position: number; totals: Totals; c1: unknown }[] = [];
    for (let day = 0; day < 4; day++) {
      now = new Date(Date.UTC(2026, 2, 1 + day, 10));
      await store.execute(counter, 'c-1', { type: 'Add', n: day + 1 });
      await store.execute(counter, `c-${day + 2}`, { type: 'Increment' }, {}, { waitForProjections: true });
      seen.push({
        date: now,
        position: store.position,
        totals: structuredClone(store.projection<Totals>(totals).state),
        c1: await store.get(counter, 'c-1').state(),
      });
    }
    for (const s of seen) {
      expect(await store.projectionAt(totals, { date: s.date })).toEqual(s.totals);
      expect(await store.projectionAt(totals, { position: s.position })).toEqual(s.totals);
      expect((await store.stateAt(counter, 'c-1', { date: s.date })).state).toEqual(s.c1);
    }
    // Before anything happened, and for an id with no stream: the initial states, and nothing is created.
    expect(await store.projectionAt(totals, { date: new Date('2020-01-01') })).toEqual(totals.initialState());
    expect(await store.stateAt(counter, 'never', { date: now })).toEqual({ state: { value: 0 }, version: 0 });
    expect(store.list(counter)).not.toContain('never');
    // The live read model was not touched.
    expect(store.projection<Totals>(totals).state).toEqual(seen.at(-1)!.totals);
    await store.close();
  });
});
