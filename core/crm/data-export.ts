/**
 * Full export of all data (every stream's events as JSON lines, in the CLI's portable export format, see
 * core/cli/export-format.ts) into `<dataDir>/exports/`, and its re-import into an empty folder, which then opens as
 * the same CRM with identical read models (the logs are re-created byte for byte). A forgotten contact is erased
 * from every export already written, as from the logs.
 * @module
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { exportStore, Sink, writeAll } from '../cli/commands/export.js';
import { fileLines, importExport } from '../cli/commands/import.js';
import { CliError } from '../cli/errors.js';
import { eventRecord, parseRecord } from '../cli/export-format.js';
import { scanHistory } from '../cli/history.js';
import { DomainError, seqOf, type AggregateStore } from '../es/index.js';
import { fsyncDir } from '../log/index.js';
import { contactAggregate } from './domain/index.js';
import { extensionCommand, type CrmExtension } from './extension.js';
import type { ForgetResult } from './forget.js';

/** The folder of the data folder that holds the exports. */
export const EXPORTS_DIR = 'exports';

/** What `ExportAllData` wrote. */
export interface DataExportResult {
  /** The export file (`<dataDir>/exports/eventfold-export-<timestamp>.jsonl`). */
  path: string;
  events: number;
  streams: number;
  bytes: number;
}

/** What {@link importAllData} re-created. */
export interface DataImportResult {
  events: number;
  streams: number;
  files: number;
}

/** `2024-05-01T12:00:00.000Z` -> `2024-05-01T12-00-00-000Z` (no `:` : the name must be valid on Windows too). */
function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** A file name in `dir` that does not exist yet (two exports in one millisecond get `-2`, `-3`...). */
function freshName(dir: string, base: string): string {
  for (let n = 1; ; n++) {
    const path = join(dir, `${base}${n === 1 ? '' : `-${n}`}.jsonl`);
    if (!existsSync(path) && !existsSync(`${path}.tmp`)) return path;
  }
}

/**
 * Writes the whole store to a new file in `<dataDir>/exports/`, while it stays open: a consistent cut of every
 * event up to the store's global position when the export starts (later commits are left out, so a stream is
 * never exported half way through a command). Written to `<file>.tmp`, fsynced, renamed.
 */
