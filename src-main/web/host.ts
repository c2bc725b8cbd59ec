/**
 * `npm run web`: browser mode. Opens the backend on the data folder, serves the built renderer on 127.0.0.1 and
 * prints the URL (with its session token). Plain Node: never imports Electron.
 *
 * Options: `--data-dir <path>` (or `EVENTFOLD_DATA_DIR`), `--port <n>` (default: a free port),
 * `--renderer-dir <path>` (default `out/renderer`).
 * @module
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAppVersion } from '../service/app-version.js';
import { openBackend } from '../service/backend.js';
import { consoleLogger } from '../service/console-logger.js';
import { defaultUserDataDir, readFlag, resolveDataDir } from '../service/data-dir.js';
import { createShutdown } from '../service/shutdown.js';
import { describeStartupError } from '../service/startup-error.js';
import { startWebHost } from './server.js';

/** The repository root (this file is `src-main/web/host.ts`). */
export const PROJECT_DIR = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Runs browser mode until SIGINT/SIGTERM; returns the process exit code for a startup failure. */
export async function runWebHost(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const logger = consoleLogger('eventfold web');
  const rendererDir = resolve(readFlag(argv, '--renderer-dir') ?? join(PROJECT_DIR, 'out', 'renderer'));
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error(
      `The renderer is not built (${join(rendererDir, 'index.html')} is missing): run \`npm run build\` first.`,
    );
    return 1;
  }
  const portFlag = readFlag(argv, '--port');
  const port = portFlag === undefined ? 0 : Number(portFlag);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number (0-65535), not "${portFlag}".`);
    return 1;
  }
  const dataDir = resolveDataDir({ argv, env: process.env, userDataDir: defaultUserDataDir() });

  let opened;
  try {
    opened = await openBackend(dataDir, { version: readAppVersion(PROJECT_DIR), logger });
  } catch (err) {
    const problem = describeStartupError(err, dataDir);
    console.error(`${problem.title}. ${problem.message}\n  ${problem.detail}`);
    return 1;
  }
  const { backend, contract } = opened;
  let host;
  try {
    host = await startWebHost({ backend, contract, rendererDir, port, logger });
  } catch (err) {
    await backend.close();
    console.error(
      `Could not listen on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}`,
    );
    return 1;
  }

  const webHost = host;
  const shutdown = createShutdown(
    [
      { name: 'stop the web server', run: () => webHost.close() },
      { name: 'close the data folder', run: () => backend.close() },
    ],
    logger,
  );
  const stop = (signal: string): void => {
    console.log(`Received ${signal}: closing the data folder...`);
    void shutdown.run().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  console.log(`Eventfold CRM (browser mode) is running at ${webHost.url}`);
  console.log(`Data folder: ${dataDir}`);
  console.log('Open the URL above in your browser; press Ctrl+C to stop.');
  return 0;
}

// Run when executed directly (`tsx src-main/web/host.ts`), not when imported by `npm start`'s launcher.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void runWebHost().then((code) => {
    if (code !== 0) process.exit(code);
  });
}
