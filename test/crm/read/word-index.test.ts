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

  it("keeps each word's row count right across repeats, removals of absent rows, and an index loaded from JSON", () => {
    const index: WordIndex = {};
    for (let i = 0; i < 50; i++) reindex(index, `r${i}`, '', ' lima');
    reindex(index, 'r0', '', ' lima'); // already there: no double count
    reindex(index, 'nobody', ' lima', ''); // not there: nothing to remove
    // The read model comes back from its checkpoint as plain JSON: its counts are taken afresh.
    const loaded = JSON.parse(JSON.stringify(index)) as WordIndex;
    for (const ix of [index, loaded]) {
      for (let i = 0; i < 49; i++) reindex(ix, `r${i}`, ' lima', '');
      expect(Object.keys(ix.lima ?? {})).toEqual(['r49']);
      reindex(ix, 'r49', ' lima', ' bo');
      expect(ix).toEqual({ bo: { r49: 1 } });
    }
  });
});
