/**
 * What a folder is: a single log folder (core/log) or a store (core/es: one log folder per stream), and where a
 * store keeps its streams, checkpoints and registry. Read from the files directly, so the CLI needs no store code.
 * @module
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVE_LOG, ARCHIVE } from '../log/index.js';
import { NotEventfoldDirError } from './errors.js';

/** `'log'`: a core/log folder; `'store'`: a core/es store with `streams/`. */
export type DirKind = 'log' | 'store';

/** Sub-folders and files of a store (the layout of eventfold-es 0.2, plus the `meta/` files core/es adds). */
export const STORE = {
  streams: 'streams',
  projections: 'projections',
  processManagers: 'process_managers',
  checkpoint: 'checkpoint.json',
  deadLetters: 'dead_letters.jsonl',
  registry: join('meta', 'streams.jsonl'),
  /** The global position lease (core/es): numbering resumes above it on open. */
  sequence: join('meta', 'sequence.json'),
  /** Each stream's log end and last global position (core/es); a cache, checked and rebuilt on open. */
  streamIndex: join('meta', 'stream-index.json'),
  /** The commit journal (core/es): appends a power cut may have kept out of their stream logs. */
  journal: join('meta', 'journal.jsonl'),
  /** Written by the app's clean close (core/es): the next open trusts the stream index. */
  cleanClose: join('meta', 'clean-close.json'),
  /** Held while a process has the store open; it covers every stream (they have no locks of their own). */
  lock: join('meta', 'store.lock'),
} as const;

/** One stream of a store: `type/id`, stored in `streams/<type>/<id>/` (a plain log folder). */
export interface StreamRef {
  type: string;
  id: string;
  /** `type/id`, the key used by checkpoint cursors. */
  name: string;
  dir: string;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `dir` holds a log (an active log or an archive). */
export function isLogDir(dir: string): boolean {
  return existsSync(join(dir, ACTIVE_LOG)) || existsSync(join(dir, ARCHIVE));
}

/** Whether `dir` is a store (it has a `streams/` folder). */
export function isStoreDir(dir: string): boolean {
  return isDir(join(dir, STORE.streams));
}

/**
 * Tells a log folder from a store.
 * @throws NotEventfoldDirError when `dir` is missing or is neither.
 */
export function detectKind(dir: string): DirKind {
  if (!existsSync(dir)) throw new NotEventfoldDirError(dir, 'does not exist');
  if (!isDir(dir)) throw new NotEventfoldDirError(dir, 'is not a folder');
  if (isStoreDir(dir)) return 'store';
  if (isLogDir(dir)) return 'log';
  throw new NotEventfoldDirError(dir, 'holds no event log');
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** Every stream of a store, sorted by type then id (the order eventfold-es reads them in). */
export function listStreams(storeDir: string): StreamRef[] {
  const root = join(storeDir, STORE.streams);
  const out: StreamRef[] = [];
  for (const type of subdirs(root)) {
    for (const id of subdirs(join(root, type))) {
      out.push({ type, id, name: `${type}/${id}`, dir: join(root, type, id) });
    }
  }
  return out;
}

/**
 * Parses `type/id` (split on the first `/`, as checkpoint cursor keys are) into a stream of the store.
 * Returns null when the name has no `/` or an empty part.
 */
export function streamRef(storeDir: string, name: string): StreamRef | null {
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1) return null;
  const type = name.slice(0, slash);
  const id = name.slice(slash + 1);
  return { type, id, name, dir: join(storeDir, STORE.streams, type, id) };
}

/** Names of the store's projections (folders under `projections/`). */
export function listProjections(storeDir: string): string[] {
  return subdirs(join(storeDir, STORE.projections));
}

/** Names of the store's process managers (folders under `process_managers/`). */
export function listProcessManagers(storeDir: string): string[] {
  return subdirs(join(storeDir, STORE.processManagers));
}
