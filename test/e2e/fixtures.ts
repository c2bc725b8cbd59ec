/**
 * The `app` fixture: one running Eventfold CRM on a fresh temp data folder, in the project's mode.
 * - `browser`: browser mode as a child process, driven by Debian Chromium (one browser context per window).
 * - `electron`: the built app (package.json `main`: `out/main/index.js`) under the real Electron runtime via `_electron.launch`;
 *   skipped with the printed reason when the runtime is not installed (found without `require('electron')`).
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  _electron,
  test as base,
  type Browser,
  type ElectronApplication,
  type Page,
  type TestInfo,
} from '@playwright/test';
import { findElectronBinary } from '../../src-main/service/electron-binary.js';
import { NEW_WINDOW_ITEM_ID } from '../../src-main/service/menu-ids.js';
import { startHostProcess, type HostProcess } from './host-process.js';

/** The repository root. */
export const PROJECT_DIR = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A running app under test. */
export interface AppUnderTest {
  mode: 'browser' | 'electron';
  dataDir: string;
  /** Opens a window (browser mode: a new browser context, like a second tab; Electron: File > New Window). */
  openWindow(): Promise<Page>;
  /** Stops the app (closing the store gracefully) and starts it again on the same data folder. */
  restart(): Promise<void>;
  /** Browser mode only: the host's URL, origin and token (`null` under Electron). */
  readonly web: HostProcess | null;
  /** Console errors and uncaught exceptions of every window opened so far (CSP violations show up here). */
  readonly pageErrors: string[];
}

function watchErrors(page: Page, into: string[]): Page {
  page.on('console', (m) => {
    if (m.type() === 'error') into.push(m.text());
  });
  page.on('pageerror', (e) => into.push(e.message));
  return page;
}

let electronSkipPrinted = false;

async function browserApp(
  browser: Browser,
  dataDir: string,
): Promise<AppUnderTest & { close(): Promise<void> }> {
  let host = await startHostProcess(PROJECT_DIR, dataDir);
  const contexts: Awaited<ReturnType<Browser['newContext']>>[] = [];
  const pageErrors: string[] = [];
  return {
    mode: 'browser',
    dataDir,
    pageErrors,
    get web() {
      return host;
    },
    async openWindow() {
      const context = await browser.newContext();
      contexts.push(context);
      const page = watchErrors(await context.newPage(), pageErrors);
      await page.goto(host.url);
      return page;
    },
    async restart() {
      await host.stop();
      host = await startHostProcess(PROJECT_DIR, dataDir);
    },
    async close() {
      for (const c of contexts) await c.close();
      await host.stop();
    },
  };
}

async function electronApp(
  exe: string,
  root: string,
  dataDir: string,
): Promise<AppUnderTest & { close(): Promise<void> }> {
  const launch = (): Promise<ElectronApplication> =>
    _electron.launch({
      executablePath: exe,
      // The project folder, so Electron reads package.json (name, version, `main: out/main/index.js`).
      args: [PROJECT_DIR, '--data-dir', dataDir],
      env: { ...process.env, EVENTFOLD_USER_DATA_DIR: join(root, 'user-data'), EVENTFOLD_DATA_DIR: '' },
    });
  let app = await launch();
  let opened = 0;
  const pageErrors: string[] = [];
  return {
    mode: 'electron',
    dataDir,
    web: null,
    pageErrors,
    async openWindow() {
      if (opened++ === 0) return watchErrors(await app.firstWindow(), pageErrors);
      const next = app.waitForEvent('window');
      await app.evaluate(
        ({ Menu }, id) => Menu.getApplicationMenu()?.getMenuItemById(id)?.click(),
        NEW_WINDOW_ITEM_ID,
      );
      return watchErrors(await next, pageErrors);
    },
    async restart() {
      await app.close();
      app = await launch();
      opened = 0;
    },
    async close() {
      await app.close();
    },
  };
}

/** `test` with the `app` fixture, and `shot()` for numbered step screenshots. */
export const test = base.extend<{ app: AppUnderTest }>({
  app: async ({ playwright }, use, testInfo) => {
    const root = mkdtempSync(join(tmpdir(), 'eventfold-e2e-'));
    const dataDir = join(root, 'data');
    let app: (AppUnderTest & { close(): Promise<void> }) | undefined;
    let browser: Browser | undefined;
    try {
      if (testInfo.project.name === 'electron') {
        const electron = findElectronBinary(PROJECT_DIR);
        if (!electron.found) {
          const reason = `Electron e2e skipped: ${electron.reason} (the same specs ran in browser mode).`;
          if (!electronSkipPrinted) console.log(reason);
          electronSkipPrinted = true;
          testInfo.skip(true, reason);
          return;
        }
        app = await electronApp(electron.path, root, dataDir);
      } else {
        const options = testInfo.project.use.launchOptions ?? {};
        browser = await playwright.chromium.launch({
          ...options,
          headless: testInfo.project.use.headless ?? true,
        });
        app = await browserApp(browser, dataDir);
      }
      await use(app);
    } finally {
      await app?.close();
      await browser?.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';

const printedSkips = new Set<string>();

/**
 * Skips the current test outside project `project`, printing `reason` once (a skip without a printed reason would
 * look like a pass in the log).
 */
export function onlyIn(project: 'browser' | 'electron', testInfo: TestInfo, reason: string): void {
  if (testInfo.project.name === project) return;
  const line = `${testInfo.project.name}: skipped "${testInfo.titlePath[1] ?? testInfo.title}": ${reason}`;
  if (!printedSkips.has(line)) console.log(line);
  printedSkips.add(line);
  testInfo.skip(true, reason);
}

const shotCounts = new WeakMap<TestInfo, number>();

/** Saves a numbered screenshot of `page` for this step as `test-results/<test>/<NN>-<step>.png`. */
export async function shot(page: Page, testInfo: TestInfo, step: string): Promise<void> {
  const n = (shotCounts.get(testInfo) ?? 0) + 1;
  shotCounts.set(testInfo, n);
  await page.screenshot({
    path: testInfo.outputPath(`${String(n).padStart(2, '0')}-${step}.png`),
    fullPage: true,
  });
}
