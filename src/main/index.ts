/** Electron entry: security first, then the protocol, the IPC table and the one window. */
import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { createElectronServices } from './host/electron-services';
import { registerFolderDrop, registerIpcHandlers } from './ipc/electron-ipc';
import { createHandlerTable } from './ipc/table';
import { handleZoeProtocol, listAppFiles, registerZoeScheme } from './protocol';
import { ResourceRegistry } from './resources/registry';
import { rendererLocation } from './security/renderer-origin';
import { hardenEveryWebContents } from './security/web-contents';
import { createMainWindow } from './window';

let mainWindow: BrowserWindow | null = null;

async function start(): Promise<void> {
  const location = rendererLocation({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL });
  const resources = new ResourceRegistry();
  handleZoeProtocol({ appFiles: await listAppFiles(path.join(__dirname, '../renderer')), resources });
  const services = createElectronServices({ window: () => mainWindow, resources });
  const table = createHandlerTable(services);
  releaseOnQuit(() => table.dispose());
  const trusted = {
    mainFrame: () => (mainWindow === null || mainWindow.isDestroyed() ? null : mainWindow.webContents.mainFrame),
    urlPrefix: location.trustedPrefix
  };
  registerIpcHandlers(table, trusted);
  registerFolderDrop((dropped) => table.openDroppedFolder(dropped), trusted);

  function openMainWindow(): void {
    const window = createMainWindow({ preloadPath: path.join(__dirname, '../preload/index.js'), rendererUrl: location.url });
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    mainWindow = window;
  }
  openMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
  });
}

/**
 * Before the app exits, `release` stops downloads and depth jobs and frees the model sessions and
 * worker threads; quitting waits for it (at most a few seconds).
 */
function releaseOnQuit(release: () => Promise<void>): void {
  let released = false;
  app.on('will-quit', (event) => {
    if (released) return;
    event.preventDefault();
    released = true;
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, 5000));
    void Promise.race([release().catch((error: unknown) => console.error('[zoe] releasing on quit failed:', error)), deadline]).finally(() => app.quit());
  });
}

// Before ready: every renderer the app could ever create is sandboxed, whatever its preferences say.
app.enableSandbox();
registerZoeScheme();
hardenEveryWebContents();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('[zoe] startup failed:', error);
      dialog.showErrorBox('Zoe Studio could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
