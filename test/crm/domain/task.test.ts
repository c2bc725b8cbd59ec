import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { given } from '../../../core/es/testing.js';
import { type TaskCommand, type TaskEvent, taskAggregate as task } from '../../../core/crm/domain/task.js';
import { checkAggregateProperty } from './helpers.js';

const created: TaskEvent = {
  type: 'TaskCreated',
  data: {
    title: 'Call Ana',
    description: null,
    priority: 'high',
    link: { kind: 'contact', id: 'c-1' },
    due: { date: '2026-01-05', time: '09:30' },
  },
};
const done: TaskEvent = { type: 'TaskCompleted', data: { at: '2026-01-01T00:00:00.000Z' } };
const trashed: TaskEvent = { type: 'TaskTrashed', data: null };

describe('CreateTask', () => {
  it('creates with a due date and time, a priority and a link', () => {
    given(task, [])
      .when({
        type: 'CreateTask',
        title: 'Call Ana',
        priority: 'high',
        link: { kind: 'contact', id: 'c-1' },
        due: { date: '2026-01-05', time: '09:30' },
      })
      .then([created]);
  });

  it('defaults: medium priority, no link, no due date; a due date without time', () => {
    const r = given(task, []).when({ type: 'CreateTask', title: 'Think', due: { date: '2026-01-05' } });
    expect(r.events[0]?.data).toEqual({
      title: 'Think',
      description: null,
      priority: 'medium',
      link: null,
      due: { date: '2026-01-05', time: null },
    });
  });

  it('refuses bad input: title (REQUIRED_FIELD), date (INVALID_DATE), time (INVALID_TIME), priority, link kind', () => {
    given(task, []).when({ type: 'CreateTask', title: '' }).thenFails('REQUIRED_FIELD');
    given(task, [])
      .when({ type: 'CreateTask', title: 'x', due: { date: 'tomorrow' } })
      .thenFails('INVALID_DATE');
    given(task, [])
      .when({ type: 'CreateTask', title: 'x', due: { date: '2026-01-05', time: '9:30' } })
      .thenFails('INVALID_TIME');
    given(task, [])
      .when({ type: 'CreateTask', title: 'x', priority: 'asap' } as unknown as TaskCommand)
      .thenFails('INVALID_CHOICE');
    given(task, [])
      .when({ type: 'CreateTask', title: 'x', link: { kind: 'planet', id: 'p' } } as unknown as TaskCommand)
      .thenFails('INVALID_CHOICE');
    given(task, [created]).when({ type: 'CreateTask', title: 'x' }).thenFails('ALREADY_EXISTS');
  });
});

describe('UpdateTask', () => {
  it('emits only changed fields', () => {
    given(task, [created])
      .when({ type: 'UpdateTask', fields: { title: 'Call Ana', priority: 'low', link: null } })
      .then([
        {
          type: 'TaskUpdated',
          data: {
            changes: {
              priority: { from: 'high', to: 'low' },
              link: { from: { kind: 'contact', id: 'c-1' }, to: null },
            },
          },
        },
      ]);
    given(task, [created])
      .when({ type: 'UpdateTask', fields: { link: { kind: 'contact', id: 'c-1' } } })
      .then([]);
  });

  it('refuses on missing (NOT_FOUND) and trashed (IN_TRASH) tasks', () => {
    given(task, [])
      .when({ type: 'UpdateTask', fields: { title: 'x' } })
      .thenFails('NOT_FOUND');
    given(task, [created, trashed])
      .when({ type: 'UpdateTask', fields: { title: 'x' } })
      .thenFails('IN_TRASH');
  });
});

describe('complete, reopen', () => {
  it('completes now or at a given time; not twice (TASK_ALREADY_COMPLETED)', () => {
    given(task, [created]).when({ type: 'CompleteTask' }).then([done]);
    given(task, [created])
      .when({ type: 'CompleteTask', at: '2026-01-02T10:00:00Z' })
      .then([{ type: 'TaskCompleted', data: { at: '2026-01-02T10:00:00Z' } }]);
    given(task, [created, done]).when({ type: 'CompleteTask' }).thenFails('TASK_ALREADY_COMPLETED');
    given(task, [created]).when({ type: 'CompleteTask', at: 'yesterday' }).thenFails('INVALID_DATETIME');
  });

  it('reopens a done task; not an open one (TASK_NOT_COMPLETED)', () => {
    const r = given(task, [created, done]).when({ type: 'ReopenTask' });
    r.then([{ type: 'TaskReopened', data: null }]);
    expect(r.state.completedAt).toBeNull();
    given(task, [created]).when({ type: 'ReopenTask' }).thenFails('TASK_NOT_COMPLETED');
  });
});

