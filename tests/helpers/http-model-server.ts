/**
 * A real HTTP server on 127.0.0.1 (random port) that serves model files the way real servers do,
 * and misbehaves on demand: drops the connection half-way, ignores Range, sends an HTML error page.
 * Every request is recorded so tests can check what the client asked for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How one path is served. */
export interface ServedFile {
  body: Buffer;
  /** Default `application/octet-stream`. */
  contentType?: string;
  /** Status of a full answer; default 200. */
  status?: number;
  /** Answer every request in full with 200, as servers without Range support do. */
  ignoreRange?: boolean;
  /** Close the connection after this many body bytes, for the first `dropCount` requests (default 1). */
  dropAfterBytes?: number;
  dropCount?: number;
  /** Send this many body bytes, then nothing more while keeping the connection open (first request only). */
  stallAfterBytes?: number;
}

/** A request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  range: string | undefined;
  /** Status the server answered with. */
  status: number;
}

export interface ModelServer {
  /** Absolute URL of a served path, e.g. `url('/zoed-n.onnx')`. */
  url(path: string): string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (header === undefined) return null;
  const match = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (match === null) return null;
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** Starts a server for `files` (keys are paths such as `/model.onnx`). */
export async function startModelServer(files: Record<string, ServedFile>): Promise<ModelServer> {
  const requests: RecordedRequest[] = [];
  const drops = new Map<string, number>();
  const stalled = new Set<string>();

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const record: RecordedRequest = { method: request.method ?? 'GET', path, range: request.headers.range, status: 0 };
    requests.push(record);
    const file = files[path];
    if (file === undefined) {
      record.status = 404;
      response.writeHead(404, { 'content-type': 'text/html' }).end('<!doctype html><title>Not found</title>');
      return;
    }
    const size = file.body.length;
    const range = file.ignoreRange === true ? null : parseRange(request.headers.range, size);
    if (range === 'unsatisfiable') {
      record.status = 416;
      response.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    const status = range === null ? (file.status ?? 200) : 206;
    record.status = status;
    const headers: Record<string, string> = {
      'content-type': file.contentType ?? 'application/octet-stream',
      'content-length': String(end - start + 1),
      'accept-ranges': file.ignoreRange === true ? 'none' : 'bytes'
    };
    if (range !== null) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    response.writeHead(status, headers);
    const dropped = drops.get(path) ?? 0;
    if (file.stallAfterBytes !== undefined && !stalled.has(path)) {
      stalled.add(path);
      response.write(file.body.subarray(start, Math.min(start + file.stallAfterBytes, end + 1)));
      return;
    }
    if (file.dropAfterBytes !== undefined && dropped < (file.dropCount ?? 1)) {
      drops.set(path, dropped + 1);
      const cut = Math.min(start + file.dropAfterBytes, end + 1);
      response.write(file.body.subarray(start, cut), () => {
        // Give the client time to read what was sent (a fetch body stream that errors drops the
        // chunks it has not handed out yet), then half-close and tear the connection down.
        setTimeout(() => {
          response.socket?.end();
          setTimeout(() => response.socket?.destroy(), 20);
        }, 150);
      });
      return;
    }
    response.end(file.body.subarray(start, end + 1));
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
