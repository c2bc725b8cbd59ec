import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import { taskAggregate, type TaskEvent } from '../../core/crm/domain/task.js';
import type { Reminder } from '../../core/crm/read/tasks.js';
import type { NextReminder } from '../../core/crm/reminders.js';
import { given } from '../../core/es/testing.js';

const open: OpenCrmBackend[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function crm(): Promise<OpenCrmBackend> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-reminders-'));
  dirs.push(dir);
  const b = await createCrmBackend(dir);
  open.push(b);
  return b;
}

function value<T = Record<string, unknown>>(r: BackendResult): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function error(r: BackendResult): { kind: string; code: string } {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

/** A date and time `minutes` from the real now, as a UTC due date (the store's clock is real). */
function dueIn(minutes: number): { date: string; time: string } {
  const iso = new Date(Date.now() + minutes * 60_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

async function due(b: OpenCrmBackend, now: string): Promise<string[]> {
  const r = value<Reminder[]>(await b.query({ query: 'reminder.due', params: { now } }));
  return r.map((x) => x.task.title);
}

describe('DismissTaskReminder (task aggregate)', () => {
  const created: TaskEvent = {
    type: 'TaskCreated',
    data: {
      title: 'Call',
      description: null,
      priority: 'medium',
      link: null,
      due: { date: '2026-01-05', time: null },
    },
  };
  const dismissed: TaskEvent = { type: 'TaskReminderDismissed', data: null };

  it('dismisses once; dismissing again is a no-op; a snooze brings the reminder back', () => {
    given(taskAggregate, [created]).when({ type: 'DismissTaskReminder' }).then([dismissed]);
    given(taskAggregate, [created, dismissed]).when({ type: 'DismissTaskReminder' }).then([]);
    const r = given(taskAggregate, [
      created,
      dismissed,
      { type: 'TaskReminderSnoozed', data: { until: '2026-01-06T00:00:00Z' } },
    ]);
    expect(r.state.reminderDismissed).toBe(false);
  });

  it('refuses without a due date (NO_DUE_DATE) and when done (TASK_ALREADY_COMPLETED)', () => {
    given(taskAggregate, [{ ...created, data: { ...created.data, due: null } } as TaskEvent])
      .when({ type: 'DismissTaskReminder' })
      .thenFails('NO_DUE_DATE');
    given(taskAggregate, [created, { type: 'TaskCompleted', data: { at: '2026-01-05T00:00:00Z' } }])
      .when({ type: 'DismissTaskReminder' })
      .thenFails('TASK_ALREADY_COMPLETED');
  });
});

describe('reminders through the backend', () => {
  it('a due task reminds; snoozed it comes back at `until`; dismissed it is gone; done it is gone', async () => {
    const b = await crm();
    const a = value<{ id: string }>(
      await b.execute({ command: 'CreateTask', input: { title: 'Call Ana', due: dueIn(-5) } }),
    );
    const c = value<{ id: string }>(
      await b.execute({ command: 'CreateTask', input: { title: 'Email Bo', due: dueIn(-3) } }),
    );
    await b.execute({ command: 'CreateTask', input: { title: 'Later', due: dueIn(120) } });
    await b.execute({ command: 'CreateTask', input: { title: 'No date' } });
    const now = inMinutes(0);
    expect(await due(b, now)).toEqual(['Call Ana', 'Email Bo']);

    const until = inMinutes(30);
    const snoozed = value<{ events: string[] }>(
      await b.execute({ command: 'SnoozeReminder', input: { taskId: a.id, until } }),
    );
    expect(snoozed.events).toEqual(['TaskReminderSnoozed']);
    expect(await due(b, now)).toEqual(['Email Bo']);
    expect(await due(b, inMinutes(31))).toContain('Call Ana');
    const next = value<NextReminder>(await b.query({ query: 'reminder.next', params: { now } }));
    expect(next).toEqual({ at: new Date(until).toISOString(), taskId: a.id });

    value(await b.execute({ command: 'DismissReminder', input: { taskId: c.id } }));
    expect(await due(b, inMinutes(1))).toEqual([]);
    // Done = CompleteTask: the snoozed reminder does not come back.
    value(await b.execute({ command: 'CompleteTask', input: { id: a.id } }));
    expect(await due(b, inMinutes(60))).toEqual([]);
    expect(value<NextReminder>(await b.query({ query: 'reminder.next', params: { now } })).taskId).not.toBe(
      a.id,
    );
  });

  it('snooze by minutes; the history is in the task timeline', async () => {
    const b = await crm();
    const t = value<{ id: string }>(
      await b.execute({ command: 'CreateTask', input: { title: 'Pay invoice', due: dueIn(-1) } }),
    );
    value(await b.execute({ command: 'SnoozeReminder', input: { taskId: t.id, minutes: 10 } }));
    const at = value<NextReminder>(
      await b.query({ query: 'reminder.next', params: { now: inMinutes(0) } }),
    ).at!;
    expect(Math.abs(Date.parse(at) - (Date.now() + 10 * 60_000))).toBeLessThan(5_000);
    value(await b.execute({ command: 'DismissReminder', input: { taskId: t.id } }));
    const timeline = value<{ items: { summary: string }[] }>(
      await b.query({ query: 'timeline', params: { kind: 'task', id: t.id } }),
    );
    const summaries = timeline.items.map((e) => e.summary);
    expect(summaries.slice(0, 2)).toEqual([
      'Dismissed the reminder of task “Pay invoice”',
      'Snoozed the reminder of task “Pay invoice”',
    ]);
  });

  it('refuses a snooze into the past, an unknown task, both until and minutes; the task commands are not in the contract', async () => {
    const b = await crm();
    const t = value<{ id: string }>(
      await b.execute({ command: 'CreateTask', input: { title: 'X', due: dueIn(-1) } }),
    );
    expect(
      error(await b.execute({ command: 'SnoozeReminder', input: { taskId: t.id, until: inMinutes(-1) } }))
        .code,
    ).toBe('SNOOZE_IN_PAST');
    expect(error(await b.execute({ command: 'DismissReminder', input: { taskId: 'nope' } }))).toMatchObject({
      kind: 'not_found',
      code: 'NOT_FOUND',
    });
    expect(
      error(
        await b.execute({
          command: 'SnoozeReminder',
          input: { taskId: t.id, until: inMinutes(5), minutes: 5 },
        }),
      ).code,
    ).toBe('INVALID_INPUT');
    expect(
      error(await b.execute({ command: 'SnoozeTaskReminder', input: { id: t.id, until: inMinutes(5) } }))
        .code,
    ).toBe('UNKNOWN_COMMAND');
  });
});
