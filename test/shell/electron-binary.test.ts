import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../src-main/service/electron-binary.js';
import { tempDir } from './helpers.js';

describe('finding the Electron runtime without require("electron")', () => {
  it('reports a missing package, a missing path.txt, and a missing executable', () => {
    const project = tempDir();
    expect(findElectronBinary(project, {})).toMatchObject({
      found: false,
      reason: expect.stringContaining('not installed'),
    });
    const pkg = join(project, 'node_modules', 'electron');
    mkdirSync(pkg, { recursive: true });
    expect(findElectronBinary(project, {})).toMatchObject({
      found: false,
      reason: expect.stringContaining('path.txt'),
    });
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(findElectronBinary(project, {})).toMatchObject({
      found: false,
      reason: expect.stringContaining('does not exist'),
    });
  });

  it('finds dist/<path.txt>, or the override folder', () => {
    const project = tempDir();
    const pkg = join(project, 'node_modules', 'electron');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'path.txt'), 'electron\n');
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    expect(findElectronBinary(project, {})).toEqual({ found: true, path: join(pkg, 'dist', 'electron') });
    const override = tempDir();
    expect(findElectronBinary(project, { ELECTRON_OVERRIDE_DIST_PATH: override }).found).toBe(false);
    writeFileSync(join(override, 'electron'), '');
    expect(findElectronBinary(project, { ELECTRON_OVERRIDE_DIST_PATH: override })).toEqual({
      found: true,
      path: join(override, 'electron'),
    });
  });
});
