/**
 * Opening app windows: secure web preferences, the remembered size and position, and live change
 * notifications pushed to each window until it closes.
 * @module
 */
import { BrowserWindow, screen } from 'electron';
import { IPC_CHANNELS } from '../../src-preload/api.js';
import type { PushHub } from '../service/push-hub.js';
import {
  fitToDisplays,
  MIN_WINDOW_SIZE,
  readWindowState,
  writeWindowState,
} from '../service/window-state.js';

/** Options of {@link createWindowOpener}. */
export interface WindowOpenerOptions {
  preload: string;
  /** `app://eventfold/index.html`, or the dev server's URL. */
  startUrl: string;
  hub: PushHub;
  /** The JSON file the window state is kept in. */
  stateFile: string;
  /** Called with a failure to save the window state (never fatal). */
  onError(message: string, error: unknown): void;
}

/** Opens windows and focuses the most recent one. */
export interface WindowOpener {
  open(): BrowserWindow;
  /** Brings the app to the front (a second launch calls this). */
  focus(): void;
}

/** Creates the opener; see the module comment. */
export function createWindowOpener(options: WindowOpenerOptions): WindowOpener {
  function open(): BrowserWindow {
    const saved = fitToDisplays(
      readWindowState(options.stateFile),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    // Further windows cascade from the first instead of covering it exactly.
    const offset = BrowserWindow.getAllWindows().length * 24;
    const win = new BrowserWindow({
      width: saved.width,
      height: saved.height,
      ...(saved.x !== undefined && saved.y !== undefined ? { x: saved.x + offset, y: saved.y + offset } : {}),
      minWidth: MIN_WINDOW_SIZE.width,
      minHeight: MIN_WINDOW_SIZE.height,
      show: false,
      title: 'Eventfold CRM',
      webPreferences: {
        preload: options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: true,
      },
    });
    if (saved.maximized && offset === 0) win.maximize();
    win.once('ready-to-show', () => win.show());

    const detach = options.hub.attach({
      send(notification) {
        if (!win.isDestroyed()) win.webContents.send(IPC_CHANNELS.changed, notification);
      },
    });
    win.on('close', () => {
      try {
        const bounds = win.getNormalBounds();
        writeWindowState(options.stateFile, { ...bounds, maximized: win.isMaximized() });
      } catch (err) {
        options.onError('could not save the window state', err);
      }
    });
    win.on('closed', detach);
    void win.loadURL(options.startUrl);
    return win;
  }

  return {
    open,
    focus() {
      const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows().at(-1);
      if (!win) {
        open();
        return;
      }
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    },
  };
}
