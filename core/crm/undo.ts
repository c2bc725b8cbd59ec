/**
 * Undo: takes back the last change, or any change of a record's timeline, by appending compensating events
 * through the record's own commands (see `undo/compensate.ts`). Nothing is erased: the undo is a change of its
 * own, marked with the events it undoes (`meta.undo_of`, and its causation id), so the timeline shows it as
 * "Undid: ..." and the original as undone; undoing an undo redoes the change.
 *
 * Which change is "the last" comes from the timeline read model (every change of every record, in global order,
 * with who made it and which undos undid what), so nothing new is kept per event.
 * @module
 */
import { z } from 'zod';
import {
  DomainError,
  StreamNotFoundError,
  type AggregateStore,
  type CommandContext,
  type Projection,
} from '../es/index.js';
import type { BackendResult } from './backend.js';
import { idSchema, recordAggregates } from './domain/index.js';
import { extensionCommand, extensionQuery, type CrmExtension, type CrmRuntime } from './extension.js';
import {
  describeTimelineEntry,
  entryAt,
  isUndoable,
  timelineProjection,
  undoDepth,
  undoneByOf,
  type TimelineEntry,
  type TimelineEvents,
  type TimelineState,
} from './read/timeline.js';
import { timelineEvents } from './timeline-events.js';
import { own, put, recordKey } from './read/util.js';
import { planUndo, UNDO_KINDS, type RecordHistory, type UndoKind } from './undo/compensate.js';
import { isSystemActor, UNDO_COMMAND, UNDO_OF, undoTargetsOf } from './undo/undoable.js';

export { UNDO_KINDS, type UndoKind } from './undo/compensate.js';

/** `meta` keys of a compensating event naming the record of the change it undoes (ids only: no personal data). */
const UNDO_RECORD_KIND = 'undo_kind';
const UNDO_RECORD_ID = 'undo_id';

/** Input schemas of the undo commands and query of the contract. */
export const UNDO_SCHEMAS = {
  /**
   * Undo one change of record `{kind, id}`: `eventId` (an entry of its timeline), by default its newest change
   * that is in effect and is not itself an undo (so repeating it walks back through the record's history).
   */
  UndoChange: z
    .object({ kind: z.enum(UNDO_KINDS), id: idSchema, eventId: z.string().min(1).max(100).optional() })
    .strict(),
  /** Undo the local user's newest change anywhere that is in effect and not itself an undo. */
  UndoLast: z.object({}).strict(),
  /** Params of `undo.last`. */
  last: z.object({}).strict(),
};

/** The change an undo targets (the answer of `undo.last`, and part of an undo's result). */
export interface UndoTarget {
  kind: UndoKind;
  id: string;
  /** The event undone. */
  eventId: string;
  /** Its timeline summary, e.g. `Edited contact “Ana Lima”` (a label for the Undo button). */
  description: string;
}

/**
 * What `UndoChange` and `UndoLast` did: the change undone, the global position of the compensating events, and
 * `duplicate` when the `commandId` had run before (nothing was written again).
 */
export interface UndoResult extends UndoTarget {
  position: number;
  duplicate: boolean;
}

/** An undo done under a request's `commandId`: the change it undid and where its events ended. */
export interface UndoneCommand {
  kind: UndoKind;
  id: string;
  eventId: string;
  position: number;
}

/** The undos done per request `commandId` (their idempotency keys), read back from the compensating events. */
export interface UndoCommandsState {
  byCommand: Record<string, UndoneCommand>;
}

/** Remembers each undo by its request's `commandId`, so a retry answers the first result instead of undoing more. */
export const undoCommandsProjection: Projection<UndoCommandsState> = {
  name: 'crm-undo-commands',
  subscriptions: [...UNDO_KINDS],
  initialState: () => ({ byCommand: {} }),
  apply(state, e) {
    const commandId = e.event.meta?.[UNDO_COMMAND];
    const [eventId] = undoTargetsOf(e.event);
    if (typeof commandId !== 'string' || eventId === undefined) return state;
    const seen = own(state.byCommand, commandId);
    // The first event names the change; a merge's second half only moves the position on.
    const kind = (e.event.meta?.[UNDO_RECORD_KIND] ?? e.aggregateType) as UndoKind;
    const id = e.event.meta?.[UNDO_RECORD_ID];
    put(
      state.byCommand,
      commandId,
      seen
        ? { ...seen, position: e.seq }
        : { kind, id: typeof id === 'string' ? id : e.streamId, eventId, position: e.seq },
    );
    return state;
  },
};

function timeline(rt: CrmRuntime): TimelineState {
  return rt.store.projection<TimelineState>(timelineProjection).state;
}

