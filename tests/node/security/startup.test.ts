import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

type InvokeListener = (event: { senderFrame: { url: string } | null }, request?: unknown) => Promise<unknown>;
type ProtocolHandler = (request: { method: string; url: string }) => Promise<Response>;

/** Electron as `src/main/index.ts` sees it, with a `ready` the test fires and a log of what happened in which order. */
const electron = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  const state = {
    events: [] as string[],
    singleInstance: true,
    userData: '',
    markReady: (): void => undefined,
    protocolHandlers: new Map<string, ProtocolHandler>(),
    ipcHandlers: new Map<string, InvokeListener>(),
    /** `ipcMain.on` listeners (the preload-only folder drop channel). */
    ipcListeners: new Map<string, unknown>()
  };
  class FakeWebContents extends EventEmitter {
    readonly mainFrame = { url: 'zoe://app/index.html' };
    readonly loadedUrls: string[] = [];
    readonly session = { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, setDevicePermissionHandler() {} };
    setWindowOpenHandler(): void {}
    loadURL(url: string): Promise<void> {
      this.loadedUrls.push(url);
      return Promise.resolve();
    }
    send(): void {}
  }
  class FakeBrowserWindow extends EventEmitter {
    static created: FakeBrowserWindow[] = [];
    static getAllWindows(): FakeBrowserWindow[] {
      return FakeBrowserWindow.created;
    }
    readonly webContents = new FakeWebContents();
    constructor(readonly options: { webPreferences: { preload: string } }) {
      super();
      state.events.push('window');
      FakeBrowserWindow.created.push(this);
    }
    isDestroyed(): boolean {
      return false;
    }
    show(): void {}
  }
  class FakeApp extends EventEmitter {
    readonly isPackaged = true;
    readonly quit = vi.fn(() => state.events.push('quit'));
    readonly exit = vi.fn();
    enableSandbox(): void {
      state.events.push('sandbox enforced');
    }
    requestSingleInstanceLock(): boolean {
      state.events.push('single-instance lock');
      return state.singleInstance;
    }
    whenReady(): Promise<void> {
      return new Promise((resolve) => {
        state.markReady = () => {
          state.events.push('ready');
          resolve();
        };
      });
    }
    getName(): string {
      return 'Zoe Studio';
    }
    getVersion(): string {
      return '0.0.0-test';
    }
    getPath(): string {
      return state.userData;
    }
    getAppPath(): string {
      return '/opt/zoe';
    }
  }
  return {
    state,
    app: new FakeApp(),
    BrowserWindow: FakeBrowserWindow,
    dialog: { showOpenDialog: vi.fn(), showErrorBox: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => state.events.push('scheme registered')),
      handle: (scheme: string, handler: ProtocolHandler) => {
        state.events.push(`protocol ${scheme} handled`);
        state.protocolHandlers.set(scheme, handler);
      }
    },
    ipcMain: {
      handle: (channel: string, listener: InvokeListener) => state.ipcHandlers.set(channel, listener),
      removeHandler: (channel: string) => state.ipcHandlers.delete(channel),
      on: (channel: string, listener: unknown) => state.ipcListeners.set(channel, listener),
      removeListener: (channel: string) => state.ipcListeners.delete(channel)
    }
  };
});
vi.mock('electron', () => ({
  app: electron.app,
  BrowserWindow: electron.BrowserWindow,
  dialog: electron.dialog,
  protocol: electron.protocol,
  ipcMain: electron.ipcMain
}));

import { FOLDER_DROP_CHANNEL, METHOD_NAMES, channelOf } from '../../../src/shared/api';

const previousRendererUrl = process.env.ELECTRON_RENDERER_URL;
const dataFolders: string[] = [];
// Electron sets this on a packaged app's process; plain Node has none.
Object.defineProperty(process, 'resourcesPath', { value: '/opt/zoe/resources', configurable: true });

async function startApp(): Promise<void> {
  vi.resetModules();
  await import('../../../src/main/index');
}

