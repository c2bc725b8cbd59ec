/**
 * The compensating command of a change: for one stored event, the contract command that takes it back through
 * the record's own aggregate (an update with the `from` values, archive <-> unarchive, trash <-> restore, a stage
 * move back, won/lost -> reopen, complete <-> reopen, create -> trash, merge <-> unmerge). Refuses, rather than
 * clobbering, when a later change overwrote what the event wrote.
 * @module
 */
import { DomainError } from '../../es/index.js';
import type { Event } from '../../log/index.js';
import {
  type ContactState,
  type CustomFieldValues,
  type DealState,
  type Lifecycle,
  lifecycleOpOf,
  type LifecycleOp,
  own,
  type PipelineState,
  sameValue,
  type TaskState,
} from '../domain/index.js';
import { fieldLabel } from '../read/format.js';
import type { UndoableEventType } from './undoable.js';

/** The record kinds whose changes can be undone (the `kind` of `UndoChange`). */
export const UNDO_KINDS = ['contact', 'company', 'deal', 'task', 'note', 'activity', 'pipeline'] as const;
/** A record kind whose changes can be undone. */
export type UndoKind = (typeof UNDO_KINDS)[number];

/** A record's stream as the planner reads it: its events (for the history) and its current state. */
export interface RecordHistory {
  events: readonly Event[];
  /** The aggregate's current state. */
  state: unknown;
}

/** What the planner is given: the event to undo, where it sits in its record's history, and how to read others. */
export interface UndoSubject {
  kind: UndoKind;
  id: string;
  /** The record's history; `events[index]` is the event to undo. */
  history: RecordHistory;
  index: number;
  /** The local user (a later change of theirs is named "by you"). */
  actor: string;
  /** The label of a custom field of this kind (its id when unknown). */
  customLabel(fieldId: string): string;
  /** Reads another record (the other contact of a merge). */
  read(kind: UndoKind, id: string): Promise<RecordHistory>;
}

/** The compensating command, and every event it undoes (both halves of a merge). */
export interface UndoPlan {
  command: string;
  input: Record<string, unknown>;
  undoes: string[];
}

type Data = Record<string, unknown>;
type ChangeSet = Record<string, { from: unknown; to: unknown }>;
type Planner = (s: UndoSubject, event: Event) => UndoPlan | Promise<UndoPlan>;

const RECORD: Record<UndoKind, string> = {
  contact: 'Contact',
  company: 'Company',
  deal: 'Deal',
  task: 'Task',
  note: 'Note',
  activity: 'Activity',
  pipeline: 'Pipeline',
};

/** A refusal: something changed since the event, so undoing it would overwrite a newer change. */
function conflict(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('UNDO_CONFLICT', message, details);
}

/** Who made a change, for a sentence: "by you", "by user:bo", "by an automation (crm-merge-repoint)". */
function byWhom(actor: string | undefined, me: string): string {
  if (actor === undefined) return 'by someone';
  if (actor === me) return 'by you';
  if (actor.startsWith('system:')) return `by an automation (${actor.slice('system:'.length)})`;
  return `by ${actor}`;
}

/** The newest event after the one being undone that changed `field` (a record field or a custom field). */
function laterChange(s: UndoSubject, field: string, custom: boolean): Event | undefined {
  for (let i = s.history.events.length - 1; i > s.index; i--) {
    const e = s.history.events[i]!;
    const d = (e.data ?? {}) as Data;
    const set = (custom ? d.customFields : d.changes) as Data | undefined;
    if (set && Object.hasOwn(set, field)) return e;
  }
  return undefined;
}

/** `UNDO_CONFLICT` for a field a later change overwrote. */
function fieldConflict(s: UndoSubject, field: string, custom: boolean): DomainError {
  const later = laterChange(s, field, custom);
  const label = custom ? s.customLabel(field) : fieldLabel(field);
  return conflict(
    `The field “${label}” was changed again later (${byWhom(later?.actor, s.actor)}); undo that change first.`,
    { field: custom ? `customFields.${field}` : field, laterEventId: later?.id ?? null },
  );
}

/**
 * The `from` values of a change set, refusing when a field's current value is no longer the `to` the change
 * wrote. A field that still holds it is reverted; the whole undo is refused otherwise (never half an undo).
 */
