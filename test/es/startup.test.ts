/**
 * Starting in the background (`startFirst`): `open` resolves once the named projections are caught up; the other
 * projections, then the process managers, load one at a time after it, while commands and reads go on.
 */
import { describe, expect, it } from 'vitest';
import { AggregateStore, UnknownNameError, type StoreOptions } from '../../core/es/index.js';
import { counter, countedTotals, inbox, relay, tempDir, totals, type Totals } from './fixtures.js';

function openStore(dir: string, options: StoreOptions = {}): Promise<AggregateStore> {
  return AggregateStore.builder(dir)
    .aggregate(counter)
    .aggregate(inbox)
    .projection(totals)
    .projection(countedTotals)
    .processManager(relay)
    .options(options)
    .open();
}

async function seed(dir: string): Promise<Totals> {
  const s = await openStore(dir);
  for (const id of ['c-1', 'c-2', 'c-3']) {
    await s.get(counter, id).execute({ type: 'Add', n: 2 });
    await s.get(counter, id).execute({ type: 'Increment' });
  }
  await s.runProcessManagers();
  await s.awaitProjections();
  const state = structuredClone(s.projection<Totals>(totals).state);
  await s.close();
  return state;
}

describe('startFirst', () => {
  it('open waits for the named projections only; ready(name) waits for another one', async () => {
    const dir = tempDir();
    const expected = await seed(dir);
    const s = await openStore(dir, { startFirst: ['totals'] });
    expect(s.projection<Totals>(totals).state).toEqual(expected);
    // Not loaded yet: it starts after open resolved, on a later turn of the event loop.
    expect(s.projection<Totals>(countedTotals).state.total).toBe(0);
    await s.ready('counted-totals');
    expect(s.projection<Totals>(countedTotals).state).toEqual(expected);
    await s.ready();
    await s.close();
  });

  it('commands during the background start reach every projection and process manager exactly once', async () => {
    const dir = tempDir();
    await seed(dir);
    const s = await openStore(dir, { startFirst: ['totals'] });
    // Straight after open: the other projection and the process manager have not loaded their checkpoints yet.
    await Promise.all(['c-1', 'c-4'].map((id) => s.get(counter, id).execute({ type: 'Increment' })));
    await s.ready();
    await s.runProcessManagers();
    await s.awaitProjections();
    const live = s.projection<Totals>(totals).state;
    expect(live.byId).toEqual({ 'c-1': 4, 'c-2': 3, 'c-3': 3, 'c-4': 1 });
    expect(s.projection<Totals>(countedTotals).state).toEqual(live);
    // The relay sent one message per Increment, none twice.
    const received = await Promise.all(
      ['c-1', 'c-2', 'c-3', 'c-4'].map(
        async (id) => (await s.get(inbox, `in-${id}`).state()).received.length,
      ),
    );
    expect(received).toEqual([2, 1, 1, 1]);
    await s.close();
  });

  it('closing right after open leaves every checkpoint usable', async () => {
    const dir = tempDir();
    const expected = await seed(dir);
    const s = await openStore(dir, { startFirst: ['totals'] });
    await s.close();
    const again = await openStore(dir);
    expect(again.projection<Totals>(countedTotals).state).toEqual(expected);
    expect(again.projection<Totals>(totals).state).toEqual(expected);
    await again.close();
  });

  it('names that are not registered are refused', async () => {
    const dir = tempDir();
    await expect(openStore(dir, { startFirst: ['nope'] })).rejects.toBeInstanceOf(UnknownNameError);
    const s = await openStore(dir);
    await expect(s.ready('nope')).rejects.toBeInstanceOf(UnknownNameError);
    await s.close();
  });
});
