import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeOf, resolveStaticFile } from '../../src-main/service/static-files.js';
import { tempDir } from './helpers.js';

function renderer(): { root: string; outside: string } {
  const base = tempDir();
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<html></html>');
  writeFileSync(join(root, 'assets', 'a b.js'), '');
  const outside = join(base, 'secret.txt');
  writeFileSync(outside, 'secret');
  return { root, outside };
}

describe('static files: only files inside the renderer folder', () => {
  it('maps / to index.html and decodes names', () => {
    const { root } = renderer();
    expect(resolveStaticFile(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveStaticFile(root, '/index.html')).toBe(join(root, 'index.html'));
    expect(resolveStaticFile(root, '/assets/a%20b.js')).toBe(join(root, 'assets', 'a b.js'));
  });

  it('refuses traversal in every spelling, NUL bytes, backslashes, bad escapes, folders and missing files', () => {
    const { root } = renderer();
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/../../secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/index.html%00.js',
      '/%E0%A4%A',
      '/assets',
      '/assets/',
      '/missing.js',
    ])
      expect(resolveStaticFile(root, path), path).toBeNull();
  });

  it('refuses a symlink inside the folder that points outside it', () => {
    const { root, outside } = renderer();
    symlinkSync(outside, join(root, 'link.txt'));
    expect(resolveStaticFile(root, '/link.txt')).toBeNull();
  });

  it('names content types (binary fallback)', () => {
    expect(contentTypeOf('a.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('x.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('x.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('x.unknown')).toBe('application/octet-stream');
  });
});
