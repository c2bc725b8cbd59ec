/**
 * The Deal aggregate: an opportunity in a pipeline stage, with an amount, won/lost and reopen, field-by-field
 * history and trash.
 * @module
 */
import { z } from 'zod';
import type { Aggregate, DecideContext, DomainEvent } from '../../es/aggregate.js';
import { DomainError } from '../../es/errors.js';
import { applyChanges, type Changes, diff, isEmpty } from './changes.js';
import {
  applyCustomFieldChanges,
  customFieldCommandShape,
  type CustomFieldValues,
  initialCustomFields,
  type UpdatePayload,
  updatePayload,
} from './custom-field-values.js';
import {
  assertEditable,
  assertExists,
  assertNew,
  evolveLifecycle,
  initialLifecycle,
  type Lifecycle,
  lifecycleEvents,
  lifecycleOpOf,
} from './lifecycle.js';
import {
  idListSchema,
  idSchema,
  isoDateSchema,
  LIMITS,
  type Money,
  moneySchema,
  optionalText,
  parseCommandWith,
  requiredText,
} from './validation.js';

/** The aggregate type (folder under `streams/`). */
export const DEAL = 'deal';

/** The editable fields of a deal (the stage changes through `MoveDealStage`, the status through won/lost/reopen). */
export interface DealFields {
  title: string;
  /** The value, in integer minor units with its currency; `null` when not estimated yet. */
  amount: Money | null;
  contactIds: string[];
  companyId: string | null;
  /** `YYYY-MM-DD`. */
  expectedCloseDate: string | null;
  owner: string | null;
}

/** Where a deal sits: a pipeline and one of its stages. */
export interface DealPlacement {
  pipelineId: string;
  stageId: string;
}

/** Open, or closed as won or lost. */
export type DealStatus = 'open' | 'won' | 'lost';

const fieldSchemas = {
  title: requiredText('a deal title'),
  amount: moneySchema.nullable(),
  contactIds: idListSchema('the list of contacts'),
  companyId: idSchema.nullable(),
  expectedCloseDate: isoDateSchema.nullable(),
  owner: optionalText('an owner'),
};

/**
 * The stage ids of the target pipeline, as the backend read them from the pipeline aggregate: a deal cannot see
 * another stream, so the command carries them and `decide` refuses a stage outside them (`UNKNOWN_STAGE`).
 */
const pipelineStageIds = z.array(idSchema).max(100);

/** Zod schema of every deal command (used by `parseCommand` and again by `decide`). */
export const dealCommandSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('CreateDeal'),
      title: fieldSchemas.title,
      amount: fieldSchemas.amount.optional(),
      pipelineId: idSchema,
      stageId: idSchema,
      pipelineStageIds,
      contactIds: fieldSchemas.contactIds.optional(),
      companyId: fieldSchemas.companyId.optional(),
      expectedCloseDate: fieldSchemas.expectedCloseDate.optional(),
      owner: fieldSchemas.owner.optional(),
      ...customFieldCommandShape,
    })
    .strict(),
  z
    .object({
      type: z.literal('UpdateDeal'),
      fields: z.object(fieldSchemas).partial().strict(),
      ...customFieldCommandShape,
    })
    .strict(),
  z
    .object({
      type: z.literal('MoveDealStage'),
      stageId: idSchema,
      pipelineId: idSchema.optional(),
      pipelineStageIds,
    })
    .strict(),
  z.object({ type: z.literal('ReassignDealStage'), removedStageId: idSchema, stageId: idSchema }).strict(),
  z
    .object({ type: z.literal('UnlinkDealRecord'), kind: z.enum(['contact', 'company']), id: idSchema })
    .strict(),
  z.object({ type: z.literal('MarkDealWon'), date: isoDateSchema.optional() }).strict(),
  z
    .object({
      type: z.literal('MarkDealLost'),
      reason: requiredText('the reason the deal was lost', LIMITS.shortText),
      date: isoDateSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('ReopenDeal') }).strict(),
  z.object({ type: z.literal('TrashDeal') }).strict(),
  z.object({ type: z.literal('RestoreDeal') }).strict(),
]);

