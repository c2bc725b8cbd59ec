/**
 * Shared test helpers for the CRM aggregates: a fixed decide context and the per-aggregate property check.
 * @module
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  type Aggregate,
  type DecideContext,
  type DomainEvent,
  foldEvents,
} from '../../../core/es/aggregate.js';
import { DomainError } from '../../../core/es/errors.js';
import { sameValue } from '../../../core/crm/domain/changes.js';

/** The time every test's commands run at (the `given` helper's default). */
export const NOW = new Date('2026-01-01T00:00:00Z');

/** A decide context for direct `decide` calls. */
export function ctx(version = 0, id = 'test-1'): DecideContext {
  return { id, version, now: NOW };
}

/** Every `{from, to}` in an event's `changes`/`customFields` really changes something. */
function assertRealChanges(event: DomainEvent): void {
  const data = event.data as {
    changes?: Record<string, { from: unknown; to: unknown }>;
    customFields?: unknown;
  };
  for (const key of ['changes', 'customFields'] as const) {
    const set = data?.[key];
    if (!set || typeof set !== 'object' || event.type.endsWith('Created')) continue;
    for (const change of Object.values(set as Record<string, { from: unknown; to: unknown }>)) {
      expect(sameValue(change.from, change.to)).toBe(false);
    }
  }
}

/**
 * The property every aggregate must have: for random command sequences (refused ones skipped), `evolve` never
 * throws (also on unknown events and on events read back from JSON), the incremental state equals the fold of
 * all events from scratch, and update events carry only real changes. Returns how many events were produced
 * over all runs, so a test can check the generator reaches beyond the first command. `start` is prepended to every
 * sequence (e.g. a create, so that most commands act on an existing record).
 */
export function checkAggregateProperty<S, C, E extends DomainEvent>(
  aggregate: Aggregate<S, C, E>,
  command: fc.Arbitrary<C>,
  { runs = 200, start = [] }: { runs?: number; start?: readonly C[] } = {},
): number {
  let produced = 0;
  fc.assert(
    fc.property(fc.array(command, { minLength: 3, maxLength: 30, size: 'medium' }), (random) => {
      const commands = [...start, ...random];
      let state = aggregate.initialState();
      const all: E[] = [];
      for (const c of commands) {
        let events: readonly E[];
        try {
          events = aggregate.decide(structuredClone(state), c, ctx(all.length));
        } catch (err) {
          if (err instanceof DomainError) continue;
          throw err;
        }
        for (const e of events) {
          assertRealChanges(e);
          // Events are stored as JSON: nothing may be lost on the way (no undefined, no Date, no class).
          expect(JSON.parse(JSON.stringify(e))).toStrictEqual(e);
          state = aggregate.evolve(state, e);
          all.push(e);
        }
      }
      produced += all.length;
      expect(
        aggregate.evolve(state, { type: 'SomethingFromTheFuture', data: { x: 1 } } as unknown as E),
      ).toEqual(state);
      expect(foldEvents(aggregate, all)).toEqual(state);
      expect(foldEvents(aggregate, JSON.parse(JSON.stringify(all)) as E[])).toEqual(state);
    }),
    { numRuns: runs },
  );
  return produced;
}

/** Asserts that `parseCommand` refuses `input` with this code; returns the error. */
export function refuses(
  aggregate: { parseCommand?(input: unknown): unknown },
  input: unknown,
  code: string,
): DomainError {
  try {
    aggregate.parseCommand?.(input);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(code);
    return err as DomainError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused with ${code}`);
}
