/**
 * The trash: deleting a record (`Trash<Kind>`) only flags it, with its links; `trash.list` shows every trashed
 * record of every kind with who deleted it and when; `RestoreRecord` brings one back whole; `EmptyTrash` is the
 * explicit, permanent step. Emptying works like erasure (forget.ts): the records' streams and those of their
 * notes, activities and tasks are deleted and every read model is rebuilt without them; one `TrashEmptied` event
 * (ids only, no names) in the purge log `trash/purges`, written first, is the tombstone. Extensions erase what they
 * keep of the records outside the logs (`onPurge`: attachment files). Process managers react to the tombstone:
 * the contacts of a purged company and the deals of a purged contact or company are unlinked, not left pointing at
 * nothing (the deals of a forgotten contact too). A company that is only in the trash
 * keeps its contacts, so restoring it brings it back as it was.
 * @module
 */
import { z } from 'zod';
import {
  DomainError,
  type Aggregate,
  type AggregateStore,
  type CommandEnvelope,
  type DomainEvent,
  type ProcessManager,
  type Projection,
  type StoredEvent,
} from '../es/index.js';
import { COMPANY, CONTACT, DEAL, idSchema, lifecycleOpOf, parseCommandWith } from './domain/index.js';
import { extensionCommand, extensionQuery, type CrmExtension, type CrmRuntime } from './extension.js';
import { linkedTo, linkIndexProjection, type LinkIndexState } from './link-index.js';
import { recordName } from './record-names.js';
import { type Dict, isoOf, own, put, recordKey } from './read/util.js';

/** The kinds of record that go to the trash. */
export const trashKindSchema = z.enum(['contact', 'company', 'deal', 'task', 'note', 'activity']);
/** A kind of record that goes to the trash. */
export type TrashKind = z.infer<typeof trashKindSchema>;

/** At most this many ids per `EmptyTrash` request (and records per purge event). */
export const MAX_PURGE_IDS = 1000;

/** `'contact'` -> `'Contact'`: the prefix of the kind's event and command names. */
function recordPrefix(kind: string): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

// ---- read side: who trashed what, when ----

/** One trashed record as the trash projection keeps it. */
export interface TrashRecord {
  kind: TrashKind;
  id: string;
  /** Unix seconds. */
  trashedAt: number;
  /** The actor of the trash event. */
  trashedBy: string | null;
}

/** The trash read model (JSON): record key -> entry. */
export interface TrashState {
  entries: Dict<TrashRecord>;
}

/** Follows the trash and restore events of every kind (a purged record's stream is gone, so a rebuild drops it). */
export const trashProjection: Projection<TrashState> = {
  name: 'crm-trash',
  subscriptions: trashKindSchema.options,
  initialState: () => ({ entries: {} }),
  apply(state, e: StoredEvent) {
    const kind = e.aggregateType as TrashKind;
    const key = recordKey(kind, e.streamId);
    const op = lifecycleOpOf(recordPrefix(kind), e.event.type);
    if (op === 'trash') {
      put(state.entries, key, {
        kind,
        id: e.streamId,
        trashedAt: e.event.ts,
        trashedBy: e.event.actor ?? null,
      });
    } else if (op === 'restore' || e.event.type === 'ContactForgotten') delete state.entries[key];
    return state;
  },
};

/** Whether `kind/id` is in the trash now. */
export function isTrashed(store: AggregateStore, kind: string, id: string): boolean {
  return own(store.projection<TrashState>(trashProjection).state.entries, recordKey(kind, id)) !== undefined;
}

/** One row of `trash.list`. */
export interface TrashRow {
  kind: TrashKind;
  id: string;
  name: string;
  /** ISO instant. */
  trashedAt: string;
  trashedBy: string | null;
}

/** Every trashed record (of `kind`, when given), most recently trashed first. */
export function trashList(store: AggregateStore, kind?: TrashKind): { total: number; rows: TrashRow[] } {
  const rows = Object.values(store.projection<TrashState>(trashProjection).state.entries)
    .filter((r) => kind === undefined || r.kind === kind)
    .sort((a, b) => b.trashedAt - a.trashedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({
      kind: r.kind,
      id: r.id,
      name: recordName(store, r.kind, r.id) ?? '',
      trashedAt: isoOf(r.trashedAt),
      trashedBy: r.trashedBy,
    }));
  return { total: rows.length, rows };
}

