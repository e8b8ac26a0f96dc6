import path from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import { eventChannelOf } from '../../shared/api';
import type { HostServices } from '../ipc/handlers';
import type { ResourceRegistry } from '../resources/registry';
import { ZOE_SCHEME } from '../protocol/resolve';

/** What the Electron host needs to build its services. */
export interface ElectronServicesOptions {
  /** The app's window as it is now (dialogs attach to it, events go to it); `null` while there is none. */
  window(): BrowserWindow | null;
  resources: ResourceRegistry;
}

/** Where the bundled model catalog lives: beside the app when packaged, in the repository otherwise. */
export function bundledModelsDir(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'models') : path.join(app.getAppPath(), 'resources', 'models');
}

/** The `HostServices` of the Electron main process. */
export function createElectronServices(options: ElectronServicesOptions): HostServices {
  function liveWindow(): BrowserWindow | null {
    const window = options.window();
    return window !== null && !window.isDestroyed() ? window : null;
  }
  return {
    host: 'electron',
    appName: app.getName(),
    appVersion: app.getVersion(),
    dataDir: app.getPath('userData'),
    resourcesDir: bundledModelsDir(),
    versions: { electron: process.versions.electron ?? null, chrome: process.versions.chrome ?? null },
    async chooseFolder() {
      const dialogOptions: Electron.OpenDialogOptions = {
        title: 'Open a folder of photos',
        buttonLabel: 'Open folder',
        properties: ['openDirectory']
      };
      const window = liveWindow();
      const choice = window === null ? await dialog.showOpenDialog(dialogOptions) : await dialog.showOpenDialog(window, dialogOptions);
      return choice.canceled ? null : (choice.filePaths[0] ?? null);
    },
    async chooseModelFile() {
      const dialogOptions: Electron.OpenDialogOptions = {
        title: 'Import a depth model',
        buttonLabel: 'Import model',
        properties: ['openFile'],
        filters: [{ name: 'ONNX depth models', extensions: ['onnx'] }]
      };
      const window = liveWindow();
      const choice = window === null ? await dialog.showOpenDialog(dialogOptions) : await dialog.showOpenDialog(window, dialogOptions);
      return choice.canceled ? null : (choice.filePaths[0] ?? null);
    },
    async chooseOutputFolder() {
      const dialogOptions: Electron.OpenDialogOptions = {
        title: 'Export depth to a folder',
        buttonLabel: 'Export here',
        properties: ['openDirectory', 'createDirectory']
      };
      const window = liveWindow();
      const choice = window === null ? await dialog.showOpenDialog(dialogOptions) : await dialog.showOpenDialog(window, dialogOptions);
      return choice.canceled ? null : (choice.filePaths[0] ?? null);
    },
    resourceUrl(kind, id) {
      return `${ZOE_SCHEME}://${kind}/${encodeURIComponent(id)}`;
    },
    resources: options.resources,
    emit(event, payload) {
      liveWindow()?.webContents.send(eventChannelOf(event), payload);
    }
  };
}
