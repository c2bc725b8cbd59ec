/**
 * Electron security settings that apply to every web contents: no `<webview>`, no navigation away from the app
 * (http/https/mailto links go to the OS browser instead), no new windows, no permissions.
 * @module
 */
import { app, session, shell } from 'electron';
import { externalUrlToOpen, isAppUrl } from '../service/trusted-url.js';

function openOutside(url: string): void {
  const target = externalUrlToOpen(url);
  if (target) void shell.openExternal(target);
}

/** Installs the handlers; call once, before the first window. `devServerUrl` is trusted in development only. */
export function installSecurityHandlers(devServerUrl: string | undefined): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    const guard = (event: { preventDefault(): void }, url: string): void => {
      if (isAppUrl(url, devServerUrl)) return;
      event.preventDefault();
      openOutside(url);
    };
    contents.on('will-navigate', (event) => guard(event, event.url));
    contents.on('will-redirect', (event) => guard(event, event.url));
    contents.setWindowOpenHandler(({ url }) => {
      openOutside(url);
      return { action: 'deny' };
    });
  });
}

/** Denies every permission request and check (camera, notifications, geolocation, ...): the app needs none. */
export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
