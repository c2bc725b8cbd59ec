/**
 * Helpers of the CLI tests: running `bin/eventfold.mjs` as a real child process, and building real log folders and
 * stores (in the core/es layout) on disk, healthy or damaged.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createEvent,
  EventLog,
  EventWriter,
  lineHash,
  saveSnapshot,
  type Event,
} from '../../core/log/index.js';
import { AggregateStore, type Aggregate, type DomainEvent, type Projection } from '../../core/es/index.js';
import { tempDir } from '../helpers/log.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The program under test. */
export const BIN = join(ROOT, 'bin', 'eventfold.mjs');

/** What a finished child printed and returned. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link eventfold}. */
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
}

/** Runs `node bin/eventfold.mjs ...args` to completion (from a temp cwd by default, like a user would). */
export function eventfold(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, EVENTFOLD_PROGRESS: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

/** Collects a child's output until it exits. */
export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a command with `--json` and parses its stdout. */
export async function eventfoldJson<T = Record<string, unknown>>(
  args: string[],
  options?: RunOptions,
): Promise<{ code: number | null; json: T; stderr: string }> {
  const r = await eventfold([...args, '--json'], options);
  let json: T;
  try {
    json = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  return { code: r.code, json, stderr: r.stderr };
}

/** Parses JSONL output. */
export const jsonl = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A counter view's reducer. */
export const count = (n: number): number => n + 1;

/**
 * A log folder with `archived` events rotated into the archive, then `active` more in app.jsonl, and an up-to-date
 * `count` view snapshot. Event i is `{type: i % 2 ? 'odd' : 'even', data: {i}, ts: 1_700_000_000 + i}`.
 */
export async function makeLog(archived: number, active: number): Promise<string> {
  const dir = join(tempDir('eventfold-cli-'), 'data');
  const log = await EventLog.builder(dir).maxLogSize(0).view('count', count, 0).open();
  const ev = (i: number): Event => createEvent(i % 2 ? 'odd' : 'even', { i }, { ts: 1_700_000_000 + i });
  for (let i = 0; i < archived; i++) await log.append(ev(i));
  if (archived > 0) await log.rotate();
  for (let i = archived; i < archived + active; i++) await log.append(ev(i));
  await log.refreshAll();
  await log.close();
  return dir;
}

/** Where the events of a test store ended up. */
export interface TestStore {
  dir: string;
  /** Offsets after each event of each stream's app.jsonl, with the line hash. */
  ends: Record<string, { offset: number; hash: string }[]>;
}

/** The streams of {@link makeStore}, in global order: [stream, type, data]. A 2-element group is one batch. */
export const STORE_EVENTS: [string, string, Record<string, unknown>][][] = [
  [['contact/c1', 'ContactCreated', { name: 'Ana', email: 'ana@example.com' }]],
  [['contact/c2', 'ContactCreated', { name: 'Bo', email: 'bo@example.com' }]],
  [
    ['deal/d1', 'DealOpened', { title: 'Big deal', amount: 100 }],
    ['deal/d1', 'DealStageChanged', { stage: 'proposal' }],
  ],
  [['contact/c1', 'ContactRenamed', { name: 'Ana María' }]],
  [['contact/c2', 'ContactEmailChanged', { email: 'bo@work.example' }]],
  [['contact/c1', 'ContactEmailChanged', { email: 'ana@work.example' }]],
];

/**
 * A store in the core/es layout, written through core/log: streams `contact/c1` (3 events), `contact/c2` (2) and
 * `deal/d1` (2, one atomic batch), every event with an `id` and `meta.position` (global order) and `correlation_id`;
 * a `state` snapshot per stream; projection `contact_list` (up to date on c1, one event behind on c2); process
 * manager `deal_tasks` (up to date on d1) with 2 dead letters; and the stream registry.
 */
export async function makeStore(): Promise<TestStore> {
  const dir = join(tempDir('eventfold-cli-store-'), 'store');
  const ends: TestStore['ends'] = {};
  let position = 0;
  let ts = 1_714_000_000;
  const registry: string[] = [];
  for (const group of STORE_EVENTS) {
    const stream = group[0]![0];
    const w = await EventWriter.open(join(dir, 'streams', ...stream.split('/')));
    const events = group.map(([, type, data]) =>
      createEvent(type, data, {
        ts: ts++,
        id: `evt-${position}`,
        actor: 'tester',
        meta: { correlation_id: `corr-${position}`, position: position++ },
      }),
    );
    const results = await w.appendBatch(events);
    await w.close();
    ends[stream] ??= [];
    for (const r of results) ends[stream].push({ offset: r.endOffset, hash: r.lineHash });
    const [type, id] = stream.split('/');
    if (!registry.some((l) => l.includes(`"${id}"`))) registry.push(JSON.stringify({ id, ts: ts - 1, type }));
  }
  for (const [stream, list] of Object.entries(ends)) {
    const last = list.at(-1)!;
    saveSnapshot(join(dir, 'streams', ...stream.split('/'), 'views', 'state.snapshot.json'), {
      state: { version: list.length },
      offset: last.offset,
      hash: last.hash,
    });
  }
  mkdirSync(join(dir, 'meta'), { recursive: true });
  writeFileSync(join(dir, 'meta', 'streams.jsonl'), registry.map((l) => `${l}\n`).join(''));
  const c1 = ends['contact/c1']!.at(-1)!;
  const c2 = ends['contact/c2']![0]!;
  writeCheckpoint(dir, 'projections', 'contact_list', {
    state: { contacts: 2 },
    cursors: { 'contact/c1': c1, 'contact/c2': c2 },
  });
  writeCheckpoint(dir, 'process_managers', 'deal_tasks', {
    state: null,
    cursors: { 'deal/d1': ends['deal/d1']!.at(-1)! },
  });
  const letter = (n: number): string =>
    JSON.stringify({
      envelope: {
        aggregate_type: 'task',
        instance_id: `t${n}`,
        command: { type: 'Create' },
        context: { actor: 'system', correlation_id: `c${n}`, metadata: null },
      },
      error: 'command execution failed: task already exists',
      ts: 1_714_000_100 + n,
    });
  writeFileSync(
    join(dir, 'process_managers', 'deal_tasks', 'dead_letters.jsonl'),
    `${letter(1)}\n${letter(2)}\n`,
  );
  return { dir, ends };
}

/** A one-field aggregate of the core/es test store: every command adds one event of type `event`. */
function adder<E extends string>(
  type: string,
  event: E,
): Aggregate<number, { type: 'Add'; n: number }, DomainEvent<E, { n: number }>> {
  return {
    type,
    initialState: () => 0,
    decide: (_s, c) => [{ type: event, data: { n: c.n } }],
    evolve: (s, e) => s + e.data.n,
  };
}

/** The aggregates of {@link makeEsStore}. */
export const ES_AGGREGATES = { counter: adder('counter', 'Added'), note: adder('note', 'Noted') };

/** The projection of {@link makeEsStore}: counts the events of aggregate type `counter`. */
export const COUNTER_TOTALS: Projection<number> = {
  name: 'totals',
  subscriptions: ['counter'],
  initialState: () => 0,
  apply: (s) => s + 1,
};

/** Opens the store `dir` with both aggregates (and `totals` when `withTotals`), runs `writes`, closes it. */
export async function writeEsStore(
  dir: string,
  withTotals: boolean,
  writes: ['counter' | 'note', string][],
): Promise<void> {
  let builder = AggregateStore.builder(dir).aggregate(ES_AGGREGATES.counter).aggregate(ES_AGGREGATES.note);
  if (withTotals) builder = builder.projection(COUNTER_TOTALS);
  const store = await builder.open();
  try {
    for (const [type, id] of writes) await store.execute(ES_AGGREGATES[type], id, { type: 'Add', n: 1 }, {});
  } finally {
    await store.close();
  }
}

/**
 * A store written by core/es (position checkpoints, `meta.seq` on every event, `meta/stream-index.json`): a first
 * run with projection `totals` (types `counter`) writes `counter/a` and `note/x`; a second run without it writes
 * `counter/a`, `counter/b` and `note/x`, so `totals` is 2 events behind, in 2 streams.
 */
export async function makeEsStore(): Promise<string> {
  const dir = join(tempDir('eventfold-cli-es-store-'), 'store');
  await writeEsStore(dir, true, [
    ['counter', 'a'],
    ['note', 'x'],
  ]);
  await writeEsStore(dir, false, [
    ['counter', 'a'],
    ['counter', 'b'],
    ['note', 'x'],
  ]);
  return dir;
}

/** Writes `projections|process_managers/<name>/checkpoint.json` (pretty JSON, as eventfold-es does). */
export function writeCheckpoint(dir: string, root: string, name: string, value: unknown): string {
  const folder = join(dir, root, name);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'checkpoint.json');
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

/** Appends raw bytes to a file (a torn write, an unfinished batch). */
export function appendRaw(file: string, text: string | Buffer): void {
  appendFileSync(file, text);
}

/** Replaces the line starting at byte `offset` of `file` with `replacement` (same line count). */
export function replaceLineAt(file: string, offset: number, replacement: string): void {
  const buf = readFileSync(file);
  const end = buf.indexOf(10, offset);
  writeFileSync(file, Buffer.concat([buf.subarray(0, offset), Buffer.from(replacement), buf.subarray(end)]));
}

/** Byte offsets of the starts of each line of a file. */
export function lineStarts(file: string): number[] {
  const buf = readFileSync(file);
  const out = [0];
  for (let i = buf.indexOf(10); i >= 0 && i < buf.length - 1; i = buf.indexOf(10, i + 1)) out.push(i + 1);
  return out;
}

/** The line hash of a string (for hand-written snapshots). */
export { lineHash };

/** A long-running child (`tail --follow`) whose stdout lines are collected as they arrive. */
export interface FollowChild {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  /** Resolves once at least `n` lines have arrived (rejects after 15 s or if the child exits first). */
  waitForLines(n: number): Promise<string[]>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Spawns `node bin/eventfold.mjs ...args` and collects its stdout lines. */
export function spawnEventfold(args: string[]): FollowChild {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, EVENTFOLD_PROGRESS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let err = '';
  let partial = '';
  let exited = false;
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    partial += d.toString();
    const parts = partial.split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      exited = true;
      for (const w of waiters.splice(0)) w();
      resolve(code);
    }),
  );
  return {
    child,
    lines,
    stderr: () => err,
    waitForLines(n) {
      const deadline = Date.now() + 15_000;
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (lines.length >= n) resolve(lines.slice());
          else if (exited) reject(new Error(`the child exited with ${lines.length} lines; stderr: ${err}`));
          else if (Date.now() > deadline)
            reject(new Error(`timed out with ${lines.length}/${n} lines: ${lines.join('\n')}`));
          else {
            waiters.push(check);
            setTimeout(check, 200);
          }
        };
        check();
      });
    },
    stop() {
      if (!exited) child.kill('SIGTERM');
      return exit;
    },
  };
}
