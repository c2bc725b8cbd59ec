import { describe, expect, it } from 'vitest';
import { candidates, reindex, type WordIndex } from '../../../core/crm/read/word-index.js';

/** Candidates as a sorted list (their order is unspecified). */
const found = (index: WordIndex, q: string, rev?: number): string[] =>
  (candidates(index, [q], rev) ?? []).sort();

describe('word index', () => {
  it('finds rows by word prefix, the same with or without a revision (scan, then sorted words)', () => {
    const index: WordIndex = {};
    reindex(index, 'a', '', ' ana lima ana@example');
    reindex(index, 'b', '', ' anabel souza');
    reindex(index, 'c', '', ' bo lima');
    for (const rev of [undefined, 1, 1, 1]) {
      expect(found(index, 'an', rev)).toEqual(['a', 'b']);
      expect(found(index, 'lim', rev)).toEqual(['a', 'c']);
      expect(found(index, 'z', rev)).toEqual([]);
    }
  });

  it('a new revision is not answered from the words sorted at the previous one', () => {
    const index: WordIndex = {};
    reindex(index, 'a', '', ' ana');
    expect(found(index, 'an', 1)).toEqual(['a']);
    expect(found(index, 'an', 1)).toEqual(['a']); // sorted now
    reindex(index, 'b', '', ' anders');
    reindex(index, 'a', ' ana', ' zoe');
    expect(found(index, 'an', 2)).toEqual(['b']);
    expect(found(index, 'an', 2)).toEqual(['b']);
    expect(found(index, 'zo', 2)).toEqual(['a']);
  });

  it('drops a word when its last row leaves it', () => {
    const index: WordIndex = {};
    reindex(index, 'a', '', ' ana');
    reindex(index, 'b', '', ' ana');
    reindex(index, 'a', ' ana', '');
    expect(Object.keys(index)).toEqual(['ana']);
    reindex(index, 'b', ' ana', '');
    expect(index).toEqual({});
  });
});
