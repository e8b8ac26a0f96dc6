import { BrowserWindow } from 'electron';
import { denyAllPermissions, hardenWebContents } from './security/web-contents';

/** Where the main window's page and preload come from. */
export interface MainWindowOptions {
  /** Absolute path of the built preload (`out/preload/index.js`). */
  preloadPath: string;
  /** The page to load: `zoe://app/index.html`, or the dev server's URL under `electron-vite dev`. */
  rendererUrl: string;
}

/** A dark grey close to the app's background, so the window does not flash white while loading. */
const BACKGROUND_COLOUR = '#16181d';

/**
 * Creates the app's one window with the renderer locked down: isolated, sandboxed, no Node,
 * web security on, no `<webview>`, no navigation, no pop-ups, no permissions.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Zoe Studio',
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: BACKGROUND_COLOUR,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false
    }
  });
  hardenWebContents(window.webContents);
  denyAllPermissions(window.webContents.session);
  window.once('ready-to-show', () => window.show());
  window.webContents.loadURL(options.rendererUrl).catch((error: unknown) => {
    console.error(`[zoe] the window could not load ${options.rendererUrl}:`, error);
  });
  return window;
}
