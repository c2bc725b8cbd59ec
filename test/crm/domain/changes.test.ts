import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyChanges,
  diff,
  invertChanges,
  isEmpty,
  revertible,
  sameValue,
} from '../../../core/crm/domain/changes.js';

interface Rec {
  a: string | null;
  b: string[];
  c: { x: number } | null;
}
const rec: Rec = { a: 'x', b: ['1', '2'], c: { x: 1 } };

describe('changes', () => {
  it('diff keeps only defined, changed keys, in the record order', () => {
    expect(diff(rec, { c: { x: 1 }, b: ['2', '1'], a: 'x' })).toEqual({
      b: { from: ['1', '2'], to: ['2', '1'] },
    });
    expect(Object.keys(diff(rec, { c: null, a: null }))).toEqual(['a', 'c']);
    expect(diff(rec, { a: undefined })).toEqual({});
    expect(isEmpty(diff(rec, {}))).toBe(true);
  });

  it('sameValue ignores key order and undefined keys, not array order', () => {
    expect(sameValue({ p: 1, q: [1, { r: 2 }] }, { q: [1, { r: 2 }], p: 1, s: undefined })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue(null, {})).toBe(false);
    expect(sameValue([], {})).toBe(false);
  });

  it('revertible reverts only fields still holding the written value', () => {
    const changes = diff(rec, { a: 'y', b: ['3'] });
    const now = { ...applyChanges(rec, changes), b: ['edited'] };
    expect(revertible(now, changes)).toEqual({ revert: { a: { from: 'y', to: 'x' } }, kept: ['b'] });
  });

  it('apply(diff) gives the patched record; apply(invert) gives it back', () => {
    const value = fc.record({
      a: fc.option(fc.string(), { nil: null }),
      b: fc.array(fc.string(), { maxLength: 3 }),
      c: fc.option(fc.record({ x: fc.integer() }), { nil: null }),
    });
    fc.assert(
      fc.property(
        value,
        fc.record({ a: value.map((v) => v.a), c: value.map((v) => v.c) }, { requiredKeys: [] }),
        (r, patch) => {
          const changes = diff(r, patch);
          const next = applyChanges(r, changes);
          expect(next).toEqual({ ...r, ...patch });
          expect(applyChanges(next, invertChanges(changes))).toEqual(r);
        },
      ),
    );
  });
});
