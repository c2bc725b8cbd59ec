/**
 * Field-by-field change sets: the one place that computes `{field: {from, to}}` for every aggregate's update
 * events, applies them in `evolve`, and inverts them for undo. Events never carry a whole record.
 * @module
 */

/** One field's change: its value before and after. */
export interface Change<T> {
  from: T;
  to: T;
}

/** The changed fields of a record `T`: only the fields that changed are present. */
export type Changes<T> = { [K in keyof T]?: Change<T[K]> };

/**
 * `record[key]` if it is the record's own entry. Record keys come from users (custom field ids, contact ids), and
 * a plain `record[key]` would find `Object.prototype` members for ids like `constructor` or `toString`.
 */
export function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Structural equality of JSON values (what events hold). Object key order is ignored, array order is not (the
 * order of e-mails or stages means something).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/**
 * The changes that `patch` makes to `current`: one entry per key of `patch` whose value is defined and differs
 * from the current one, in the record's field order (so the same edit always gives the same event, whatever the
 * order of the caller's keys). An empty result means the update is a no-op.
 */
export function diff<T extends object>(current: T, patch: Partial<T>): Changes<T> {
  const out: Changes<T> = {};
  const keys = [...new Set([...Object.keys(current), ...Object.keys(patch)])].filter((k) => k in patch);
  for (const key of keys as (keyof T)[]) {
    const to = patch[key];
    if (to === undefined) continue; // absent: leave the field alone
    const from = current[key];
    if (!sameValue(from, to)) out[key] = { from, to: to as T[keyof T] };
  }
  return out;
}

/** Does this change set change nothing? */
export function isEmpty(changes: object): boolean {
  return Object.keys(changes).length === 0;
}

/** `current` with every change's `to` applied (a new object; `current` is not modified). */
export function applyChanges<T extends object>(current: T, changes: Changes<T> | undefined): T {
  const next = { ...current };
  for (const key of Object.keys(changes ?? {}) as (keyof T)[]) {
    const change = changes?.[key];
    if (change) next[key] = change.to;
  }
  return next;
}

/** The change set that undoes `changes` (from and to swapped): the payload of a compensating event. */
export function invertChanges<T extends object>(changes: Changes<T>): Changes<T> {
  const out: Changes<T> = {};
  for (const key of Object.keys(changes) as (keyof T)[]) {
    const change = changes[key];
    if (change) out[key] = { from: change.to, to: change.from };
  }
  return out;
}

/**
 * Splits a change set to undo into what still applies and what a later edit overwrote: a field is reverted only
 * while its current value is still the `to` the change wrote (so undo never clobbers a newer edit).
 */
export function revertible<T extends object>(
  current: T,
  changes: Changes<T>,
): { revert: Changes<T>; kept: (keyof T & string)[] } {
  const revert: Changes<T> = {};
  const kept: (keyof T & string)[] = [];
  for (const key of Object.keys(changes) as (keyof T & string)[]) {
    const change = changes[key];
    if (!change) continue;
    if (sameValue(current[key], change.to)) {
      if (!sameValue(change.from, change.to)) revert[key] = { from: change.to, to: change.from };
    } else kept.push(key);
  }
  return { revert, kept };
}
