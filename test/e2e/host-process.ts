/**
 * Runs browser mode (`src-main/web/host.ts`) as a real child process on a data folder, and reads the URL it
 * prints. Stopping it sends SIGTERM and waits for the graceful shutdown (which releases the store's lock).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A running host. */
export interface HostProcess {
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Everything the host printed so far. */
  output(): string;
  stop(): Promise<void>;
}

const URL_PATTERN = /(http:\/\/127\.0\.0\.1:(\d+))\/\?token=([A-Za-z0-9_-]+)/;

/** Starts the host in `projectDir` on `dataDir`; rejects with its output when it does not print a URL in time. */
export function startHostProcess(
  projectDir: string,
  dataDir: string,
  timeoutMs = 30_000,
): Promise<HostProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(projectDir, 'src-main', 'web', 'host.ts'), '--data-dir', dataDir],
    { cwd: projectDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EVENTFOLD_DATA_DIR: '' } },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let started = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`browser-mode host printed no URL within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = started ? null : URL_PATTERN.exec(output);
      if (!match) return;
      started = true;
      clearTimeout(timer);
      resolve({
        url: match[0],
        origin: match[1]!,
        port: Number(match[2]),
        token: match[3]!,
        output: () => output,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!started)
        reject(new Error(`browser-mode host exited (${code}) before printing its URL:\n${output}`));
    });
  });
}
