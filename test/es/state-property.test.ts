/**
 * Property: for random command sequences over a few instances (with repeated command ids, stale expected
 * versions, refused commands, reopens and evictions in between), the state the store gives equals folding the
 * events readEvents returns, and equals a pure model of the counter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AggregateStore,
  DomainError,
  VersionConflictError,
  foldEvents,
  toDomainEvent,
} from '../../core/es/index.js';
import { counter, tempDir, type CounterCommand } from './fixtures.js';

const IDS = ['a', 'b', 'c'];

type Step =
  | { kind: 'exec'; stream: number; command: CounterCommand; commandId: string | null; stale: boolean }
  | { kind: 'reopen' };

const command: fc.Arbitrary<CounterCommand> = fc.oneof(
  fc.constant({ type: 'Increment' as const }),
  fc.constant({ type: 'Decrement' as const }),
  fc.constant({ type: 'Noop' as const }),
  fc.integer({ min: 0, max: 4 }).map((n) => ({ type: 'Add' as const, n })),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('exec' as const),
      stream: fc.integer({ min: 0, max: IDS.length - 1 }),
      command,
      commandId: fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4'), { nil: null }),
      stale: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

/** The counter's rules without a store: value, version and the command ids seen per stream. */
function model(steps: Step[]): { value: number; version: number }[] {
  const s = IDS.map(() => ({ value: 0, version: 0, done: new Set<string>() }));
  for (const st of steps) {
    if (st.kind !== 'exec') continue;
    const m = s[st.stream]!;
    if (st.commandId !== null && m.done.has(st.commandId)) continue;
    if (st.stale) continue; // expectedVersion = version + 1: a conflict
    const c = st.command;
    const n =
      c.type === 'Increment'
        ? 1
        : c.type === 'Add'
          ? c.n
          : c.type === 'Decrement'
            ? m.value === 0
              ? -1
              : 1
            : 0;
    if (n < 0) continue; // AT_ZERO
    m.value += c.type === 'Decrement' ? -1 : n;
    m.version += n;
    if (st.commandId !== null && n > 0) m.done.add(st.commandId);
  }
  return s.map(({ value, version }) => ({ value, version }));
}

describe('store state = fold of readEvents', () => {
  it('holds for random command sequences, across reopens, evictions and snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(1, 3, 100),
        fc.constantFrom(0, 1),
        async (steps, snapshotEvery, idleTimeoutMs) => {
          const dir = tempDir('es-prop-');
          const openStore = (): Promise<AggregateStore> =>
            AggregateStore.builder(dir).aggregate(counter).options({ snapshotEvery, idleTimeoutMs }).open();
          let store = await openStore();
          try {
            for (const st of steps) {
              if (st.kind === 'reopen') {
                await store.close();
                store = await openStore();
                continue;
              }
              const h = store.get(counter, IDS[st.stream]!);
              const options = {
                ...(st.commandId !== null ? { commandId: st.commandId } : {}),
                ...(st.stale ? { expectedVersion: (await h.version()) + 1 } : {}),
              };
              try {
                await h.execute(st.command, {}, options);
              } catch (err) {
                if (!(err instanceof DomainError) && !(err instanceof VersionConflictError)) throw err;
              }
            }
            const expected = model(steps);
            for (const [i, id] of IDS.entries()) {
              const h = store.get(counter, id);
              const state = await h.state();
              const version = await h.version();
              const listed = store.list(counter).includes(id);
              const events = listed ? await store.readEvents('counter', id) : [];
              expect(state).toEqual(
                foldEvents(counter, events.map((e) => toDomainEvent(counter, e)) as never),
              );
              expect(version).toBe(events.length);
              expect({ value: state.value, version }).toEqual(expected[i]);
            }
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
