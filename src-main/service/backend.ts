/**
 * The shell's one seam to the backend: which {@link CrmBackend} to open and the contract its requests are
 * validated with. Today the interim contacts backend; `createCrmBackend(dataDir)` and the core/crm contract
 * replace it here when they land (nothing else in the shell changes).
 * @module
 */
import type { CrmBackend } from '../../core/crm/backend.js';
import { createInterimBackend, interimContract } from '../../core/crm/interim-backend.js';
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
 * Opens the backend on `dataDir`.
 * @throws what opening the store throws (LockedError, CorruptLogError, I/O errors): see `describeStartupError`.
 */
export async function openBackend(dataDir: string, options: OpenBackendOptions): Promise<OpenedBackend> {
  const backend = await createInterimBackend(dataDir, {
    version: options.version,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { backend, contract: interimContract };
}
