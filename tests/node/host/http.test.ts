import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../host/server';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with the path sent exactly as written (fetch and URL would normalise `..` away). */
function rawRequest(host: TestHost, rawPath: string, method = 'GET'): Promise<RawResponse> {
  const { port } = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: Number(port), path: rawPath, method }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') })
      );
    });
    request.on('error', reject);
    request.end();
  });
}

const SECRET = 'the photographer’s private notes';

describe('test host: HTTP', () => {
  let workspace: string;
  let host: TestHost;

  beforeAll(async () => {
    workspace = await mkdtemp(path.join(os.tmpdir(), 'zoe-host-http-'));
    const renderer = path.join(workspace, 'renderer');
    await mkdir(path.join(renderer, 'assets'), { recursive: true });
    await writeFile(path.join(renderer, 'index.html'), '<!doctype html><div id="app"></div>');
    await writeFile(path.join(renderer, 'assets', 'index-abc.js'), 'console.log("zoe")');
    await writeFile(path.join(renderer, 'assets', 'style.css'), 'body{}');
    await writeFile(path.join(renderer, 'assets', 'font.woff2'), Buffer.from([1, 2, 3]));
    await writeFile(path.join(renderer, 'assets', 'data.bin'), Buffer.from([9]));
    await writeFile(path.join(workspace, 'secret.txt'), SECRET);
    await mkdir(path.join(workspace, 'renderer-evil'));
    await writeFile(path.join(workspace, 'renderer-evil', 'secret.txt'), SECRET);
    await symlink(workspace, path.join(renderer, 'link-outside'));
    await symlink(path.join(workspace, 'secret.txt'), path.join(renderer, 'assets', 'secret-link.txt'));
    host = await startTestHost({ rendererDir: renderer });
  });

  afterAll(async () => {
    await host.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only, on a port of its own', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(host.origin).port).not.toBe('0');
    expect(host.wsUrl).toBe(`ws://127.0.0.1:${new URL(host.origin).port}/zoe`);
    const page = new URL(host.url);
    expect(page.origin).toBe(host.origin);
    expect(page.searchParams.get('zoe-ws')).toBe(host.wsUrl);
  });

  it('serves index.html at / with the app CSP allowing its own WebSocket', async () => {
    const response = await rawRequest(host, '/?zoe-ws=whatever');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<div id="app">');
    const csp = String(response.headers['content-security-policy']);
    const port = new URL(host.origin).port;
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port}`);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`img-src 'self' zoe: data: blob: ${host.origin}`);
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves files with their MIME types, HEAD without a body', async () => {
    const cases: [string, string][] = [
      ['/assets/index-abc.js', 'text/javascript; charset=utf-8'],
      ['/assets/style.css', 'text/css; charset=utf-8'],
      ['/assets/font.woff2', 'font/woff2'],
      ['/assets/data.bin', 'application/octet-stream'],
      ['/index.html', 'text/html; charset=utf-8']
    ];
    for (const [rawPath, mimeType] of cases) {
      const response = await rawRequest(host, rawPath);
      expect(response.status, rawPath).toBe(200);
      expect(response.headers['content-type'], rawPath).toBe(mimeType);
    }
    const head = await rawRequest(host, '/assets/index-abc.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log("zoe")'.length));
    expect(head.body).toBe('');
  });

  it('refuses every way out of the renderer folder', async () => {
    const escapes = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%5csecret.txt',
      '/../renderer-evil/secret.txt',
      '/link-outside/secret.txt',
      '/assets/secret-link.txt',
      `/${encodeURIComponent(path.join(workspace, 'secret.txt'))}`,
      '//etc/passwd',
      '/index.html%00.js',
      '/%E0%A4%A'
    ];
    for (const rawPath of escapes) {
      const response = await rawRequest(host, rawPath);
      expect(response.status, rawPath).toBe(404);
      expect(response.body, rawPath).not.toContain(SECRET);
    }
  });

  it('answers 404 for folders and missing files, 405 for other methods', async () => {
    expect((await rawRequest(host, '/assets')).status).toBe(404);
    expect((await rawRequest(host, '/assets/')).status).toBe(404);
    expect((await rawRequest(host, '/nothing-here.js')).status).toBe(404);
    // The browser's own favicon request gets "no content" rather than an error in the console.
    expect((await rawRequest(host, '/favicon.ico')).status).toBe(204);
    const post = await rawRequest(host, '/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('serves registered resources at the URL the services hand out, and nothing else', async () => {
    const thumbnail = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    host.resources.register('thumbnail', 'photo-1_abc', async () => ({ mimeType: 'image/jpeg', body: thumbnail }));
    const url = host.services.resourceUrl('thumbnail', 'photo-1_abc');
    expect(url).toBe(`${host.origin}/resource/thumbnail/photo-1_abc`);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(thumbnail);

    for (const rawPath of [
      '/resource/preview/photo-1_abc',
      '/resource/thumbnail/unknown',
      '/resource/thumbnail/..%2f..%2fsecret.txt',
      '/resource/thumbnail/photo-1_abc/extra',
      '/resource/thumbnail/%E0%A4%A'
    ]) {
      expect((await rawRequest(host, rawPath)).status, rawPath).toBe(404);
    }

    host.resources.register('preview', 'broken', async () => {
      throw new Error('decoder crashed');
    });
    expect((await rawRequest(host, '/resource/preview/broken')).status).toBe(500);
    host.resources.unregister('thumbnail', 'photo-1_abc');
    expect((await rawRequest(host, '/resource/thumbnail/photo-1_abc')).status).toBe(404);
  });

  it('refuses to start without a built renderer, and deletes its temporary data folder on close', async () => {
    await expect(startTestHost({ rendererDir: path.join(workspace, 'renderer-evil') })).rejects.toThrow(/electron-vite build/);
    const other = await startTestHost({ rendererDir: path.join(workspace, 'renderer') });
    expect(existsSync(other.services.dataDir)).toBe(true);
    expect(other.services.dataDir.startsWith(os.tmpdir())).toBe(true);
    await other.close();
    expect(existsSync(other.services.dataDir)).toBe(false);
    await expect(fetch(other.origin)).rejects.toThrow();
  });
});
