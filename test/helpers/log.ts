/**
 * Shared helpers of the core/log tests: temp dirs, dummy events, reducers, and small file utilities.
 * The port of the Rust crate's `tests/common/mod.rs`.
 * @module
 */
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { createEvent, type Event, type EventReader, type EventWriter } from '../../core/log/index.js';

/** A fresh temp dir, removed when the current test finishes. */
export function tempDir(prefix = 'eventfold-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A log directory path inside a fresh temp dir (not created: the writer creates it). */
export function logDir(): string {
  return join(tempDir(), 'data');
}

/** An event with minimal data and a fixed timestamp (the Rust helper: ts 1000, data `{"key":"value"}`). */
export function dummyEvent(type = 'dummy', data: unknown = { key: 'value' }): Event {
  return createEvent(type, data, { ts: 1000 });
}

/** Counts events. */
export const counterReducer = (n: number): number => n + 1;

/** Counts events per type. */
export function statsReducer(state: Record<string, number>, event: Event): Record<string, number> {
  return { ...state, [event.type]: (state[event.type] ?? 0) + 1 };
}

/** One todo item of {@link todoReducer}. */
export interface Todo {
  id: number;
  text: string;
  done: boolean;
}

/** The state of {@link todoReducer}. */
export interface TodoState {
  items: Todo[];
  nextId: number;
}

/** The todo reducer of the Rust example: `todo_added {text}`, `todo_completed {id}`, `todo_deleted {id}`. */
export function todoReducer(state: TodoState, event: Event): TodoState {
  const data = event.data as { text?: string; id?: number };
  switch (event.type) {
    case 'todo_added':
      return {
        items: [...state.items, { id: state.nextId, text: data.text ?? '', done: false }],
        nextId: state.nextId + 1,
      };
    case 'todo_completed':
      return { ...state, items: state.items.map((t) => (t.id === data.id ? { ...t, done: true } : t)) };
    case 'todo_deleted':
      return { ...state, items: state.items.filter((t) => t.id !== data.id) };
    default:
      return state;
  }
}

/** A fresh empty todo state. */
export const emptyTodos = (): TodoState => ({ items: [], nextId: 1 });

/** Appends `n` events `e0..e{n-1}` of type `type` with data `{i}`; returns the results. */
export async function appendN(
  log: Pick<EventWriter, 'append'>,
  n: number,
  type = 'dummy',
): Promise<{ startOffset: number; endOffset: number; lineHash: string }[]> {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await log.append(createEvent(type, { i }, { ts: 1000 + i })));
  return out;
}

/** Every event of the active log from `offset`. */
export async function readAll(reader: EventReader, offset = 0): Promise<Event[]> {
  const out: Event[] = [];
  for await (const e of reader.readFrom(offset)) out.push(e.event);
  return out;
}

/** Every event of the full history (archive, then active log). */
export async function readHistory(reader: EventReader): Promise<Event[]> {
  const out: Event[] = [];
  for await (const e of reader.readFull()) out.push(e.event);
  return out;
}

/** The types of a list of events, in order. */
export const types = (events: Event[]): string[] => events.map((e) => e.type);

/** Asserts-free helper: the `data.i` of each event (events built by {@link appendN}). */
export const indices = (events: Event[]): number[] => events.map((e) => (e.data as { i: number }).i);

/** Size of a file in bytes, 0 if missing. */
export function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** A file's bytes as a UTF-8 string. */
export const text = (path: string): string => readFileSync(path, 'utf8');

/** Copies a read-only fixture folder into a fresh temp dir and makes it writable; returns the copy. */
export function copyFixture(src: string): string {
  const dst = join(tempDir('eventfold-fixture-'), 'data');
  cpSync(src, dst, { recursive: true });
  const chmodAll = (p: string): void => {
    chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
    if (statSync(p).isDirectory()) for (const n of readdirSync(p)) chmodAll(join(p, n));
  };
  chmodAll(dst);
  return dst;
}

/**
 * Where the Rust-written fixtures live: `$EVENTFOLD_RUST_FIXTURES`, else `../shared/fixtures/rust-eventfold` next to
 * the repository (they are not vendored: `prettier --check .` would reject their byte-exact JSON).
 */
export const RUST_FIXTURES =
  process.env.EVENTFOLD_RUST_FIXTURES ??
  fileURLToPath(new URL('../../../shared/fixtures/rust-eventfold', import.meta.url));
