import { describe, expect, it } from 'vitest';
import { actorName, kindName, restoredHref } from '../../src-renderer/src/pages/trash/kinds.js';

describe('trash kinds', () => {
  it('names kinds and links restored records to their pages', () => {
    expect(kindName('company')).toBe('Company');
    expect(restoredHref('contact', 'c1')).toBe('#/contacts/c1');
    expect(restoredHref('deal', 'd1')).toBe('#/deals/d1');
    expect(restoredHref('task', 't1')).toBe('#/tasks');
    expect(restoredHref('note', 'n1')).toBeNull();
  });

  it('words who deleted a record', () => {
    expect(actorName('user:local')).toBe('you');
    expect(actorName('user:ana')).toBe('ana');
    expect(actorName('system:import')).toBe('automatic (import)');
    expect(actorName(null)).toBe('');
  });
});
