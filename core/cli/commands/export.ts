/**
 * `eventfold export <dir> --out <file>`: the whole folder as portable JSONL (see export-format.ts): every event
 * with its stream name, verbatim, in global order when every event carries its global sequence (`meta.seq`, as
 * core/es writes it, or `meta.position` in older data), else stream by stream.
 * @module
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join, relative, sep } from 'node:path';
import { stringOpt, flag, type Command } from '../command.js';
import { CliError, UsageError } from '../errors.js';
import {
  eventRecord,
  EXPORT_VERSION,
  fileRecord,
  JOURNAL_RECORD_PATH,
  type ExportHeader,
} from '../export-format.js';
import { formatBytes, plural } from '../format.js';
import { positionOf, readStoreHistory, scanHistory, type HistoryEvent } from '../history.js';
import type { Event } from '../../log/index.js';
import { journalJson, openFolder } from '../journal.js';
import { listStreams, STORE } from '../layout.js';
import { Progress } from '../progress.js';

/**
 * Buffered writes, 1 MiB at a time, synchronous so a scan's visitor can write as it reads (memory stays bounded).
 * Stdout is synchronous too when it is a file or a pipe on Linux.
 */
export class Sink {
  private parts: Buffer[] = [];
  private size = 0;
  /** Bytes written so far. */
  bytes = 0;
  constructor(private readonly write: (buf: Buffer) => unknown) {}
  /** Buffers `b`, writing once 1 MiB is buffered. */
  push(b: Buffer | string): void {
    const buf = typeof b === 'string' ? Buffer.from(b) : b;
    this.parts.push(buf);
    this.size += buf.length;
    if (this.size >= 1 << 20) this.flush();
  }
  /** Writes whatever is buffered. */
  flush(): void {
    if (this.size === 0) return;
    const buf = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    this.write(buf);
    this.bytes += buf.length;
  }
}

/** Writes all of `buf` to `fd` (a single `writeSync` may write less). */
export function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/** Regular files under `root` (relative paths with `/`), skipping lock folders and `.tmp` leftovers. */
function filesUnder(base: string, root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory() && !e.name.endsWith('.lock')) walk(p);
      else if (e.isFile() && !e.name.endsWith('.tmp')) out.push(relative(base, p).split(sep).join('/'));
    }
  };
  walk(join(base, root));
  return out;
}

/**
 * The global sequence of an event: `meta.seq` (what core/es writes, META_KEYS.seq), else `meta.position` (older
 * stores); `undefined` when it has neither as a finite number.
 */
export function globalSeqOf(event: Event): number | undefined {
  const seq = event.meta?.seq;
  return typeof seq === 'number' && Number.isFinite(seq) ? seq : positionOf(event);
}

/**
 * Sorts `events` (read stream by stream) into global order when every one has a global sequence, and says
 * whether it did. The sort is stable: events of one stream keep their file order if sequences tie.
 */
export function sortByGlobalSeq(events: HistoryEvent[]): boolean {
  if (events.length === 0 || events.some((e) => globalSeqOf(e.event) === undefined)) return false;
  events.sort((a, b) => globalSeqOf(a.event)! - globalSeqOf(b.event)!);
  return true;
}

/** What {@link exportStore} wrote. */
export interface StoreExportCounts {
  events: number;
  streams: number;
  files: number;
}

/** Options of {@link exportStore}. */
export interface StoreExportOptions {
  /**
   * Called once the store files are read and before any event is: returns which events to write. A store that is
   * being written exports a consistent cut this way (every event up to the position it had at that moment).
   */
  include?: () => (e: HistoryEvent) => boolean;
  /** Called after each stream is read. */
  onStream?: (done: number, total: number) => void;
}

/**
 * Writes the export of the store in `dir` (header, events, store files, end record) to `push`, in the format of
 * export-format.ts. The store files are read before the events, so the process-manager checkpoints exported never
 * point past the exported events.
 */
