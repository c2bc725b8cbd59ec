/**
 * # core/es: embedded CQRS / event sourcing on core/log
 *
 * The TypeScript port of the Rust crate *eventfold-es* 0.2, file-compatible with its store layout, and hardened
 * where it is weak. Each aggregate instance is one core/log directory (`streams/<type>/<id>/`); an actor per
 * live instance runs its commands strictly in order; every committed event gets a global position (`meta.seq`)
 * so projections, process managers and subscriptions see one deterministic order that matches commit order.
 *
 * - A command's events are appended as one atomic batch, durable (fsynced) before `execute` resolves; syncs of
 *   different streams run concurrently (`'group'` durability).
 * - Idempotency: a command id executed once returns its original events on every retry, across restarts.
 * - Optimistic concurrency: `expectedVersion` gives a typed `VersionConflictError` on a stale form.
 * - Projections and process managers checkpoint state + position atomically, catch up on open from the streams the
 *   store's stream index says changed, rebuild when a stream lost events or their `version` changes, and
 *   stall-and-retry (never blocking writes) when their code throws.
 * - Process-manager dispatch is effectively once (deterministic command ids); failures go to retryable dead letters.
 * - Upcasters migrate old event shapes on every read.
 *
 * ## Quick start
 * ```ts
 * import { AggregateStore, DomainError, type Aggregate, type DomainEvent } from './core/es/index.js';
 *
 * type CounterEvent = DomainEvent<'Incremented', null> | DomainEvent<'Decremented', null>;
 * const counter: Aggregate<{ value: number }, { type: 'Increment' | 'Decrement' }, CounterEvent> = {
 *   type: 'counter',
 *   initialState: () => ({ value: 0 }),
 *   decide(state, cmd) {
 *     if (cmd.type === 'Decrement' && state.value === 0) throw new DomainError('AT_ZERO', 'Already at zero.');
 *     return [{ type: cmd.type === 'Increment' ? 'Incremented' : 'Decremented', data: null }];
 *   },
 *   evolve: (s, e) => ({ value: s.value + (e.type === 'Incremented' ? 1 : e.type === 'Decremented' ? -1 : 0) }),
 * };
 *
 * const store = await AggregateStore.builder('./data').aggregate(counter).open();
 * await store.get(counter, 'c-1').execute({ type: 'Increment' }, { actor: 'user:ana' }, { commandId: 'click-1' });
 * console.log(await store.get(counter, 'c-1').state()); // { value: 1 }
 * await store.close();
 * ```
 *
 * ## Key types
 * | type | what it is |
 * |---|---|
 * | {@link Aggregate} | `type`, `initialState`, `decide(state, command) -> events` (throws `DomainError`), `evolve` |
 * | {@link AggregateStore} | the store: `get`, `execute`, `dispatch`, `list`, `readEvents`, `readStream`, `injectEvent`, `subscribe`, `ready`, `close` |
 * | {@link AggregateStoreBuilder} | registers aggregates, projections, process managers, options |
 * | {@link AggregateHandle} | `execute(command, ctx, options)`, `state()`, `version()` of one instance |
 * | {@link Projection} | a cross-stream read model: `subscriptions`, `initialState`, `apply(state, storedEvent)` |
 * | {@link ProcessManager} | a workflow: `react(state, storedEvent) -> {state, commands}` |
 * | {@link CommandBus} | routes commands by `type` to their aggregate |
 * | {@link CommandContext} | actor, correlation id, causation id, source device, metadata -> `actor`/`meta` |
 * | {@link StoredEvent} | an event with its stream and global position `seq` |
 * | {@link given} | given/when/then for aggregates, no I/O |
 * | {@link AsOf} | time travel: `store.projectionAt(P, {date})`, `store.stateAt(A, id, {position})` |
 * | {@link StreamIndex} | `meta/stream-index.json`: where each stream ends; decides what a catch-up reads |
 *
 * @module
 */
export {
  aggregateReducer,
  eventVersion,
  foldEvents,
  toDomainEvent,
  upcastEvent,
  type Aggregate,
  type AnyAggregate,
  type CommandOf,
  type DecideContext,
  type DomainEvent,
  type EventOf,
  type StateOf,
  type Upcaster,
} from './aggregate.js';
export type { ExecuteOptions, ExecuteResult } from './actor.js';
export { CommandBus, type RoutableCommand } from './command-bus.js';
export { contextMeta, contextOf, META_KEYS, type CommandContext } from './context.js';
export { loadCheckpoint, saveCheckpoint, type Checkpoint, type Cursor } from './checkpoint.js';
export type { DeadLetter, DeadLetterOutcome } from './dead-letters.js';
export {
  ConsumerStalledError,
  DomainError,
  EventfoldStoreLockedError,
  InvalidStreamIdError,
  StoreClosedError,
  StreamNotFoundError,
  UnknownNameError,
  UnreadableEventError,
  VersionConflictError,
} from './errors.js';
export { newEventId } from './ids.js';
export { checkName, StoreLayout } from './layout.js';
export type { ConsumerStatus, Metrics, StoreMetrics } from './metrics.js';
export type { AnyProcessManager, CommandEnvelope, ProcessManager, Reaction } from './process-manager.js';
export type { AnyProjection, Projection } from './projection.js';
export { LEASE_BLOCK } from './sequence.js';
export { compareStored, seqOf, streamKey, type StoredEvent } from './stored-event.js';
export {
  AggregateStore,
  AggregateStoreBuilder,
  type AggregateHandle,
  type CommitListener,
  type InjectOptions,
  type ProcessManagerReport,
  type ProjectionHandle,
  type StoreExecuteOptions,
  type StoreOptions,
  type SubscribeOptions,
  type Subscription,
} from './store.js';
export { given, type WhenResult } from './testing.js';
export { aggregateStateAt, folderSource, projectionAt, type AsOf } from './time-travel.js';
export type { FeedSource } from './feed.js';
export { StreamIndex, type StreamEnd, type StreamIndexReport } from './stream-index.js';
export { SaveBudget } from './consumer.js';
