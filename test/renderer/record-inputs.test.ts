import { describe, expect, it } from 'vitest';
import {
  activityInput,
  actorLabel,
  isAutomation,
  linkedRecords,
  linksTo,
  localToIso,
  noteInput,
  nowParams,
  splitChange,
  taskInput,
  toLocalInput,
} from '../../src-renderer/src/components/record/record-inputs.js';

const link = { kind: 'contact' as const, id: 'c-1' };

describe('record panel inputs', () => {
  it('builds the inputs of CreateNote, LogActivity and CreateTask', () => {
    expect(noteInput('Met at the fair', link)).toEqual({ body: 'Met at the fair', link });
    const now = new Date('2026-03-31T09:30:00Z');
    expect(activityInput({ kind: 'call', when: '', summary: 'Called' }, link, now)).toEqual({
      kind: 'call',
      occurredAt: '2026-03-31T09:30:00.000Z',
      summary: 'Called',
      link,
    });
    expect(localToIso(toLocalInput(now))).toBe(now.toISOString());
    expect(localToIso('garbage')).toBe('garbage');
    expect(taskInput({ title: 'Call back', dueDate: '', dueTime: '' }, link)).toEqual({
      title: 'Call back',
      link,
    });
    expect(taskInput({ title: 'Call back', dueDate: '2026-04-01', dueTime: '' }, link)).toEqual({
      title: 'Call back',
      link,
      due: { date: '2026-04-01', time: null },
    });
    expect(taskInput({ title: 'x', dueDate: '2026-04-01', dueTime: '10:00' }, link).due).toEqual({
      date: '2026-04-01',
      time: '10:00',
    });
  });

  it('fixes now for task queries and names actors', () => {
    const at = new Date('2026-03-31T09:30:00Z');
    expect(nowParams(at)).toEqual({ now: at.toISOString(), utcOffsetMinutes: -at.getTimezoneOffset() });
    expect(actorLabel('user:local')).toBe('You');
    expect(actorLabel('system:workflows')).toBe('Automation (workflows)');
    expect(actorLabel(null)).toBe('Unknown');
    expect(isAutomation('system:workflows')).toBe(true);
    expect(isAutomation('user:local')).toBe(false);
  });

  it('finds the notes of a record in its timeline, each once, with its creation time', () => {
    const items = [
      { kind: 'note', id: 'n-2', at: '2026-03-03T00:00:00.000Z' },
      { kind: 'contact', id: 'c-1', at: '2026-03-02T00:00:00.000Z' },
      { kind: 'note', id: 'n-1', at: '2026-03-02T00:00:00.000Z' },
      { kind: 'note', id: 'n-2', at: '2026-03-01T00:00:00.000Z' },
    ];
    expect(linkedRecords(items, 'note')).toEqual([
      { id: 'n-2', at: '2026-03-01T00:00:00.000Z' },
      { id: 'n-1', at: '2026-03-02T00:00:00.000Z' },
    ]);
    expect(linksTo({ kind: 'contact', id: 'c-1' }, link)).toBe(true);
    expect(linksTo({ kind: 'company', id: 'c-1' }, link)).toBe(false);
    expect(linksTo(undefined, link)).toBe(false);
  });

  it('splits a timeline line into field, old and new value', () => {
    expect(splitChange('Title: CTO -> CEO')).toEqual({ field: 'Title', from: 'CTO', to: 'CEO' });
    expect(splitChange('Title: none -> CEO')).toEqual({ field: 'Title', from: 'none', to: 'CEO' });
    expect(splitChange('First name: Zoë')).toBeNull();
  });
});
