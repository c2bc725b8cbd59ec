/**
 * The two IPC `invoke` channels (commands, queries). Each checks that the sender frame is the app's own page,
 * then hands the untrusted payload to the router, which validates it against the contract.
 * @module
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS } from '../../src-preload/api.js';
import type { BackendResult } from '../../core/crm/backend.js';
import { failure } from '../service/backend-errors.js';
import type { Router } from '../service/router.js';
import { isAppUrl } from '../service/trusted-url.js';

function fromTrustedFrame(event: IpcMainInvokeEvent, devServerUrl: string | undefined): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url, devServerUrl);
}

const untrusted = (): BackendResult<never> =>
  failure(
    'validation',
    'UNTRUSTED_SENDER',
    'This request did not come from the app’s own page and was refused.',
  );

/** Registers the handlers. */
export function registerIpcHandlers(router: Router, devServerUrl: string | undefined): void {
  ipcMain.handle(IPC_CHANNELS.execute, (event, payload: unknown) =>
    fromTrustedFrame(event, devServerUrl) ? router.execute(payload) : untrusted(),
  );
  ipcMain.handle(IPC_CHANNELS.query, (event, payload: unknown) =>
    fromTrustedFrame(event, devServerUrl) ? router.query(payload) : untrusted(),
  );
}
