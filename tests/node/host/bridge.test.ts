import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ZoeApi } from '../../../src/shared/api';
import { fail, ok, ZoeError } from '../../../src/shared/errors';
import { resolveZoeApi, testHostSocketUrl } from '../../../src/renderer/src/bridge';
import { connectWsBridge } from '../../../src/renderer/src/bridge/ws-bridge';
import { setZoe, useZoe } from '../../../src/renderer/src/bridge/zoe';
import { startTestHost, type TestHost } from '../../host/server';

function bitsOf(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

/** A depth map of model size with every awkward float in it. */
function awkwardDepthMap(): Float32Array {
  const depth = new Float32Array(384 * 512);
  for (let index = 0; index < depth.length; index++) depth[index] = 0.5 + ((index * 7919) % 10_000) / 1000;
  depth.set([NaN, -0, 0, 1e-45, -1e-45, 1.1754942e-38, 1e-40, Infinity, -Infinity, 3.4028235e38], 1000);
  new Uint32Array(depth.buffer).set([0x7fc0beef, 0xffc00001], 2000);
  return depth;
}

describe('renderer bridge over the test host', () => {
  let workspace: string;
  let host: TestHost;
  /** Calls the host received but never answers, so a test can close the host while they wait. */
  let hanging = 0;

  beforeAll(async () => {
    workspace = await mkdtemp(path.join(os.tmpdir(), 'zoe-bridge-'));
    await mkdir(path.join(workspace, 'renderer'));
    await writeFile(path.join(workspace, 'renderer', 'index.html'), '<!doctype html>');
    host = await startTestHost({
      rendererDir: path.join(workspace, 'renderer'),
      // An extra handler table of the test's own, beside the contract: echo back, or never answer.
      createDispatcher: () => async (method, request) => {
        if (method === 'test.echo') return ok(request);
        if (method === 'test.hang') {
          hanging++;
          return new Promise(() => undefined);
        }
        return fail('UNKNOWN_METHOD', `No ${method} here.`);
      }
    });
  });

  afterAll(async () => {
    await host.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('carries a Float32Array depth map there and back bit for bit (NaN, -0, subnormals)', async () => {
    const { transport } = connectWsBridge(host.wsUrl, WebSocket);
    const depth = awkwardDepthMap();
    const thumbnail = new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 0, 255]);
    const result = await transport.invoke('test.echo', { photo: { depthMetres: depth, thumbnail, scale: -0 } });
    transport.close();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const echoed = result.value as { photo: { depthMetres: unknown; thumbnail: unknown; scale: unknown } };
    expect(echoed.photo.depthMetres).toBeInstanceOf(Float32Array);
    expect(echoed.photo.thumbnail).toBeInstanceOf(Uint8Array);
    expect(Object.is(echoed.photo.scale, -0)).toBe(true);
    const depthBack = echoed.photo.depthMetres as Float32Array;
    expect(depthBack.length).toBe(depth.length);
    expect(bitsOf(depthBack)).toEqual(bitsOf(depth));
    expect(Array.from(echoed.photo.thumbnail as Uint8Array)).toEqual(Array.from(thumbnail));
  });

  it('resolves every pending call with an error when the host goes away, and later calls at once', async () => {
    const other = await startTestHost({
      rendererDir: path.join(workspace, 'renderer'),
      createDispatcher: () => async (method) => {
        if (method === 'test.hang') hanging++;
        return new Promise(() => undefined);
      }
    });
    const { transport } = connectWsBridge(other.wsUrl, WebSocket);
    const before = hanging;
    const pending = [transport.invoke('test.hang', 1), transport.invoke('test.hang', 2)];
    while (hanging < before + 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(transport.pendingCalls).toBe(2);
    await other.close();
    for (const result of await Promise.all(pending)) {
      expect(result).toMatchObject({ ok: false, error: { code: 'IO_ERROR' } });
      if (!result.ok) expect(result.error.message).toMatch(/test host/);
    }
    expect(transport.pendingCalls).toBe(0);
    expect(await transport.invoke('test.echo', 1)).toMatchObject({ ok: false, error: { code: 'IO_ERROR' } });
  });

  it('does not hang when nothing listens at the address', async () => {
    const gone = await startTestHost({ rendererDir: path.join(workspace, 'renderer') });
    await gone.close();
    const { api } = connectWsBridge(gone.wsUrl, WebSocket);
    expect(await api.app.getInfo()).toMatchObject({ ok: false, error: { code: 'IO_ERROR' } });
  });

  it('closing the bridge itself resolves what is waiting', async () => {
    const { transport } = connectWsBridge(host.wsUrl, WebSocket);
    const waiting = transport.invoke('test.hang', undefined);
    transport.close();
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'IO_ERROR' } });
  });
});

describe('resolveZoeApi', () => {
  it('prefers the preload’s window.zoe', () => {
    const preload = { app: {}, library: {}, on: () => () => undefined } as unknown as ZoeApi;
    expect(resolveZoeApi({ zoe: preload, location: { href: 'http://127.0.0.1:5/?zoe-ws=ws://127.0.0.1:5/zoe' }, WebSocket })).toBe(preload);
  });

  it('connects to the test host named in the page URL', async () => {
    const workspace = await mkdtemp(path.join(os.tmpdir(), 'zoe-resolve-'));
    await writeFile(path.join(workspace, 'index.html'), '<!doctype html>');
    const host = await startTestHost({ rendererDir: workspace });
    try {
      const api = resolveZoeApi({ location: { href: host.url }, WebSocket });
      const info = await api.app.getInfo();
      expect(info).toMatchObject({ ok: true, value: { host: 'test-host' } });
    } finally {
      await host.close();
      await rm(workspace, { recursive: true, force: true });
    }
  });

  it('accepts only ws:// on the loopback address', () => {
    const page = (socket: string): string => `http://127.0.0.1:9/?zoe-ws=${encodeURIComponent(socket)}`;
    expect(testHostSocketUrl(page('ws://127.0.0.1:4321/zoe'))).toBe('ws://127.0.0.1:4321/zoe');
    expect(testHostSocketUrl(page('ws://localhost:4321/zoe'))).toBe('ws://localhost:4321/zoe');
    expect(testHostSocketUrl('http://127.0.0.1:9/')).toBeNull();
    for (const refused of ['ws://example.com/zoe', 'wss://127.0.0.1/zoe', 'http://127.0.0.1:1/zoe', 'ws://user:pw@127.0.0.1/zoe', 'ws://127.0.0.1.evil.example/zoe', 'not a url']) {
      expect(() => testHostSocketUrl(page(refused)), refused).toThrow(ZoeError);
    }
  });

  it('explains how to start the app when there is no bridge at all', () => {
    let thrown: unknown;
    try {
      resolveZoeApi({ location: { href: 'http://127.0.0.1:9/index.html' }, WebSocket });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ZoeError);
    expect((thrown as ZoeError).message).toMatch(/npm start/);
    expect((thrown as ZoeError).message).toMatch(/zoe-ws=ws:\/\/127\.0\.0\.1/);
  });
});

describe('useZoe', () => {
  it('is set once at startup and then always gives the same API', () => {
    expect(() => useZoe()).toThrow(/before main\.ts/);
    const api = { app: {}, library: {}, on: () => () => undefined } as unknown as ZoeApi;
    setZoe(api);
    expect(useZoe()).toBe(api);
    expect(() => setZoe(api)).toThrow(/once/);
    expect(useZoe()).toBe(api);
  });
});