/**
 * A deal command:
 * - `CreateDeal`, `UpdateDeal {fields}` (only the fields to change);
 * - `MoveDealStage {stageId, pipelineId?, pipelineStageIds}`: to a stage of the same or another pipeline (open
 *   deals only); the backend passes the target pipeline's stage ids;
 * - `ReassignDealStage {removedStageId, stageId}`: sent by the process manager when a pipeline stage is removed
 *   (the pipeline validated the target); works on closed and trashed deals too, and is a no-op if the deal is no
 *   longer in the removed stage;
 * - `UnlinkDealRecord {kind: 'contact' | 'company', id}`: sent by the process manager when a contact or company is
 *   purged from the trash or a contact is forgotten: takes the contact out of `contactIds`, or clears `companyId`;
 *   works on closed and trashed deals too (no dangling id anywhere), a no-op if the deal does not point at it;
 * - `MarkDealWon {date?}`, `MarkDealLost {reason, date?}` (date defaults to the command's day, UTC),
 *   `ReopenDeal`; `TrashDeal` / `RestoreDeal`.
 *
 * The backend checks that `pipelineId`, `contactIds` and `companyId` exist.
 */
export type DealCommand = z.input<typeof dealCommandSchema>;

/** The events of a deal. */
export type DealEvent =
  | DomainEvent<'DealCreated', DealFields & DealPlacement & { customFields: CustomFieldValues }>
  | DomainEvent<'DealUpdated', UpdatePayload<DealFields>>
  | DomainEvent<'DealStageChanged', { changes: Changes<DealPlacement>; cause: 'moved' | 'stage-removed' }>
  | DomainEvent<'DealWon', { date: string }>
  | DomainEvent<'DealLost', { date: string; reason: string }>
  | DomainEvent<'DealReopened', { from: 'won' | 'lost' }>
  | DomainEvent<'DealTrashed', null>
  | DomainEvent<'DealRestored', null>;

/** The state of one deal. */
export interface DealState {
  life: Lifecycle;
  fields: DealFields;
  placement: DealPlacement;
  status: DealStatus;
  /** The day it was won or lost (`null` while open). */
  closedOn: string | null;
  /** Why it was lost (`null` unless lost). */
  lostReason: string | null;
  customFields: CustomFieldValues;
}

function initialState(): DealState {
  return {
    life: initialLifecycle(),
    fields: {
      title: '',
      amount: null,
      contactIds: [],
      companyId: null,
      expectedCloseDate: null,
      owner: null,
    },
    placement: { pipelineId: '', stageId: '' },
    status: 'open',
    closedOn: null,
    lostReason: null,
    customFields: {},
  };
}

function assertKnownStage(stageId: string, stageIds: readonly string[]): void {
  if (!stageIds.includes(stageId)) {
    throw new DomainError('UNKNOWN_STAGE', `The stage "${stageId}" is not a stage of this pipeline.`, {
      stageId,
      known: stageIds,
    });
  }
}

function assertOpen(state: DealState): void {
  if (state.status !== 'open') {
    throw new DomainError('DEAL_CLOSED', `This deal is already ${state.status}: reopen it first.`, {
      status: state.status,
    });
  }
}

function today(ctx: DecideContext): string {
  return ctx.now.toISOString().slice(0, 10);
}

