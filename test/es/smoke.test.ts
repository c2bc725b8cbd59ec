import { describe, expect, it } from 'vitest';
import { AggregateStore } from '../../core/es/index.js';
import { counter, inbox, relay, tempDir, totals, type Totals } from './fixtures.js';

describe('store smoke test', () => {
  it('executes, projects, dispatches, and reopens with the same state and positions above the lease', async () => {
    const dir = tempDir();
    const store = await AggregateStore.builder(dir)
      .aggregate(counter)
      .aggregate(inbox)
      .projection(totals)
      .processManager(relay)
      .open();
    const h = store.get(counter, 'c-1');
    await h.execute({ type: 'Increment' }, { actor: 'ana', correlationId: 'x' });
    await h.execute({ type: 'Add', n: 3 });
    expect(await h.state()).toEqual({ value: 4 });
    await store.projection(totals).awaitCaughtUp();
    expect(store.projection<Totals>(totals).state.total).toBe(4);
    const r = await store.runProcessManagers();
    expect(r.dispatched).toBe(1);
    expect(await store.get(inbox, 'in-c-1').state()).toEqual({ received: ['c-1'] });
    await store.close();
    const again = await AggregateStore.builder(dir)
      .aggregate(counter)
      .aggregate(inbox)
      .projection(totals)
      .processManager(relay)
      .open();
    expect(again.projection<Totals>(totals).state.total).toBe(4);
    expect(await again.get(counter, 'c-1').state()).toEqual({ value: 4 });
    await again.get(counter, 'c-2').execute({ type: 'Increment' }, {}, { waitForProjections: true });
    const order = again.projection<Totals>(totals).state.order;
    const seqs = order.map((o) => Number(o.split('#')[1]));
    expect(order).toHaveLength(5);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(order.at(-1)).toBe('c-2#100001');
    await again.close();
  });
});