// ---- the purge log: the tombstone of what was emptied from the trash ----

/** The aggregate type of the purge log. */
export const TRASH = 'trash';
/** Its one instance. */
export const PURGE_LOG_ID = 'purges';

const refSchema = z.object({ kind: trashKindSchema, id: idSchema }).strict();
const streamRefSchema = z.object({ type: z.string().max(64), id: idSchema }).strict();

/** Zod schema of the purge log's one command. */
export const purgeCommandSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('RecordPurge'),
      records: z.array(refSchema).min(1).max(MAX_PURGE_IDS),
      /** The notes, activities and tasks deleted with them. */
      erased: z.array(streamRefSchema).max(100_000),
    })
    .strict(),
]);

/** `RecordPurge {records, erased}`: sent by `EmptyTrash` after the streams are deleted. */
export type PurgeCommand = z.input<typeof purgeCommandSchema>;

/** What one emptying removes for good: the trashed records, and the notes, activities and tasks that go with them. */
export interface PurgedRecords {
  records: { kind: TrashKind; id: string }[];
  erased: { type: string; id: string }[];
}

/** What one emptying removed for good (ids only: a tombstone holds no personal data). */
export type PurgeEvent = DomainEvent<'TrashEmptied', PurgedRecords>;

/** The purge log: a history of ids, no state to keep. */
export const purgeLogAggregate: Aggregate<null, PurgeCommand, PurgeEvent> = {
  type: TRASH,
  initialState: () => null,
  decide(_state, input) {
    const { type: _type, ...data } = parseCommandWith(purgeCommandSchema, input);
    return [{ type: 'TrashEmptied', data }];
  },
  evolve: (state) => state,
  parseCommand: (input) => parseCommandWith(purgeCommandSchema, input),
};

// ---- company purged -> its contacts unlinked ----

/** Which company each contact is linked to. */
export interface CompanyUnlinkState {
  companyOf: Record<string, string>;
}

const changedCompany = (d: Record<string, unknown>): unknown =>
  (d.changes as Record<string, { to?: unknown }> | undefined)?.companyId?.to;

/**
 * Company purged from the trash -> every contact linked to it gets `UnlinkContactCompany` (also trashed, archived
 * and merged contacts: no dangling link anywhere). Its commands carry `system:crm-company-purge-unlink` and the
 * `TrashEmptied` event as cause.
 */
export const companyPurgeUnlink: ProcessManager<CompanyUnlinkState> = {
  name: 'crm-company-purge-unlink',
  subscriptions: [CONTACT, TRASH],
  initialState: () => ({ companyOf: {} }),
  react(state, e) {
    const d = (e.event.data ?? {}) as Record<string, unknown>;
    const none = { state, commands: [] };
    if (e.aggregateType === CONTACT) {
      const to = e.event.type === 'ContactCreated' ? d.companyId : changedCompany(d);
      if (typeof to === 'string') put(state.companyOf, e.streamId, to);
      else if (to === null || e.event.type === 'ContactForgotten') delete state.companyOf[e.streamId];
      return none;
    }
    if (e.event.type !== 'TrashEmptied') return none;
    const records = (e.event.data as PurgedRecords).records;
    const companies = new Set<string>();
    for (const r of records) {
      if (r.kind === CONTACT) delete state.companyOf[r.id];
      if (r.kind === COMPANY) companies.add(r.id);
    }
    const commands: CommandEnvelope[] = [];
    for (const [contactId, companyId] of Object.entries(state.companyOf)) {
      if (!companies.has(companyId)) continue;
      commands.push({
        aggregateType: CONTACT,
        instanceId: contactId,
        command: { type: 'UnlinkContactCompany', companyId },
      });
    }
    return { state, commands };
  },
};

// ---- contact or company purged, contact forgotten -> their deals unlinked ----

/** The contacts and the company each deal points at. */
export interface DealUnlinkState {
  deals: Record<string, { contactIds: string[]; companyId: string | null }>;
}

