/**
 * createCrmBackend: the CRM on one data folder. Opens the store with every aggregate and read model, validates
 * each request against the contract, does the cross-record checks an aggregate cannot do (duplicate e-mail, links
 * to records that must exist, the target pipeline's stages, custom field definitions), and pushes which read
 * models changed once they have caught up. Never throws across the boundary: every call resolves to a result.
 * @module
 */
import type { ZodTypeAny } from 'zod';
import {
  AggregateStore,
  DomainError,
  InvalidStreamIdError,
  newEventId,
  UnknownNameError,
  UnreadableEventError,
  VersionConflictError,
  type AnyAggregate,
  type AnyProjection,
  type CommandContext,
  type ProcessManager,
  type StoreOptions,
} from '../es/index.js';
import { CorruptLogError, silentLogger, WriteFailedError, type Logger } from '../log/index.js';
import type {
  BackendError,
  BackendResult,
  ChangeNotification,
  CommandRequest,
  CrmBackend,
  QueryRequest,
} from './backend.js';
import { domainCommandSpecs, type DomainCommandSpec } from './contract-commands.js';
import { noParams, projectionQueries, recordGetParams } from './contract-queries.js';
import {
  companyAggregate,
  contactAggregate,
  createDefaultPipelineCommand,
  crmAggregates,
  customFieldsAggregate,
  dealAggregate,
  DEFAULT_PIPELINE_ID,
  pipelineAggregate,
  type CustomFieldsState,
  type DealState,
  type PipelineState,
  recordAggregates,
  type RecordKind,
} from './domain/index.js';
import { emailIndexProjection, findDuplicateEmail, type EmailIndexState } from './email-index.js';
import type { CrmExtension, CrmRuntime, ExtensionCommand, ExtensionQuery } from './extension.js';
import { crmExtensions } from './extensions.js';
import { crmWorkflows } from './workflows.js';
import { linkIndexProjection } from './link-index.js';
import { mergeHistoryProjection } from './merge-history.js';
import type { ProjectionQuerySpec } from './contract-queries.js';
import { queryContext } from './timeline-events.js';

/**
 * Read models loaded before {@link createCrmBackend} resolves (the contact list and the dashboard, the first
 * screens); the others load right after, and a query or command waits for the ones it reads.
 */
export const CRM_START_FIRST: readonly string[] = ['crm-contacts', 'crm-dashboard'];

/** Options of {@link createCrmBackend}. */
export interface CrmBackendOptions {
  /** The app version, reported by `app.info`. */
  version?: string;
  logger?: Logger;
  /** Who the local user is, written as each event's `actor`. Default `'user:local'`. */
  actor?: string;
  /** Store options (clock, durability, idle timeout...). */
  store?: StoreOptions;
  /** The process managers to run (default: {@link crmWorkflows} and those of the extensions). */
  workflows?: ProcessManager[];
  /** The features that span records (default: {@link crmExtensions}). */
  extensions?: readonly CrmExtension[];
}

/** The contract a shell validates untrusted requests with (the same schemas the backend uses). */
export interface CrmContract {
  commands: Readonly<Record<string, ZodTypeAny>>;
  queries: Readonly<Record<string, ZodTypeAny>>;
}

/** A CRM backend with its contract and the store under it (for tests and tools). */
export interface OpenCrmBackend extends CrmBackend {
  readonly contract: CrmContract;
  readonly store: AggregateStore;
}

const ok = <T>(value: T): BackendResult<T> => ({ ok: true, value });
const fail = (
  kind: BackendError['kind'],
  code: string,
  message: string,
  details?: unknown,
): BackendResult<never> => ({
  ok: false,
  error: details === undefined ? { kind, code, message } : { kind, code, message, details },
});

/**
 * How a domain error crosses the boundary: a missing record is `not_found`; input the aggregate's own schema refused
 * (`INVALID_*`, `UNEXPECTED_FIELD`, `REQUIRED_FIELD`) is `validation`; any other business rule is `domain`.
 */
function domainErrorKind(code: string): BackendError['kind'] {
  if (code === 'NOT_FOUND') return 'not_found';
  if (code.startsWith('INVALID') || code === 'UNEXPECTED_FIELD' || code === 'REQUIRED_FIELD')
    return 'validation';
  return 'domain';
}

/** Adds `entries` to `into`, refusing a name taken twice (two features must not shadow each other). */
function addUnique<T>(into: Record<string, T>, entries: Record<string, T> | undefined, what: string): void {
  for (const [name, value] of Object.entries(entries ?? {})) {
    if (Object.hasOwn(into, name)) throw new Error(`the CRM contract has two ${what} named "${name}"`);
    into[name] = value;
  }
}

