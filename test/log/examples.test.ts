/**
 * The core/log examples and the README's quick example, each run as a real `node --import tsx` child process in a
 * temp dir. The scripted examples must print exactly the "Expected output" of their header comment, so the docs
 * cannot drift from the code; the CLIs are run several times on one directory to show their state persists.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/log.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = join(ROOT, 'core', 'log', 'examples');
// An absolute loader URL, so a script can run from a temp cwd that has no node_modules.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

/** Runs a TypeScript file with Node and the tsx loader; returns its exit code and output. */
function runScript(file: string, args: string[], cwd = ROOT): Run {
  const r = spawnSync(process.execPath, ['--import', TSX, file, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.error) throw r.error;
  const stdout = r.stdout;
  return { code: r.status, stdout, stderr: r.stderr, lines: stdout.split('\n').filter((l) => l !== '') };
}

const example = (name: string, args: string[]): Run => runScript(join(EXAMPLES, name), args);

/** The lines of an example's "Expected output:" header comment (up to the end of the comment). */
function expectedOutput(name: string): string[] {
  const text = readFileSync(join(EXAMPLES, name), 'utf8');
  const start = text.indexOf(' * Expected output');
  const end = text.indexOf(' */', start);
  expect(start, `${name} has an "Expected output" comment`).toBeGreaterThan(0);
  return text
    .slice(start, end)
    .split('\n')
    .slice(1)
    .map((l) => l.replace(/^ \* {3}/, ''))
    .filter((l) => l.trim() !== '');
}

/** Runs a scripted example in a new directory and checks it prints its documented output, exiting 0. */
function checkScripted(name: string, extraArgs: string[] = []): { dir: string; run: Run } {
  const tmp = tempDir('eventfold-example-');
  const dir = join(tmp, name.replace(/\.ts$/, ''));
  const run = example(name, [dir, ...extraArgs]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  // The comments show paths as /tmp/<name>; the test's temp dir differs.
  expect(run.lines.map((l) => l.replaceAll(tmp, '/tmp'))).toEqual(expectedOutput(name));
  return { dir, run };
}

const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('todo-cli.ts', () => {
  it('adds, completes and lists todos across separate runs, as its comment shows', () => {
    const dir = join(tempDir('eventfold-example-'), 'todos');
    const todo = (...args: string[]) => example('todo-cli.ts', [dir, ...args]);
    expect(todo('add', 'buy milk').lines).toEqual(['added #1: buy milk']);
    expect(todo('add', 'walk the dog').lines).toEqual(['added #2: walk the dog']);
    expect(todo('done', '1').lines).toEqual(['completed #1']);
    const list = todo('list');
    expect(list.code).toBe(0);
    expect(list.lines).toEqual(['[x] #1 buy milk', '[ ] #2 walk the dog']);

    // The state is the log: three lines, one per event, plus a snapshot that has consumed all of them.
    const log = lines(join(dir, 'app.jsonl')).map((l) => JSON.parse(l) as { type: string; data: unknown });
    expect(log.map((e) => [e.type, e.data])).toEqual([
      ['todo_added', { text: 'buy milk' }],
      ['todo_added', { text: 'walk the dog' }],
      ['todo_completed', { id: 1 }],
    ]);
    const snap = JSON.parse(readFileSync(join(dir, 'views', 'todos.snapshot.json'), 'utf8')) as {
      offset: number;
      state: { nextId: number };
    };
    expect(snap.offset).toBe(readFileSync(join(dir, 'app.jsonl')).length);
    expect(snap.state.nextId).toBe(3);
  });

  it('refuses an unknown id and a missing command without writing anything', () => {
    const dir = join(tempDir('eventfold-example-'), 'todos');
    const bad = example('todo-cli.ts', [dir, 'done', '7']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no todo #7');
    expect(readFileSync(join(dir, 'app.jsonl'), 'utf8')).toBe('');
    const usage = example('todo-cli.ts', [dir]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: todo-cli.ts');
  });
});

describe('notes-cli.ts', () => {
  it('adds, filters, deletes and counts tags across separate runs, as its comment shows', () => {
    const dir = join(tempDir('eventfold-example-'), 'notes');
    const notes = (...args: string[]) => example('notes-cli.ts', [dir, ...args]);
    expect(notes('add', 'Buy oat milk', '#shopping', '#errands').lines).toEqual([
      'note 1 added [errands, shopping]',
    ]);
    expect(notes('add', 'Call the bank', '#errands').lines).toEqual(['note 2 added [errands]']);
    expect(notes('add', 'Ideas for the talk', '#work').lines).toEqual(['note 3 added [work]']);
    expect(notes('list', '#errands').lines).toEqual([
      '1  Buy oat milk  #errands #shopping',
      '2  Call the bank  #errands',
    ]);
    expect(notes('delete', '2').lines).toEqual(['note 2 deleted']);
    const missing = notes('delete', '2');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no note 2');
    expect(notes('list').lines).toEqual([
      '1  Buy oat milk  #errands #shopping',
      '3  Ideas for the talk  #work',
    ]);
    expect(notes('tags').lines).toEqual([
      'errands   1 note  (used 2 times)',
      'shopping  1 note  (used 1 time)',
      'work      1 note  (used 1 time)',
      'most used: errands',
    ]);
    expect(readdirSync(join(dir, 'views')).sort()).toEqual(['notes.snapshot.json', 'tags.snapshot.json']);
    expect(lines(join(dir, 'app.jsonl')).map((l) => (JSON.parse(l) as { type: string }).type)).toEqual([
      'note_added',
      'note_added',
      'note_added',
      'note_deleted',
    ]);
  });
});

describe('scripted examples print their documented output', () => {
  it('multi-view.ts: two views over one log, refreshed independently', () => {
    const { dir } = checkScripted('multi-view.ts');
    // The six-event batch is on disk as one atomic unit: every line but its last carries "more":true.
    const more = lines(join(dir, 'app.jsonl')).map((l) => l.includes('"more":true'));
    expect(more).toEqual([true, true, true, true, true, false, false, false]);
  });

  it('rebuild.ts: a v1 snapshot survives a reducer change until rebuild()', () => {
    const { dir } = checkScripted('rebuild.ts');
    const snap = JSON.parse(readFileSync(join(dir, 'views', 'todos.snapshot.json'), 'utf8')) as {
      state: { priority: string }[];
    };
    expect(snap.state.map((t) => t.priority)).toEqual(['normal', 'normal', 'high']);
  });

  it('rotation.ts: auto and manual rotation keep the state continuous', () => {
    const { dir } = checkScripted('rotation.ts');
    expect(readdirSync(dir).sort()).toEqual(['app.jsonl', 'archive.jsonl.zst', 'views']);
  });

  it('time-travel.ts: state at event 10 and at a timestamp, across the archive', () => {
    checkScripted('time-travel.ts');
  });

  it('tail.ts: follows a writer in another process until it has seen N events', () => {
    const { run } = checkScripted('tail.ts');
    expect(run.lines).toHaveLength(7);
    const three = example('tail.ts', [join(tempDir('eventfold-example-'), 'tail'), '3']);
    expect(three.code).toBe(0);
    expect(three.lines.slice(1)).toEqual([
      '@0    ping {"seq":1}',
      '@49   ping {"seq":2}',
      '@98   ping {"seq":3}',
      'done: 3 events, next offset 147',
    ]);
  });

  it('an example refuses a directory that is not empty rather than mix its events into it', () => {
    const dir = tempDir('eventfold-example-');
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    const run = example('rotation.ts', [dir]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('is not empty');
    expect(readdirSync(dir)).toEqual(['keep.txt']);
  });
});

/** Runs a README's TypeScript block (importing './core/log/index.js') from a temp dir; returns the run and the dir. */
function runReadmeBlock(code: string): { run: Run; cwd: string } {
  const cwd = tempDir('eventfold-readme-');
  // The README imports the engine relative to the repository root; the copy runs in a temp dir.
  const source = code.replace("'./core/log/index.js'", JSON.stringify(join(ROOT, 'core', 'log', 'index.js')));
  expect(source).not.toBe(code);
  writeFileSync(join(cwd, 'quick.mts'), source); // .mts: ES module (top-level await) without a package.json
  const run = runScript(join(cwd, 'quick.mts'), [], cwd);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return { run, cwd };
}

/** The first ```ts block after `marker` in a markdown file. */
function tsBlockAfter(file: string, marker: string): string {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(marker);
  expect(at, `${file} contains "${marker}"`).toBeGreaterThanOrEqual(0);
  const code = /```ts\n([\s\S]*?)```/.exec(text.slice(at))?.[1];
  expect(code, `a ts block follows "${marker}"`).toBeDefined();
  return code!;
}

describe('the code in the READMEs', () => {
  it('README.md: the quick example runs as written and prints what the README says', () => {
    const code = tsBlockAfter(join(ROOT, 'README.md'), '## Quick example');
    const { run, cwd } = runReadmeBlock(code);
    // The README shows the output as `// [x] buy milk` comments right after the console.log loop.
    const documented = [...code.matchAll(/^\/\/ (\[[ x]\] .*)$/gm)].map((m) => m[1]);
    expect(documented).toEqual(['[x] buy milk', '[ ] call Ana']);
    expect(run.lines).toEqual(documented);
    expect(lines(join(cwd, 'data', 'app.jsonl'))).toHaveLength(3);
    expect(existsSync(join(cwd, 'data', 'views', 'todos.snapshot.json'))).toBe(true);
  });

  it('core/log/README.md: the smallest program prints 1', () => {
    const code = tsBlockAfter(join(ROOT, 'core', 'log', 'README.md'), 'The smallest program');
    expect(runReadmeBlock(code).run.lines).toEqual(['1']);
  });
});
