/**
 * The Electron main process: only the code that must touch Electron. It takes the single-instance lock, opens
 * the store in `<userData>/data` (or `--data-dir` / `EVENTFOLD_DATA_DIR`), wires the typed IPC, the push of
 * change notifications and the reminders (OS notifications), opens the window, and closes the store on quit, last
 * window closed, SIGTERM or SIGINT.
 * Everything testable without Electron lives in `./service`.
 * @module
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, Menu, powerMonitor } from 'electron';
import { buildAppMenu } from './electron/menu.js';
import { registerIpcHandlers } from './electron/ipc.js';
import { startReminderNotifications } from './electron/notifications.js';
import { registerAppScheme, serveAppScheme } from './electron/protocol.js';
import { denyAllPermissions, installSecurityHandlers } from './electron/security.js';
import { showStartupProblem } from './electron/startup-dialog.js';
import { createWindowOpener } from './electron/windows.js';
import { openBackend } from './service/backend.js';
import { consoleLogger } from './service/console-logger.js';
import { APP_DIR_NAME, resolveDataDir, USER_DATA_DIR_ENV } from './service/data-dir.js';
import { PushHub } from './service/push-hub.js';
import { createRouter } from './service/router.js';
import { createShutdown } from './service/shutdown.js';
import { describeStartupError } from './service/startup-error.js';
import { APP_START_URL } from './service/trusted-url.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const logger = consoleLogger('eventfold');
// electron-vite dev sets this to the renderer dev server; a packaged app never trusts it.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

registerAppScheme();
app.enableSandbox();
// A fixed folder name, so Electron, browser mode and packaged builds all find the same data. Tests move it
// (with the single-instance lock and the window state) to a temp folder.
const userDataOverride = process.env[USER_DATA_DIR_ENV];
app.setPath(
  'userData',
  userDataOverride ? resolve(userDataOverride) : join(app.getPath('appData'), APP_DIR_NAME),
);

if (!app.requestSingleInstanceLock()) {
  // Another instance runs: it receives 'second-instance' and comes to the front.
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  const dataDir = resolveDataDir({
    argv: process.argv,
    env: process.env,
    userDataDir: app.getPath('userData'),
  });
  installSecurityHandlers(devServerUrl);
  await app.whenReady();
  denyAllPermissions();
  serveAppScheme(join(here, '../renderer'));

  let opened;
  try {
    opened = await openBackend(dataDir, { version: app.getVersion(), logger });
  } catch (err) {
    const problem = describeStartupError(err, dataDir);
    logger.warn(`startup failed: ${problem.title}`, { detail: problem.detail });
    await showStartupProblem(problem, dataDir);
    app.exit(1);
    return;
  }
  const { backend, contract } = opened;
  const hub = new PushHub(backend, logger);
  registerIpcHandlers(createRouter(backend, contract, { logger }), devServerUrl);

  const windows = createWindowOpener({
    preload: join(here, '../preload/index.cjs'),
    startUrl: devServerUrl ?? APP_START_URL,
    hub,
    stateFile: join(app.getPath('userData'), 'window-state.json'),
    onError: (message, error) => logger.warn(message, { error: String(error) }),
  });
  Menu.setApplicationMenu(
    buildAppMenu({
      newWindow: () => windows.open(),
      development: !app.isPackaged,
      isMac: process.platform === 'darwin',
    }),
  );

  // Reminders as OS notifications, when the backend has them (the interim contacts backend does not).
  const reminders = Object.hasOwn(contract.queries, 'reminder.next')
    ? startReminderNotifications({ backend, logger, focus: () => windows.focus() })
    : null;
  // Timers do not see a sleep: plan again on wake.
  powerMonitor.on('resume', () => void reminders?.replan());

  const shutdown = createShutdown(
    [
      { name: 'stop reminders', run: () => reminders?.close() },
      { name: 'stop pushing to windows', run: () => hub.close() },
      { name: 'close the data folder', run: () => backend.close() },
    ],
    logger,
  );
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    // Hold the quit until the store is flushed and its lock released, then quit for real.
    event.preventDefault();
    void shutdown.run().then(() => {
      closed = true;
      app.quit();
    });
  });
  // The store holds a lock: closing the last window quits (and closes it) on every platform.
  app.on('window-all-closed', () => app.quit());
  app.on('second-instance', () => windows.focus());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) windows.open();
  });
  process.once('SIGTERM', () => app.quit());
  process.once('SIGINT', () => app.quit());

  windows.open();
}
