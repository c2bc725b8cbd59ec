import { describe, expect, it } from 'vitest';
import {
  barPercent,
  formatDuration,
  formatRate,
  monthLabel,
} from '../../src-renderer/src/pages/dashboard/figures.js';

describe('dashboard figures', () => {
  it('sizes bars against the largest value', () => {
    expect(barPercent(5, 10)).toBe(50);
    expect(barPercent(10, 10)).toBe(100);
    expect(barPercent(0, 10)).toBe(0);
    expect(barPercent(1, 1000)).toBe(2);
    expect(barPercent(3, 0)).toBe(0);
  });

  it('words durations', () => {
    expect(formatDuration(30)).toBe('< 1 min');
    expect(formatDuration(12 * 60)).toBe('12 min');
    expect(formatDuration(5 * 3600 + 600)).toBe('5 h 10 min');
    expect(formatDuration(2 * 3600)).toBe('2 h');
    expect(formatDuration(3 * 86400 + 4 * 3600 + 59)).toBe('3 d 4 h');
    expect(formatDuration(86400)).toBe('1 d');
  });

  it('words rates and months', () => {
    expect(formatRate(2 / 3)).toBe('67 %');
    expect(formatRate(null)).toBe('—');
    expect(monthLabel('2026-03')).toBe('Mar 2026');
  });
});