export async function exportAllData(
  store: AggregateStore,
  dataDir: string,
  now: Date = new Date(),
): Promise<DataExportResult> {
  const dir = join(dataDir, EXPORTS_DIR);
  mkdirSync(dir, { recursive: true });
  const path = freshName(dir, `eventfold-export-${stamp(now)}`);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  const sink = new Sink((buf) => writeAll(fd, buf));
  try {
    // Checkpoints of workflows are read first, so they never point past the cut taken here.
    const counts = await exportStore(dataDir, (r) => sink.push(r), {
      include: () => {
        const cut = store.position;
        return (e) => seqOf(e.event) <= cut;
      },
    });
    sink.flush();
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    fsyncDir(dir);
    return { path, events: counts.events, streams: counts.streams, bytes: statSync(path).size };
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
}

/**
 * Re-creates a CRM data folder from an export made by `ExportAllData` (or `eventfold export`): `emptyDir` must be
 * missing or empty. Open it with `createCrmBackend(emptyDir)` afterwards: the read models rebuild from the logs.
 * @throws DomainError `NOT_EMPTY` (the folder has files), `NO_FILE`, `BAD_EXPORT` (malformed or truncated export;
 * nothing is written).
 */
export async function importAllData(exportFile: string, emptyDir: string): Promise<DataImportResult> {
  try {
    const r = await importExport(exportFile, emptyDir);
    return { events: r.events, streams: r.streams, files: r.files };
  } catch (err) {
    if (err instanceof CliError) {
      const hint =
        err.code === 'NOT_EMPTY'
          ? ' Choose a new folder for the imported data.'
          : err.code === 'BAD_EXPORT'
            ? ' Export the data again from the app it came from.'
            : '';
      throw new DomainError(err.code, `${err.message}${hint}`, { file: exportFile, dir: emptyDir });
    }
    throw err;
  }
}

/** Drops the cursors of `streams` from a checkpoint's JSON text (as the live store does when it destroys a stream). */
function withoutCursors(text: string, streams: ReadonlySet<string>): string {
  const cp = JSON.parse(text) as { cursors?: Record<string, unknown> };
  if (!cp.cursors) return text;
  for (const s of streams) delete cp.cursors[s];
  return `${JSON.stringify(cp)}\n`;
}

/** Drops the lines of `streams` from the stream registry's text. */
function withoutRegistered(text: string, streams: ReadonlySet<string>): string {
  return text
    .split('\n')
    .filter((line) => {
      if (line.trim() === '') return false;
      try {
        const v = JSON.parse(line) as { type?: unknown; id?: unknown };
        return !streams.has(`${String(v.type)}/${String(v.id)}`);
      } catch {
        return true;
      }
    })
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * Rewrites one export without the events of `streams` (and their registry lines and checkpoint cursors), adding
 * the `replacements` of the streams it had (event records: a tombstone, a history written again) in their place,
 * with a new end record. Written to `<file>.tmp`, renamed.
 */
async function rewriteExport(
  file: string,
  streams: ReadonlySet<string>,
  replacements: ReadonlyMap<string, Buffer[]>,
): Promise<void> {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  const sink = new Sink((buf) => writeAll(fd, buf));
  let events = 0;
  let files = 0;
  const kept = new Set<string>();
  // Only the streams the export had get their replacement, after the last event (it is the newest one).
  const had = new Set<string>();
  const addReplacements = (): void => {
    for (const stream of had) {
      const records = replacements.get(stream) ?? [];
      for (const r of records) sink.push(r);
      events += records.length;
      if (records.length > 0) kept.add(stream);
    }
    had.clear();
  };
  try {
    for await (const { line, no } of fileLines(file)) {
      if (line.trim() === '') continue;
      const rec = parseRecord(file, no, line);
      if (rec.kind === 'header') sink.push(`${line}\n`);
      else if (rec.kind === 'event') {
        if (rec.stream !== null && streams.has(rec.stream)) {
          had.add(rec.stream);
          continue;
        }
        sink.push(`${line}\n`);
        events++;
        if (rec.stream !== null) kept.add(rec.stream);
      } else if (rec.kind === 'file') {
        addReplacements();
        let text = rec.content.toString('utf8');
        if (rec.path === 'meta/streams.jsonl') text = withoutRegistered(text, streams);
        else if (rec.path.endsWith('/checkpoint.json')) text = withoutCursors(text, streams);
        sink.push(`${JSON.stringify({ file: rec.path, text })}\n`);
        files++;
      } else {
        addReplacements();
        const end = { events, streams: kept.size, files };
        sink.push(`${JSON.stringify({ eventfold_export_end: end })}\n`);
      }
    }
    sink.flush();
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
}

/**
 * Erases a forgotten contact (and the records erased with it) from every export in `<dataDir>/exports/`: their
 * streams' events are replaced by the contacts' tombstones as they are in the live store now, and the history of
 * each contact written again without the forgotten person's data (forget.ts) by its new history.
 */
export async function forgetInExports(
  store: AggregateStore,
  dataDir: string,
  forgotten: ForgetResult,
): Promise<void> {
  const dir = join(dataDir, EXPORTS_DIR);
  if (!existsSync(dir)) return;
  const contactStream = `${contactAggregate.type}/${forgotten.id}`;
  const streams = new Set([contactStream, ...forgotten.erased, ...forgotten.rewritten]);
  const replacements = new Map<string, Buffer[]>();
  for (const stream of streams) {
    const type = stream.slice(0, stream.indexOf('/'));
    const id = stream.slice(stream.indexOf('/') + 1);
    if (type !== contactAggregate.type || !store.has(type, id)) continue;
    const records: Buffer[] = [];
    await scanHistory(store.layout.streamDir(type, id), stream, (e) => {
      records.push(eventRecord(stream, e.line));
    });
    replacements.set(stream, records);
  }
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.jsonl')) continue;
    await rewriteExport(join(dir, name), streams, replacements);
  }
  fsyncDir(dir);
}

/** `ExportAllData {}` and the erasure of forgotten contacts from the exports. */
export const dataExportExtension: CrmExtension = {
  commands: {
    ExportAllData: extensionCommand(z.object({}).strict(), (rt) => exportAllData(rt.store, rt.dataDir)),
  },
  onForget: (rt, forgotten) => forgetInExports(rt.store, rt.dataDir, forgotten),
};
