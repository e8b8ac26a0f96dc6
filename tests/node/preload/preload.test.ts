import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * `contextBridge` and `ipcRenderer` as the preload sees them: what it exposes is recorded, its
 * invokes are answered by the test, and its listeners live on a real EventEmitter.
 */
const electron = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  const exposed = new Map<string, unknown>();
  const invocations: { channel: string; args: unknown[] }[] = [];
  let answer: (channel: string, args: unknown[]) => Promise<unknown> = async () => ({ ok: true, value: null });
  class FakeIpcRenderer extends EventEmitter {
    invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      invocations.push({ channel, args });
      return answer(channel, args);
    }
  }
  return {
    exposed,
    invocations,
    answerWith(next: (channel: string, args: unknown[]) => Promise<unknown>): void {
      answer = next;
    },
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown): void {
        exposed.set(key, api);
      }
    },
    ipcRenderer: new FakeIpcRenderer()
  };
});
vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

import { METHOD_NAMES, channelOf, eventChannelOf, type ZoeApi } from '../../../src/shared/api';

let zoe: ZoeApi;

beforeAll(async () => {
  await import('../../../src/preload/index');
  const exposed = electron.exposed.get('zoe');
  if (exposed === undefined) throw new Error('the preload exposed no window.zoe');
  zoe = exposed as ZoeApi;
});

beforeEach(() => {
  electron.invocations.length = 0;
  electron.answerWith(async () => ({ ok: true, value: null }));
});

describe('what the preload exposes', () => {
  it('exposes exactly one object, window.zoe', () => {
    expect([...electron.exposed.keys()]).toEqual(['zoe']);
  });

  it('has one function per method of the contract, grouped by namespace, plus on(), and nothing else', () => {
    const expected = new Map<string, string[]>();
    for (const method of METHOD_NAMES) {
      const [namespace = '', member = ''] = method.split('.');
      expected.set(namespace, [...(expected.get(namespace) ?? []), member]);
    }
    expect(Object.keys(zoe).sort()).toEqual([...expected.keys(), 'on'].sort());
    for (const [namespace, members] of expected) {
      const group = (zoe as unknown as Record<string, Record<string, unknown>>)[namespace] ?? {};
      expect(Object.keys(group).sort()).toEqual([...members].sort());
      for (const member of members) expect(typeof group[member]).toBe('function');
    }
    expect(typeof zoe.on).toBe('function');
  });

  it('gives the page no raw ipcRenderer, send, invoke or require', () => {
    const keys = JSON.stringify(Object.keys(zoe));
    for (const forbidden of ['ipcRenderer', 'send', 'invoke', 'sendSync', 'require', 'process']) expect(keys).not.toContain(`"${forbidden}"`);
  });
});

describe('calls', () => {
  it('invokes the method’s own channel with the request as its only argument and returns the answer', async () => {
    electron.answerWith(async () => ({ ok: true, value: { appName: 'Zoe Studio' } }));
    const result = await zoe.library.openFolder({ recursive: true });
    expect(electron.invocations).toEqual([{ channel: channelOf('library.openFolder'), args: [{ recursive: true }] }]);
    expect(result).toEqual({ ok: true, value: { appName: 'Zoe Studio' } });
  });

  it('answers with an error value, never a rejection, when IPC cannot copy the argument', async () => {
    electron.answerWith(async () => {
      throw new Error("Error invoking remote method 'zoe:library.openFolder': An object could not be cloned.");
    });
    const result = await zoe.library.openFolder({ recursive: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('answers with an INTERNAL error value when the main process does not answer the channel', async () => {
    electron.answerWith(async (channel) => {
      throw new Error(`No handler registered for '${channel}'`);
    });
    await expect(zoe.app.getInfo()).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('events', () => {
  it('passes the payload alone to the listener, never the IPC event object', () => {
    const received: unknown[][] = [];
    const unsubscribe = zoe.on('library.changed', (...args: unknown[]) => received.push(args));
    const payload = { folderId: 'f1', added: [], removed: ['p1'] };
    const ipcEvent = { sender: electron.ipcRenderer, senderId: 0, ports: [] };
    electron.ipcRenderer.emit(eventChannelOf('library.changed'), ipcEvent, payload);
    expect(received).toEqual([[payload]]);
    unsubscribe();
  });

  it('returns an unsubscribe that removes exactly that listener', () => {
    const channel = eventChannelOf('library.changed');
    const before = electron.ipcRenderer.listenerCount(channel);
    const first: unknown[] = [];
    const second: unknown[] = [];
    const unsubscribeFirst = zoe.on('library.changed', (payload) => first.push(payload));
    const unsubscribeSecond = zoe.on('library.changed', (payload) => second.push(payload));
    expect(electron.ipcRenderer.listenerCount(channel)).toBe(before + 2);
    unsubscribeFirst();
    expect(electron.ipcRenderer.listenerCount(channel)).toBe(before + 1);
    electron.ipcRenderer.emit(channel, {}, { folderId: 'f2', added: [], removed: [] });
    expect(first).toEqual([]);
    expect(second).toHaveLength(1);
    unsubscribeSecond();
    expect(electron.ipcRenderer.listenerCount(channel)).toBe(before);
  });
});
