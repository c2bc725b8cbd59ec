/**
 * The shell's one seam to the backend: opens `createCrmBackend(dataDir)` and hands the shell the contract its
 * untrusted requests are validated with (the same zod schemas the backend validates with again).
 * @module
 */
import type { CrmBackend } from '../../core/crm/backend.js';
import { createCrmBackend, crmContract } from '../../core/crm/crm-backend.js';
import type { Logger } from '../../core/log/index.js';
import type { ShellContract } from './contract.js';

/** An open backend with its contract. */
export interface OpenedBackend {
  backend: CrmBackend;
  contract: ShellContract;
}

/** Options of {@link openBackend}. */
export interface OpenBackendOptions {
  /** The app version, reported by the `app.info` query. */
  version: string;
  logger?: Logger;
}

/**
 * Opens the CRM on `dataDir`.
 * @throws what opening the store throws (EventfoldStoreLockedError, CorruptLogError, I/O errors): see
 * `describeStartupError`.
 */
export async function openBackend(dataDir: string, options: OpenBackendOptions): Promise<OpenedBackend> {
  const backend = await createCrmBackend(dataDir, {
    version: options.version,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { backend, contract: crmContract() };
}
