/**
 * Shared helpers of the shell tests: temp folders and a real CRM backend on one.
 * @module
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';

/** A fresh temp folder, removed when the current test finishes. */
export function tempDir(prefix = 'eventfold-shell-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A real CRM backend on a fresh data folder, closed when the test finishes. */
export async function openTestBackend(
  dataDir = join(tempDir(), 'data'),
): Promise<{ backend: OpenCrmBackend; dataDir: string }> {
  const backend = await createCrmBackend(dataDir, { version: '9.9.9-test' });
  onTestFinished(() => backend.close());
  return { backend, dataDir };
}

/**
 * Bytes of every event log in a data folder: unchanged by a request that was refused (nothing was written),
 * whatever the read models cache meanwhile.
 */
export function eventBytes(dataDir: string): number {
  let total = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'app.jsonl' || entry.name.startsWith('archive.')) total += statSync(path).size;
    }
  };
  walk(join(dataDir, 'streams'));
  return total;
}

/** A valid `CreateContact` request for `firstName` (and `email`). */
export function createContact(firstName: string, email?: string): { command: string; input: unknown } {
  return { command: 'CreateContact', input: { firstName, ...(email ? { emails: [email] } : {}) } };
}
