/**
 * `eventfold import <file> --into <dir>`: re-creates a folder from an export, byte for byte: every stream's
 * `app.jsonl` gets exactly the exported lines, in order, so positions, cursors and read models rebuild identically. Builds in
 * a temporary sibling folder and renames it into place only when the whole export was read and checked.
 * @module
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ACTIVE_LOG, fsyncDir, VIEWS_DIR } from '../../log/index.js';
import { stringOpt, type Command } from '../command.js';
import { CliError, UsageError } from '../errors.js';
import {
  BadExportError,
  JOURNAL_RECORD_PATH,
  parseRecord,
  type ExportHeader,
  type ExportRecord,
} from '../export-format.js';
import { plural } from '../format.js';
import { STORE } from '../layout.js';
import { Progress } from '../progress.js';

/** Yields the lines of a file (without `\n` or `\r\n`), with their 1-based numbers and byte lengths. */
export async function* fileLines(path: string): AsyncGenerator<{ line: string; no: number; bytes: number }> {
  const fh = await open(path, 'r');
  try {
    let carry: Buffer = Buffer.alloc(0);
    let no = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      const buf: Buffer =
        carry.length > 0
          ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
          : chunk.subarray(0, bytesRead);
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0) break;
        const stop = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
        yield { line: buf.toString('utf8', start, stop), no: ++no, bytes: nl + 1 - start };
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
      if (bytesRead === 0) {
        if (carry.length > 0) yield { line: carry.toString('utf8'), no: ++no, bytes: carry.length };
        return;
      }
    }
  } finally {
    await fh.close();
  }
}

/** Appends lines to many files, buffering in memory and writing each file's share in bulk. */
class StreamFiles {
  private buffers = new Map<string, string[]>();
  private buffered = 0;
  readonly files = new Set<string>();

  add(file: string, line: string): void {
    let b = this.buffers.get(file);
    if (!b) {
      b = [];
      this.buffers.set(file, b);
      if (!this.files.has(file)) mkdirSync(dirname(file), { recursive: true });
      this.files.add(file);
    }
    b.push(line, '\n');
    this.buffered += line.length + 1;
    if (this.buffered >= 8 << 20) this.flush();
  }

  flush(): void {
    for (const [file, parts] of this.buffers) appendFileSync(file, parts.join(''));
    this.buffers.clear();
    this.buffered = 0;
  }

