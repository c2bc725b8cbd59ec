/**
 * The core/es guide's quick start and the index.ts quick start, run as written in a child process.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function run(code: string): { lines: string[]; cwd: string } {
  const cwd = tempDir('es-readme-');
  const source = code.replace("'./core/es/index.js'", JSON.stringify(join(ROOT, 'core', 'es', 'index.js')));
  expect(source).not.toBe(code);
  writeFileSync(join(cwd, 'quick.mts'), source);
  const r = spawnSync(process.execPath, ['--import', TSX, join(cwd, 'quick.mts')], {
    cwd,
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return { lines: r.stdout.split('\n').filter((l) => l !== ''), cwd };
}

describe('the core/es docs run as written', () => {
  it('core/es/README.md quick start prints the open todos and writes the store layout', () => {
    const text = readFileSync(join(ROOT, 'core', 'es', 'README.md'), 'utf8');
    const code = /## Quick start\n\n```ts\n([\s\S]*?)```/.exec(text)?.[1];
    expect(code).toBeDefined();
    const { lines, cwd } = run(code!);
    expect(lines).toEqual(["{ 't-1': 'buy milk' }"]);
    const data = join(cwd, 'data');
    expect(existsSync(join(data, 'streams', 'todo', 't-1', 'app.jsonl'))).toBe(true);
    expect(existsSync(join(data, 'projections', 'open-todos', 'checkpoint.json'))).toBe(true);
    expect(readFileSync(join(data, 'meta', 'streams.jsonl'), 'utf8')).toMatch(
      /^\{"id":"t-1","ts":\d+,"type":"todo"\}\n$/,
    );
    expect(existsSync(join(data, 'meta', 'store.lock'))).toBe(false);
  });

  it('core/es/index.ts quick start prints the counter state', () => {
    const text = readFileSync(join(ROOT, 'core', 'es', 'index.ts'), 'utf8');
    const block = /## Quick start\n \* ```ts\n([\s\S]*?) \* ```/.exec(text)?.[1];
    expect(block).toBeDefined();
    const code = block!.replace(/^ \* ?/gm, '');
    expect(run(code).lines).toEqual(['{ value: 1 }']);
  });
});
