/**
 * ProcessManager: a workflow that reacts to events with commands to other aggregates.
 * @module
 */
import type { CommandContext } from './context.js';
import type { StoredEvent } from './stored-event.js';

/**
 * A command addressed to an aggregate instance by name, as data (so it can be checkpointed and dead-lettered).
 * `commandId` makes the dispatch idempotent; process managers get a deterministic one by default
 * (`pm:<name>:<event id>:<index>`), so a re-run after a crash never executes a command twice.
 */
export interface CommandEnvelope {
  aggregateType: string;
  instanceId: string;
  /** The command, as JSON (validated by the target aggregate's `parseCommand`). */
  command: unknown;
  context?: CommandContext;
  commandId?: string;
}

/** What a process manager's `react` returns. */
export interface Reaction<S> {
  state: S;
  commands: readonly CommandEnvelope[];
}

/**
 * A process manager: folds events of its `subscriptions` (in global order) into its own state and emits commands.
 * The store dispatches each command, dead-letters the ones that fail (`process_managers/<name>/dead_letters.jsonl`,
 * retryable), and checkpoints state and position after dispatch. Commands carry a `system:<name>` actor and the
 * triggering event's id as causation id unless the envelope's context says otherwise.
 *
 * @example
 * const followUp: ProcessManager<null> = {
 *   name: 'deal-follow-up', subscriptions: ['deal'], initialState: () => null,
 *   react: (s, e) => ({ state: s, commands: e.event.type === 'DealWon'
 *     ? [{ aggregateType: 'task', instanceId: `follow-up-${e.streamId}`, command: { type: 'CreateTask', title: 'Thank the client' } }]
 *     : [] }),
 * };
 */
export interface ProcessManager<S = unknown> {
  /** Folder name under `process_managers/`. */
  readonly name: string;
  readonly subscriptions: readonly string[];
  initialState(): S;
  react(state: S, event: StoredEvent): Reaction<S>;
}

/** Any process manager, for registries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProcessManager = ProcessManager<any>;