/** Every query answered from a projection's state: the core ones and the extensions'. */
function allProjectionQueries(extensions: readonly CrmExtension[]): Record<string, ProjectionQuerySpec> {
  const out: Record<string, ProjectionQuerySpec> = { ...projectionQueries };
  for (const e of extensions) addUnique(out, e.projectionQueries, 'queries');
  return out;
}

/** Every read model of the CRM: those the queries read, the backend's own indexes, the extensions' projections. */
export function crmProjections(extensions: readonly CrmExtension[] = crmExtensions): AnyProjection[] {
  const byName = new Map<string, AnyProjection>();
  for (const q of Object.values(allProjectionQueries(extensions)))
    byName.set(q.projection.name, q.projection);
  for (const p of [emailIndexProjection, linkIndexProjection, mergeHistoryProjection]) byName.set(p.name, p);
  for (const e of extensions) for (const p of e.projections ?? []) byName.set(p.name, p);
  return [...byName.values()];
}

/** The contract: every command and query name with its input schema. */
export function crmContract(extensions: readonly CrmExtension[] = crmExtensions): CrmContract {
  const commands: Record<string, ZodTypeAny> = {};
  for (const [name, s] of domainCommandSpecs()) commands[name] = s.input;
  const queries: Record<string, ZodTypeAny> = { 'app.info': noParams, 'record.get': recordGetParams };
  for (const [name, q] of Object.entries(allProjectionQueries(extensions))) queries[name] = q.params;
  for (const e of extensions) {
    addUnique(
      commands,
      mapValues(e.commands, (c) => c.input),
      'commands',
    );
    addUnique(
      queries,
      mapValues(e.queries, (q) => q.params),
      'queries',
    );
  }
  return { commands, queries };
}

