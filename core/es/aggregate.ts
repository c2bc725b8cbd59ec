/**
 * The aggregate: a pure decision function and a pure fold. No I/O; the store does the rest.
 * @module
 */
import type { Event } from '../log/index.js';

/**
 * A domain event as an aggregate sees it: adjacently tagged, `type` = variant name, `data` = payload. It is
 * stored as the log event's `type` and `data` (a fieldless variant is stored with `data: null`).
 */
export interface DomainEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
}

/** What `decide` may know besides state and command; passed in so that `decide` stays pure and testable. */
export interface DecideContext {
  /** The instance id (the stream's folder name). */
  readonly id: string;
  /** Events in the stream before this command (0 for a new stream). */
  readonly version: number;
  /** The time of the command (the store's clock; tests pass a fixed one). */
  readonly now: Date;
}

/**
 * Migrates a stored event of an old shape to the next version. `fromVersion` is the version written in the event
 * (`meta.v`, 1 when absent); the result is version `fromVersion + 1`. Chains run until no upcaster matches.
 *
 * @example
 * // v1 ContactCreated had `name`; v2 has `firstName` and `lastName`.
 * const splitName: Upcaster = {
 *   type: 'ContactCreated', fromVersion: 1,
 *   upcast: (e) => ({ type: e.type, data: splitFullName(e.data) }),
 * };
 */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(event: DomainEvent): DomainEvent;
}

/**
 * An aggregate definition: one per aggregate type (`contact`, `deal`, ...). `S` is the state, `C` the command
 * union, `E` the event union. TypeScript has no traits, so this is a plain object; pure functions only.
 *
 * @example
 * const counter: Aggregate<{ value: number }, { type: 'Increment' }, DomainEvent<'Incremented', null>> = {
 *   type: 'counter',
 *   initialState: () => ({ value: 0 }),
 *   decide: () => [{ type: 'Incremented', data: null }],
 *   evolve: (s, e) => (e.type === 'Incremented' ? { value: s.value + 1 } : s),
 * };
 */
export interface Aggregate<S = unknown, C = unknown, E extends DomainEvent = DomainEvent> {
  /** The aggregate type: a folder name under `streams/` (e.g. `'contact'`). */
  readonly type: string;
  /** The state of an instance with no events. Must return a fresh value each call. */
  initialState(): S;
  /**
   * Validates `command` against `state` and returns the events it produces (an empty list for a no-op).
   * Throw a `DomainError` to refuse. Must be pure: everything it needs is in its arguments.
   */
  decide(state: S, command: C, context: DecideContext): readonly E[];
  /** Applies one event. Must be total: return `state` unchanged for an event type it does not know. */
  evolve(state: S, event: E): S;
  /**
   * Validates an untyped command (from a process manager, the command bus or IPC) into `C`; throws on bad input.
   * Without it, such commands are passed through unchecked.
   */
  parseCommand?(input: unknown): C;
  /** Current version of each event type whose shape has changed; written as `meta.v` when above 1. */
  readonly eventVersions?: Readonly<Record<string, number>>;
  /** Migrations from old event shapes, applied on every read (state, projections, subscriptions). */
  readonly upcasters?: readonly Upcaster[];
}

/** Any aggregate, for registries that hold many types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAggregate = Aggregate<any, any, any>;

/** The state type of an aggregate definition. */
export type StateOf<A> = A extends Aggregate<infer S, unknown, DomainEvent> ? S : never;
/** The command type of an aggregate definition. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandOf<A> = A extends Aggregate<any, infer C, any> ? C : never;
/** The event type of an aggregate definition. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventOf<A> = A extends Aggregate<any, any, infer E> ? E : never;

/** The version an event was written with (`meta.v`, 1 when absent). */
export function eventVersion(event: Event): number {
  const v = event.meta?.v;
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : 1;
}

/**
 * Reads a stored log event as the aggregate's current domain event: applies the upcaster chain from the version it
 * was written with. Throws what an upcaster throws.
 */
export function toDomainEvent(aggregate: AnyAggregate, event: Event): DomainEvent {
  let domain: DomainEvent = { type: event.type, data: event.data ?? null };
  const upcasters = aggregate.upcasters;
  if (!upcasters || upcasters.length === 0) return domain;
  let version = eventVersion(event);
  for (;;) {
    const step = upcasters.find((u) => u.type === domain.type && u.fromVersion === version);
    if (!step) return domain;
    domain = step.upcast(domain);
    version++;
  }
}

/**
 * Reads a log event through the upcasters, returning a log event of the current shape (same id, ts, actor, meta;
 * `meta.v` set to the current version). Used for projections, subscriptions and `readEvents`.
 */
export function upcastEvent(aggregate: AnyAggregate | undefined, event: Event): Event {
  if (!aggregate?.upcasters || aggregate.upcasters.length === 0) return event;
  const domain = toDomainEvent(aggregate, event);
  if (domain.type === event.type && domain.data === event.data) return event;
  const current = aggregate.eventVersions?.[domain.type] ?? 1;
  const meta = { ...event.meta };
  if (current > 1) meta.v = current;
  else delete meta.v;
  const out: Event = { ...event, type: domain.type, data: domain.data };
  if (Object.keys(meta).length > 0) out.meta = meta;
  else delete out.meta;
  return out;
}

/** The `core/log` reducer of an aggregate's state view: upcast, then evolve. */
export function aggregateReducer<S>(
  aggregate: Aggregate<S, unknown, DomainEvent>,
): (state: S, event: Event) => S {
  return (state, event) => aggregate.evolve(state, toDomainEvent(aggregate, event));
}

/** Folds domain events into a state, from the initial state (for tests and time travel). */
export function foldEvents<S, E extends DomainEvent>(
  aggregate: Aggregate<S, unknown, E>,
  events: readonly E[],
  from?: S,
): S {
  let state = from ?? aggregate.initialState();
  for (const e of events) state = aggregate.evolve(state, e);
  return state;
}
