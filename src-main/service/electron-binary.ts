/**
 * Whether the Electron runtime is installed, found WITHOUT `require('electron')`: in electron 45 that require
 * starts a download when the binary is missing (which fails offline and wastes a minute).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the Electron executable is, or why there is none. */
export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/**
 * Looks for the executable the `electron` package would run: `ELECTRON_OVERRIDE_DIST_PATH`, else
 * `node_modules/electron/dist/<path.txt>` under `projectDir`.
 */
export function findElectronBinary(projectDir: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pkg = join(projectDir, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const relativeExe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const exe = join(override, relativeExe ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(exe)
      ? { found: true, path: exe }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${exe} does not exist` };
  }
  if (!existsSync(pkg))
    return { found: false, reason: 'the electron package is not installed (node_modules/electron)' };
  if (relativeExe === undefined)
    return {
      found: false,
      reason: 'the Electron runtime was never downloaded (node_modules/electron/path.txt is missing)',
    };
  const exe = join(pkg, 'dist', relativeExe);
  return existsSync(exe)
    ? { found: true, path: exe }
    : { found: false, reason: `the Electron runtime is missing (${exe} does not exist)` };
}
