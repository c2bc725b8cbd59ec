/**
 * End-to-end tests: the same specs in two projects. `browser` drives browser mode (`src-main/web/host.ts` on a
 * temp data folder) in Debian's Chromium; `electron` drives the real app with `_electron.launch` and skips, with
 * the reason printed, when the Electron runtime is not installed. Screenshots of each step and the JSON report
 * (read by `.ci/summarize.mjs`) go to `test-results/`. Run `npm run build` first.
 */
import { defineConfig } from '@playwright/test';

/** Debian Chromium in a container: no sandbox, GPU or background network chatter. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  // Two cores shared with other work: one worker, generous timeouts, no retries (a flaky test is a failing test).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  forbidOnly: true,
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.EVENTFOLD_CHROMIUM ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
    viewport: { width: 1100, height: 700 },
    trace: 'off',
  },
  projects: [{ name: 'browser' }, { name: 'electron' }],
});
