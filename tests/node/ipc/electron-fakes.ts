/** Shared fakes of the Electron IPC tests: the app window's main frame and host services as Electron's main process gives them. */
import path from 'node:path';
import type { CallingFrame, TrustedRenderer } from '../../../src/main/ipc/electron-ipc';
import type { HostServices } from '../../../src/main/ipc/handlers';
import { ResourceRegistry } from '../../../src/main/resources/registry';

/** The app window's main frame (its URL can be changed by a test) and the trust rule that names it. */
export interface AppWindow {
  mainFrame: CallingFrame & { url: string };
  trusted: TrustedRenderer;
}

/** A fresh app window: the trusted renderer compares senders to its main frame by identity. */
export function appWindow(): AppWindow {
  const mainFrame: CallingFrame & { url: string } = { url: 'zoe://app/index.html' };
  return { mainFrame, trusted: { mainFrame: (): CallingFrame | null => mainFrame, urlPrefix: 'zoe://app/' } };
}

/** Host services of the Electron host over `dataDir`, with the folder chooser and event sink a test gives. */
export function electronHostServices(dataDir: string, hooks: Pick<HostServices, 'chooseFolder' | 'emit'>): HostServices {
  return {
    host: 'electron',
    appName: 'Zoe Studio',
    appVersion: '0.0.0-test',
    dataDir,
    resourcesDir: path.join(dataDir, 'models'),
    versions: { electron: null, chrome: null },
    chooseFolder: hooks.chooseFolder,
    resourceUrl: (kind, id) => `zoe://${kind}/${id}`,
    resources: new ResourceRegistry(),
    emit: hooks.emit
  };
}
