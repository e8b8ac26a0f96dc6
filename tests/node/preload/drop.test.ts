import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The preload as Electron runs it, with a page document to drop on: `webUtils.getPathForFile`
 * answers with the path Electron knows for a dragged file, and `ipcRenderer.send` is recorded.
 */
const electron = vi.hoisted(() => {
  const sent: { channel: string; args: unknown[] }[] = [];
  const pathsOf = new WeakMap<object, string>();
  const document = new EventTarget();
  (globalThis as { document?: EventTarget }).document = document;
  return {
    sent,
    pathsOf,
    document,
    contextBridge: { exposeInMainWorld: (): void => undefined },
    ipcRenderer: {
      invoke: async (): Promise<unknown> => ({ ok: true, value: null }),
      on: (): void => undefined,
      removeListener: (): void => undefined,
      send(channel: string, ...args: unknown[]): void {
        sent.push({ channel, args });
      }
    },
    webUtils: {
      getPathForFile: (file: object): string => pathsOf.get(file) ?? ''
    }
  };
});
vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer, webUtils: electron.webUtils }));

import { FOLDER_DROP_CHANNEL } from '../../../src/shared/api';

/** A drag event carrying `files` (from the desktop when they have a path, else from a web page). */
function dragEvent(type: 'dragover' | 'drop', files: File[], types: string[] = files.length > 0 ? ['Files'] : ['text/plain']): Event {
  return Object.assign(new Event(type, { cancelable: true }), { dataTransfer: { types, files } });
}

function fromDesktop(name: string, where: string): File {
  const file = new File([], name);
  electron.pathsOf.set(file, where);
  return file;
}

beforeAll(async () => {
  await import('../../../src/preload/index');
});

beforeEach(() => {
  electron.sent.length = 0;
});

describe('dropping on the window (preload)', () => {
  it('lets files be dropped (dragover is accepted) but leaves other drags to the page', () => {
    const over = dragEvent('dragover', [fromDesktop('Wedding', '/home/ana/Pictures/Wedding')]);
    electron.document.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(true);
    const text = dragEvent('dragover', []);
    electron.document.dispatchEvent(text);
    expect(text.defaultPrevented).toBe(false);
  });

  it('sends the dropped folder’s path on the drop channel, and keeps the browser from navigating to it', () => {
    const dropped = dragEvent('drop', [fromDesktop('Wedding', '/home/ana/Pictures/Wedding'), fromDesktop('Other', '/tmp/other')]);
    electron.document.dispatchEvent(dropped);
    expect(dropped.defaultPrevented).toBe(true);
    expect(electron.sent).toEqual([{ channel: FOLDER_DROP_CHANNEL, args: ['/home/ana/Pictures/Wedding'] }]);
  });

  it('sends nothing for an item without a path (dragged from a web page) or a drop with no files', () => {
    electron.document.dispatchEvent(dragEvent('drop', [new File(['x'], 'picture.jpg')]));
    electron.document.dispatchEvent(dragEvent('drop', []));
    expect(electron.sent).toEqual([]);
  });
});
