/**
 * Property: whatever the interleaving of commands over several streams, and wherever the store is restarted, the
 * live projection equals a rebuild from the logs (state and global order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AggregateStore, seqOf } from '../../core/es/index.js';
import { counter, tempDir, totals, type CounterCommand, type Totals } from './fixtures.js';

type Step =
  | { kind: 'commands'; commands: { stream: number; command: CounterCommand }[]; rebuild: boolean }
  | { kind: 'restart' };

const command: fc.Arbitrary<CounterCommand> = fc.oneof(
  fc.constant<CounterCommand>({ type: 'Increment' }),
  fc.constant<CounterCommand>({ type: 'Decrement' }), // refused at zero: nothing written
  fc.constant<CounterCommand>({ type: 'Noop' }),
  fc.integer({ min: 1, max: 4 }).map<CounterCommand>((n) => ({ type: 'Add', n })),
);

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        commands: fc.array(fc.record({ stream: fc.integer({ min: 0, max: 4 }), command }), {
          minLength: 1,
          maxLength: 12,
        }),
        rebuild: fc.boolean(), // a rebuild racing with the commands
      })
      .map<Step>((r) => ({ kind: 'commands', ...r })),
  },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'restart' }) },
);

function open(dir: string, checkpointEvery: number): Promise<AggregateStore> {
  return AggregateStore.builder(dir)
    .aggregate(counter)
    .projection(totals)
    .options({ checkpointEvery, checkpointMs: 5 })
    .open();
}

async function rebuiltFromLogs(store: AggregateStore): Promise<Totals> {
  const events = [];
  for (const { id } of store.listStreams('counter'))
    for (const event of await store.readEvents('counter', id))
      events.push({
        aggregateType: 'counter',
        streamId: id,
        stream: `counter/${id}`,
        seq: seqOf(event),
        event,
      });
  events.sort((a, b) => a.seq - b.seq);
  let s = totals.initialState();
  for (const e of events) s = totals.apply(s, e);
  return s;
}

describe('projection property', () => {
  it('live state == rebuild from the logs, for random interleavings and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 6 }),
        async (steps, checkpointEvery) => {
          const dir = tempDir('es-prop-');
          let store = await open(dir, checkpointEvery);
          try {
            for (const s of steps) {
              if (s.kind === 'restart') {
                await store.close();
                store = await open(dir, checkpointEvery);
                continue;
              }
              // All commands of the step at once: concurrent over streams, serial within one.
              const running: Promise<unknown>[] = s.commands.map((c) =>
                store.get(counter, `c-${c.stream}`).execute(c.command),
              );
              if (s.rebuild) running.splice(running.length >> 1, 0, store.rebuildProjection(totals));
              const results = await Promise.allSettled(running);
              for (const r of results)
                if (r.status === 'rejected') expect((r.reason as Error).message).toContain('at zero');
            }
            await store.projection(totals).awaitCaughtUp();
            const live = structuredClone(store.projection<Totals>(totals).state);
            const expected = await rebuiltFromLogs(store);
            expect(live).toEqual(expected);
            await store.rebuildProjection(totals);
            expect(store.projection<Totals>(totals).state).toEqual(live);
            await store.close();
            store = await open(dir, checkpointEvery);
            expect(store.projection<Totals>(totals).state).toEqual(live);
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 20_000);
});
