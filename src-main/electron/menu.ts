/**
 * The native menu with the usual roles and shortcuts (copy/paste, undo, zoom, full screen, close, quit) and
 * File > New Window.
 * @module
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import { NEW_WINDOW_ITEM_ID } from '../service/menu-ids.js';

/** Options of {@link buildAppMenu}. */
export interface AppMenuOptions {
  newWindow(): void;
  /** Adds reload and developer tools (development builds only). */
  development: boolean;
  isMac: boolean;
}

/** Builds the application menu. */
export function buildAppMenu(options: AppMenuOptions): Menu {
  const template: MenuItemConstructorOptions[] = [];
  if (options.isMac) template.push({ role: 'appMenu' });
  template.push(
    {
      label: 'File',
      submenu: [
        {
          id: NEW_WINDOW_ITEM_ID,
          label: 'New Window',
          accelerator: 'CmdOrCtrl+Shift+N',
          click: () => options.newWindow(),
        },
        { type: 'separator' },
        options.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(options.development
          ? ([
              { role: 'reload' },
              { role: 'forceReload' },
              { role: 'toggleDevTools' },
              { type: 'separator' },
            ] as const)
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  );
  return Menu.buildFromTemplate(template);
}