function revertFields(s: UndoSubject, current: object, changes: ChangeSet | undefined): Data {
  const out: Data = {};
  for (const [field, c] of Object.entries(changes ?? {})) {
    if (!sameValue((current as Data)[field], c.to)) throw fieldConflict(s, field, false);
    out[field] = c.from;
  }
  return out;
}

function revertCustom(s: UndoSubject, current: CustomFieldValues, changes: ChangeSet | undefined): Data {
  const out: Data = {};
  for (const [fieldId, c] of Object.entries(changes ?? {})) {
    if (!sameValue(own(current, fieldId) ?? null, c.to)) throw fieldConflict(s, fieldId, true);
    out[fieldId] = c.from;
  }
  return out;
}

/** Update / Edit: the same command with every changed field set back to its `from` value. */
function undoUpdate(command: string): Planner {
  return (s, event) => {
    const d = (event.data ?? {}) as { changes?: ChangeSet; customFields?: ChangeSet };
    const state = s.history.state as { fields: object; customFields?: CustomFieldValues };
    const fields = revertFields(s, state.fields, d.changes);
    const custom = d.customFields ? revertCustom(s, state.customFields ?? {}, d.customFields) : {};
    const input: Data = { id: s.id, fields };
    if (Object.keys(custom).length > 0) input.customFields = custom;
    return { command, input, undoes: [event.id!] };
  };
}

const LIFECYCLE_UNDO: Record<LifecycleOp, { op: string; holds: (l: Lifecycle) => boolean; gone: string }> = {
  archive: { op: 'Unarchive', holds: (l) => l.archived, gone: 'it was unarchived later' },
  unarchive: { op: 'Archive', holds: (l) => !l.archived, gone: 'it was archived again later' },
  trash: { op: 'Restore', holds: (l) => l.trashed, gone: 'it was restored from the trash later' },
  restore: { op: 'Trash', holds: (l) => !l.trashed, gone: 'it was moved to the trash again later' },
};

/** Archive <-> unarchive, trash <-> restore; refused when a later change already did the opposite. */
const undoLifecycle: Planner = (s, event) => {
  const op = lifecycleOpOf(RECORD[s.kind], event.type)!;
  const rule = LIFECYCLE_UNDO[op];
  const life = (s.history.state as { life: Lifecycle }).life;
  if (!rule.holds(life)) throw conflict(`There is nothing to undo: ${rule.gone}.`, { op });
  return { command: `${rule.op}${RECORD[s.kind]}`, input: { id: s.id }, undoes: [event.id!] };
};

/** Create -> move to the trash (restorable: nothing is lost). */
const undoCreate: Planner = (s, event) => {
  const life = (s.history.state as { life: Lifecycle }).life;
  if (life.trashed) throw conflict(`This ${s.kind} is already in the trash.`);
  return { command: `Trash${RECORD[s.kind]}`, input: { id: s.id }, undoes: [event.id!] };
};

/** The newest event before the one being undone whose type is one of `types`. */
function earlier(s: UndoSubject, types: readonly string[]): Event | undefined {
  for (let i = s.index - 1; i >= 0; i--) {
    const e = s.history.events[i]!;
    if (types.includes(e.type)) return e;
  }
  return undefined;
}

const undoStageChange: Planner = (s, event) => {
  const d = event.data as { changes: ChangeSet };
  const deal = s.history.state as DealState;
  if (deal.status !== 'open') {
    throw conflict(`This deal was closed (${deal.status}) since it moved: reopen it first.`, {
      status: deal.status,
    });
  }
  const back = revertFields(s, deal.placement, d.changes);
  const input: Data = { id: s.id, stageId: back.stageId ?? deal.placement.stageId };
  if (back.pipelineId !== undefined) input.pipelineId = back.pipelineId;
  return { command: 'MoveDealStage', input, undoes: [event.id!] };
};

function undoClose(status: 'won' | 'lost'): Planner {
  return (s, event) => {
    const deal = s.history.state as DealState;
    if (deal.status !== status) {
      throw conflict(`There is nothing to undo: this deal is ${deal.status} now.`, { status: deal.status });
    }
    return { command: 'ReopenDeal', input: { id: s.id }, undoes: [event.id!] };
  };
}

