import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { given } from '../../../core/es/testing.js';
import { type NoteCommand, type NoteEvent, noteAggregate as note } from '../../../core/crm/domain/note.js';
import { checkAggregateProperty } from './helpers.js';

const link = { kind: 'contact' as const, id: 'c-1' };
const created: NoteEvent = { type: 'NoteCreated', data: { body: 'Met at the fair.', link } };

describe('Note', () => {
  it('creates a note on a record', () => {
    given(note, []).when({ type: 'CreateNote', body: ' Met at the fair. ', link }).then([created]);
  });

  it('refuses an empty body (REQUIRED_FIELD), a body over 100,000 characters (TOO_LONG), a missing link, a double create', () => {
    given(note, []).when({ type: 'CreateNote', body: '', link }).thenFails('REQUIRED_FIELD');
    const err = given(note, [])
      .when({ type: 'CreateNote', body: 'x'.repeat(100_001), link })
      .thenFails('TOO_LONG');
    expect(err.message).toBe('The text of the note has at most 100000 characters.');
    expect(given(note, []).when({ type: 'CreateNote', body: 'x'.repeat(100_000), link }).events).toHaveLength(
      1,
    );
    given(note, [])
      .when({ type: 'CreateNote', body: 'x' } as NoteCommand)
      .thenFails('REQUIRED_FIELD');
    given(note, [created]).when({ type: 'CreateNote', body: 'x', link }).thenFails('ALREADY_EXISTS');
  });

  it('edits with {from, to}; an unchanged body is a no-op; moving to another record is a link change', () => {
    given(note, [created])
      .when({ type: 'EditNote', fields: { body: 'Met at the fair in May.' } })
      .then([
        {
          type: 'NoteEdited',
          data: { changes: { body: { from: 'Met at the fair.', to: 'Met at the fair in May.' } } },
        },
      ]);
    given(note, [created])
      .when({ type: 'EditNote', fields: { body: 'Met at the fair.', link } })
      .then([]);
    given(note, [created])
      .when({ type: 'EditNote', fields: { link: { kind: 'deal', id: 'd-1' } } })
      .then([
        { type: 'NoteEdited', data: { changes: { link: { from: link, to: { kind: 'deal', id: 'd-1' } } } } },
      ]);
  });

  it('refuses edits on missing (NOT_FOUND) and trashed (IN_TRASH) notes', () => {
    given(note, [])
      .when({ type: 'EditNote', fields: { body: 'x' } })
      .thenFails('NOT_FOUND');
    given(note, [created, { type: 'NoteTrashed', data: null }])
      .when({ type: 'EditNote', fields: { body: 'x' } })
      .thenFails('IN_TRASH');
  });

  it('trashes and restores', () => {
    given(note, [created])
      .when({ type: 'TrashNote' })
      .then([{ type: 'NoteTrashed', data: null }]);
    const r = given(note, [created, { type: 'NoteTrashed', data: null }]).when({ type: 'RestoreNote' });
    r.then([{ type: 'NoteRestored', data: null }]);
    expect(r.state.fields).toEqual(created.data);
    given(note, []).when({ type: 'TrashNote' }).thenFails('NOT_FOUND');
  });

  it('evolve ignores unknown events', () => {
    const s = given(note, [created]).state;
    expect(note.evolve(s, { type: 'NotePinned', data: null } as unknown as NoteEvent)).toBe(s);
  });
});

const linkArb = fc.constantFrom(link, { kind: 'company' as const, id: 'co-1' });
const commandArb: fc.Arbitrary<NoteCommand> = fc.oneof(
  fc.record({ type: fc.constant('CreateNote' as const), body: fc.constantFrom('a', 'b'), link: linkArb }),
  fc.record({
    type: fc.constant('EditNote' as const),
    fields: fc.record(
      { body: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''), link: linkArb },
      { requiredKeys: [] },
    ),
  }),
  fc.constantFrom<NoteCommand>({ type: 'TrashNote' }, { type: 'RestoreNote' }),
);

describe('property', () => {
  it('random command sequences: evolve never throws, incremental state equals a fold from scratch', () => {
    const start: NoteCommand[] = [{ type: 'CreateNote', body: 'a', link }];
    expect(checkAggregateProperty(note, commandArb, { start })).toBeGreaterThan(600);
  });
});
