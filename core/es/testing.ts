/**
 * Given/when/then helpers for aggregates: pure, no I/O, no store.
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import type { Aggregate, DecideContext, DomainEvent } from './aggregate.js';
import { foldEvents } from './aggregate.js';
import { DomainError } from './errors.js';

/** The outcome of {@link given}`(...).when(...)`: the events produced, or the domain error thrown. */
export interface WhenResult<S, E> {
  /** The events `decide` returned (empty when it threw). */
  events: readonly E[];
  /** The `DomainError` thrown by `decide`, if any (other errors are rethrown: they are bugs). */
  error: DomainError | null;
  /** State after the given events and the produced ones. */
  state: S;
  /** Asserts the command produced exactly these events (deep equality); returns them. */
  then(expected: readonly E[]): readonly E[];
  /** Asserts the command was refused with this `DomainError` code; returns the error. */
  thenFails(code: string): DomainError;
}

// Compared as stored: through JSON (so `undefined` fields vanish as they do on disk), then key-order-insensitively.
function deepEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

/**
 * Starts a given/when/then test of an aggregate: `given(aggregate, pastEvents).when(command).then(newEvents)`.
 *
 * @example
 * given(counter, [{ type: 'Incremented', data: null }]).when({ type: 'Decrement' }).then([{ type: 'Decremented', data: null }]);
 * given(counter, []).when({ type: 'Decrement' }).thenFails('AT_ZERO');
 */
export function given<S, C, E extends DomainEvent>(
  aggregate: Aggregate<S, C, E>,
  past: readonly E[],
  context: Partial<DecideContext> = {},
): { state: S; when(command: C): WhenResult<S, E> } {
  const state = foldEvents(aggregate, past);
  return {
    state,
    when(command: C): WhenResult<S, E> {
      const ctx: DecideContext = {
        id: context.id ?? 'test-1',
        version: context.version ?? past.length,
        now: context.now ?? new Date('2026-01-01T00:00:00Z'),
      };
      let events: readonly E[] = [];
      let error: DomainError | null = null;
      try {
        events = aggregate.decide(structuredClone(state), command, ctx);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        error = err;
      }
      const after = foldEvents(aggregate, events, foldEvents(aggregate, past));
      return {
        events,
        error,
        state: after,
        then(expected) {
          if (error)
            throw new Error(`expected events, but the command failed: ${error.code}: ${error.message}`);
          if (!deepEqual(events, expected)) {
            throw new Error(`expected events ${JSON.stringify(expected)}, got ${JSON.stringify(events)}`);
          }
          return events;
        },
        thenFails(code) {
          if (!error)
            throw new Error(`expected the command to fail with ${code}, got ${JSON.stringify(events)}`);
          if (error.code !== code)
            throw new Error(`expected error ${code}, got ${error.code}: ${error.message}`);
          return error;
        },
      };
    },
  };
}
