/**
 * The Activity aggregate: a call, e-mail or meeting that happened, with its time and summary, on any record;
 * edit (field-by-field history), trash.
 * @module
 */
import { z } from 'zod';
import type { Aggregate, DecideContext, DomainEvent } from '../../es/aggregate.js';
import { applyChanges, type Changes, diff, isEmpty } from './changes.js';
import {
  assertEditable,
  assertNew,
  evolveLifecycle,
  initialLifecycle,
  type Lifecycle,
  lifecycleEvents,
  lifecycleOpOf,
} from './lifecycle.js';
import {
  isoDateTimeSchema,
  LIMITS,
  type LinkedRecord,
  linkedRecordSchema,
  parseCommandWith,
  requiredText,
} from './validation.js';

/** The aggregate type (folder under `streams/`). */
export const ACTIVITY = 'activity';

/** What kind of interaction an activity records. */
export const activityKindSchema = z.enum(['call', 'email', 'meeting']);
/** What kind of interaction an activity records. */
export type ActivityKind = z.infer<typeof activityKindSchema>;

/** The editable fields of an activity. */
export interface ActivityFields {
  kind: ActivityKind;
  /** When it happened (ISO 8601 instant). */
  occurredAt: string;
  summary: string;
  /** The record it is about. */
  link: LinkedRecord;
}

const fieldSchemas = {
  kind: activityKindSchema,
  occurredAt: isoDateTimeSchema,
  summary: requiredText('a summary', LIMITS.summary),
  link: linkedRecordSchema,
};

/** Zod schema of every activity command (used by `parseCommand` and again by `decide`). */
export const activityCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('LogActivity'), ...fieldSchemas }).strict(),
  z.object({ type: z.literal('EditActivity'), fields: z.object(fieldSchemas).partial().strict() }).strict(),
  z.object({ type: z.literal('TrashActivity') }).strict(),
  z.object({ type: z.literal('RestoreActivity') }).strict(),
]);

/**
 * An activity command: `LogActivity {kind, occurredAt, summary, link}`, `EditActivity {fields}` (only the fields
 * to change), `TrashActivity` / `RestoreActivity`. The backend checks that `link` exists.
 */
export type ActivityCommand = z.input<typeof activityCommandSchema>;

/** The events of an activity. */
export type ActivityEvent =
  | DomainEvent<'ActivityLogged', ActivityFields>
  | DomainEvent<'ActivityEdited', { changes: Changes<ActivityFields> }>
  | DomainEvent<'ActivityTrashed', null>
  | DomainEvent<'ActivityRestored', null>;

/** The state of one activity. */
export interface ActivityState {
  life: Lifecycle;
  fields: ActivityFields;
}

function decide(state: ActivityState, input: ActivityCommand, ctx: DecideContext): ActivityEvent[] {
  const command = parseCommandWith(activityCommandSchema, input);
  switch (command.type) {
    case 'LogActivity': {
      assertNew(state.life, ACTIVITY, ctx.id);
      const { kind, occurredAt, summary, link } = command;
      return [{ type: 'ActivityLogged', data: { kind, occurredAt, summary, link } }];
    }
    case 'EditActivity': {
      assertEditable(state.life, ACTIVITY, ctx.id);
      const changes = diff(state.fields, command.fields);
      return isEmpty(changes) ? [] : [{ type: 'ActivityEdited', data: { changes } }];
    }
    case 'TrashActivity':
      return lifecycleEvents(state.life, 'trash', ACTIVITY, ctx.id, 'ActivityTrashed');
    case 'RestoreActivity':
      return lifecycleEvents(state.life, 'restore', ACTIVITY, ctx.id, 'ActivityRestored');
  }
}

function evolve(state: ActivityState, event: ActivityEvent): ActivityState {
  const op = lifecycleOpOf('Activity', event.type);
  if (op) return { ...state, life: evolveLifecycle(state.life, op) };
  switch (event.type) {
    case 'ActivityLogged':
      return { life: { ...state.life, created: true }, fields: event.data };
    case 'ActivityEdited':
      return { ...state, fields: applyChanges(state.fields, event.data.changes) };
    default:
      return state;
  }
}

/** The Activity aggregate definition. */
export const activityAggregate: Aggregate<ActivityState, ActivityCommand, ActivityEvent> = {
  type: ACTIVITY,
  initialState: () => ({
    life: initialLifecycle(),
    fields: { kind: 'call', occurredAt: '', summary: '', link: { kind: 'contact', id: '' } },
  }),
  decide,
  evolve,
  parseCommand: (input) => parseCommandWith(activityCommandSchema, input),
};
