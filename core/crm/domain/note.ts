/**
 * The Note aggregate: a text (up to 100,000 characters) on any record; edit (field-by-field history), trash.
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
  LIMITS,
  type LinkedRecord,
  linkedRecordSchema,
  parseCommandWith,
  requiredText,
} from './validation.js';

/** The aggregate type (folder under `streams/`). */
export const NOTE = 'note';

/** The editable fields of a note. */
export interface NoteFields {
  body: string;
  /** The record the note is on. */
  link: LinkedRecord;
}

const fieldSchemas = {
  body: requiredText('the text of the note', LIMITS.body),
  link: linkedRecordSchema,
};

/** Zod schema of every note command (used by `parseCommand` and again by `decide`). */
export const noteCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('CreateNote'), ...fieldSchemas }).strict(),
  z.object({ type: z.literal('EditNote'), fields: z.object(fieldSchemas).partial().strict() }).strict(),
  z.object({ type: z.literal('TrashNote') }).strict(),
  z.object({ type: z.literal('RestoreNote') }).strict(),
]);

/**
 * A note command: `CreateNote {body, link}`, `EditNote {fields}` (only the fields to change; moving a note to
 * another record is a change of `link`), `TrashNote` / `RestoreNote`. The backend checks that `link` exists.
 */
export type NoteCommand = z.input<typeof noteCommandSchema>;

/** The events of a note. */
export type NoteEvent =
  | DomainEvent<'NoteCreated', NoteFields>
  | DomainEvent<'NoteEdited', { changes: Changes<NoteFields> }>
  | DomainEvent<'NoteTrashed', null>
  | DomainEvent<'NoteRestored', null>;

/** The state of one note. */
export interface NoteState {
  life: Lifecycle;
  fields: NoteFields;
}

function decide(state: NoteState, input: NoteCommand, ctx: DecideContext): NoteEvent[] {
  const command = parseCommandWith(noteCommandSchema, input);
  switch (command.type) {
    case 'CreateNote':
      assertNew(state.life, NOTE, ctx.id);
      return [{ type: 'NoteCreated', data: { body: command.body, link: command.link } }];
    case 'EditNote': {
      assertEditable(state.life, NOTE, ctx.id);
      const changes = diff(state.fields, command.fields);
      return isEmpty(changes) ? [] : [{ type: 'NoteEdited', data: { changes } }];
    }
    case 'TrashNote':
      return lifecycleEvents(state.life, 'trash', NOTE, ctx.id, 'NoteTrashed');
    case 'RestoreNote':
      return lifecycleEvents(state.life, 'restore', NOTE, ctx.id, 'NoteRestored');
  }
}

function evolve(state: NoteState, event: NoteEvent): NoteState {
  const op = lifecycleOpOf('Note', event.type);
  if (op) return { ...state, life: evolveLifecycle(state.life, op) };
  switch (event.type) {
    case 'NoteCreated':
      return { life: { ...state.life, created: true }, fields: event.data };
    case 'NoteEdited':
      return { ...state, fields: applyChanges(state.fields, event.data.changes) };
    default:
      return state;
  }
}

/** The Note aggregate definition. */
export const noteAggregate: Aggregate<NoteState, NoteCommand, NoteEvent> = {
  type: NOTE,
  initialState: () => ({ life: initialLifecycle(), fields: { body: '', link: { kind: 'contact', id: '' } } }),
  decide,
  evolve,
  parseCommand: (input) => parseCommandWith(noteCommandSchema, input),
};
