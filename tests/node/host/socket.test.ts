import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ZoeEvents } from '../../../src/shared/api';
import { decodeWireMessage, encodeWireMessage } from '../../../src/renderer/src/bridge/wire';
import { connectWsBridge, type WsTransport } from '../../../src/renderer/src/bridge/ws-bridge';
import { startTestHost, type TestHost } from '../../host/server';

const PHOTOS = path.resolve(__dirname, '../../fixtures/photos/jpg/orientation');

/** A raw client speaking the wire format by hand, to send what the bridge never would. */
async function rawClient(host: TestHost, origin?: string): Promise<{ socket: WebSocket; next: () => Promise<unknown> }> {
  const socket = new WebSocket(host.wsUrl, origin === undefined ? {} : { origin });
  const inbox: unknown[] = [];
  const waiting: ((message: unknown) => void)[] = [];
  socket.on('message', (data: Buffer) => {
    const message = decodeWireMessage(data);
    const waiter = waiting.shift();
    if (waiter === undefined) inbox.push(message);
    else waiter(message);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = (): Promise<unknown> =>
    inbox.length > 0 ? Promise.resolve(inbox.shift()) : new Promise((resolve) => waiting.push(resolve));
  return { socket, next };
}

/** Why a WebSocket handshake was refused (status code), or 'open'. */
function handshakeOutcome(url: string, origin?: string): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', () => resolve(0));
  });
}

describe('test host: WebSocket with the real handler table', () => {
  let workspace: string;
  let host: TestHost;
  const transports: WsTransport[] = [];

  function connect(): ReturnType<typeof connectWsBridge> {
    const bridge = connectWsBridge(host.wsUrl, WebSocket);
    transports.push(bridge.transport);
    return bridge;
  }

  beforeAll(async () => {
    workspace = await mkdtemp(path.join(os.tmpdir(), 'zoe-host-ws-'));
    await mkdir(path.join(workspace, 'renderer'));
    await writeFile(path.join(workspace, 'renderer', 'index.html'), '<!doctype html>');
    host = await startTestHost({ rendererDir: path.join(workspace, 'renderer') });
  });

  afterEach(() => {
    for (const transport of transports.splice(0)) transport.close();
  });

  afterAll(async () => {
    await host.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('answers app.getInfo through the bridge as the test host, with the cpu execution provider', async () => {
    const { api } = connect();
    const info = await api.app.getInfo();
    expect(info.ok).toBe(true);
    if (!info.ok) return;
    expect(info.value.host).toBe('test-host');
    expect(info.value.appName).toBe('Zoe Studio');
    expect(info.value.versions.electron).toBeNull();
    expect(info.value.versions.node).toBe(process.versions.node);
    expect(info.value.executionProviders.map((provider) => provider.name)).toContain('cpu');
  });

  it('opens the folder the test chose, and cancels when there is none', async () => {
    const { api } = connect();
    host.setNextFolder(null);
    expect(await api.library.openFolder()).toEqual({ ok: true, value: null });
    host.setNextFolder(PHOTOS);
    const listing = await api.library.openFolder({ recursive: false });
    expect(listing.ok).toBe(true);
    if (!listing.ok || listing.value === null) throw new Error('expected a folder listing');
    expect(listing.value.name).toBe('orientation');
    expect(listing.value.photos.map((photo) => photo.name)).toContain('landscape_6.jpg');
    host.setNextFolder(null);
  });

  it('turns unknown methods and invalid requests into error values', async () => {
    const { transport } = connect();
    const unknown = await transport.invoke('library.deleteEverything', undefined);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const invalid = await transport.invoke('library.openFolder', { recursive: 'yes please' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const unexpected = await transport.invoke('app.getInfo', { verbose: true });
    expect(unexpected).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const notSendable = await transport.invoke('library.openFolder', { recursive: () => true });
    expect(notSendable).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('survives bad frames: malformed calls with an id get INVALID_ARGUMENT, the rest is dropped', async () => {
    const { socket, next } = await rawClient(host);
    socket.send('this is not json');
    socket.send(Buffer.from([0x5a, 0x4f, 0x45, 0x31, 0xff, 0xff, 0xff, 0xff]));
    socket.send(JSON.stringify({ id: 'seven', method: 'app.getInfo' }));
    socket.send(JSON.stringify([1, 2, 3]));
    socket.send(Buffer.from(encodeWireMessage({ id: 7, method: 42 })));
    expect(await next()).toMatchObject({ id: 7, result: { ok: false, error: { code: 'INVALID_ARGUMENT' } } });
    socket.send(JSON.stringify({ id: 8, method: 'app.getInfo', request: null, extra: true }));
    expect(await next()).toMatchObject({ id: 8, result: { ok: false, error: { code: 'INVALID_ARGUMENT' } } });
    socket.send(JSON.stringify({ id: 9, method: 'app.getInfo' }));
    expect(await next()).toMatchObject({ id: 9, result: { ok: true, value: { host: 'test-host' } } });
    socket.close();
  });

  it('broadcasts events to every connected page; unsubscribing stops them', async () => {
    const first = connect();
    const second = connect();
    await Promise.all([first.api.app.getInfo(), second.api.app.getInfo()]);
    const seenByFirst: ZoeEvents['library.changed'][] = [];
    const seenBySecond: ZoeEvents['library.changed'][] = [];
    const stopFirst = first.api.on('library.changed', (payload) => seenByFirst.push(payload));
    second.api.on('library.changed', (payload) => seenBySecond.push(payload));
    const change: ZoeEvents['library.changed'] = { folderId: 'f1', added: [], removed: ['p1', 'p2'] };
    // Frames on one socket arrive in order: once a later reply is in, so is the event sent before it.
    const roundTrips = (): Promise<unknown> => Promise.all([first.api.app.getInfo(), second.api.app.getInfo()]);
    host.services.emit('library.changed', change);
    await roundTrips();
    stopFirst();
    host.services.emit('library.changed', { folderId: 'f1', added: [], removed: ['p3'] });
    await roundTrips();
    expect(seenByFirst).toEqual([change]);
    expect(seenBySecond).toEqual([change, { folderId: 'f1', added: [], removed: ['p3'] }]);
  });

  it('refuses WebSocket connections from other web origins and on other paths', async () => {
    expect(await handshakeOutcome(host.wsUrl, 'http://evil.example')).toBe(403);
    expect(await handshakeOutcome(host.wsUrl, 'http://127.0.0.1:1')).toBe(403);
    expect(await handshakeOutcome(host.wsUrl.replace('/zoe', '/other'))).toBe(404);
    expect(await handshakeOutcome(host.wsUrl, host.origin)).toBe('open');
    expect(await handshakeOutcome(host.wsUrl)).toBe('open');
  });
});
