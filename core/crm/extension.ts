/**
 * How a CRM feature that spans records plugs into the backend: a {@link CrmExtension} brings its own commands
 * (orchestrated over several streams: merge, forget, undo, import, bulk edit...), its queries, and any aggregates,
 * projections and process managers it needs. The backend validates every request against the extension's zod
 * schemas first, so a handler only ever sees valid input.
 * @module
 */
import type { z, ZodTypeAny } from 'zod';
import type {
  AggregateStore,
  AnyAggregate,
  AnyProjection,
  CommandContext,
  ProcessManager,
} from '../es/index.js';
import type { BackendResult, CommandRequest } from './backend.js';
import type { ProjectionQuerySpec } from './contract-queries.js';
import type { ForgetResult } from './forget.js';
import type { PurgedRecords } from './trash.js';

/** What a command or query handler of an extension may use. */
export interface CrmRuntime {
  /** The open store (every aggregate, projection and process manager of the CRM is registered on it). */
  readonly store: AggregateStore;
  /** The folder the store lives in. */
  readonly dataDir: string;
  /** Who the local user is (`actor` of the events the user causes). */
  readonly actor: string;
  /** The context of the request being handled (actor and correlation id). */
  readonly ctx: CommandContext;
  /**
   * Runs a contract command through the same path the UI's commands take (validation, cross-record checks such as
   * duplicate e-mail and links, idempotency by `commandId`). Resolves to a result; never throws.
   */
  execute(request: CommandRequest, ctx?: CommandContext): Promise<BackendResult>;
  /** Runs a contract query (live or `asOf`); never throws. */
  query(name: string, params?: Record<string, unknown>): Promise<BackendResult>;
  /** Every extension the backend runs with (for hooks such as {@link CrmExtension.onForget}). */
  readonly extensions: readonly CrmExtension[];
}

/** A command an extension handles itself. */
export interface ExtensionCommand {
  /** The schema of the command's input (untrusted: it is what the renderer sent). */
  input: ZodTypeAny;
  /**
   * Handles the validated input. Throw a `DomainError` for a refused command (it becomes a `domain`,
   * `validation` or `not_found` error by its code); anything else thrown is an internal error.
   */
  run(rt: CrmRuntime, input: never, request: CommandRequest): Promise<unknown>;
}

/** A query an extension answers itself (not from one projection's state). */
export interface ExtensionQuery {
  params: ZodTypeAny;
  /** Aggregate types whose commits may change the answer: the query is named in their change notifications. */
  changedBy?: readonly string[];
  run(rt: CrmRuntime, params: never): Promise<unknown>;
}

/** One feature's contribution to the backend. Every part is optional. */
export interface CrmExtension {
  /** Commands by contract name (PascalCase, like the domain commands). */
  commands?: Record<string, ExtensionCommand>;
  /** Queries by contract name (`kind.verb`). */
  queries?: Record<string, ExtensionQuery>;
  /** Queries answered from one projection's state (they get `asOf` time travel for free when their params take it). */
  projectionQueries?: Record<string, ProjectionQuerySpec>;
  /** Aggregates the feature adds (registered on the store). */
  aggregates?: AnyAggregate[];
  /** Projections the feature needs that no query names. */
  projections?: AnyProjection[];
  /** Process managers the feature runs. */
  workflows?: ProcessManager[];
  /**
   * Called after a contact was forgotten (its streams and those of its notes, activities and tasks destroyed):
   * erase whatever personal data of theirs the feature keeps outside the logs (attachment files, exports...).
   */
  onForget?(rt: CrmRuntime, forgotten: ForgetResult): Promise<void>;
  /**
   * Called once when the backend has opened the data folder, before it answers anything: finish work a crash cut
   * short (a forget under way...).
   */
  onOpen?(rt: CrmRuntime): Promise<void>;
  /**
   * Called while the trash is emptied, after the tombstone is written and before the records' streams are deleted
   * (so a retried `EmptyTrash` after a crash calls it again): erase what the feature keeps of the purged records
   * and of the notes, activities and tasks deleted with them outside their logs (attachment files...).
   */
  onPurge?(rt: CrmRuntime, purged: PurgedRecords): Promise<void>;
}

/** Types `run`'s input for an extension command without casting at every call site. */
export function extensionCommand<S extends ZodTypeAny>(
  input: S,
  run: (rt: CrmRuntime, input: z.infer<S>, request: CommandRequest) => Promise<unknown>,
): ExtensionCommand {
  return { input, run: run as ExtensionCommand['run'] };
}

/** Types `run`'s params for an extension query. */
export function extensionQuery<S extends ZodTypeAny>(
  params: S,
  run: (rt: CrmRuntime, params: z.infer<S>) => Promise<unknown>,
  changedBy?: readonly string[],
): ExtensionQuery {
  return { params, run: run as ExtensionQuery['run'], ...(changedBy ? { changedBy } : {}) };
}
