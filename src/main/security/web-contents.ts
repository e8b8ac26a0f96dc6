import { app, type Session, type WebContents } from 'electron';

/**
 * The renderer never leaves the page it was loaded with: every navigation and redirect it
 * starts is cancelled, `window.open` and `target=_blank` are denied, and `<webview>` tags are
 * refused. Navigations the main process starts itself (`loadURL`) are not affected.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * The app needs no web permission (camera, notifications, clipboard reads, USB, fullscreen…):
 * requests are refused, checks answer no, device access is denied.
 */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Applies {@link hardenWebContents} to every web contents the app ever creates, whatever made it. */
export function hardenEveryWebContents(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}
