import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

type DropListener = (event: { senderFrame: { url: string } | null }, dropped: unknown) => void;

/** `ipcMain` as the drop registration sees it: listeners by channel. */
const electron = vi.hoisted(() => {
  const listeners = new Map<string, DropListener>();
  return {
    listeners,
    ipcMain: {
      on(channel: string, listener: DropListener): void {
        listeners.set(channel, listener);
      },
      removeListener(channel: string, listener: DropListener): void {
        if (listeners.get(channel) === listener) listeners.delete(channel);
      }
    }
  };
});
vi.mock('electron', () => ({ ipcMain: electron.ipcMain }));

import { FOLDER_DROP_CHANNEL, type EventName, type FolderListing } from '../../../src/shared/api';
import type { ZoeErrorValue } from '../../../src/shared/errors';
import { registerFolderDrop, type CallingFrame } from '../../../src/main/ipc/electron-ipc';
import type { HostServices } from '../../../src/main/ipc/handlers';
import { createHandlerTable, type HostHandlerTable } from '../../../src/main/ipc/table';
import { appWindow, electronHostServices } from './electron-fakes';

const photo = path.resolve(__dirname, '../../fixtures/photos/jpg/Nikon_D70.jpg');
const { mainFrame, trusted } = appWindow();

let workDir: string;
let shoot: string;
let trip: string;
let table: HostHandlerTable;
let stopListening: () => void;
let events: { event: EventName; payload: unknown }[] = [];
/** Settles when the next `library.opened` or `library.openFailed` arrives. */
let nextAnswer: Promise<{ event: EventName; payload: unknown }>;
let answered: (answer: { event: EventName; payload: unknown }) => void = () => undefined;

function expectAnswer(): void {
  nextAnswer = new Promise((resolve) => {
    answered = resolve;
  });
}

function services(dataDir: string): HostServices {
  return electronHostServices(dataDir, {
    chooseFolder: async () => null,
    emit: (event, payload) => {
      events.push({ event, payload });
      if (event === 'library.opened' || event === 'library.openFailed') answered({ event, payload });
    }
  });
}

/** Sends a drop on the preload's channel as Electron would for a message from `frame`. */
function drop(frame: CallingFrame | null, dropped: unknown): void {
  const listener = electron.listeners.get(FOLDER_DROP_CHANNEL);
  if (listener === undefined) throw new Error('nothing listens for dropped folders');
  listener({ senderFrame: frame }, dropped);
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-drop-'));
  shoot = path.join(workDir, 'Wedding shoot');
  await mkdir(shoot);
  await copyFile(photo, path.join(shoot, 'DSC_0001.jpg'));
  await copyFile(photo, path.join(shoot, 'DSC_0002.jpg'));
  trip = path.join(workDir, 'Trip');
  await mkdir(path.join(trip, 'Day 2'), { recursive: true });
  await copyFile(photo, path.join(trip, 'DSC_0100.jpg'));
  await copyFile(photo, path.join(trip, 'Day 2', 'DSC_0200.jpg'));
  table = createHandlerTable(services(path.join(workDir, 'data')));
  stopListening = registerFolderDrop((dropped) => table.openDroppedFolder(dropped), trusted);
});

afterAll(async () => {
  stopListening();
  await table.dispose();
  await rm(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  events = [];
  expectAnswer();
});

describe('a folder dropped on the app window', () => {
  it('is opened like a chosen folder: its photos arrive in library.opened and it joins the recent folders', async () => {
    drop(mainFrame, shoot);
    const { event, payload } = await nextAnswer;
    expect(event).toBe('library.opened');
    const listing = payload as FolderListing;
    expect(listing.name).toBe('Wedding shoot');
    expect(listing.photos.map((entry) => entry.name)).toEqual(['DSC_0001.jpg', 'DSC_0002.jpg']);
    const recents = await table['library.recentFolders'](undefined);
    expect(recents.map((recent) => recent.name)).toContain('Wedding shoot');
    // The photos are known to the other features: their thumbnails can be asked for by id.
    const thumbnails = await table['thumbnails.get']({ photoIds: [listing.photos[0]?.id ?? ''] });
    expect(thumbnails[0]?.ok).toBe(true);
  });

  it('follows the Subfolders setting, as the Open folder button does', async () => {
    drop(mainFrame, trip);
    const flat = (await nextAnswer).payload as FolderListing;
    expect(flat.recursive).toBe(false);
    expect(flat.photos.map((entry) => entry.relativePath)).toEqual(['DSC_0100.jpg']);
    await table['settings.set']({ recursive: true });
    expectAnswer();
    drop(mainFrame, trip);
    const deep = (await nextAnswer).payload as FolderListing;
    expect(deep.recursive).toBe(true);
    expect(deep.photos.map((entry) => entry.relativePath).sort()).toEqual([path.join('Day 2', 'DSC_0200.jpg'), 'DSC_0100.jpg'].sort());
    await table['settings.set']({ recursive: false });
  });

  it('a dropped file is refused with a reason that says to drop a folder', async () => {
    drop(mainFrame, path.join(shoot, 'DSC_0001.jpg'));
    const { event, payload } = await nextAnswer;
    expect(event).toBe('library.openFailed');
    expect((payload as ZoeErrorValue).message).toContain('Drop a folder');
  });

  it('a path that is not there, or not a path at all, is refused', async () => {
    drop(mainFrame, path.join(workDir, 'Unplugged card'));
    const missing = await nextAnswer;
    expect(missing.event).toBe('library.openFailed');
    expect((missing.payload as ZoeErrorValue).code).toBe('NOT_FOUND');
    expectAnswer();
    drop(mainFrame, 'relative/folder');
    const relative = await nextAnswer;
    expect((relative.payload as ZoeErrorValue).code).toBe('INVALID_ARGUMENT');
  });

  it('a drop reported by a subframe, another page or a gone frame is refused without opening anything', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    drop({ url: 'zoe://app/index.html' }, shoot);
    mainFrame.url = 'https://example.com/';
    drop(mainFrame, shoot);
    mainFrame.url = 'zoe://app/index.html';
    drop(null, shoot);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
  });
});