/** The kind and id of the record an entry belongs to (`'note:n-1'` -> note, n-1). */
function recordOf(entry: TimelineEntry): { kind: UndoKind; id: string } {
  const at = entry.src.indexOf(':');
  return { kind: entry.src.slice(0, at) as UndoKind, id: entry.src.slice(at + 1) };
}

/** A change that "undo" (without naming one) may pick: undoable now, and a change or a redo, not an undo. */
function isCandidate(state: TimelineState, seq: number): boolean {
  return isUndoable(state, seq) && undoDepth(state, seq) % 2 === 0;
}

/** A change found in the timeline, read back from its record's log. */
interface Found {
  entry: TimelineEntry;
  events: TimelineEvents;
}

/** The change of record `src` at `seq`, read back; `undefined` if its log no longer has it. */
async function readBack(
  rt: CrmRuntime,
  state: TimelineState,
  src: string,
  seq: number,
): Promise<Found | undefined> {
  const events = await timelineEvents(rt.store, [src]);
  const entry = entryAt(state, src, seq, events);
  return entry ? { entry, events } : undefined;
}

/** The newest candidate among a record's own changes. */
async function lastOfRecord(rt: CrmRuntime, state: TimelineState, key: string): Promise<Found | undefined> {
  const list = own(state.lists, key) ?? [];
  for (let i = list.length - 1; i >= 0; i--) {
    const ref = list[i]!;
    if (typeof ref === 'number' && isCandidate(state, ref)) return readBack(rt, state, key, ref);
  }
  return undefined;
}

/** The local user's newest candidate anywhere (their recent changes, newest last). */
async function lastOfUser(rt: CrmRuntime, state: TimelineState, actor: string): Promise<Found | undefined> {
  const recent = own(state.recent, actor) ?? [];
  for (let i = recent.length - 1; i >= 0; i--) {
    const [src, seq] = recent[i]!;
    if (isCandidate(state, seq)) return readBack(rt, state, src, seq);
  }
  return undefined;
}

/** A record's own change `eventId`, if its timeline shows it (one read of the record's log). */
async function changeOf(
  rt: CrmRuntime,
  state: TimelineState,
  key: string,
  eventId: string,
): Promise<Found | undefined> {
  const events = await timelineEvents(rt.store, [key]);
  const seq = (own(state.lists, key) ?? []).find(
    (ref): ref is number => typeof ref === 'number' && events(key, ref)?.id === eventId,
  );
  const entry = seq === undefined ? undefined : entryAt(state, key, seq, events);
  return entry ? { entry, events } : undefined;
}

function targetOf(state: TimelineState, found: Found): UndoTarget {
  return {
    ...recordOf(found.entry),
    eventId: found.entry.eventId!,
    description: describeTimelineEntry(state, found.entry, found.events).summary,
  };
}

async function history(rt: CrmRuntime, kind: UndoKind, id: string): Promise<RecordHistory> {
  try {
    const events = await rt.store.readEvents(kind, id);
    return { events, state: await rt.store.get(recordAggregates[kind], id).state() };
  } catch (err) {
    if (err instanceof StreamNotFoundError) throw new DomainError('NOT_FOUND', `There is no ${kind} ${id}.`);
    throw err;
  }
}

/** A failed inner command, thrown again with its code so it crosses the boundary as the same kind of error. */
function rethrow(result: BackendResult): void {
  if (result.ok) return;
  const { code, message, details } = result.error;
  if (result.error.kind === 'internal') throw new Error(message);
  throw new DomainError(code, message, details);
}

/** Checks that `entry` can be undone now; otherwise refuses with why. */
function assertUndoable(state: TimelineState, { entry, events }: Found): void {
  if (isSystemActor(entry.actor)) {
    throw new DomainError(
      'NOT_UNDOABLE',
      'This change was made by an automation, not by a person: change the record instead.',
      { eventId: entry.eventId },
    );
  }
  const undoneBy = undoneByOf(state, entry.seq);
  if (undoneBy !== undefined) {
    throw new DomainError('ALREADY_UNDONE', 'This change was undone already; undo that undo to redo it.', {
      eventId: entry.eventId,
      undoneBy: events(entry.src, undoneBy)?.id ?? null,
    });
  }
  if (!isUndoable(state, entry.seq)) {
    throw new DomainError('NOT_UNDOABLE', `This change cannot be undone (${entry.type}).`, {
      eventId: entry.eventId,
      type: entry.type,
    });
  }
}