  /** Makes every written file durable. */
  sync(): void {
    this.flush();
    for (const f of this.files) {
      const fd = openSync(f, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }
}

function emptyOrMissing(dir: string): boolean {
  if (!existsSync(dir)) return true;
  return statSync(dir).isDirectory() && readdirSync(dir).length === 0;
}

/** Reads and writes the whole export into `into` (a fresh folder); returns the counts. */
async function importInto(file: string, into: string, progress: Progress): Promise<ImportCounts> {
  const out = new StreamFiles();
  let header: ExportHeader | null = null;
  let ended = false;
  let events = 0;
  let files = 0;
  let reserialized = 0;
  const streams = new Set<string>();
  for await (const { line, no, bytes } of fileLines(file)) {
    progress.add(bytes);
    if (line.trim().length === 0) continue;
    if (ended) throw new BadExportError(file, no, 'data after the end record');
    if (header === null && !line.includes('"eventfold_export"')) {
      throw new BadExportError(
        file,
        no,
        'not an eventfold export (the first line must be its header; make one with `eventfold export`)',
      );
    }
    const rec: ExportRecord = parseRecord(file, no, line);
    if (header === null && rec.kind !== 'header') {
      throw new BadExportError(file, no, 'not an eventfold export (the first line is not its header)');
    }
    switch (rec.kind) {
      case 'header':
        if (header !== null) throw new BadExportError(file, no, 'a second header');
        header = rec.header;
        if (header.source === 'log') {
          mkdirSync(join(into, VIEWS_DIR), { recursive: true });
          writeFileSync(join(into, ACTIVE_LOG), ''); // an empty log is still a log folder
        }
        break;
      case 'event': {
        if ((header!.source === 'log') !== (rec.stream === null)) {
          throw new BadExportError(
            file,
            no,
            `an event ${rec.stream === null ? 'without' : 'with'} a stream in an export of a ${header!.source}`,
          );
        }
        const target =
          rec.stream === null
            ? join(into, ACTIVE_LOG)
            : join(into, STORE.streams, ...rec.stream.split('/'), ACTIVE_LOG);
        out.add(target, rec.raw);
        events++;
        if (!rec.verbatim) reserialized++;
        if (rec.stream !== null) streams.add(rec.stream);
        break;
      }
      case 'file': {
        if (header!.source !== 'store')
          throw new BadExportError(file, no, 'a file record in an export of a log folder');
        if (rec.path === JOURNAL_RECORD_PATH) {
          files++; // counted by the end record all the same
          break;
        }
        const target = join(into, ...rec.path.split('/'));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, rec.content);
        const fd = openSync(target, 'r+');
        fsyncSync(fd);
        closeSync(fd);
        files++;
        break;
      }
      case 'end':
        if (rec.end.events !== events || (rec.end.files ?? files) !== files) {
          throw new BadExportError(
            file,
            no,
            `the end record counts ${rec.end.events} events and ${rec.end.files} files, but ${events} and ${files} were read`,
          );
        }
        ended = true;
        break;
    }
  }
  if (header === null) throw new BadExportError(file, 1, 'the file is empty');
  if (!ended)
    throw new BadExportError(
      file,
      0,
      'the export is incomplete (its end record is missing: was it cut short?)',
    );
  out.sync();
  if (header.source === 'store') {
    mkdirSync(join(into, STORE.streams), { recursive: true });
    for (const f of out.files) mkdirSync(join(dirname(f), VIEWS_DIR), { recursive: true });
  }
  return { header, events, streams: streams.size, files, reserialized };
}

/** What {@link importExport} read and wrote. */
export interface ImportCounts {
  header: ExportHeader;
  events: number;
  streams: number;
  files: number;
  /** Events whose record had been reformatted and were re-serialized. */
  reserialized: number;
}

/**
 * Re-creates the folder `into` (missing or empty) from the export `file`: built in a temporary sibling folder and
 * renamed into place only when the whole export was read and checked, so a bad export leaves nothing behind.
 * @throws CliError `NO_FILE`, `NOT_EMPTY`; BadExportError
 */
export async function importExport(
  file: string,
  into: string,
  options: { progress?: boolean } = {},
): Promise<ImportCounts> {
  if (!existsSync(file)) throw new CliError('NO_FILE', `${file} does not exist.`);
  if (!emptyOrMissing(into)) {
    throw new CliError(
      'NOT_EMPTY',
      `${into} is not empty: import only into a new or empty folder, so nothing is mixed or overwritten.`,
    );
  }
  const tmp = `${resolve(into)}.import-${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const size = statSync(file).size;
  const progress = options.progress
    ? new Progress('import', size, 'bytes')
    : new Progress('import', size, 'bytes', null);
  try {
    const result = await importInto(file, tmp, progress);
    progress.finish();
    if (existsSync(into)) rmdirSync(into);
    renameSync(tmp, into);
    fsyncDir(dirname(resolve(into)));
    return result;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** `eventfold import`. */
export const importCommand: Command = {
  name: 'import',
  summary: 're-create a folder from an export, byte for byte (into an empty or new folder)',
  positionals: ['<file>'],
  options: {
    into: {
      type: 'string',
      value: '<dir>',
      description: 'the folder to create (must not exist, or be empty); required',
    },
  },
  description: `
Reads an export made by \`eventfold export\` and writes every stream's app.jsonl with exactly the exported lines, in
order (a log folder's archived and active events all land in app.jsonl), plus the exported store files (stream
registry, process-manager checkpoints and dead letters). Because the logs are byte-identical, events keep their
global positions (meta.seq), so process-manager checkpoints stay valid (as do the cursors of Rust-written ones),
and every projection and view rebuilds to the same state when the app opens the folder. The export is checked while it
is read (header, every event, the end record's counts) and written to a temporary folder next to the target,
renamed into place only when complete: a bad or truncated export leaves nothing behind.`,
  examples: ['eventfold import backup.jsonl --into ./restored-store'],
  async run({ args, out }) {
    const file = args.positionals[0]!;
    const into = stringOpt(args, 'into');
    if (into === undefined) throw new UsageError('missing --into <dir>', 'import');
    const result = await importExport(file, into, { progress: true });
    if (result.reserialized > 0) {
      out.warn(
        `${plural(result.reserialized, 'event')} had been reformatted in the export and were re-serialized: those lines may differ from the originals`,
      );
    }
    const json = {
      ok: true,
      file,
      into,
      source: result.header.source,
      events: result.events,
      streams: result.streams,
      files: result.files,
      reserialized: result.reserialized,
    };
    await out.result(
      json,
      () =>
        `Imported ${plural(result.events, 'event')}${result.header.source === 'store' ? ` in ${plural(result.streams, 'stream')} and ${plural(result.files, 'file')}` : ''} into ${into}. Views and projections are rebuilt when the app opens it.`,
    );
    return 0;
  },
};
