import { describe, expect, it } from 'vitest';
import {
  addDays,
  describeDue,
  dueOf,
  localDay,
  nowParams,
} from '../../src-renderer/src/pages/tasks/task-time.js';

describe('task time', () => {
  it('cuts now to the minute and gives the offset east of UTC', () => {
    const d = new Date('2026-12-02T10:15:42.123Z');
    const p = nowParams(d);
    expect(p.now).toBe('2026-12-02T10:15:00.000Z');
    expect(p.utcOffsetMinutes).toBe(-d.getTimezoneOffset() || 0);
    expect(nowParams(new Date('2026-12-02T10:15:59.999Z'))).toEqual(p);
  });

  it('reads local days and adds days across a month end', () => {
    const d = new Date(2026, 11, 31, 23, 30);
    expect(localDay(d)).toBe('2026-12-31');
    expect(addDays(d, 1)).toBe('2027-01-01');
    expect(addDays(d, -31)).toBe('2026-11-30');
  });

  it('makes a due date from inputs', () => {
    expect(dueOf('', '10:00')).toBeNull();
    expect(dueOf('2026-12-02', '')).toEqual({ date: '2026-12-02', time: null });
    expect(dueOf(' 2026-12-02 ', '09:30')).toEqual({ date: '2026-12-02', time: '09:30' });
  });

  it('describes due dates relative to today', () => {
    const today = new Date(2026, 11, 2, 12, 0);
    expect(describeDue(null, today)).toBe('No due date');
    expect(describeDue({ date: '2026-12-02', time: null }, today)).toBe('Today');
    expect(describeDue({ date: '2026-12-03', time: '09:30' }, today)).toBe('Tomorrow 09:30');
    expect(describeDue({ date: '2026-12-01', time: null }, today)).toBe('Yesterday');
    expect(describeDue({ date: '2026-12-24', time: '18:00' }, today)).toBe('2026-12-24 18:00');
  });
});
