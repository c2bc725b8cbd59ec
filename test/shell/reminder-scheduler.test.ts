import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendResult } from '../../core/crm/backend.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';
import type { Reminder } from '../../core/crm/read/tasks.js';
import {
  createReminderScheduler,
  ReminderQueryError,
  type ReminderScheduler,
  type SchedulerClock,
} from '../../src-main/service/reminder-scheduler.js';

const open: OpenCrmBackend[] = [];
const dirs: string[] = [];
const schedulers: ReminderScheduler[] = [];
afterEach(async () => {
  for (const s of schedulers.splice(0)) s.stop();
  for (const b of open.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const MINUTE = 60_000;

/**
 * A clock whose wall time and elapsed time can part (a wall-clock jump moves `now` without running timers,
 * as the system clock does); `advance` moves both and runs the timers that fall due, in order.
 */
class FakeClock implements SchedulerClock {
  private elapsed = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; run: () => void }>();
  constructor(private wall: number) {}
  now = () => this.wall;
  utcOffsetMinutes = () => 0;
  setTimer = (run: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.elapsed + ms, run });
    return id;
  };
  clearTimer = (id: unknown) => {
    this.timers.delete(id as number);
  };
  /** Moves the wall clock only. */
  jump(ms: number): void {
    this.wall += ms;
  }
  /** Lets `ms` pass, running each due timer and waiting for the plan it starts. */
  async advance(ms: number, scheduler: ReminderScheduler): Promise<void> {
    const end = this.elapsed + ms;
    for (;;) {
      await scheduler.settled();
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.wall += due[1].at - this.elapsed;
      this.elapsed = due[1].at;
      due[1].run();
    }
    this.wall += end - this.elapsed;
    this.elapsed = end;
  }
  get pending(): number {
    return this.timers.size;
  }
}