function mapValues<T, U>(
  record: Record<string, T> | undefined,
  f: (value: T) => U,
): Record<string, U> | undefined {
  return record && Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

/**
 * Opens the CRM in `dataDir` (created if missing): the store, its read models, the default pipeline on first run.
 * @throws EventfoldStoreLockedError when another window or program has the folder open; I/O errors.
 *
 * @example
 * const crm = await createCrmBackend(dir);
 * await crm.execute({ command: 'CreateContact', input: { firstName: 'Ana', emails: ['ana@example.com'] } });
 * await crm.query({ query: 'contact.list', params: { q: 'ana' } });
 */
export async function createCrmBackend(
  dataDir: string,
  options: CrmBackendOptions = {},
): Promise<OpenCrmBackend> {
  const logger = options.logger ?? silentLogger;
  const extensions = options.extensions ?? crmExtensions;
  // Most CRM records have a handful of events: replaying them is cheaper than writing two snapshot files each.
  // The first screens' read models load before open resolves, the rest right after (see `ready` below).
  const storeOptions = { snapshotMinEvents: 16, startFirst: CRM_START_FIRST, ...options.store, logger };
  const builder = AggregateStore.builder(dataDir).options(storeOptions);
  for (const a of crmAggregates) builder.aggregate(a);
  for (const e of extensions) for (const a of e.aggregates ?? []) builder.aggregate(a);
  for (const p of crmProjections(extensions)) builder.projection(p);
  const workflows = options.workflows ?? [...crmWorkflows(), ...extensions.flatMap((e) => e.workflows ?? [])];
  for (const pm of workflows) builder.processManager(pm);
  const store = await builder.open();
  const specs = domainCommandSpecs();
  const contract = crmContract(extensions);
  const queriesFromProjections = allProjectionQueries(extensions);
  const extensionCommands: Record<string, ExtensionCommand> = {};
  const extensionQueries: Record<string, ExtensionQuery> = {};
  for (const e of extensions) {
    Object.assign(extensionCommands, e.commands);
    Object.assign(extensionQueries, e.queries);
  }
  const actor = options.actor ?? 'user:local';
  const listeners = new Set<(n: ChangeNotification) => void>();

  if (!store.has(pipelineAggregate.type, DEFAULT_PIPELINE_ID)) {
    await store.execute(
      pipelineAggregate,
      DEFAULT_PIPELINE_ID,
      createDefaultPipelineCommand(),
      { actor: 'system:setup' },
      {
        commandId: 'setup:default-pipeline',
        waitForProjections: true,
      },
    );
  }

  // Push once the read models have caught up, so a window that re-queries sees the change.
  const unsubscribe = store.onCommit((events, position) => {
    const types = new Set(events.map((e) => e.aggregateType));
    const changed = ['record.get'];
    for (const [name, q] of Object.entries(queriesFromProjections)) {
      if (q.projection.subscriptions.some((t) => types.has(t))) changed.push(name);
    }
    for (const [name, q] of Object.entries(extensionQueries)) {
      if (q.changedBy?.some((t) => types.has(t))) changed.push(name);
    }
    void store.awaitProjections(position).then(() => {
      for (const l of listeners) {
        try {
          l({ changed, position });
        } catch (err) {
          logger.warn(`a change listener threw: ${String(err)}`);
        }
      }
    });
  });

  async function stateOf<S>(aggregate: AnyAggregate, id: string): Promise<{ state: S; version: number }> {
    const h = store.get(aggregate, id);
    return { state: (await h.state()) as S, version: await h.version() };
  }

  function mustExist(kind: string, id: string | null | undefined, field: string): void {
    if (id === null || id === undefined) return;
    if (!store.has(kind, id)) {
      throw new DomainError('LINKED_RECORD_NOT_FOUND', `There is no ${kind} ${id} (${field}).`, {
        field,
        kind,
        id,
      });
    }
  }

  /** The lookups `decide` cannot do itself, written into the command. */
  async function enrich(
    type: string,
    spec: DomainCommandSpec,
    id: string,
    command: Record<string, unknown>,
  ): Promise<void> {
    const kind = spec.aggregate.type;
    const fields = (type.startsWith('Update') || type.startsWith('Edit') ? command.fields : command) as
      Record<string, unknown> | undefined;
    if (fields) {
      mustExist(companyAggregate.type, fields.companyId as string | null | undefined, 'companyId');
      for (const c of (fields.contactIds as string[] | undefined) ?? [])
        mustExist(contactAggregate.type, c, 'contactIds');
      const link = fields.link as { kind: string; id: string } | null | undefined;
      if (link) mustExist(link.kind, link.id, 'link');
    }
    if (command.customFields !== undefined && (kind === 'contact' || kind === 'company' || kind === 'deal')) {
      command.customFieldDefinitions = (
        await stateOf<CustomFieldsState>(customFieldsAggregate, kind)
      ).state.fields;
    }
    if (kind === contactAggregate.type && (type === 'CreateContact' || type === 'UpdateContact')) {
      const emails = (fields?.emails as string[] | undefined) ?? [];
      const index = store.projection<EmailIndexState>(emailIndexProjection).state;
      const dup = findDuplicateEmail(index, emails, id);
      if (dup) command.duplicateOf = dup;
    }
    if (type === 'CreateDeal' || type === 'MoveDealStage') {
      let pipelineId = command.pipelineId as string | undefined;
      if (pipelineId === undefined)
        pipelineId = (await stateOf<DealState>(dealAggregate, id)).state.placement.pipelineId;
      mustExist(pipelineAggregate.type, pipelineId, 'pipelineId');
      const pipeline = (await stateOf<PipelineState>(pipelineAggregate, pipelineId)).state;
      command.pipelineStageIds = pipeline.stages.map((s) => s.stageId);
    }
  }

  function toFailure(err: unknown): BackendResult<never> {
    if (err instanceof DomainError) {
      const kind = domainErrorKind(err.code);
      return fail(kind, err.code, err.message, err.details);
    }
    if (err instanceof VersionConflictError) {
      return fail('conflict', err.code, err.message, { expected: err.expected, actual: err.actual });
    }
    if (err instanceof InvalidStreamIdError || err instanceof UnknownNameError)
      return fail('validation', err.code, err.message);
    // The user can act on these (free disk space, repair the folder): say what happened, not "something went wrong".
    if (err instanceof WriteFailedError) return fail('internal', err.code, err.message);
    if (err instanceof CorruptLogError || err instanceof UnreadableEventError) {
      logger.warn(`damaged record: ${err.message}`);
      return fail(
        'internal',
        'DAMAGED_RECORD',
        'The history of this record is damaged, so nothing was changed. The rest of your data is fine. ' +
          'Quit the app and run `eventfold verify --repair` on the data folder to repair it.',
        { cause: err.message },
      );
    }
    logger.warn(`internal error: ${String((err as Error)?.stack ?? err)}`);
    return fail(
      'internal',
      'INTERNAL',
      'Something went wrong in the app; details are in its log. Try again.',
    );
  }

  function parse(
    schema: ZodTypeAny,
    value: unknown,
    what: string,
  ): { ok: true; value: unknown } | { ok: false; result: BackendResult<never> } {
    const r = schema.safeParse(value ?? {});
    if (r.success) return { ok: true, value: r.data };
    const details = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
    return {
      ok: false,
      result: fail('validation', 'INVALID_INPUT', `${what} is invalid: ${summary}`, details),
    };
  }

  function runtime(ctx: CommandContext): CrmRuntime {
    return {
      store,
      dataDir,
      actor,
      ctx,
      extensions,
      execute: (request, inner) => execute(request, inner ?? ctx),
      query: (name, params = {}) => query({ query: name, params }),
    };
  }

  async function execute(request: CommandRequest, context?: CommandContext): Promise<BackendResult> {
    try {
      // Validation reads the e-mail and link indexes, extensions any read model: all of them must be loaded.
      await store.ready();
      const name = request?.command;
      const schema =
        typeof name === 'string' && Object.hasOwn(contract.commands, name)
          ? contract.commands[name]
          : undefined;
      if (!schema) return fail('validation', 'UNKNOWN_COMMAND', `There is no command "${String(name)}".`);
      const parsed = parse(schema, request.input, `The input of ${name}`);
      if (!parsed.ok) return parsed.result;
      const input = parsed.value as Record<string, unknown>;
      const ctx: CommandContext = context ?? { actor, correlationId: request.commandId ?? newEventId() };
      const extension = extensionCommands[name];
      if (extension) return ok(await extension.run(runtime(ctx), input as never, request));
      const spec = specs.get(name)!;
      const { id: given, ...rest } = input;
      const id = (given as string | undefined) ?? newEventId();
      const command: Record<string, unknown> = { type: name, ...rest };
      await enrich(name, spec, id, command);
      const result = await store.execute(spec.aggregate, id, command, ctx, {
        ...(request.commandId !== undefined ? { commandId: request.commandId } : {}),
        ...(request.expectedVersion !== undefined ? { expectedVersion: request.expectedVersion } : {}),
        waitForProjections: true,
      });
      return ok({
        id,
        version: result.version,
        position: result.position,
        duplicate: result.duplicate,
        events: result.events.map((e) => e.type),
      });
    } catch (err) {
      return toFailure(err);
    }
  }

  async function query(request: QueryRequest): Promise<BackendResult> {
    try {
      const name = request?.query;
      const schema =
        typeof name === 'string' && Object.hasOwn(contract.queries, name)
          ? contract.queries[name]
          : undefined;
      if (!schema) return fail('validation', 'UNKNOWN_QUERY', `There is no query "${String(name)}".`);
      const parsed = parse(schema, request.params, `The params of ${name}`);
      if (!parsed.ok) return parsed.result;
      const params = parsed.value as Record<string, unknown>;
      const asOf = typeof params.asOf === 'string' ? { date: new Date(params.asOf) } : null;
      if (name === 'app.info') {
        return ok({
          version: options.version ?? '0.0.0',
          dataDir,
          position: store.position,
          streams: store.metrics().streams,
        });
      }
      if (name === 'record.get') {
        const aggregate = recordAggregates[params.kind as RecordKind];
        const id = params.id as string;
        const { state, version } = asOf
          ? await store.stateAt(aggregate, id, asOf)
          : await stateOf(aggregate, id);
        if (version === 0) return fail('not_found', 'NOT_FOUND', `There is no ${String(params.kind)} ${id}.`);
        return ok({ kind: params.kind, id, version, state });
      }
      const extension = extensionQueries[name];
      if (extension) {
        await store.ready();
        return ok(await extension.run(runtime({ actor, correlationId: newEventId() }), params as never));
      }
      const q = queriesFromProjections[name]!;
      if (!asOf) await store.ready(q.projection.name);
      const state = asOf
        ? await store.projectionAt(q.projection, asOf)
        : store.projection(q.projection).state;
      return ok(await q.run(state, params as never, queryContext(store)));
    } catch (err) {
      return toFailure(err);
    }
  }

  // Work a crash cut short (a forget under way...) is finished before anything is answered.
  try {
    for (const e of extensions) if (e.onOpen) await e.onOpen(runtime({ actor, correlationId: newEventId() }));
  } catch (err) {
    unsubscribe();
    await store.close();
    throw err;
  }

  return {
    contract,
    store,
    execute,
    query,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      unsubscribe();
      listeners.clear();
      await store.close();
    },
  };
}
