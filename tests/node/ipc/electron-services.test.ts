import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** The parts of Electron the host services use, recording what they are asked. */
const electron = vi.hoisted(() => {
  const state = { isPackaged: false, dialogAnswer: { canceled: false, filePaths: ['/photos/iceland'] } };
  return {
    state,
    app: {
      get isPackaged() {
        return state.isPackaged;
      },
      getName: () => 'Zoe Studio',
      getVersion: () => '1.2.3',
      getPath: (name: string) => `/home/ada/.config/${name}`,
      getAppPath: () => '/src/zoe-studio'
    },
    dialog: { showOpenDialog: vi.fn(async (..._args: unknown[]) => state.dialogAnswer) }
  };
});
vi.mock('electron', () => ({ app: electron.app, dialog: electron.dialog }));

import { eventChannelOf } from '../../../src/shared/api';
import { createElectronServices } from '../../../src/main/host/electron-services';
import { ResourceRegistry } from '../../../src/main/resources/registry';

interface FakeWindow {
  destroyed: boolean;
  sent: unknown[][];
  isDestroyed(): boolean;
  webContents: { send(...args: unknown[]): void };
}

function fakeWindow(): FakeWindow {
  const window: FakeWindow = {
    destroyed: false,
    sent: [],
    isDestroyed: () => window.destroyed,
    webContents: { send: (...args: unknown[]) => window.sent.push(args) }
  };
  return window;
}

function servicesFor(window: FakeWindow | null) {
  // The services only call isDestroyed() and webContents.send() on the window.
  return createElectronServices({ window: () => window as unknown as Electron.BrowserWindow | null, resources: new ResourceRegistry() });
}

beforeEach(() => {
  electron.state.isPackaged = false;
  electron.state.dialogAnswer = { canceled: false, filePaths: ['/photos/iceland'] };
  electron.dialog.showOpenDialog.mockClear();
});

describe('Electron host services', () => {
  it('keeps its data in the user-data folder and names itself from the app', () => {
    const services = servicesFor(null);
    expect(services).toMatchObject({ host: 'electron', appName: 'Zoe Studio', appVersion: '1.2.3', dataDir: '/home/ada/.config/userData' });
  });

  it('reads bundled models from the repository when unpackaged and from resources/models when packaged', () => {
    expect(servicesFor(null).resourcesDir).toBe(path.join('/src/zoe-studio', 'resources', 'models'));
    electron.state.isPackaged = true;
    Object.defineProperty(process, 'resourcesPath', { value: '/opt/Zoe Studio/resources', configurable: true });
    expect(servicesFor(null).resourcesDir).toBe(path.join('/opt/Zoe Studio/resources', 'models'));
    Reflect.deleteProperty(process, 'resourcesPath');
  });

  it('hands out zoe:// URLs for registered resources', () => {
    const services = servicesFor(null);
    expect(services.resourceUrl('thumbnail', 'a1B2_c3-d4')).toBe('zoe://thumbnail/a1B2_c3-d4');
    expect(services.resourceUrl('preview', 'p9')).toBe('zoe://preview/p9');
  });

  it('asks for a folder with a directory chooser attached to the window, and returns the choice', async () => {
    const window = fakeWindow();
    await expect(servicesFor(window).chooseFolder()).resolves.toBe('/photos/iceland');
    const [parent, options] = electron.dialog.showOpenDialog.mock.calls[0] ?? [];
    expect(parent).toBe(window);
    expect(options).toMatchObject({ properties: ['openDirectory'] });
  });

  it('returns null when the photographer cancels the chooser', async () => {
    electron.state.dialogAnswer = { canceled: true, filePaths: [] };
    await expect(servicesFor(fakeWindow()).chooseFolder()).resolves.toBeNull();
  });

  it('sends events on their event channel to the window, and drops them when there is no live window', () => {
    const window = fakeWindow();
    const services = servicesFor(window);
    const payload = { folderId: 'f1', added: [], removed: ['p1'] };
    services.emit('library.changed', payload);
    expect(window.sent).toEqual([[eventChannelOf('library.changed'), payload]]);
    window.destroyed = true;
    services.emit('library.changed', payload);
    expect(window.sent).toHaveLength(1);
    expect(() => servicesFor(null).emit('library.changed', payload)).not.toThrow();
  });
});