export async function exportStore(
  dir: string,
  push: (record: Buffer | string) => void,
  options: StoreExportOptions = {},
): Promise<StoreExportCounts> {
  const fileRecords = [...filesUnder(dir, 'meta'), ...filesUnder(dir, STORE.processManagers)]
    .filter((rel) => rel !== JOURNAL_RECORD_PATH)
    .map((rel) => fileRecord(rel, readFileSync(join(dir, rel))));
  const include = options.include?.() ?? (() => true);
  const history = await readStoreHistory(listStreams(dir), {
    ...(options.onStream ? { onStream: options.onStream } : {}),
  });
  // history.ts only knows `meta.position`; a store written by core/es numbers its events in `meta.seq`.
  const order = sortByGlobalSeq(history.events) ? 'position' : history.order;
  const header: ExportHeader = {
    eventfold_export: EXPORT_VERSION,
    source: 'store',
    order,
    exported_at: new Date().toISOString(),
  };
  push(`${JSON.stringify(header)}\n`);
  let events = 0;
  const streams = new Set<string>();
  for (const e of history.events) {
    if (!include(e)) continue;
    push(eventRecord(e.stream, e.line));
    events++;
    if (e.stream !== null) streams.add(e.stream);
  }
  for (const r of fileRecords) push(r);
  const counts = { events, streams: streams.size, files: fileRecords.length };
  push(`${JSON.stringify({ eventfold_export_end: counts })}\n`);
  return counts;
}

/** `eventfold export`. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'write the whole folder as portable JSONL (events verbatim, with stream names)',
  positionals: ['<dir>'],
  options: {
    out: {
      type: 'string',
      short: 'o',
      value: '<file>',
      description: 'where to write the export (- for stdout); required',
    },
    force: { type: 'boolean', description: 'overwrite the output file if it exists' },
  },
  description: `
Writes one JSON record per line: a header, then every committed event as {"stream":"<type>/<id>","event":<the log
line, verbatim>} ("stream":null for a single log folder), then the store files that events do not re-create
(meta/streams.jsonl, process-manager checkpoints and dead letters), then an end record with the counts.
A store is written in its global order ("order":"position" in the header) when every event carries its global
sequence number (meta.seq, as the app writes it, or meta.position in older folders), otherwise stream by stream; a log folder in its own order (archive, then active log). Projection checkpoints and view snapshots are left
out: they are rebuilt from the events. Corrupt lines stop the export (run \`eventfold verify\` first).
The file is written to <file>.tmp and renamed when complete. Safe while the app runs (it reads committed events).`,
  examples: [
    'eventfold export ./store --out backup.jsonl',
    'eventfold export ./data --out - | jq -c .event.type',
  ],
  async run({ args, out }) {
    const dir = args.positionals[0]!;
    const target = stringOpt(args, 'out');
    if (target === undefined) throw new UsageError('missing --out <file> (or --out - for stdout)', 'export');
    const { kind, journal } = await openFolder(dir, out);
    const toStdout = target === '-';
    if (!toStdout && existsSync(target) && !flag(args, 'force')) {
      throw new CliError(
        'EXISTS',
        `${target} already exists; choose another file or add --force to overwrite it.`,
      );
    }
    const tmp = `${target}.tmp`;
    const fd = toStdout ? -1 : openSync(tmp, 'w');
    const sink = new Sink(toStdout ? (buf) => out.write(buf) : (buf) => writeAll(fd, buf));
    let events = 0;
    let streams = 0; // a log folder's events have no stream
    let files = 0;
    try {
      if (kind === 'log') {
        const header: ExportHeader = {
          eventfold_export: EXPORT_VERSION,
          source: 'log',
          order: 'log',
          exported_at: new Date().toISOString(),
        };
        sink.push(`${JSON.stringify(header)}\n`);
        const progress = new Progress('export', null, 'items');
        await scanHistory(dir, null, (e) => {
          sink.push(eventRecord(e.stream, e.line));
          events++;
          progress.add();
        });
        progress.finish();
        sink.push(`${JSON.stringify({ eventfold_export_end: { events, streams, files } })}\n`);
      } else {
        const refs = listStreams(dir);
        const progress = new Progress('export', refs.length, 'items');
        const counts = await exportStore(dir, (b) => sink.push(b), {
          onStream: (done, total) => progress.set(done, total),
        });
        progress.finish();
        ({ events, streams, files } = counts);
      }
      sink.flush();
      if (!toStdout) {
        fsyncSync(fd);
        closeSync(fd);
        renameSync(tmp, target);
      }
    } catch (err) {
      if (!toStdout) {
        closeSync(fd);
        unlinkSync(tmp);
      }
      throw err;
    }
    const summary = {
      ok: true,
      kind,
      dir,
      out: target,
      events,
      streams,
      files,
      bytes: toStdout ? sink.bytes : statSync(target).size,
      ...journalJson(journal),
    };
    if (toStdout) out.note(`exported ${plural(events, 'event')}`);
    else {
      await out.result(
        summary,
        () =>
          `Exported ${plural(events, 'event')}${kind === 'store' ? ` of ${plural(streams, 'stream')} and ${plural(files, 'file')}` : ''} to ${target} (${formatBytes(summary.bytes)}).`,
      );
    }
    return 0;
  },
};
