/**
 * The portable export format: JSONL, one record per line.
 *
 * ```text
 * {"eventfold_export":1,"source":"store","order":"position","exported_at":"2024-05-01T12:00:00.000Z"}
 * {"stream":"contact/c-1","event":{"type":"Created","data":{...},"ts":1714560000,"id":"..."}}
 * {"file":"meta/streams.jsonl","text":"{\"id\":\"c-1\",...}\n"}
 * {"eventfold_export_end":{"events":1,"streams":1,"files":1}}
 * ```
 * An event record embeds the event's line **verbatim** (`"event":` is followed by the exact bytes of the log line,
 * batch marker included), so an import re-creates every stream byte for byte and positions, cursors and read
 * models rebuild identically. `stream` is `null` for a single log folder. File records carry the store files that are not derived
 * from events (the stream registry, process-manager checkpoints and dead letters), as UTF-8 `text` or `base64`.
 * The end record lets an import refuse a truncated export.
 * @module
 */
import { posix } from 'node:path';
import { parseEvent, serializeEvent, type Event } from '../log/index.js';
import { CliError } from './errors.js';

/** Version of the format, in the header record. */
export const EXPORT_VERSION = 1;

/** The first record. */
export interface ExportHeader {
  eventfold_export: number;
  source: 'log' | 'store';
  order: 'log' | 'position' | 'stream';
  exported_at: string;
}

/** The last record. */
export interface ExportEnd {
  eventfold_export_end: { events: number; streams: number; files: number };
}

/** The line of an event record, built around the event's raw line. */
export function eventRecord(stream: string | null, line: Buffer): Buffer {
  return Buffer.concat([Buffer.from(recordPrefix(stream)), line, Buffer.from('}\n')]);
}

function recordPrefix(stream: string | null): string {
  return `{"stream":${JSON.stringify(stream)},"event":`;
}

/**
 * The store's commit journal, as a file record path: never exported, and skipped on import (older exports have it):
 * its bytes are in the exported logs, and a stale line could write bytes a rotation moved on from back into a log.
 */
export const JOURNAL_RECORD_PATH = 'meta/journal.jsonl';

/** The line of a file record (`path` relative to the store, with `/`). */
export function fileRecord(path: string, content: Buffer): string {
  const text = content.toString('utf8');
  // Only text that survives a UTF-8 round trip is stored as text; anything else as base64.
  const record = Buffer.from(text, 'utf8').equals(content)
    ? { file: path, text }
    : { file: path, base64: content.toString('base64') };
  return `${JSON.stringify(record)}\n`;
}

/** An export file is malformed or incomplete. */
export class BadExportError extends CliError {
  constructor(file: string, line: number, reason: string) {
    super('BAD_EXPORT', `${file}, line ${line}: ${reason}. Nothing was imported.`);
  }
}

/** One parsed record of an export. */
export type ExportRecord =
  | { kind: 'header'; header: ExportHeader }
  | { kind: 'event'; stream: string | null; event: Event; raw: string; verbatim: boolean }
  | { kind: 'file'; path: string; content: Buffer }
  | { kind: 'end'; end: ExportEnd['eventfold_export_end'] };

/** Whether `name` is a safe `type/id` stream name (no empty part, no `.`/`..`, no backslash). */
export function safeStreamName(name: string): boolean {
  const parts = name.split('/');
  return (
    parts.length === 2 &&
    parts.every((p) => p.length > 0 && p !== '.' && p !== '..' && !p.includes('\\') && !p.includes('\0'))
  );
}

const FILE_ROOTS = ['meta/', 'process_managers/'];

/** Whether a file record's path stays inside the folders an export may write. */
export function safeFilePath(path: string): boolean {
  if (path.includes('\\') || path.includes('\0') || posix.isAbsolute(path)) return false;
  const norm = posix.normalize(path);
  return norm === path && !norm.split('/').includes('..') && FILE_ROOTS.some((r) => norm.startsWith(r));
}

/**
 * Parses one line of an export.
 * @throws BadExportError
 */
export function parseRecord(file: string, lineNo: number, line: string): ExportRecord {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(line) as Record<string, unknown>;
  } catch (err) {
    throw new BadExportError(file, lineNo, `not valid JSON (${(err as Error).message})`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new BadExportError(file, lineNo, 'not a JSON object');
  if ('eventfold_export' in v) {
    if (v.eventfold_export !== EXPORT_VERSION) {
      throw new BadExportError(
        file,
        lineNo,
        `unsupported export version ${String(v.eventfold_export)} (this tool reads ${EXPORT_VERSION})`,
      );
    }
    if (v.source !== 'log' && v.source !== 'store')
      throw new BadExportError(file, lineNo, 'the header has no valid "source"');
    return { kind: 'header', header: v as unknown as ExportHeader };
  }
  if ('eventfold_export_end' in v) {
    const end = v.eventfold_export_end as ExportEnd['eventfold_export_end'] | null;
    if (!end || typeof end.events !== 'number')
      throw new BadExportError(file, lineNo, 'malformed end record');
    return { kind: 'end', end };
  }
  if ('event' in v) {
    const stream = v.stream;
    if (stream !== null && (typeof stream !== 'string' || !safeStreamName(stream))) {
      throw new BadExportError(
        file,
        lineNo,
        `invalid stream name ${JSON.stringify(stream)} (expected "type/id")`,
      );
    }
    const prefix = recordPrefix(stream);
    let raw: string;
    let verbatim = true;
    if (line.startsWith(prefix) && line.endsWith('}')) raw = line.slice(prefix.length, -1);
    else {
      // The record was reformatted (by jq, say): fall back to the canonical serialization.
      verbatim = false;
      const more = (v.event as { more?: unknown } | null)?.more === true;
      try {
        raw = serializeEvent(v.event as Event, more);
      } catch (err) {
        throw new BadExportError(file, lineNo, `invalid event (${(err as Error).message})`);
      }
    }
    let event: Event;
    try {
      event = parseEvent(raw);
    } catch (err) {
      throw new BadExportError(file, lineNo, (err as Error).message);
    }
    return { kind: 'event', stream, event, raw, verbatim };
  }
  if ('file' in v) {
    const path = v.file;
    if (typeof path !== 'string' || !safeFilePath(path)) {
      throw new BadExportError(
        file,
        lineNo,
        `refusing to write ${JSON.stringify(path)}: only meta/ and process_managers/ files are imported`,
      );
    }
    if (typeof v.text === 'string') return { kind: 'file', path, content: Buffer.from(v.text, 'utf8') };
    if (typeof v.base64 === 'string') return { kind: 'file', path, content: Buffer.from(v.base64, 'base64') };
    throw new BadExportError(file, lineNo, 'a file record needs "text" or "base64"');
  }
  throw new BadExportError(file, lineNo, 'unknown record (neither header, event, file nor end)');
}
