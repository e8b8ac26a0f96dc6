import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

type InvokeListener = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => Promise<unknown>;

/** `ipcMain` as the code under test sees it: a table of handlers by channel. */
const electron = vi.hoisted(() => {
  const handlers = new Map<string, InvokeListener>();
  return {
    handlers,
    ipcMain: {
      handle(channel: string, listener: InvokeListener): void {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        handlers.set(channel, listener);
      },
      removeHandler(channel: string): void {
        handlers.delete(channel);
      }
    }
  };
});
vi.mock('electron', () => ({ ipcMain: electron.ipcMain }));

import { METHOD_NAMES, channelOf, type FolderListing } from '../../../src/shared/api';
import type { Result } from '../../../src/shared/errors';
import { answerInvoke, registerIpcHandlers, type CallingFrame } from '../../../src/main/ipc/electron-ipc';
import type { HandlerTable, HostServices } from '../../../src/main/ipc/handlers';
import { createHandlerTable } from '../../../src/main/ipc/table';
import { appWindow, electronHostServices } from './electron-fakes';

const photo = path.resolve(__dirname, '../../fixtures/photos/jpg/Nikon_D70.jpg');

let workDir: string;
let photoFolder: string;
let foldersAskedFor = 0;
let table: HandlerTable;
let removeHandlers: () => void;

const { mainFrame, trusted } = appWindow();

function services(dataDir: string): HostServices {
  return electronHostServices(dataDir, {
    async chooseFolder() {
      foldersAskedFor += 1;
      return photoFolder;
    },
    emit: () => undefined
  });
}

/** Calls a registered channel the way Electron would for a message from `frame`. */
async function invoke(method: string, frame: { url: string } | null, ...args: unknown[]): Promise<Result<unknown>> {
  const listener = electron.handlers.get(`zoe:${method}`);
  if (listener === undefined) throw new Error(`No handler registered for 'zoe:${method}'`);
  return (await listener({ senderFrame: frame }, ...args)) as Result<unknown>;
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-ipc-'));
  photoFolder = path.join(workDir, 'shoot');
  await mkdir(photoFolder);
  await copyFile(photo, path.join(photoFolder, 'DSC_0001.jpg'));
  table = createHandlerTable(services(path.join(workDir, 'data')));
  removeHandlers = registerIpcHandlers(table, trusted);
});

afterAll(async () => {
  removeHandlers();
  await rm(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  foldersAskedFor = 0;
  mainFrame.url = 'zoe://app/index.html';
});

describe('registration', () => {
  it('registers one channel per method of the contract, and no other', () => {
    expect([...electron.handlers.keys()].sort()).toEqual(METHOD_NAMES.map(channelOf).sort());
  });

  it('removes every channel again when asked', () => {
    removeHandlers();
    expect(electron.handlers.size).toBe(0);
    removeHandlers = registerIpcHandlers(table, trusted);
    expect(electron.handlers.size).toBe(METHOD_NAMES.length);
  });
});

describe('calls from the app’s own main frame', () => {
  it('answers app.getInfo with a Result value', async () => {
    const result = await invoke('app.getInfo', mainFrame);
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toMatchObject({ appName: 'Zoe Studio', host: 'electron', platform: process.platform });
  });

  it('runs library.openFolder with a valid request and lists the chosen folder', async () => {
    const result = (await invoke('library.openFolder', mainFrame, { recursive: false })) as Result<FolderListing | null>;
    expect(foldersAskedFor).toBe(1);
    expect(result.ok).toBe(true);
    expect(result.ok ? result.value?.photos.map((entry) => entry.name) : []).toEqual(['DSC_0001.jpg']);
  });
});

describe('sender checks', () => {
  beforeAll(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => {
    vi.mocked(console.warn).mockRestore();
  });

  it('refuses a subframe of the app window, even one showing an app page', async () => {
    const subframe = { url: 'zoe://app/index.html' };
    const result = await invoke('library.openFolder', subframe, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(foldersAskedFor).toBe(0);
  });

  it.each(['https://attacker.example/', 'file:///tmp/index.html', 'zoe://application/index.html', 'zoe://thumbnail/abc', 'http://localhost:5173/'])(
    'refuses the main frame when it shows %s',
    async (url) => {
      mainFrame.url = url;
      const result = await invoke('library.openFolder', mainFrame, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      expect(foldersAskedFor).toBe(0);
    }
  );

  it('refuses a sender whose frame is gone, and any sender while there is no window', async () => {
    expect(await invoke('app.getInfo', null)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    const noWindow = { mainFrame: (): CallingFrame | null => null, urlPrefix: 'zoe://app/' };
    const result = await answerInvoke(table, 'app.getInfo', { senderFrame: mainFrame }, undefined, noWindow);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('gives the refusal a message a photographer can read', async () => {
    const result = await invoke('app.getInfo', { url: 'https://attacker.example/' });
    expect(result.ok ? '' : result.error.message).toMatch(/Zoe Studio/);
  });
});

describe('arguments and methods', () => {
  it.each([
    ['a wrong type', { recursive: 'yes' }],
    ['an unknown key (a path smuggled in)', { recursive: true, folder: '/etc' }],
    ['a string instead of an object', '/home/someone/Pictures']
  ])('refuses %s with INVALID_ARGUMENT before the handler runs', async (_name, request) => {
    const result = await invoke('library.openFolder', mainFrame, request);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(foldersAskedFor).toBe(0);
  });

  it('refuses an argument to a method that takes none', async () => {
    expect(await invoke('app.getInfo', mainFrame, { anything: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('refuses a method that is not in the contract, even from the main frame', async () => {
    const result = await answerInvoke(table, 'app.quit', { senderFrame: mainFrame }, undefined, trusted);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(electron.handlers.has('zoe:app.quit')).toBe(false);
  });
});

describe('never throwing across IPC', () => {
  it('turns a handler that throws into an INTERNAL error value', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken: HandlerTable = {
      ...table,
      'app.getInfo': async () => {
        throw new Error('disk on fire');
      }
    };
    const result = await answerInvoke(broken, 'app.getInfo', { senderFrame: mainFrame }, undefined, trusted);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    errors.mockRestore();
  });

  it('turns a sender check that throws into an error value', async () => {
    const exploding = {
      mainFrame: (): CallingFrame | null => {
        throw new Error('window destroyed');
      },
      urlPrefix: 'zoe://app/'
    };
    const result = await answerInvoke(table, 'app.getInfo', { senderFrame: mainFrame }, undefined, exploding);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
