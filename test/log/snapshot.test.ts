import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  deleteSnapshot,
  loadSnapshot,
  saveSnapshot,
  snapshotPath,
  writeFileAtomic,
  type Snapshot,
} from '../../core/log/index.js';
import { tempDir } from '../helpers/log.js';

function viewsDir(): string {
  const dir = join(tempDir(), 'views');
  mkdirSync(dir);
  return dir;
}

describe('snapshot files', () => {
  it('save then load round-trips the state, offset and hash', () => {
    const path = snapshotPath(viewsDir(), 'todos');
    const snap: Snapshot<{ items: string[] }> = {
      state: { items: ['a', 'b'] },
      offset: 123,
      hash: '0123456789abcdef',
    };
    saveSnapshot(path, snap);
    expect(loadSnapshot(path)).toEqual(snap);
  });

  it('names the file views/<name>.snapshot.json', () => {
    const dir = viewsDir();
    expect(snapshotPath(dir, 'by_type')).toBe(join(dir, 'by_type.snapshot.json'));
  });

  it('load of a missing file returns null', () => {
    expect(loadSnapshot(snapshotPath(viewsDir(), 'nope'))).toBeNull();
  });

  it('leaves no .tmp file behind after a save', () => {
    const dir = viewsDir();
    saveSnapshot(snapshotPath(dir, 'v'), { state: 1, offset: 1, hash: 'h' });
    expect(readdirSync(dir)).toEqual(['v.snapshot.json']);
  });

  it('delete removes the file, a later load returns null, and delete is idempotent', () => {
    const path = snapshotPath(viewsDir(), 'v');
    saveSnapshot(path, { state: 1, offset: 0, hash: '' });
    deleteSnapshot(path);
    expect(existsSync(path)).toBe(false);
    expect(loadSnapshot(path)).toBeNull();
    expect(() => deleteSnapshot(path)).not.toThrow();
  });

  it('delete also removes a leftover .tmp', () => {
    const path = snapshotPath(viewsDir(), 'v');
    saveSnapshot(path, { state: 1, offset: 0, hash: '' });
    writeFileSync(`${path}.tmp`, '{"state": 9');
    deleteSnapshot(path);
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });

  it.each([
    ['an empty object', {}],
    ['a number', 0],
    ['null', null],
    ['a nested structure', { a: { b: [{ c: { d: 'deep' } }] }, n: [1, [2, [3]]] }],
    [
      'a large state (1000 items)',
      { items: Array.from({ length: 1000 }, (_, i) => ({ id: i, text: `item ${i}` })) },
    ],
  ])('round-trips %s', (_name, state) => {
    const path = snapshotPath(viewsDir(), 'v');
    saveSnapshot(path, { state, offset: 5, hash: 'abc' });
    expect(loadSnapshot(path)).toEqual({ state, offset: 5, hash: 'abc' });
  });

  it('keeps offset 0 with an empty hash (fresh after rotation)', () => {
    const path = snapshotPath(viewsDir(), 'v');
    saveSnapshot(path, { state: 3, offset: 0, hash: '' });
    expect(loadSnapshot(path)).toEqual({ state: 3, offset: 0, hash: '' });
  });

  it('keeps a large offset exactly (2^53 - 1)', () => {
    const path = snapshotPath(viewsDir(), 'v');
    saveSnapshot(path, { state: 3, offset: Number.MAX_SAFE_INTEGER, hash: 'h' });
    expect((loadSnapshot<number>(path) as Snapshot<number>).offset).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('save overwrites the previous snapshot', () => {
    const path = snapshotPath(viewsDir(), 'v');
    saveSnapshot(path, { state: 1, offset: 10, hash: 'a' });
    saveSnapshot(path, { state: 2, offset: 20, hash: 'b' });
    expect(loadSnapshot(path)).toEqual({ state: 2, offset: 20, hash: 'b' });
  });

  it('writes only the three fields', () => {
    const path = snapshotPath(viewsDir(), 'v');
    saveSnapshot(path, { state: 1, offset: 2, hash: 'h', extra: true } as Snapshot<number>);
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')) as object)).toEqual([
      'state',
      'offset',
      'hash',
    ]);
  });

  it('reads a pretty-printed snapshot as the Rust crate writes it', () => {
    const path = snapshotPath(viewsDir(), 'count');
    writeFileSync(path, '{\n  "state": 12,\n  "offset": 210,\n  "hash": "3448d74305c2f620"\n}');
    expect(loadSnapshot(path)).toEqual({ state: 12, offset: 210, hash: '3448d74305c2f620' });
  });

  it.each([
    ['a truncated file', '{"state": {"a": 1}, "offs'],
    ['garbled bytes', '\u0000\u0001garbage}{'],
    ['an empty file', ''],
    ['JSON null', 'null'],
    ['an array', '[1,2]'],
    ['no state', '{"offset":0,"hash":""}'],
    ['no hash', '{"state":1,"offset":0}'],
    ['a string offset', '{"state":1,"offset":"10","hash":""}'],
    ['a negative offset', '{"state":1,"offset":-1,"hash":""}'],
    ['a fractional offset', '{"state":1,"offset":1.5,"hash":""}'],
    ['a numeric hash', '{"state":1,"offset":1,"hash":5}'],
  ])('reports %s as unreadable (never throws)', (_name, content) => {
    const path = snapshotPath(viewsDir(), 'v');
    writeFileSync(path, content);
    expect(loadSnapshot(path)).toBe('unreadable');
  });

  it('never reads a stale .tmp: the old snapshot survives a crash mid-save', () => {
    const path = snapshotPath(viewsDir(), 'v');
    saveSnapshot(path, { state: 'old', offset: 10, hash: 'a' });
    writeFileSync(`${path}.tmp`, '{"state":"new","offset":20,"ha'); // the crash cut the temp write
    expect(loadSnapshot(path)).toEqual({ state: 'old', offset: 10, hash: 'a' });
    // A later save replaces the stale temp file and succeeds.
    saveSnapshot(path, { state: 'newer', offset: 30, hash: 'c' });
    expect(loadSnapshot(path)).toEqual({ state: 'newer', offset: 30, hash: 'c' });
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file content and leaves no temp file', () => {
    const dir = tempDir();
    const path = join(dir, 'f.json');
    writeFileAtomic(path, 'one');
    writeFileAtomic(path, Buffer.from('two'));
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['f.json']);
  });
});
