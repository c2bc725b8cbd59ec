import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { given } from '../../../core/es/testing.js';
import {
  type ActivityCommand,
  type ActivityEvent,
  activityAggregate as activity,
} from '../../../core/crm/domain/activity.js';
import { checkAggregateProperty } from './helpers.js';

const link = { kind: 'deal' as const, id: 'd-1' };
const logged: ActivityEvent = {
  type: 'ActivityLogged',
  data: { kind: 'call', occurredAt: '2026-01-01T10:00:00Z', summary: 'Discussed the quote.', link },
};

describe('Activity', () => {
  it('logs a call, e-mail or meeting on a record', () => {
    given(activity, [])
      .when({
        type: 'LogActivity',
        kind: 'call',
        occurredAt: '2026-01-01T10:00:00Z',
        summary: 'Discussed the quote.',
        link,
      })
      .then([logged]);
  });

  it('refuses bad input: kind (INVALID_CHOICE), time (INVALID_DATETIME), summary (REQUIRED_FIELD, TOO_LONG), double log', () => {
    const base = {
      type: 'LogActivity' as const,
      kind: 'call' as const,
      occurredAt: '2026-01-01T10:00:00Z',
      summary: 's',
      link,
    };
    given(activity, [])
      .when({ ...base, kind: 'fax' } as unknown as ActivityCommand)
      .thenFails('INVALID_CHOICE');
    given(activity, [])
      .when({ ...base, occurredAt: '2026-01-01' })
      .thenFails('INVALID_DATETIME');
    given(activity, [])
      .when({ ...base, summary: ' ' })
      .thenFails('REQUIRED_FIELD');
    given(activity, [])
      .when({ ...base, summary: 'x'.repeat(10_001) })
      .thenFails('TOO_LONG');
    given(activity, [logged]).when(base).thenFails('ALREADY_EXISTS');
  });

  it('edits with {from, to}; unchanged is a no-op', () => {
    given(activity, [logged])
      .when({ type: 'EditActivity', fields: { kind: 'meeting', summary: 'Discussed the quote.' } })
      .then([{ type: 'ActivityEdited', data: { changes: { kind: { from: 'call', to: 'meeting' } } } }]);
    given(activity, [logged])
      .when({ type: 'EditActivity', fields: { occurredAt: '2026-01-01T10:00:00Z' } })
      .then([]);
  });

  it('refuses edits on missing (NOT_FOUND) and trashed (IN_TRASH) activities', () => {
    given(activity, [])
      .when({ type: 'EditActivity', fields: { summary: 'x' } })
      .thenFails('NOT_FOUND');
    given(activity, [logged, { type: 'ActivityTrashed', data: null }])
      .when({ type: 'EditActivity', fields: { summary: 'x' } })
      .thenFails('IN_TRASH');
  });

  it('trashes and restores', () => {
    given(activity, [logged])
      .when({ type: 'TrashActivity' })
      .then([{ type: 'ActivityTrashed', data: null }]);
    given(activity, [logged, { type: 'ActivityTrashed', data: null }])
      .when({ type: 'RestoreActivity' })
      .then([{ type: 'ActivityRestored', data: null }]);
    given(activity, []).when({ type: 'TrashActivity' }).thenFails('NOT_FOUND');
  });

  it('evolve ignores unknown events', () => {
    const s = given(activity, [logged]).state;
    expect(activity.evolve(s, { type: 'ActivityStarred', data: null } as unknown as ActivityEvent)).toBe(s);
  });
});

const fieldsArb = fc.record(
  {
    kind: fc.constantFrom('call' as const, 'email' as const, 'meeting' as const),
    occurredAt: fc.constantFrom('2026-01-01T10:00:00Z', '2026-01-02T11:00:00+02:00'),
    summary: fc.constantFrom('a', 'b'),
    link: fc.constantFrom(link, { kind: 'contact' as const, id: 'c-1' }),
  },
  { requiredKeys: [] },
);
const commandArb: fc.Arbitrary<ActivityCommand> = fc.oneof(
  fc.constant<ActivityCommand>({
    type: 'LogActivity',
    kind: 'email',
    occurredAt: '2026-01-01T10:00:00Z',
    summary: 'a',
    link,
  }),
  fc.record({ type: fc.constant('EditActivity' as const), fields: fieldsArb }),
  fc.constantFrom<ActivityCommand>({ type: 'TrashActivity' }, { type: 'RestoreActivity' }),
);

describe('property', () => {
  it('random command sequences: evolve never throws, incremental state equals a fold from scratch', () => {
    const start: ActivityCommand[] = [
      { type: 'LogActivity', kind: 'call', occurredAt: '2026-01-01T10:00:00Z', summary: 'a', link },
    ];
    expect(checkAggregateProperty(activity, commandArb, { start })).toBeGreaterThan(600);
  });
});
