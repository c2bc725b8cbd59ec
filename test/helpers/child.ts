/**
 * Running the helper scripts of test/helpers/ in child processes (real processes, killed for real).
 * @module
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Absolute path of a helper script in this folder. */
export const helperScript = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/** The argv that runs a TypeScript helper with Node and the tsx loader. */
export const tsNodeArgs = (script: string, args: string[]): string[] => [
  '--import',
  'tsx',
  helperScript(script),
  ...args,
];

/** A child process whose stdout lines are collected as they arrive. */
export interface LineChild {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the first line matching `pred` (rejects if the child exits first). */
  waitFor(pred: (line: string) => boolean): Promise<string>;
  /** Resolves when the child has exited and been reaped. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node --import tsx <script> ...args` and collects its stdout lines. */
export function spawnHelper(script: string, args: string[]): LineChild {
  const child = spawn(process.execPath, tsNodeArgs(script, args), { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const waiters: {
    pred: (l: string) => boolean;
    resolve: (l: string) => void;
    reject: (e: Error) => void;
  }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.pred(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const w of waiters.splice(0))
        w.reject(new Error(`child exited (${code ?? signal}) first: ${stderr}`));
      resolve({ code, signal });
    }),
  );
  return {
    child,
    lines,
    exited,
    waitFor(pred) {
      const found = lines.find(pred);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => waiters.push({ pred, resolve, reject }));
    },
  };
}

/** Whether `strace` can trace a child here (installed, and ptrace allowed). */
export function straceWorks(): boolean {
  if (!existsSync('/usr/bin/strace') && spawnSync('which', ['strace']).status !== 0) return false;
  const probe = spawnSync(
    'strace',
    ['-f', '-qq', '-e', 'trace=openat', '-o', '/dev/null', process.execPath, '-e', ''],
    {
      stdio: 'ignore',
      timeout: 20_000,
    },
  );
  return probe.status === 0;
}