/** Undoes the change of timeline entry `entry` (checked, planned, executed with the undo marks). */
async function undoEntry(
  rt: CrmRuntime,
  state: TimelineState,
  found: Found,
  commandId: string | undefined,
): Promise<UndoResult> {
  assertUndoable(state, found);
  const target = targetOf(state, found);
  const h = await history(rt, target.kind, target.id);
  const index = h.events.findIndex((e) => e.id === target.eventId);
  if (index < 0)
    throw new DomainError('NOT_FOUND', `There is no change ${target.eventId} in this record's history.`);
  const plan = await planUndo({
    kind: target.kind,
    id: target.id,
    history: h,
    index,
    actor: rt.actor,
    customLabel: (fieldId) => own(state.names, `field:${target.kind}/${fieldId}`) ?? fieldId,
    read: (kind, id) => history(rt, kind, id),
  });
  const metadata: Record<string, unknown> = {
    [UNDO_OF]: plan.undoes,
    [UNDO_RECORD_KIND]: target.kind,
    [UNDO_RECORD_ID]: target.id,
  };
  if (commandId !== undefined) metadata[UNDO_COMMAND] = commandId;
  const ctx: CommandContext = { ...rt.ctx, causationId: target.eventId, metadata };
  const result = await rt.execute(
    {
      command: plan.command,
      input: plan.input,
      ...(commandId !== undefined ? { commandId: `undo:${commandId}` } : {}),
    },
    ctx,
  );
  rethrow(result);
  const value = (result as { ok: true; value: { position?: number; duplicate?: boolean } }).value;
  return { ...target, position: value.position ?? rt.store.position, duplicate: value.duplicate === true };
}

/** The first result of an undo request already done under `commandId`, if any. */
async function done(rt: CrmRuntime, commandId: string | undefined): Promise<UndoResult | undefined> {
  if (commandId === undefined) return undefined;
  const seen = own(rt.store.projection<UndoCommandsState>(undoCommandsProjection).state.byCommand, commandId);
  if (!seen) return undefined;
  const state = timeline(rt);
  const found = await changeOf(rt, state, recordKey(seen.kind, seen.id), seen.eventId);
  const description = found ? describeTimelineEntry(state, found.entry, found.events).summary : '';
  return { ...seen, description, duplicate: true };
}

/** The undo running on each store: undos run one at a time, so two quick UndoLasts never pick the same change. */
const running = new WeakMap<AggregateStore, Promise<unknown>>();

/** Runs `task` after every undo already queued on this store. */
function serially<T>(store: AggregateStore, task: () => Promise<T>): Promise<T> {
  const result = (running.get(store) ?? Promise.resolve()).then(task, task);
  running.set(
    store,
    result.catch(() => undefined),
  );
  return result;
}

/** `UndoChange`, `UndoLast` and `undo.last`, as commands and a query of the contract. */
export const undoExtension: CrmExtension = {
  projections: [undoCommandsProjection],
  commands: {
    /** `UndoChange {kind, id, eventId?}` -> {@link UndoResult}. */
    UndoChange: extensionCommand(UNDO_SCHEMAS.UndoChange, (rt, input, request) =>
      serially(rt.store, async () => {
        await rt.store.awaitProjections();
        const again = await done(rt, request.commandId);
        if (again) return again;
        const state = timeline(rt);
        const key = recordKey(input.kind, input.id);
        if (!rt.store.has(input.kind, input.id))
          throw new DomainError('NOT_FOUND', `There is no ${input.kind} ${input.id}.`);
        const found =
          input.eventId === undefined
            ? await lastOfRecord(rt, state, key)
            : await changeOf(rt, state, key, input.eventId);
        if (!found) {
          throw input.eventId === undefined
            ? new DomainError('NOTHING_TO_UNDO', `There is no change of this ${input.kind} left to undo.`)
            : new DomainError(
                'NOT_FOUND',
                `There is no change ${input.eventId} in the history of this ${input.kind}.`,
              );
        }
        return undoEntry(rt, state, found, request.commandId);
      }),
    ),
    /** `UndoLast {}` -> {@link UndoResult} (refused with `NOTHING_TO_UNDO` when there is none). */
    UndoLast: extensionCommand(UNDO_SCHEMAS.UndoLast, (rt, _input, request) =>
      serially(rt.store, async () => {
        await rt.store.awaitProjections();
        const again = await done(rt, request.commandId);
        if (again) return again;
        const state = timeline(rt);
        const found = await lastOfUser(rt, state, rt.actor);
        if (!found) throw new DomainError('NOTHING_TO_UNDO', 'There is nothing to undo.');
        return undoEntry(rt, state, found, request.commandId);
      }),
    ),
  },
  queries: {
    /** `undo.last {}` -> {@link UndoTarget} | null: what `UndoLast` would undo now. */
    'undo.last': extensionQuery(
      UNDO_SCHEMAS.last,
      async (rt) => {
        await rt.store.awaitProjections();
        const state = timeline(rt);
        const found = await lastOfUser(rt, state, rt.actor);
        return found ? targetOf(state, found) : null;
      },
      UNDO_KINDS,
    ),
  },
};