function value<T = { id: string }>(r: BackendResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** The start of the next whole minute after the real now (due times are whole minutes). */
function nextWholeMinute(): number {
  return Math.ceil((Date.now() + 1) / MINUTE) * MINUTE;
}

function dueAt(ms: number): { date: string; time: string } {
  const iso = new Date(ms).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

async function setup(wall: number): Promise<{
  crm: OpenCrmBackend;
  clock: FakeClock;
  scheduler: ReminderScheduler;
  fired: string[];
  errors: unknown[];
}> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-scheduler-'));
  dirs.push(dir);
  const crm = await createCrmBackend(dir);
  open.push(crm);
  const clock = new FakeClock(wall);
  const fired: string[] = [];
  const errors: unknown[] = [];
  const scheduler = createReminderScheduler({
    query: (q) => crm.query(q),
    notify: (r: Reminder) => {
      fired.push(`${r.task.title}@${new Date(Date.parse(r.at) - wall).getTime() / MINUTE}`);
    },
    clock,
    onError: (e) => errors.push(e),
  });
  schedulers.push(scheduler);
  crm.subscribe((n) => scheduler.onChange(n));
  return { crm, clock, scheduler, fired, errors };
}

describe('reminder scheduler', () => {
  it('fires each reminder once at its time, not before, and not again when re-planned or restarted', async () => {
    const t0 = nextWholeMinute();
    const { crm, clock, scheduler, fired, errors } = await setup(t0);
    value(
      await crm.execute({ command: 'CreateTask', input: { title: 'Call', due: dueAt(t0 + 3 * MINUTE) } }),
    );
    value(
      await crm.execute({ command: 'CreateTask', input: { title: 'Late', due: dueAt(t0 - 5 * MINUTE) } }),
    );
    scheduler.start();
    await scheduler.settled();
    expect(fired).toEqual(['Late@-5']);
    await clock.advance(3 * MINUTE - 1000, scheduler);
    expect(fired).toEqual(['Late@-5']);
    await clock.advance(1000, scheduler);
    expect(fired).toEqual(['Late@-5', 'Call@3']);
    await scheduler.replan();
    scheduler.stop();
    scheduler.start();
    await clock.advance(10 * MINUTE, scheduler);
    expect(fired).toEqual(['Late@-5', 'Call@3']);
    expect(errors).toEqual([]);
  });

  it('re-plans on change notifications: a new earlier task fires at its time; a snoozed reminder fires again at `until`; dismissed and done ones do not', async () => {
    const t0 = nextWholeMinute();
    const { crm, clock, scheduler, fired } = await setup(t0);
    const far = value(
      await crm.execute({ command: 'CreateTask', input: { title: 'Far', due: dueAt(t0 + 600 * MINUTE) } }),
    );
    scheduler.start();
    await scheduler.settled();
    const soon = value(
      await crm.execute({ command: 'CreateTask', input: { title: 'Soon', due: dueAt(t0 + 2 * MINUTE) } }),
    );
    const gone = value(
      await crm.execute({ command: 'CreateTask', input: { title: 'Gone', due: dueAt(t0 + 4 * MINUTE) } }),
    );
    const done = value(
      await crm.execute({ command: 'CreateTask', input: { title: 'Done', due: dueAt(t0 + 4 * MINUTE) } }),
    );
    await new Promise((r) => setImmediate(r)); // the push arrives after the projections caught up
    await clock.advance(2 * MINUTE, scheduler);
    expect(fired).toEqual(['Soon@2']);
    // The user snoozes it: the real clock is what the task aggregate checks `until` against.
    const until = Math.ceil((Date.now() + 10 * MINUTE) / MINUTE) * MINUTE;
    value(
      await crm.execute({
        command: 'SnoozeReminder',
        input: { taskId: soon.id, until: new Date(until).toISOString() },
      }),
    );
    value(await crm.execute({ command: 'DismissReminder', input: { taskId: gone.id } }));
    value(await crm.execute({ command: 'CompleteTask', input: { id: done.id } }));
    await new Promise((r) => setImmediate(r));
    await clock.advance(until - clock.now() + 1000, scheduler);
    expect(fired).toEqual(['Soon@2', `Soon@${(until - t0) / MINUTE}`]);
    expect(far.id).toBeTruthy();
  });

  it('catches up within maxWaitMs after a wall-clock jump (or a sleep timers did not see)', async () => {
    const t0 = nextWholeMinute();
    const { crm, clock, scheduler, fired } = await setup(t0);
    value(
      await crm.execute({
        command: 'CreateTask',
        input: { title: 'Tomorrow', due: dueAt(t0 + 24 * 60 * MINUTE) },
      }),
    );
    scheduler.start();
    await scheduler.settled();
    expect(clock.pending).toBe(1);
    clock.jump(24 * 60 * MINUTE);
    await clock.advance(MINUTE - 1000, scheduler);
    expect(fired).toEqual([]);
    await clock.advance(1000, scheduler);
    expect(fired).toEqual(['Tomorrow@1440']);
  });

  it('reports a failing backend to onError and keeps retrying; stop() leaves no timer', async () => {
    // A backend without the reminders feature answers reminder.next with UNKNOWN_QUERY.
    const dir = mkdtempSync(join(tmpdir(), 'crm-scheduler-'));
    dirs.push(dir);
    const crm = await createCrmBackend(dir, { extensions: [] });
    open.push(crm);
    const clock = new FakeClock(nextWholeMinute());
    const errors: unknown[] = [];
    const scheduler = createReminderScheduler({
      query: (q) => crm.query(q),
      notify: () => {},
      clock,
      onError: (e) => errors.push(e),
    });
    schedulers.push(scheduler);
    scheduler.start();
    await scheduler.settled();
    expect(errors[0]).toBeInstanceOf(ReminderQueryError);
    expect((errors[0] as ReminderQueryError).code).toBe('UNKNOWN_QUERY');
    expect(clock.pending).toBe(1);
    await clock.advance(MINUTE, scheduler);
    expect(errors.length).toBe(2);
    scheduler.stop();
    expect(clock.pending).toBe(0);
  });
});
