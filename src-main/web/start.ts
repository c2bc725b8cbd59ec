/**
 * `npm start`: development with HMR through `electron-vite dev` when the Electron runtime is installed; otherwise
 * one line saying so, a build of the renderer, and browser mode (printing its URL). Extra arguments (e.g.
 * `--data-dir`) are passed on.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findElectronBinary } from '../service/electron-binary.js';
import { PROJECT_DIR, runWebHost } from './host.js';

const args = process.argv.slice(2);
const electronVite = join(
  PROJECT_DIR,
  'node_modules',
  '.bin',
  process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite',
);
const electron = findElectronBinary(PROJECT_DIR);

if (electron.found) {
  const child = spawn(electronVite, ['dev', '--', ...args], { cwd: PROJECT_DIR, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  console.log(`Electron runtime not available (${electron.reason}): starting browser mode instead.`);
  const build = spawnSync(electronVite, ['build'], {
    cwd: PROJECT_DIR,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    console.error('Building the renderer failed (see above); run `npm run build` for details.');
    process.exit(build.status ?? 1);
  }
  const code = await runWebHost(args);
  if (code !== 0) process.exit(code);
}