/**
 * Contact or company purged from the trash, or contact forgotten -> every deal pointing at it gets
 * `UnlinkDealRecord` (the contact leaves `contactIds`; `companyId` is cleared), trashed and closed deals too. Its
 * commands carry `system:crm-deal-unlink` and the tombstone (`TrashEmptied` or `ContactForgotten`) as cause.
 */
export const dealUnlink: ProcessManager<DealUnlinkState> = {
  name: 'crm-deal-unlink',
  subscriptions: [DEAL, CONTACT, TRASH],
  initialState: () => ({ deals: {} }),
  react(state, e) {
    const d = (e.event.data ?? {}) as Record<string, unknown>;
    const none = { state, commands: [] };
    if (e.aggregateType === DEAL) {
      if (e.event.type === 'DealCreated') {
        const { contactIds, companyId } = d as { contactIds?: string[]; companyId?: string | null };
        put(state.deals, e.streamId, { contactIds: contactIds ?? [], companyId: companyId ?? null });
        return none;
      }
      const deal = own(state.deals, e.streamId);
      const changes = d.changes as
        { contactIds?: { to: string[] }; companyId?: { to: string | null } } | undefined;
      if (deal && e.event.type === 'DealUpdated' && changes) {
        if (changes.contactIds) deal.contactIds = changes.contactIds.to;
        if (changes.companyId) deal.companyId = changes.companyId.to;
      }
      return none;
    }
    let gone: { kind: TrashKind; id: string }[];
    if (e.aggregateType === CONTACT && e.event.type === 'ContactForgotten')
      gone = [{ kind: CONTACT, id: e.streamId }];
    else if (e.event.type === 'TrashEmptied') gone = (e.event.data as PurgedRecords).records;
    else return none;
    // Purged deals are gone: nothing to send them.
    for (const r of gone) if (r.kind === DEAL) delete state.deals[r.id];
    const commands: CommandEnvelope[] = [];
    for (const r of gone) {
      if (r.kind !== CONTACT && r.kind !== COMPANY) continue;
      for (const [dealId, deal] of Object.entries(state.deals)) {
        const linked = r.kind === CONTACT ? deal.contactIds.includes(r.id) : deal.companyId === r.id;
        if (!linked) continue;
        commands.push({
          aggregateType: DEAL,
          instanceId: dealId,
          command: { type: 'UnlinkDealRecord', kind: r.kind, id: r.id },
        });
      }
    }
    return { state, commands };
  },
};

// ---- commands ----

/** Input schemas of the trash commands and query of the contract. */
export const TRASH_COMMANDS = {
  /** Take one record out of the trash, with its fields and links as they were. */
  RestoreRecord: refSchema,
  /** Delete trashed records for good: all of them, those of `kind`, or the given `ids`. */
  EmptyTrash: z
    .object({
      kind: trashKindSchema.optional(),
      ids: z.array(idSchema).min(1).max(MAX_PURGE_IDS).optional(),
    })
    .strict(),
};

/** Params of `trash.list`. */
export const trashListParams = z.object({ kind: trashKindSchema.optional() }).strict();

/** What `EmptyTrash` removed. */
export interface EmptyTrashResult {
  /** The trashed records deleted for good, with the name they had. */
  purged: { kind: TrashKind; id: string; name: string }[];
  /** The notes, activities and tasks deleted with them (`type/id`). */
  erased: string[];
  /** Requested ids that are not in the trash (nothing was done to them). */
  notInTrash: string[];
}

/**
 * Empties the trash (see the module comment). Idempotent: purged records are no longer in the trash, so a
 * retried request finds nothing more to do.
 */