async function fireReady(): Promise<InstanceType<typeof electron.BrowserWindow>> {
  electron.state.markReady();
  await vi.waitFor(() => expect(electron.BrowserWindow.created).toHaveLength(1));
  const [window] = electron.BrowserWindow.created;
  if (window === undefined) throw new Error('no window');
  return window;
}

beforeEach(async () => {
  electron.state.events = [];
  electron.state.singleInstance = true;
  electron.state.userData = await mkdtemp(path.join(tmpdir(), 'zoe-startup-'));
  dataFolders.push(electron.state.userData);
  electron.state.protocolHandlers.clear();
  electron.state.ipcHandlers.clear();
  electron.state.ipcListeners.clear();
  electron.BrowserWindow.created = [];
  electron.app.removeAllListeners();
  electron.app.quit.mockClear();
  // A packaged app must ignore a dev-server URL in its environment.
  process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
});

afterAll(async () => {
  Reflect.deleteProperty(process, 'resourcesPath');
  if (previousRendererUrl === undefined) delete process.env.ELECTRON_RENDERER_URL;
  else process.env.ELECTRON_RENDERER_URL = previousRendererUrl;
  await Promise.all(dataFolders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('starting the app', () => {
  it('enforces the sandbox and registers the zoe scheme before the app is ready, then serves it, then opens the window', async () => {
    await startApp();
    expect(electron.state.events).toEqual(['sandbox enforced', 'scheme registered', 'single-instance lock']);
    await fireReady();
    expect(electron.state.events).toEqual(['sandbox enforced', 'scheme registered', 'single-instance lock', 'ready', 'protocol zoe handled', 'window']);
  });

  it('loads zoe://app/index.html in a packaged app, never file:// nor the dev server', async () => {
    await startApp();
    const window = await fireReady();
    expect(window.webContents.loadedUrls).toEqual(['zoe://app/index.html']);
    expect(path.isAbsolute(window.options.webPreferences.preload)).toBe(true);
    expect(window.options.webPreferences.preload).toMatch(/[/\\]preload[/\\]index\.js$/);
  });

  // Run from source, `__dirname/../renderer` is src/renderer, whose index.html has the same mount point.
  it('serves the built renderer folder through the protocol it registered', async () => {
    await startApp();
    await fireReady();
    const serve = electron.state.protocolHandlers.get('zoe');
    const response = await serve?.({ method: 'GET', url: 'zoe://app/index.html' });
    expect(response?.status).toBe(200);
    expect(await response?.text()).toContain('<div id="app">');
    expect((await serve?.({ method: 'GET', url: 'zoe://app/../main/index.ts' }))?.status).toBe(404);
  });

  it('answers IPC from the window’s main frame only', async () => {
    await startApp();
    const window = await fireReady();
    expect([...electron.state.ipcHandlers.keys()].sort()).toEqual(METHOD_NAMES.map(channelOf).sort());
    // The one other channel: folders dropped on the window, reported by the preload.
    expect([...electron.state.ipcListeners.keys()]).toEqual([FOLDER_DROP_CHANNEL]);
    const getInfo = electron.state.ipcHandlers.get(channelOf('app.getInfo'));
    await expect(getInfo?.({ senderFrame: window.webContents.mainFrame })).resolves.toMatchObject({ ok: true });
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(getInfo?.({ senderFrame: { url: 'zoe://app/index.html' } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' }
    });
    warnings.mockRestore();
  });

  it('quits when the last window closes (except on macOS)', async () => {
    await startApp();
    await fireReady();
    electron.app.emit('window-all-closed');
    expect(electron.app.quit).toHaveBeenCalledTimes(process.platform === 'darwin' ? 0 : 1);
  });

  it('quits at once, opening nothing, when another instance is already running', async () => {
    electron.state.singleInstance = false;
    await startApp();
    expect(electron.app.quit).toHaveBeenCalledTimes(1);
    expect(electron.app.listenerCount('window-all-closed')).toBe(0);
    expect(electron.BrowserWindow.created).toHaveLength(0);
  });
});
