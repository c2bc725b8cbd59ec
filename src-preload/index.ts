/**
 * The preload: exposes exactly four named functions as `window.eventfold` (no `ipcRenderer`, no generic channel
 * access). Runs sandboxed, so it is bundled into one CommonJS file (`out/preload/index.cjs`).
 * @module
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  API_GLOBAL,
  IPC_CHANNELS,
  type AppInfo,
  type BackendResult,
  type ChangeNotification,
  type CommandRequest,
  type EventfoldApi,
  type QueryRequest,
} from './api.js';

const api: EventfoldApi = {
  execute: (request: CommandRequest) =>
    ipcRenderer.invoke(IPC_CHANNELS.execute, request) as Promise<BackendResult>,
  query: (request: QueryRequest) => ipcRenderer.invoke(IPC_CHANNELS.query, request) as Promise<BackendResult>,
  subscribe(listener: (notification: ChangeNotification) => void): () => void {
    // Wrapped so the page never receives the IpcRendererEvent (it would leak ipcRenderer via event.sender).
    const wrapped = (_event: IpcRendererEvent, notification: ChangeNotification): void =>
      listener(notification);
    ipcRenderer.on(IPC_CHANNELS.changed, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.changed, wrapped);
    };
  },
  appInfo: () =>
    ipcRenderer.invoke(IPC_CHANNELS.query, { query: 'app.info', params: {} }) as Promise<
      BackendResult<AppInfo>
    >,
};

contextBridge.exposeInMainWorld(API_GLOBAL, api);
