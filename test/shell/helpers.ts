/**
 * Shared helpers of the shell tests: temp folders and a real interim backend on one.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { CrmBackend } from '../../core/crm/backend.js';
import { createInterimBackend } from '../../core/crm/interim-backend.js';

/** A fresh temp folder, removed when the current test finishes. */
export function tempDir(prefix = 'eventfold-shell-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A real interim backend on a fresh data folder, closed when the test finishes. */
export async function openTestBackend(
  dataDir = join(tempDir(), 'data'),
): Promise<{ backend: CrmBackend; dataDir: string }> {
  const backend = await createInterimBackend(dataDir, { version: '9.9.9-test' });
  onTestFinished(() => backend.close());
  return { backend, dataDir };
}

/** The interim backend's active log file inside a data folder. */
export function interimLogFile(dataDir: string): string {
  return join(dataDir, 'interim-contacts', 'app.jsonl');
}
