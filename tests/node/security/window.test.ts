import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type WindowOpenHandler = (details: { url: string }) => { action: string };

/** A stand-in for Electron's BrowserWindow: records its options and lets the test fire its events. */
const electron = await vi.hoisted(async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class FakeSession {
    permissionRequestHandler: PermissionRequestHandler | null = null;
    permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
    devicePermissionHandler: ((...args: unknown[]) => boolean) | null = null;
    setPermissionRequestHandler(handler: PermissionRequestHandler): void {
      this.permissionRequestHandler = handler;
    }
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
      this.permissionCheckHandler = handler;
    }
    setDevicePermissionHandler(handler: (...args: unknown[]) => boolean): void {
      this.devicePermissionHandler = handler;
    }
  }
  class FakeWebContents extends Emitter {
    readonly session = new FakeSession();
    windowOpenHandler: WindowOpenHandler | null = null;
    readonly loadedUrls: string[] = [];
    setWindowOpenHandler(handler: WindowOpenHandler): void {
      this.windowOpenHandler = handler;
    }
    loadURL(url: string): Promise<void> {
      this.loadedUrls.push(url);
      return Promise.resolve();
    }
  }
  class FakeBrowserWindow extends Emitter {
    static created: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    shown = false;
    constructor(readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> }) {
      super();
      FakeBrowserWindow.created.push(this);
    }
    show(): void {
      this.shown = true;
    }
  }
  const app = new Emitter();
  return { BrowserWindow: FakeBrowserWindow, app };
});
vi.mock('electron', () => electron);

import { createMainWindow } from '../../../src/main/window';
import { hardenEveryWebContents } from '../../../src/main/security/web-contents';

const preloadPath = '/opt/zoe/out/preload/index.js';
const rendererUrl = 'zoe://app/index.html';

function openWindow(): InstanceType<typeof electron.BrowserWindow> {
  createMainWindow({ preloadPath, rendererUrl });
  const window = electron.BrowserWindow.created.at(-1);
  if (window === undefined) throw new Error('createMainWindow made no BrowserWindow');
  return window;
}

/** Emits an Electron-style cancellable event and reports whether a listener cancelled it. */
function wasCancelled(emitter: EventEmitter, eventName: string, ...rest: unknown[]): boolean {
  let cancelled = false;
  emitter.emit(eventName, { preventDefault: () => (cancelled = true), url: 'https://attacker.example/' }, ...rest);
  return cancelled;
}

beforeEach(() => {
  electron.BrowserWindow.created = [];
});

describe('the main window’s web preferences', () => {
  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false]
  ])('sets %s to %s explicitly', (flag, expected) => {
    expect(openWindow().options.webPreferences[flag]).toBe(expected);
  });

  it('enables nothing experimental or dangerous beyond the listed flags', () => {
    const preferences = openWindow().options.webPreferences;
    expect(preferences.experimentalFeatures ?? false).toBe(false);
    expect(preferences.enableBlinkFeatures ?? '').toBe('');
    expect(preferences.additionalArguments ?? []).toEqual([]);
  });

  it('uses the built preload it is given', () => {
    expect(openWindow().options.webPreferences.preload).toBe(preloadPath);
  });
});

describe('the main window itself', () => {
  it('opens at 1280x800 with a minimum of 1024x700 on a dark background, shown once ready', () => {
    const window = openWindow();
    expect(window.options).toMatchObject({ width: 1280, height: 800, minWidth: 1024, minHeight: 700, show: false });
    const background = String(window.options.backgroundColor);
    expect(background).toMatch(/^#[0-9a-f]{6}$/i);
    const [red, green, blue] = [1, 3, 5].map((start) => parseInt(background.slice(start, start + 2), 16) / 255);
    expect(0.2126 * (red ?? 1) + 0.7152 * (green ?? 1) + 0.0722 * (blue ?? 1)).toBeLessThan(0.2);
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('loads the renderer URL it is given, and nothing else', () => {
    expect(openWindow().webContents.loadedUrls).toEqual([rendererUrl]);
  });
});

describe('navigation and new windows', () => {
  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview'])('cancels %s', (eventName) => {
    expect(wasCancelled(openWindow().webContents, eventName, 'https://attacker.example/')).toBe(true);
  });

  it('denies window.open and target=_blank for any URL', () => {
    const handler = openWindow().webContents.windowOpenHandler;
    expect(handler).not.toBeNull();
    for (const url of ['https://attacker.example/', 'zoe://app/index.html', 'file:///etc/passwd']) {
      expect(handler?.({ url })).toEqual({ action: 'deny' });
    }
  });

  it('hardens every web contents the app creates, not only the main window', () => {
    hardenEveryWebContents();
    const stray = new electron.BrowserWindow({ webPreferences: {} }).webContents;
    electron.app.emit('web-contents-created', {}, stray);
    expect(wasCancelled(stray, 'will-navigate')).toBe(true);
    expect(stray.windowOpenHandler?.({ url: 'https://attacker.example/' })).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  const permissions = ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'openExternal', 'hid', 'unknown'];

  it.each(permissions)('refuses a request for %s', (permission) => {
    const { session } = openWindow().webContents;
    const answers: boolean[] = [];
    session.permissionRequestHandler?.({}, permission, (granted) => answers.push(granted), {});
    expect(answers).toEqual([false]);
  });

  it.each(permissions)('answers no to a check for %s', (permission) => {
    const { session } = openWindow().webContents;
    expect(session.permissionCheckHandler).not.toBeNull();
    expect(session.permissionCheckHandler?.(null, permission, 'zoe://app', {})).toBe(false);
  });

  it('denies device access (USB, serial, HID)', () => {
    const { session } = openWindow().webContents;
    expect(session.devicePermissionHandler).not.toBeNull();
    expect(session.devicePermissionHandler?.({ deviceType: 'usb', origin: 'zoe://app' })).toBe(false);
  });
});