export async function emptyTrash(
  rt: CrmRuntime,
  input: z.infer<typeof TRASH_COMMANDS.EmptyTrash>,
  commandId: string | undefined,
): Promise<EmptyTrashResult> {
  const { store, ctx } = rt;
  await store.awaitProjections();
  const all = Object.values(store.projection<TrashState>(trashProjection).state.entries);
  const wanted = input.ids ? new Set(input.ids) : null;
  const targets = all.filter(
    (r) => (input.kind === undefined || r.kind === input.kind) && (wanted === null || wanted.has(r.id)),
  );
  const found = new Set(targets.map((r) => r.id));
  const notInTrash = [...(wanted ?? [])].filter((id) => !found.has(id));
  if (targets.length === 0) return { purged: [], erased: [], notInTrash };

  const links = store.projection<LinkIndexState>(linkIndexProjection).state;
  const purged = targets.map((r) => ({
    kind: r.kind,
    id: r.id,
    name: recordName(store, r.kind, r.id) ?? '',
  }));
  const targetKeys = new Set(targets.map((r) => `${r.kind}/${r.id}`));
  // The notes, activities and tasks of each record go with it (unless they are purged as records themselves).
  const erasedWith = targets.map((r) =>
    linkedTo(links, r.kind, r.id).filter((l) => !targetKeys.has(`${l.type}/${l.id}`)),
  );

  // The tombstone first, then the deletion: after a crash in between, the same request finds the records still
  // in the trash, its tombstone already written (same command id), and finishes the deletion.
  for (let i = 0; i < targets.length; i += MAX_PURGE_IDS) {
    const records = targets.slice(i, i + MAX_PURGE_IDS).map((r) => ({ kind: r.kind, id: r.id }));
    const erased = erasedWith.slice(i, i + MAX_PURGE_IDS).flat();
    await store.execute(
      purgeLogAggregate,
      PURGE_LOG_ID,
      { type: 'RecordPurge', records, erased },
      ctx,
      commandId === undefined ? {} : { commandId: `${commandId}:${i / MAX_PURGE_IDS}` },
    );
  }
  const erased = new Map(erasedWith.flat().map((l) => [`${l.type}/${l.id}`, l]));
  // Before the streams go: after a crash, the retry (records still in the trash) erases what is left.
  const purgedRecords: PurgedRecords = {
    records: targets.map((r) => ({ kind: r.kind, id: r.id })),
    erased: [...erased.values()],
  };
  for (const e of rt.extensions) if (e.onPurge) await e.onPurge(rt, purgedRecords);
  for (const l of erased.values()) await store.destroyStream(l.type, l.id);
  for (const r of targets) await store.destroyStream(r.kind, r.id);
  for (const name of store.projectionNames()) await store.rebuildProjection(name);
  await store.runProcessManagers();
  await store.awaitProjections();
  await store.flush();
  return { purged, erased: [...erased.keys()], notInTrash };
}

/** The trash: query `trash.list {kind?}`, commands `RestoreRecord {kind, id}` and `EmptyTrash {kind?, ids?}`. */
export const trashExtension: CrmExtension = {
  aggregates: [purgeLogAggregate],
  projections: [trashProjection],
  workflows: [companyPurgeUnlink, dealUnlink] as ProcessManager[],
  commands: {
    RestoreRecord: extensionCommand(TRASH_COMMANDS.RestoreRecord, async (rt, input, request) => {
      if (!rt.store.has(input.kind, input.id)) {
        throw new DomainError(
          'NOT_FOUND',
          `There is no ${input.kind} ${input.id} (it may have been emptied from the trash).`,
          input,
        );
      }
      // Through the contract's own restore command: the same checks and idempotency as the UI's; restoring a
      // record that is not in the trash changes nothing (a retried restore is harmless).
      const r = await rt.execute({
        command: `Restore${recordPrefix(input.kind)}`,
        input: { id: input.id },
        ...(request.commandId !== undefined ? { commandId: request.commandId } : {}),
      });
      if (!r.ok) throw new DomainError(r.error.code, r.error.message, r.error.details);
      const events = (r.value as { events: string[]; duplicate: boolean }).events;
      return { kind: input.kind, id: input.id, restored: events.length > 0 };
    }),
    EmptyTrash: extensionCommand(TRASH_COMMANDS.EmptyTrash, (rt, input, request) =>
      emptyTrash(rt, input, request.commandId),
    ),
  },
  queries: {
    'trash.list': extensionQuery(trashListParams, async (rt, p) => trashList(rt.store, p.kind), [
      ...trashKindSchema.options,
      TRASH,
    ]),
  },
};
