/**
 * The WebSocket test host: the Electron app's handler table served over one HTTP server on
 * 127.0.0.1 (random port), so the real, built renderer runs in a real browser.
 *
 * - `GET /…` serves files of the built renderer (`out/renderer`) with the app's CSP header;
 * - `GET /resource/<kind>/<id>` serves what handlers registered in the `ResourceRegistry`;
 * - `/zoe` upgrades to a WebSocket: calls `{ id, method, request }` get `{ id, result }`, events
 *   are pushed as `{ event, payload }`, all encoded by the renderer bridge's wire codec so that
 *   typed arrays arrive intact.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { EventName } from '../../src/shared/api';
import { toErrorValue, type Result } from '../../src/shared/errors';
import { dispatch } from '../../src/main/ipc/dispatch';
import { createHandlerTable, type HostHandlerTable } from '../../src/main/ipc/table';
import { readManifestFile } from '../../src/main/models/layout';
import { SettingsStore } from '../../src/main/settings/handlers';
import { Studio } from '../../src/main/studio/studio';
import { PhotoRegistry } from '../../src/main/library/handlers';
import { ResourceRegistry } from '../../src/main/resources/registry';
import { contentSecurityPolicy } from '../../src/main/security/csp';
import { ZOE_WS_PARAMETER } from '../../src/renderer/src/bridge';
import { ZOE_SOCKET_PATH, callFrame, callIdOnly } from '../../src/renderer/src/bridge/protocol';
import { decodeWireMessage, encodeWireMessage } from '../../src/renderer/src/bridge/wire';
import { REPOSITORY_ROOT, createTestHostServices, type TestHostServices } from './services';
import { resolveStaticFile } from './static-files';

/** Answers one call: the real `dispatch` over the handler table, or a test's own. */
export type Dispatcher = (method: string, request: unknown) => Promise<Result<unknown>>;

/** Options of {@link startTestHost}; every one has a sensible default. */
export interface TestHostOptions {
  /** The built renderer (default `out/renderer`); it must contain `index.html`. */
  rendererDir?: string;
  /** The app data folder; default a fresh temporary folder, deleted by `close()`. */
  dataDir?: string;
  /** What `library.openFolder` "chooses" until `setNextFolder` changes it; default `null` (cancel). */
  folder?: string | null;
  /** Replaces the real handler table (for tests of the transport itself). */
  createDispatcher?: (services: TestHostServices) => Dispatcher;
  /**
   * Models installed in the data folder before the host starts (through the model manager's
   * import, which checks each against its manifest); the first becomes the selected model.
   */
  preinstallModels?: PreinstalledModel[];
}

/** A model file and its manifest JSON, e.g. a generated test model from `tests/fixtures/models`. */
export interface PreinstalledModel {
  modelPath: string;
  manifestPath: string;
}

/** A running test host. */
export interface TestHost {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The page to open: the renderer, told where the WebSocket is. */
  url: string;
  /** `ws://127.0.0.1:<port>/zoe` */
  wsUrl: string;
  services: TestHostServices;
  resources: ResourceRegistry;
  /** The folder `library.openFolder` returns from now on (`null`: the photographer cancels). */
  setNextFolder(folder: string | null): void;
  /** Pages currently connected. */
  readonly connectionCount: number;
  /** Disconnects every page, stops listening and deletes the temporary data folder. */
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer'
};

function send(response: http.ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string, isHead: boolean): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Length': String(bytes.byteLength) });
  response.end(isHead ? undefined : bytes);
}

