import { describe, expect, it } from 'vitest';
import { contactAggregate } from '../../../core/crm/domain/contact.js';
import { taskAggregate } from '../../../core/crm/domain/task.js';
import {
  remindersDue,
  taskGroups,
  tasksFor,
  tasksProjection,
  trashedTasks,
} from '../../../core/crm/read/tasks.js';
import { EventLog, fold } from './helpers.js';

function seed(): EventLog {
  const log = new EventLog();
  log.run(contactAggregate, 'c1', { type: 'CreateContact', firstName: 'Ana' });
  const task = (id: string, title: string, due: { date: string; time?: string } | null, priority?: 'high') =>
    log.run(taskAggregate, id, {
      type: 'CreateTask',
      title,
      due,
      priority,
      link: id === 't1' || id === 't2' ? { kind: 'contact', id: 'c1' } : undefined,
    });
  task('t1', 'yesterday', { date: '2026-03-09' });
  task('t2', 'this morning', { date: '2026-03-10', time: '08:00' });
  task('t3', 'this evening', { date: '2026-03-10', time: '18:00' });
  task('t4', 'today any time', { date: '2026-03-10' }, 'high');
  task('t5', 'next week', { date: '2026-03-17' });
  task('t6', 'someday', null);
  return log;
}

const titles = (rows: { title: string }[]) => rows.map((t) => t.title);
const NOW = { now: '2026-03-10T12:00:00Z' };

describe('tasks read model', () => {
  it('groups open tasks overdue / today / upcoming / no date relative to the now of the query', () => {
    const state = fold(tasksProjection, seed().events);
    const g = taskGroups(state, NOW);
    expect(titles(g.overdue)).toEqual(['yesterday', 'this morning']);
    expect(titles(g.today)).toEqual(['this evening', 'today any time']);
    expect(titles(g.upcoming)).toEqual(['next week']);
    expect(titles(g.noDate)).toEqual(['someday']);
    // The same state, another now: nothing is frozen at apply time.
    expect(titles(taskGroups(state, { now: '2026-03-08T00:00:00Z' }).upcoming)).toHaveLength(5);
    // Local time: at 07:30 in UTC+5 it is 12:30 local, so "this morning" is overdue and 18:00 is not.
    const local = taskGroups(state, { now: '2026-03-10T07:30:00Z', utcOffsetMinutes: 300 });
    expect(titles(local.overdue)).toEqual(['yesterday', 'this morning']);
  });

  it('completes, reopens, reschedules, trashes; lists by linked record', () => {
    const log = seed();
    log.run(taskAggregate, 't1', { type: 'CompleteTask', at: '2026-03-10T09:00:00Z' });
    log.run(taskAggregate, 't5', { type: 'RescheduleTask', due: { date: '2026-03-01' } });
    log.run(taskAggregate, 't6', { type: 'TrashTask' });
    const state = fold(tasksProjection, log.events);
    const g = taskGroups(state, NOW);
    expect(titles(g.completed)).toEqual(['yesterday']);
    expect(titles(g.overdue)).toEqual(['next week', 'this morning']);
    expect(g.noDate).toEqual([]);
    expect(titles(trashedTasks(state))).toEqual(['someday']);
    const forAna = tasksFor(state, { kind: 'contact', id: 'c1' }, NOW);
    expect([titles(forAna.overdue), titles(forAna.completed)]).toEqual([['this morning'], ['yesterday']]);
  });

  it('follows a task re-pointed to the kept contact of a merge', () => {
    const log = seed();
    log.run(contactAggregate, 'c2', { type: 'CreateContact', firstName: 'Ana B' });
    log.run(taskAggregate, 't1', { type: 'UpdateTask', fields: { link: { kind: 'contact', id: 'c2' } } });
    const state = fold(tasksProjection, log.events);
    expect(titles(tasksFor(state, { kind: 'contact', id: 'c2' }, NOW).overdue)).toEqual(['yesterday']);
    expect(titles(tasksFor(state, { kind: 'contact', id: 'c1' }, NOW).overdue)).toEqual(['this morning']);
  });

  it('reminders: due at or before now, not done, not snoozed past now', () => {
    const log = seed();
    log.run(
      taskAggregate,
      't2',
      { type: 'SnoozeTaskReminder', until: '2026-03-10T13:00:00Z' },
      { at: '2026-03-10T08:05:00Z' },
    );
    log.run(taskAggregate, 't1', { type: 'CompleteTask' });
    const state = fold(tasksProjection, log.events);
    expect(remindersDue(state, NOW).map((r) => [r.task.title, r.at])).toEqual([
      ['today any time', '2026-03-10T00:00:00.000Z'],
    ]);
    expect(remindersDue(state, { now: '2026-03-10T13:00:00Z' }).map((r) => r.task.title)).toEqual([
      'today any time',
      'this morning',
    ]);
    log.run(taskAggregate, 't2', { type: 'RescheduleTask', due: { date: '2026-03-10', time: '09:00' } });
    expect(remindersDue(fold(tasksProjection, log.events), NOW).map((r) => r.task.title)).toEqual([
      'today any time',
      'this morning',
    ]);
  });

  it('erases the tasks of a forgotten contact, and ignores their later events', () => {
    const log = seed();
    log.run(contactAggregate, 'c1', { type: 'ForgetContact' });
    log.run(taskAggregate, 't1', { type: 'CompleteTask' });
    const state = fold(tasksProjection, log.events);
    expect(JSON.stringify(state)).not.toContain('"c1"');
    expect(JSON.stringify(state)).not.toContain('yesterday');
    expect(titles(taskGroups(state, NOW).overdue)).toEqual([]);
    expect(titles(taskGroups(state, NOW).today)).toEqual(['this evening', 'today any time']);
  });
});