const undoDealReopen: Planner = (s, event) => {
  const deal = s.history.state as DealState;
  if (deal.status !== 'open') {
    throw conflict(`There is nothing to undo: this deal is ${deal.status} again.`, { status: deal.status });
  }
  const closed = earlier(s, ['DealWon', 'DealLost']);
  const d = (closed?.data ?? {}) as { date?: string; reason?: string };
  if (closed?.type === 'DealLost') {
    return {
      command: 'MarkDealLost',
      input: { id: s.id, reason: d.reason, ...(d.date ? { date: d.date } : {}) },
      undoes: [event.id!],
    };
  }
  return {
    command: 'MarkDealWon',
    input: { id: s.id, ...(d.date ? { date: d.date } : {}) },
    undoes: [event.id!],
  };
};

const undoTaskComplete: Planner = (s, event) => {
  if ((s.history.state as TaskState).completedAt === null)
    throw conflict('There is nothing to undo: this task was reopened later.');
  return { command: 'ReopenTask', input: { id: s.id }, undoes: [event.id!] };
};

const undoTaskReopen: Planner = (s, event) => {
  if ((s.history.state as TaskState).completedAt !== null)
    throw conflict('There is nothing to undo: this task was completed again later.');
  const at = (earlier(s, ['TaskCompleted'])?.data as { at?: string } | undefined)?.at;
  return { command: 'CompleteTask', input: { id: s.id, ...(at ? { at } : {}) }, undoes: [event.id!] };
};

const undoReschedule: Planner = (s, event) => {
  const due = (event.data as { due: { from: unknown; to: unknown } }).due;
  if (!sameValue((s.history.state as TaskState).due, due.to)) throw fieldConflict(s, 'due', false);
  return { command: 'RescheduleTask', input: { id: s.id, due: due.from }, undoes: [event.id!] };
};

const undoPipelineRename: Planner = (s, event) => {
  const name = (event.data as { name: { from: string; to: string } }).name;
  if ((s.history.state as PipelineState).name !== name.to) throw fieldConflict(s, 'name', false);
  return { command: 'RenamePipeline', input: { id: s.id, name: name.from }, undoes: [event.id!] };
};

const undoStageRename: Planner = (s, event) => {
  const d = event.data as { stageId: string; name: { from: string; to: string } };
  const stage = (s.history.state as PipelineState).stages.find((st) => st.stageId === d.stageId);
  if (stage?.name !== d.name.to) {
    throw conflict(
      stage
        ? `The stage “${stage.name}” was renamed again later; undo that change first.`
        : 'That stage was removed since; it cannot be renamed back.',
      { stageId: d.stageId },
    );
  }
  return {
    command: 'RenamePipelineStage',
    input: { id: s.id, stageId: d.stageId, name: d.name.from },
    undoes: [event.id!],
  };
};

const undoReorder: Planner = (s, event) => {
  const order = (event.data as { order: { from: string[]; to: string[] } }).order;
  const current = (s.history.state as PipelineState).stages.map((st) => st.stageId);
  if (!sameValue(current, order.to)) {
    throw conflict('The stages were reordered, added or removed again later; undo that change first.');
  }
  return { command: 'ReorderPipelineStages', input: { id: s.id, stageIds: order.from }, undoes: [event.id!] };
};

/** The newest event of `history` of `type` whose data names `partner` in `field`. */
function partnerEvent(
  history: RecordHistory,
  type: string,
  field: string,
  partner: string,
): Event | undefined {
  for (let i = history.events.length - 1; i >= 0; i--) {
    const e = history.events[i]!;
    if (e.type === type && (e.data as Data | null)?.[field] === partner) return e;
  }
  return undefined;
}

/** A merge (either half) -> `UnmergeContacts`; both halves are marked undone. */
const undoMerge: Planner = async (s, event) => {
  const d = event.data as { targetId?: string; sourceId?: string };
  const [sourceId, targetId] = event.type === 'ContactMergedInto' ? [s.id, d.targetId!] : [d.sourceId!, s.id];
  const source = sourceId === s.id ? s.history : await s.read('contact', sourceId);
  const target = targetId === s.id ? s.history : await s.read('contact', targetId);
  if ((source.state as ContactState).mergedInto !== targetId)
    throw conflict('There is nothing to undo: these contacts were unmerged later.');
  const halves = [
    partnerEvent(target, 'ContactMergedFrom', 'sourceId', sourceId),
    partnerEvent(source, 'ContactMergedInto', 'targetId', targetId),
  ];
  const undoes = [...new Set([event.id!, ...halves.flatMap((e) => (e?.id ? [e.id] : []))])];
  return { command: 'UnmergeContacts', input: { sourceId }, undoes };
};

