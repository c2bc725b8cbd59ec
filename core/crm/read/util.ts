/**
 * Small helpers shared by the read models: safe lookups in plain-object maps (their keys come from user data,
 * so `constructor` or `__proto__` must not hit `Object.prototype`), record keys and event payload access.
 * @module
 */
import type { StoredEvent } from '../../es/stored-event.js';

/** A JSON-serializable map (read model state is checkpointed as JSON: no `Map`/`Set`). */
export type Dict<V> = Record<string, V>;

/** `dict[key]` if it is the dict's own entry, else `undefined`. */
export function own<V>(dict: Dict<V>, key: string): V | undefined {
  return Object.hasOwn(dict, key) ? dict[key] : undefined;
}

/** Sets `dict[key]` safely (also for the key `__proto__`, which a plain assignment would not store). */
export function put<V>(dict: Dict<V>, key: string, value: V): void {
  if (key === '__proto__') {
    Object.defineProperty(dict, key, { value, writable: true, enumerable: true, configurable: true });
  } else dict[key] = value;
}

/** The key of a record across kinds: `'<kind>:<id>'`, e.g. `'contact:c-1'`. */
export function recordKey(kind: string, id: string): string {
  return `${kind}:${id}`;
}

/** The stored event as the domain's event union (`type` + `data`); unknown types fall to `default` branches. */
export function domainEvent<E>(e: StoredEvent): E {
  return e.event as unknown as E;
}

/** A list with one value removed (all occurrences). */
export function without<T>(list: readonly T[], value: T): T[] {
  return list.filter((v) => v !== value);
}

/** The `YYYY-MM` month (UTC) of an ISO date or date-time. */
export function monthOf(isoDateOrTime: string): string {
  return isoDateOrTime.slice(0, 7);
}

/** Unix seconds -> ISO 8601 instant. */
export function isoOf(ts: number): string {
  return new Date(ts * 1000).toISOString();
}

/** Sums of integer minor units per ISO currency, e.g. `{ EUR: 150000 }`. */
export type MoneyByCurrency = Dict<number>;

/** Adds an amount to per-currency sums (nothing for `null`). */
export function addMoney(sums: MoneyByCurrency, amount: { minor: number; currency: string } | null): void {
  if (amount) put(sums, amount.currency, (own(sums, amount.currency) ?? 0) + amount.minor);
}
