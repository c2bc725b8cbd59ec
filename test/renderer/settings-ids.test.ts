import { describe, expect, it } from 'vitest';
import { idFromLabel, moveItem, parseOptions } from '../../src-renderer/src/pages/settings/ids.js';

describe('settings helpers', () => {
  it('makes ids from labels, unique among the taken ones', () => {
    expect(idFromLabel('Lead source', [])).toBe('lead-source');
    expect(idFromLabel('  Ça va?! ', [])).toBe('ca-va');
    expect(idFromLabel('***', [])).toBe('field');
    expect(idFromLabel('Won', ['won', 'won-2'])).toBe('won-3');
    expect(idFromLabel('x'.repeat(80), []).length).toBe(40);
  });

  it('moves an item up or down, clamped to the ends', () => {
    expect(moveItem(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 5)).toEqual(['a', 'b', 'c']);
  });

  it('parses options by line or comma', () => {
    expect(parseOptions('Web, Referral\n  Event \n,,')).toEqual(['Web', 'Referral', 'Event']);
  });
});