const SCALARS = ['firstName', 'lastName', 'title', 'companyId', 'owner'];

/**
 * An unmerge (either half) -> `MergeContacts` again, preferring the duplicate's values for the scalar fields the
 * first merge had taken from it (the unmerge's reverted fields), so the redo gives the same contact.
 */
const undoUnmerge: Planner = async (s, event) => {
  const d = event.data as { targetId?: string; sourceId?: string };
  const [sourceId, targetId] = event.type === 'ContactUnmerged' ? [s.id, d.targetId!] : [d.sourceId!, s.id];
  const source = sourceId === s.id ? s.history : await s.read('contact', sourceId);
  const target = targetId === s.id ? s.history : await s.read('contact', targetId);
  if ((source.state as ContactState).mergedInto !== null)
    throw conflict('There is nothing to undo: this contact was merged again later.');
  const fromHalf = partnerEvent(target, 'ContactUnmergedFrom', 'sourceId', sourceId);
  const changes = ((fromHalf?.data as Data | undefined)?.changes ?? {}) as ChangeSet;
  const prefer = SCALARS.filter((f) => Object.hasOwn(changes, f) && changes[f]?.from !== null);
  const halves = [fromHalf, partnerEvent(source, 'ContactUnmerged', 'targetId', targetId)];
  const undoes = [...new Set([event.id!, ...halves.flatMap((e) => (e?.id ? [e.id] : []))])];
  return {
    command: 'MergeContacts',
    input: { sourceId, targetId, ...(prefer.length > 0 ? { prefer } : {}) },
    undoes,
  };
};

/** One planner per undoable event type (the type makes the table cover every one of them). */
const PLANNERS: Record<UndoableEventType, Planner> = {
  ContactCreated: undoCreate,
  ContactUpdated: undoUpdate('UpdateContact'),
  ContactArchived: undoLifecycle,
  ContactUnarchived: undoLifecycle,
  ContactTrashed: undoLifecycle,
  ContactRestored: undoLifecycle,
  ContactMergedInto: undoMerge,
  ContactMergedFrom: undoMerge,
  ContactUnmerged: undoUnmerge,
  ContactUnmergedFrom: undoUnmerge,
  CompanyCreated: undoCreate,
  CompanyUpdated: undoUpdate('UpdateCompany'),
  CompanyArchived: undoLifecycle,
  CompanyUnarchived: undoLifecycle,
  CompanyTrashed: undoLifecycle,
  CompanyRestored: undoLifecycle,
  DealCreated: undoCreate,
  DealUpdated: undoUpdate('UpdateDeal'),
  DealStageChanged: undoStageChange,
  DealWon: undoClose('won'),
  DealLost: undoClose('lost'),
  DealReopened: undoDealReopen,
  DealTrashed: undoLifecycle,
  DealRestored: undoLifecycle,
  TaskCreated: undoCreate,
  TaskUpdated: undoUpdate('UpdateTask'),
  TaskCompleted: undoTaskComplete,
  TaskReopened: undoTaskReopen,
  TaskRescheduled: undoReschedule,
  TaskTrashed: undoLifecycle,
  TaskRestored: undoLifecycle,
  NoteCreated: undoCreate,
  NoteEdited: undoUpdate('EditNote'),
  NoteTrashed: undoLifecycle,
  NoteRestored: undoLifecycle,
  ActivityLogged: undoCreate,
  ActivityEdited: undoUpdate('EditActivity'),
  ActivityTrashed: undoLifecycle,
  ActivityRestored: undoLifecycle,
  PipelineRenamed: undoPipelineRename,
  PipelineStageRenamed: undoStageRename,
  PipelineStagesReordered: undoReorder,
};

/**
 * The compensating command for `events[index]` of the subject's record.
 * @throws DomainError `NOT_UNDOABLE` for a change that has no compensation, `UNDO_CONFLICT` when a later change
 *   overwrote what it wrote.
 */
export async function planUndo(s: UndoSubject): Promise<UndoPlan> {
  const event = s.history.events[s.index]!;
  const planner = Object.hasOwn(PLANNERS, event.type) ? PLANNERS[event.type as UndoableEventType] : undefined;
  if (!planner || !event.id) {
    throw new DomainError('NOT_UNDOABLE', `This change (${event.type}) cannot be undone.`, {
      type: event.type,
    });
  }
  return planner(s, event);
}
