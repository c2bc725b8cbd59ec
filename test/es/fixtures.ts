/** Aggregates, projections and process managers shared by the core/es tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  DomainError,
  type Aggregate,
  type DomainEvent,
  type ProcessManager,
  type Projection,
} from '../../core/es/index.js';

export type CounterCommand =
  { type: 'Increment' } | { type: 'Decrement' } | { type: 'Add'; n: number } | { type: 'Noop' };
export type CounterEvent =
  DomainEvent<'Incremented', null> | DomainEvent<'Decremented', null> | DomainEvent<'Added', { n: number }>;
export interface Counter {
  value: number;
}

/** The eventfold-es README's counter, with an `Add` that emits several events (atomic batches). */
export const counter: Aggregate<Counter, CounterCommand, CounterEvent> = {
  type: 'counter',
  initialState: () => ({ value: 0 }),
  decide(state, cmd) {
    switch (cmd.type) {
      case 'Increment':
        return [{ type: 'Incremented', data: null }];
      case 'Decrement':
        if (state.value === 0) throw new DomainError('AT_ZERO', 'The counter is at zero.');
        return [{ type: 'Decremented', data: null }];
      case 'Add':
        return Array.from({ length: cmd.n }, () => ({ type: 'Added' as const, data: { n: 1 } }));
      case 'Noop':
        return [];
    }
  },
  evolve(state, e) {
    if (e.type === 'Incremented') return { value: state.value + 1 };
    if (e.type === 'Decremented') return { value: state.value - 1 };
    if (e.type === 'Added') return { value: state.value + e.data.n };
    return state;
  },
  parseCommand(input) {
    const c = input as CounterCommand;
    if (!c || !['Increment', 'Decrement', 'Add', 'Noop'].includes(c.type))
      throw new Error('not a counter command');
    return c;
  },
};

export type InboxCommand = { type: 'Receive'; from: string };
export type InboxEvent = DomainEvent<'Received', { from: string }>;

/** A dispatch target for process managers; refuses messages from `"bad"`. */
export const inbox: Aggregate<{ received: string[] }, InboxCommand, InboxEvent> = {
  type: 'inbox',
  initialState: () => ({ received: [] }),
  decide(_state, cmd) {
    if (cmd.from === 'bad') throw new DomainError('REFUSED', 'Messages from "bad" are refused.');
    return [{ type: 'Received', data: { from: cmd.from } }];
  },
  evolve: (s, e) => (e.type === 'Received' ? { received: [...s.received, e.data.from] } : s),
};

/** Total of all counters, per-counter values, and the order events were seen in. */
export interface Totals {
  total: number;
  byId: Record<string, number>;
  order: string[];
}

export const totals: Projection<Totals> = {
  name: 'totals',
  subscriptions: ['counter'],
  initialState: () => ({ total: 0, byId: {}, order: [] }),
  apply(s, e) {
    const d =
      e.event.type === 'Incremented'
        ? 1
        : e.event.type === 'Decremented'
          ? -1
          : e.event.type === 'Added'
            ? 1
            : 0;
    s.total += d;
    s.byId[e.streamId] = (s.byId[e.streamId] ?? 0) + d;
    s.order.push(`${e.streamId}#${e.seq}`);
    return s;
  },
};

/** For every counter increment, sends a message to `inbox/<counter id>` (or from "bad" for ids starting with bad). */
export const relay: ProcessManager<{ seen: number }> = {
  name: 'relay',
  subscriptions: ['counter'],
  initialState: () => ({ seen: 0 }),
  react(s, e) {
    if (e.event.type !== 'Incremented') return { state: s, commands: [] };
    const from = e.streamId.startsWith('bad') ? 'bad' : e.streamId;
    return {
      state: { seen: s.seen + 1 },
      commands: [
        { aggregateType: 'inbox', instanceId: `in-${e.streamId}`, command: { type: 'Receive', from } },
      ],
    };
  },
};

const dirs: string[] = [];
/** A fresh temp directory, removed after the test. */
export function tempDir(prefix = 'es-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
// Child processes of crash tests import this file too, outside a test run (but with VITEST in their
// environment): there `afterEach` throws, and there is nothing to clean up.
try {
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
} catch {
  // not inside a vitest test file
}

// ---- read side (projections, process managers, subscriptions) ----

/** A logger that keeps every warning and info it hears, for tests that expect a logged recovery. */
export interface RecordingLogger {
  warn(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  messages: string[];
}

/** A fresh {@link RecordingLogger}. */
export function recordingLogger(): RecordingLogger {
  const messages: string[] = [];
  return {
    messages,
    warn: (m) => void messages.push(m),
    info: (m) => void messages.push(m),
  };
}

/** How many times `countedTotals.apply` ran in this process: a replay (rebuild) raises it by the whole history. */
export const countedApplies = { n: 0 };

/** `totals` under another name, counting its `apply` calls in {@link countedApplies}. */
export const countedTotals: Projection<Totals> = {
  name: 'counted-totals',
  subscriptions: ['counter'],
  initialState: totals.initialState,
  apply(s, e) {
    countedApplies.n++;
    return totals.apply(s, e);
  },
};

/** While `flakyFault.on` is true, `flakyTotals` throws on every event of a counter whose id starts with "boom". */
export const flakyFault = { on: false };

/** `totals` that fails (while {@link flakyFault} is on) on the events of "boom*" counters. */
export const flakyTotals: Projection<Totals> = {
  name: 'flaky-totals',
  subscriptions: ['counter'],
  initialState: totals.initialState,
  apply(s, e) {
    if (flakyFault.on && e.streamId.startsWith('boom'))
      throw new Error(`flaky-totals cannot read ${e.stream}`);
    return totals.apply(s, e);
  },
};
