import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCrmBackend } from '../../core/crm/crm-backend.js';
import { tempDir } from './helpers.js';

const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url));
const HOST = join(PROJECT_DIR, 'src-main', 'web', 'host.ts');

interface Run {
  /** Resolves with the output once `pattern` appears (or the process exits). */
  waitFor(pattern: RegExp): Promise<string>;
  exit: Promise<{ code: number | null; output: string }>;
  kill(signal: NodeJS.Signals): void;
}

/** `npm run web` as a real child process. */
function runHost(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', HOST, ...args], {
    cwd: PROJECT_DIR,
    env: { ...process.env, EVENTFOLD_DATA_DIR: '' },
  });
  let output = '';
  const waiters: (() => void)[] = [];
  const onOutput = (chunk: Buffer): void => {
    output += chunk.toString();
    waiters.forEach((w) => w());
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const exit = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('exit', (code) => {
      waiters.forEach((w) => w());
      resolve({ code, output });
    }),
  );
  return {
    exit,
    kill: (signal) => child.kill(signal),
    waitFor: (pattern) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (pattern.test(output) || child.exitCode !== null) resolve(output);
        };
        waiters.push(check);
        check();
      }),
  };
}

function rendererDir(): string {
  const dir = join(tempDir(), 'renderer');
  mkdirSync(dir);
  writeFileSync(join(dir, 'index.html'), '<html><head></head><body></body></html>');
  return dir;
}

describe('npm run web (the browser-mode host process)', () => {
  it('prints its URL and data folder, refuses a second host on the same folder, and closes the store on SIGTERM', async () => {
    const dataDir = join(tempDir(), 'data');
    const renderer = rendererDir();
    const first = runHost(['--data-dir', dataDir, '--renderer-dir', renderer]);
    const started = await first.waitFor(/Data folder: .+\n/);
    expect(started).toMatch(/running at http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}/);
    expect(started).toContain(`Data folder: ${dataDir}`);

    const second = runHost(['--data-dir', dataDir, '--renderer-dir', renderer]);
    const refused = await second.exit;
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('The data folder is in use');

    first.kill('SIGTERM');
    const stopped = await first.exit;
    expect(stopped.code).toBe(0);
    expect(stopped.output).toContain('closing the data folder');
    // The lock was released: the folder opens again.
    const reopened = await createCrmBackend(dataDir, { version: '1' });
    await reopened.close();
  });

  it('explains a missing build, a bad port and a data folder that cannot be used, and exits 1', async () => {
    const noBuild = await runHost([
      '--data-dir',
      join(tempDir(), 'd'),
      '--renderer-dir',
      join(tempDir(), 'none'),
    ]).exit;
    expect(noBuild.code).toBe(1);
    expect(noBuild.output).toContain('run `npm run build` first');

    const badPort = await runHost([
      '--data-dir',
      join(tempDir(), 'd'),
      '--renderer-dir',
      rendererDir(),
      '--port',
      'http',
    ]).exit;
    expect(badPort.code).toBe(1);
    expect(badPort.output).toContain('--port must be a port number');

    const notAFolder = join(tempDir(), 'data');
    writeFileSync(notAFolder, 'a file, not a folder');
    const unusable = await runHost(['--data-dir', notAFolder, '--renderer-dir', rendererDir()]).exit;
    expect(unusable.code).toBe(1);
    expect(unusable.output).toContain('The data folder cannot be used');
  });
});
