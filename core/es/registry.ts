/**
 * The stream registry `meta/streams.jsonl`: one line `{"id","ts","type"}` per stream, appended (and fsynced)
 * before the stream's first event, so every stream with data is discoverable without a directory scan.
 * @module
 */
import { closeSync, existsSync, fdatasyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir } from '../log/index.js';
import type { Logger } from '../log/index.js';
import { streamKey } from './stored-event.js';

/** Registry lines, keys sorted as the Rust crate writes them (a serde_json map). */
function linesOf(entries: [string, string][]): string {
  const ts = Math.floor(Date.now() / 1000);
  return entries.map(([type, id]) => JSON.stringify({ id, ts, type }) + '\n').join('');
}

/** The streams known to the store, by aggregate type, in registration order. */
export class StreamRegistry {
  private readonly byType = new Map<string, Set<string>>();
  private readonly queue: { type: string; id: string; resolve(): void; reject(err: unknown): void }[] = [];
  private readonly waiting = new Map<string, Promise<void>>();
  private flushing = false;

  private constructor(private readonly file: string) {}

  /**
   * The streams are the folders under `streams/` (a folder deleted by hand, or forgotten, is gone). The file is the
   * durable record of creation: folders it lacks (a store written elsewhere, or a crash between folder and line)
   * are appended to it. A torn or corrupt line is skipped (with a warning unless it is the torn last one).
   */
  static load(file: string, folders: Iterable<[string, string]>, logger: Logger): StreamRegistry {
    const reg = new StreamRegistry(file);
    const recorded = new StreamRegistry(file);
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const v = JSON.parse(line) as { type?: unknown; id?: unknown };
        if (typeof v.type !== 'string' || typeof v.id !== 'string') throw new Error('missing type or id');
        recorded.add(v.type, v.id);
      } catch (err) {
        if (i !== lines.length - 1)
          logger.warn(`skipped a bad line ${i + 1} of ${file}`, { error: String(err) });
      }
    });
    const missing: [string, string][] = [];
    for (const [type, id] of folders) {
      reg.add(type, id);
      if (!recorded.has(type, id)) missing.push([type, id]);
    }
    if (missing.length > 0) reg.appendLines(missing);
    return reg;
  }

  /**
   * The registry as a clean close left it, from the stream index's keys (`type/id`): the file is not read and no
   * folder is listed (at 250,000 streams both took 600 ms of an open). The store checks the folders in the
   * background and calls {@link StreamRegistry.adopt} and {@link StreamRegistry.remove} for what differs.
   */
  static fromKeys(file: string, keys: Iterable<string>): StreamRegistry {
    const reg = new StreamRegistry(file);
    let type = '';
    let set: Set<string> | undefined;
    for (const key of keys) {
      const slash = key.indexOf('/');
      const t = key.slice(0, slash);
      if (t !== type || !set) {
        type = t;
        set = reg.byType.get(t);
        if (!set) reg.byType.set(t, (set = new Set()));
      }
      set.add(key.slice(slash + 1));
    }
    return reg;
  }

  /** Registers streams found as folders that the registry lacks, with a line each in the file. */
  adopt(streams: [string, string][]): void {
    if (streams.length === 0) return;
    this.appendLines(streams);
    for (const [type, id] of streams) this.add(type, id);
  }

  /** Whether the stream is registered. */
  has(type: string, id: string): boolean {
    return this.byType.get(type)?.has(id) ?? false;
  }

  /** Ids of a type, sorted. */
  ids(type: string): string[] {
    return [...(this.byType.get(type) ?? [])].sort();
  }

  /** Every registered aggregate type, sorted. */
  types(): string[] {
    return [...this.byType.keys()].sort();
  }

  /** Number of streams. */
  get size(): number {
    let n = 0;
    for (const s of this.byType.values()) n += s.size;
    return n;
  }

  /** Every stream key (`type/id`) of the given types (all types when omitted). */
  keys(types?: readonly string[]): string[] {
    const out: string[] = [];
    for (const t of types ?? this.types()) for (const id of this.ids(t)) out.push(streamKey(t, id));
    return out;
  }

  /**
   * Registers a new stream durably (resolves at once if known). Registrations issued while a sync is running share
   * the next write and sync (group commit), so creating many streams at once is not one fsync after another.
   */
  ensure(type: string, id: string): Promise<void> {
    if (this.has(type, id)) return Promise.resolve();
    const key = streamKey(type, id);
    const waiting = this.waiting.get(key);
    if (waiting) return waiting;
    const done = new Promise<void>((resolve, reject) => this.queue.push({ type, id, resolve, reject }));
    this.waiting.set(key, done);
    if (!this.flushing) void this.flush();
    return done;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        await this.appendLinesAsync(batch.map((b) => [b.type, b.id]));
        for (const b of batch) this.add(b.type, b.id);
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      } finally {
        for (const b of batch) this.waiting.delete(streamKey(b.type, b.id));
      }
    }
    this.flushing = false;
  }

  /** Forgets a stream whose folder was deleted (the file keeps its creation line; folders decide on load). */
  remove(type: string, id: string): void {
    this.byType.get(type)?.delete(id);
  }

  private add(type: string, id: string): void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    set.add(id);
  }

  private async appendLinesAsync(entries: [string, string][]): Promise<void> {
    const created = !existsSync(this.file);
    const fh = await open(this.file, 'a');
    try {
      await fh.write(linesOf(entries));
      await fh.datasync();
    } finally {
      await fh.close();
    }
    if (created) fsyncDir(dirname(this.file));
  }

  private appendLines(entries: [string, string][]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const text = linesOf(entries);
    const created = !existsSync(this.file);
    const fd = openSync(this.file, 'a');
    try {
      writeSync(fd, text);
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (created) fsyncDir(dirname(this.file));
  }
}