function sendText(response: http.ServerResponse, status: number, text: string, isHead: boolean, csp: string): void {
  send(response, status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': csp }, text, isHead);
}

/** `/resource/<kind>/<id>` split and decoded, or `null` if the path is not exactly that. */
function resourceAddress(urlPath: string): { kind: string; id: string } | null {
  const segments = urlPath.split('/');
  if (segments.length !== 4 || segments[0] !== '' || segments[1] !== 'resource') return null;
  try {
    return { kind: decodeURIComponent(segments[2] ?? ''), id: decodeURIComponent(segments[3] ?? '') };
  } catch {
    return null;
  }
}

function rawDataBytes(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/** Imports models into the host's data folder with the app's own model manager, and selects the first. */
async function preinstall(services: TestHostServices, models: readonly PreinstalledModel[]): Promise<void> {
  const settings = new SettingsStore(services.dataDir);
  const studio = new Studio({ ...services, emit: () => undefined }, settings, new PhotoRegistry());
  try {
    const manager = await studio.manager();
    for (const model of models) {
      const installed = await manager.import(model.modelPath, await readManifestFile(model.manifestPath), { replace: true });
      await studio.selectIfNone(installed.manifest.id);
    }
  } finally {
    await studio.dispose();
  }
}

/** Starts a test host on 127.0.0.1 with a random free port. */
export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const rendererDir = path.resolve(options.rendererDir ?? path.join(REPOSITORY_ROOT, 'out', 'renderer'));
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`There is no built renderer in ${rendererDir}: run “npx electron-vite build” first.`);
  }
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'zoe-test-host-')));

  const server = http.createServer();
  const sockets = new WebSocketServer({ noServer: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const listening: AddressInfo | string | null = server.address();
  if (listening === null || typeof listening === 'string') throw new Error('The test host is not listening on a TCP port.');
  const { port } = listening;
  const origin = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}${ZOE_SOCKET_PATH}`;
  const allowedOrigins = new Set([origin, `http://localhost:${port}`]);
  const csp = contentSecurityPolicy({ connectSources: [`ws://127.0.0.1:${port}`], imageSources: [origin] });

  function broadcast(event: EventName, payload: unknown): void {
    let frame: Uint8Array;
    try {
      frame = encodeWireMessage({ event, payload });
    } catch (error) {
      console.error(`[zoe test host] The event “${event}” could not be encoded:`, error);
      return;
    }
    for (const client of sockets.clients) if (client.readyState === WebSocket.OPEN) client.send(frame);
  }

  const resources = new ResourceRegistry();
  const services = createTestHostServices({ origin, dataDir, resources, broadcast, initialFolder: options.folder ?? null });
  if (options.preinstallModels !== undefined && options.preinstallModels.length > 0) {
    await preinstall(services, options.preinstallModels).catch(async (error: unknown) => {
      server.close();
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      throw error;
    });
  }
  let table: HostHandlerTable | undefined;
  const dispatcher: Dispatcher =
    options.createDispatcher?.(services) ??
    ((created) => {
      table = created;
      return (method: string, request: unknown) => dispatch(created, method, request);
    })(createHandlerTable(services));

  async function answer(client: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    let message: unknown;
    try {
      message = decodeWireMessage(isBinary ? rawDataBytes(data) : rawDataBytes(data).toString('utf8'));
    } catch {
      return; // Not even an id to answer to: dropped.
    }
    const call = callFrame.safeParse(message);
    let reply: { id: number; result: Result<unknown> };
    if (call.success) {
      let result: Result<unknown>;
      try {
        result = await dispatcher(call.data.method, call.data.request);
      } catch (error) {
        result = { ok: false, error: toErrorValue(error) };
      }
      reply = { id: call.data.id, result };
    } else {
      const idOnly = callIdOnly.safeParse(message);
      if (!idOnly.success) return;
      const detail = call.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'frame'}: ${issue.message}`).join('; ');
      reply = { id: idOnly.data.id, result: { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'The test host received a malformed call.', detail } } };
    }
    let frame: Uint8Array;
    try {
      frame = encodeWireMessage(reply);
    } catch (error) {
      frame = encodeWireMessage({
        id: reply.id,
        result: { ok: false, error: { code: 'INTERNAL', message: 'The answer could not be sent to the page.', detail: String(error) } }
      });
    }
    if (client.readyState === WebSocket.OPEN) client.send(frame);
  }

  sockets.on('connection', (client: WebSocket) => {
    client.on('message', (data, isBinary) => void answer(client, data, isBinary));
    client.on('error', () => client.terminate());
  });

  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const urlPath = (request.url ?? '').split('?')[0];
    const requestOrigin = request.headers.origin;
    if (urlPath !== ZOE_SOCKET_PATH || (requestOrigin !== undefined && !allowedOrigins.has(requestOrigin))) {
      socket.end(urlPath !== ZOE_SOCKET_PATH ? 'HTTP/1.1 404 Not Found\r\n\r\n' : 'HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client, request));
  });

  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    void (async () => {
      const isHead = request.method === 'HEAD';
      if (request.method !== 'GET' && !isHead) {
        send(response, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, 'Method not allowed', false);
        return;
      }
      const urlPath = (request.url ?? '/').split('?')[0] ?? '/';
      const address = resourceAddress(urlPath);
      if (address !== null) {
        const provider = resources.lookup(address.kind, address.id);
        if (provider === undefined) return sendText(response, 404, 'No such resource', isHead, csp);
        try {
          const resource = await provider();
          send(response, 200, { 'Content-Type': resource.mimeType }, resource.body, isHead);
        } catch (error) {
          sendText(response, 500, `The resource could not be made: ${toErrorValue(error).message}`, isHead, csp);
        }
        return;
      }
      const file = await resolveStaticFile(rendererDir, urlPath);
      if (file === null && urlPath === '/favicon.ico') {
        // Browsers ask for it on their own; the Electron window never does. No icon, and no error.
        response.writeHead(204, SECURITY_HEADERS);
        response.end();
        return;
      }
      if (file === null) return sendText(response, 404, 'Not found', isHead, csp);
      send(response, 200, { 'Content-Type': file.mimeType, 'Content-Security-Policy': csp }, file.body, isHead);
    })().catch((error: unknown) => {
      if (!response.headersSent) sendText(response, 500, 'The test host failed', false, csp);
      console.error('[zoe test host] request failed:', error);
    });
  });

  const url = `${origin}/?${ZOE_WS_PARAMETER}=${encodeURIComponent(wsUrl)}`;
  let closing: Promise<void> | undefined;
  return {
    origin,
    url,
    wsUrl,
    services,
    resources,
    setNextFolder: (folder) => services.setNextFolder(folder),
    get connectionCount() {
      return sockets.clients.size;
    },
    close() {
      closing ??= (async () => {
        for (const client of sockets.clients) client.terminate();
        await new Promise<void>((resolve) => sockets.close(() => resolve()));
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await table?.dispose();
        // Thumbnails still being written after the last request can refill a folder while it is
        // removed (ENOTEMPTY): rm retries those.
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      })();
      return closing;
    }
  };
}