function decide(state: DealState, input: DealCommand, ctx: DecideContext): DealEvent[] {
  const command = parseCommandWith(dealCommandSchema, input);
  const life = state.life;
  switch (command.type) {
    case 'CreateDeal': {
      assertNew(life, DEAL, ctx.id);
      assertKnownStage(command.stageId, command.pipelineStageIds);
      const data = {
        title: command.title,
        amount: command.amount ?? null,
        contactIds: command.contactIds ?? [],
        companyId: command.companyId ?? null,
        expectedCloseDate: command.expectedCloseDate ?? null,
        owner: command.owner ?? null,
        pipelineId: command.pipelineId,
        stageId: command.stageId,
        customFields: initialCustomFields(command),
      };
      return [{ type: 'DealCreated', data }];
    }
    case 'UpdateDeal': {
      assertEditable(life, DEAL, ctx.id);
      const data = updatePayload(state.fields, state.customFields, command);
      return data ? [{ type: 'DealUpdated', data }] : [];
    }
    case 'MoveDealStage': {
      assertEditable(life, DEAL, ctx.id);
      assertOpen(state);
      assertKnownStage(command.stageId, command.pipelineStageIds);
      const to = { pipelineId: command.pipelineId ?? state.placement.pipelineId, stageId: command.stageId };
      const changes = diff(state.placement, to);
      return isEmpty(changes) ? [] : [{ type: 'DealStageChanged', data: { changes, cause: 'moved' } }];
    }
    case 'ReassignDealStage': {
      assertExists(life, DEAL, ctx.id);
      if (state.placement.stageId !== command.removedStageId || command.stageId === command.removedStageId)
        return [];
      const changes = diff(state.placement, { stageId: command.stageId });
      return [{ type: 'DealStageChanged', data: { changes, cause: 'stage-removed' } }];
    }
    case 'UnlinkDealRecord': {
      assertExists(life, DEAL, ctx.id);
      const f = state.fields;
      const patch: Partial<DealFields> =
        command.kind === 'contact'
          ? { contactIds: f.contactIds.filter((c) => c !== command.id) }
          : { companyId: f.companyId === command.id ? null : f.companyId };
      const changes = diff(f, patch);
      return isEmpty(changes) ? [] : [{ type: 'DealUpdated', data: { changes } }];
    }
    case 'MarkDealWon':
      assertEditable(life, DEAL, ctx.id);
      assertOpen(state);
      return [{ type: 'DealWon', data: { date: command.date ?? today(ctx) } }];
    case 'MarkDealLost':
      assertEditable(life, DEAL, ctx.id);
      assertOpen(state);
      return [{ type: 'DealLost', data: { date: command.date ?? today(ctx), reason: command.reason } }];
    case 'ReopenDeal':
      assertEditable(life, DEAL, ctx.id);
      if (state.status === 'open')
        throw new DomainError('DEAL_NOT_CLOSED', 'This deal is open: there is nothing to reopen.');
      return [{ type: 'DealReopened', data: { from: state.status } }];
    case 'TrashDeal':
      return lifecycleEvents(life, 'trash', DEAL, ctx.id, 'DealTrashed');
    case 'RestoreDeal':
      return lifecycleEvents(life, 'restore', DEAL, ctx.id, 'DealRestored');
  }
}

function evolve(state: DealState, event: DealEvent): DealState {
  const op = lifecycleOpOf('Deal', event.type);
  if (op) return { ...state, life: evolveLifecycle(state.life, op) };
  switch (event.type) {
    case 'DealCreated': {
      const { customFields, pipelineId, stageId, ...fields } = event.data;
      return {
        ...state,
        life: { ...state.life, created: true },
        fields,
        placement: { pipelineId, stageId },
        customFields,
      };
    }
    case 'DealUpdated':
      return {
        ...state,
        fields: applyChanges(state.fields, event.data.changes),
        customFields: applyCustomFieldChanges(state.customFields, event.data.customFields),
      };
    case 'DealStageChanged':
      return { ...state, placement: applyChanges(state.placement, event.data.changes) };
    case 'DealWon':
      return { ...state, status: 'won', closedOn: event.data.date, lostReason: null };
    case 'DealLost':
      return { ...state, status: 'lost', closedOn: event.data.date, lostReason: event.data.reason };
    case 'DealReopened':
      return { ...state, status: 'open', closedOn: null, lostReason: null };
    default:
      return state;
  }
}

/** The Deal aggregate definition. */
export const dealAggregate: Aggregate<DealState, DealCommand, DealEvent> = {
  type: DEAL,
  initialState,
  decide,
  evolve,
  parseCommand: (input) => parseCommandWith(dealCommandSchema, input),
};