describe('reschedule and snooze', () => {
  const snoozed: TaskEvent = { type: 'TaskReminderSnoozed', data: { until: '2026-01-05T10:00:00Z' } };

  it('reschedules with {from, to}, clears the snooze; same due date is a no-op', () => {
    const to = { date: '2026-01-06', time: null };
    const r = given(task, [created, snoozed]).when({ type: 'RescheduleTask', due: { date: '2026-01-06' } });
    r.then([{ type: 'TaskRescheduled', data: { due: { from: { date: '2026-01-05', time: '09:30' }, to } } }]);
    expect(r.state.snoozedUntil).toBeNull();
    given(task, [created])
      .when({ type: 'RescheduleTask', due: { date: '2026-01-05', time: '09:30' } })
      .then([]);
    given(task, [created])
      .when({ type: 'RescheduleTask', due: null })
      .then([
        { type: 'TaskRescheduled', data: { due: { from: { date: '2026-01-05', time: '09:30' }, to: null } } },
      ]);
  });

  it('snoozes the reminder to a future time', () => {
    const r = given(task, [created]).when({ type: 'SnoozeTaskReminder', until: '2026-01-05T10:00:00Z' });
    r.then([snoozed]);
    expect(r.state.snoozedUntil).toBe('2026-01-05T10:00:00Z');
  });

  it('refuses to snooze into the past (SNOOZE_IN_PAST), without due date (NO_DUE_DATE), when done (TASK_ALREADY_COMPLETED)', () => {
    given(task, [created])
      .when({ type: 'SnoozeTaskReminder', until: '2025-12-31T23:59:00Z' })
      .thenFails('SNOOZE_IN_PAST');
    const noDue: TaskEvent = { type: 'TaskCreated', data: { ...created.data, due: null } as never };
    given(task, [noDue])
      .when({ type: 'SnoozeTaskReminder', until: '2026-01-05T10:00:00Z' })
      .thenFails('NO_DUE_DATE');
    given(task, [created, done])
      .when({ type: 'SnoozeTaskReminder', until: '2026-01-05T10:00:00Z' })
      .thenFails('TASK_ALREADY_COMPLETED');
  });
});

describe('trash', () => {
  it('trashes and restores; repeating is a no-op', () => {
    given(task, [created]).when({ type: 'TrashTask' }).then([trashed]);
    given(task, [created, trashed]).when({ type: 'TrashTask' }).then([]);
    given(task, [created, trashed])
      .when({ type: 'RestoreTask' })
      .then([{ type: 'TaskRestored', data: null }]);
    given(task, []).when({ type: 'RestoreTask' }).thenFails('NOT_FOUND');
  });

  it('evolve ignores unknown events', () => {
    const s = given(task, [created]).state;
    expect(task.evolve(s, { type: 'TaskDelegated', data: null } as unknown as TaskEvent)).toBe(s);
  });
});

const instant = fc.constantFrom('2025-12-01T00:00:00Z', '2026-01-03T08:00:00Z', '2026-02-01T12:00:00+01:00');
const due = fc.option(
  fc.record({ date: fc.constantFrom('2026-01-05', '2026-01-06'), time: fc.constantFrom('09:30', null) }),
  { nil: null },
);
const commandArb: fc.Arbitrary<TaskCommand> = fc.oneof(
  fc.record({ type: fc.constant('CreateTask' as const), title: fc.constantFrom('A', 'B'), due }),
  fc.record({
    type: fc.constant('UpdateTask' as const),
    fields: fc.record(
      {
        title: fc.constantFrom('A', 'B'),
        description: fc.constantFrom('notes', null),
        priority: fc.constantFrom('low' as const, 'high' as const),
        link: fc.constantFrom({ kind: 'deal' as const, id: 'd-1' }, null),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.record({ type: fc.constant('CompleteTask' as const), at: instant }),
  fc.record({ type: fc.constant('RescheduleTask' as const), due }),
  fc.record({ type: fc.constant('SnoozeTaskReminder' as const), until: instant }),
  fc.constantFrom<TaskCommand>({ type: 'ReopenTask' }, { type: 'TrashTask' }, { type: 'RestoreTask' }),
);

describe('property', () => {
  it('random command sequences: evolve never throws, incremental state equals a fold from scratch', () => {
    const start: TaskCommand[] = [{ type: 'CreateTask', title: 'A' }];
    expect(checkAggregateProperty(task, commandArb, { start })).toBeGreaterThan(600);
  });
});
