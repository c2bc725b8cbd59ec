/**
 * Runs a TypeScript benchmark script in a fresh Node process (through tsx) and parses the JSON line it prints.
 * @module
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where `tsx` resolves from). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs `script` (a path relative to this folder) with `args`; resolves with the JSON of its last stdout line. */
export function runTsChild<T>(script: string, args: string[]): Promise<T> {
  const path = resolve(dirname(fileURLToPath(import.meta.url)), script);
  return new Promise((ok, fail) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path, ...args],
      { cwd: REPO_ROOT, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err) {
          fail(new Error(`${script} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
          return;
        }
        const last = stdout.trim().split('\n').pop() ?? '';
        try {
          ok(JSON.parse(last) as T);
        } catch {
          fail(new Error(`${script} printed no JSON result: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}
