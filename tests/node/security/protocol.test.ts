import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

/** The `protocol` module as the code under test sees it: every call is recorded. */
const electron = vi.hoisted(() => ({
  protocol: {
    registerSchemesAsPrivileged: vi.fn<(schemes: unknown[]) => void>(),
    handle: vi.fn<(scheme: string, handler: (request: { method: string; url: string }) => Promise<Response>) => void>()
  }
}));
vi.mock('electron', () => electron);

import { contentSecurityPolicy } from '../../../src/main/security/csp';
import { handleZoeProtocol, listAppFiles, registerZoeScheme, resolveZoeUrl, type ZoeTables } from '../../../src/main/protocol';
import { ResourceRegistry } from '../../../src/main/resources/registry';

const photoPath = path.resolve(__dirname, '../../fixtures/photos/jpg/Nikon_D70.jpg');

let workDir: string;
let rendererDir: string;
let tables: ZoeTables;
let serve: (url: string, method?: string) => Promise<Response>;
const indexHtml = '<!doctype html><title>Zoe Studio</title><script type="module" src="./assets/app-1a2b.js"></script>';
const appScript = 'console.log("zoe");';
const secret = 'the photographer’s private notes';

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-protocol-'));
  rendererDir = path.join(workDir, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), indexHtml);
  await writeFile(path.join(rendererDir, 'assets', 'app-1a2b.js'), appScript);
  await writeFile(path.join(rendererDir, 'assets', 'style-9f.css'), 'body{background:#111}');
  // A file beside the renderer folder, and a link inside it pointing out: neither may ever be served.
  await writeFile(path.join(workDir, 'secret.txt'), secret);
  await symlink(path.join(workDir, 'secret.txt'), path.join(rendererDir, 'link.txt'));

  const resources = new ResourceRegistry();
  const photo = await readFile(photoPath);
  resources.register('thumbnail', 'photo-1', async () => ({ mimeType: 'image/jpeg', body: photo }));
  resources.register('preview', 'photo-2', async () => {
    throw new Error('decoder crashed');
  });
  tables = { appFiles: await listAppFiles(rendererDir), resources };

  handleZoeProtocol(tables);
  const call = electron.protocol.handle.mock.calls.at(-1);
  if (call === undefined) throw new Error('handleZoeProtocol did not call protocol.handle');
  const [, handler] = call;
  serve = (url, method = 'GET') => handler({ method, url });
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('zoe: scheme registration', () => {
  beforeEach(() => electron.protocol.registerSchemesAsPrivileged.mockClear());

  it('registers zoe as a standard, secure scheme that fetch may use, without opening it to CORS', () => {
    registerZoeScheme();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    expect(electron.protocol.registerSchemesAsPrivileged.mock.calls[0]?.[0]).toEqual([
      { scheme: 'zoe', privileges: { standard: true, secure: true, supportFetchAPI: true } }
    ]);
  });

  it('handles the zoe scheme', () => {
    expect(electron.protocol.handle.mock.calls.map(([scheme]) => scheme)).toEqual(['zoe']);
  });
});

describe('the table of app files', () => {
  it('lists exactly the regular files of the built renderer, keyed by URL path', () => {
    expect([...tables.appFiles.keys()].sort()).toEqual(['assets/app-1a2b.js', 'assets/style-9f.css', 'index.html']);
    expect(tables.appFiles.get('index.html')?.filePath).toBe(path.join(rendererDir, 'index.html'));
  });
});

describe('serving app files', () => {
  it('serves index.html with its bytes, an HTML content type and the CSP header', async () => {
    const response = await serve('zoe://app/index.html');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(indexHtml);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves scripts and styles with their MIME types (module scripts need text/javascript)', async () => {
    const script = await serve('zoe://app/assets/app-1a2b.js');
    expect(script.status).toBe(200);
    expect(await script.text()).toBe(appScript);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const style = await serve('zoe://app/assets/style-9f.css?v=2#top');
    expect(style.status).toBe(200);
    expect(style.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await serve('zoe://app/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await serve('zoe://app/index.html', 'POST')).status).toBe(405);
  });
});

describe('the CSP the app is served with', () => {
  const directives = new Map(
    contentSecurityPolicy()
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .map(([name = '', ...sources]) => [name, sources] as const)
  );

  it('allows scripts from the app only: no unsafe-eval, no inline scripts, no data: or blob: scripts', () => {
    const scripts = directives.get('script-src');
    expect(scripts).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
  });

  it('contains no unsafe keyword anywhere and forbids plugins, framing and base rewriting', () => {
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-(eval|inline|hashes)|wasm-unsafe-eval/);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('refusing anything that was not registered', () => {
  const escapes: [string, string, RegExp][] = [
    ['dot-dot', 'zoe://app/../secret.txt', /dot segment/],
    ['dot-dot inside the path', 'zoe://app/assets/../index.html', /dot segment/],
    ['single dot', 'zoe://app/./index.html', /dot segment/],
    ['encoded dot-dot %2e%2e', 'zoe://app/%2e%2e/secret.txt', /dot segment/],
    ['mixed encoded dot-dot .%2E', 'zoe://app/assets/.%2E/index.html', /dot segment/],
    ['encoded slash %2F that would otherwise name a real file', 'zoe://app/assets%2Fapp-1a2b.js', /escaped separator/],
    ['encoded slash %2f', 'zoe://app/assets%2fapp-1a2b.js', /escaped separator/],
    ['..%5c (encoded backslash)', 'zoe://app/assets/..%5cindex.html', /escaped separator/],
    ['raw backslash', 'zoe://app/assets\\..\\index.html', /backslash/],
    ['double-encoded dot-dot %252e%252e', 'zoe://app/%252e%252e/secret.txt', /double escape/],
    ['double-encoded slash %252F', 'zoe://app/assets%252Fapp-1a2b.js', /double escape/],
    ['malformed escape', 'zoe://app/%E0%A4%A', /malformed/],
    ['encoded NUL', 'zoe://app/index.html%00.js', /control character/],
    ['absolute path', 'zoe://app//etc/passwd', /empty path segment/],
    ['double slash', 'zoe://app//index.html', /empty path segment/],
    ['drive letter', 'zoe://app/C:/Windows/win.ini', /control character|escaped separator/]
  ];

  it.each(escapes)('refuses %s (%s)', async (_name, url, reason) => {
    const target = resolveZoeUrl(url, tables);
    expect(target.kind).toBe('refused');
    expect(target.kind === 'refused' ? target.reason : '').toMatch(reason);
    const response = await serve(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(secret);
  });

  it.each([
    ['unknown host', 'zoe://evil/index.html'],
    ['host with a port', 'zoe://app:8080/index.html'],
    ['host with user info', 'zoe://user@app/index.html'],
    ['upper-case host', 'zoe://APP/index.html'],
    ['another scheme', 'file:///etc/passwd'],
    ['no path', 'zoe://app'],
    ['the renderer folder itself', 'zoe://app/assets'],
    ['a file that was never listed', 'zoe://app/missing.js'],
    ['a symbolic link pointing outside', 'zoe://app/link.txt']
  ])('refuses %s (%s)', async (_name, url) => {
    expect(resolveZoeUrl(url, tables).kind).toBe('refused');
    expect((await serve(url)).status).toBe(404);
  });
});

describe('serving registered resources', () => {
  it('serves a registered thumbnail with the bytes and type its provider gives', async () => {
    const response = await serve('zoe://thumbnail/photo-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer()).equals(await readFile(photoPath))).toBe(true);
  });

  it.each([
    ['an unregistered id', 'zoe://thumbnail/photo-9'],
    ['a registered id under the other kind', 'zoe://preview/photo-1'],
    ['an id followed by more path', 'zoe://thumbnail/photo-1/extra'],
    ['an id hidden behind an escaped slash', 'zoe://thumbnail/x%2F..%2Fphoto-1'],
    ['a path instead of an id', 'zoe://thumbnail/../app/index.html'],
    ['an app file asked for as a resource', 'zoe://thumbnail/index.html']
  ])('refuses %s (%s)', async (_name, url) => {
    expect(resolveZoeUrl(url, tables).kind).toBe('refused');
    expect((await serve(url)).status).toBe(404);
  });

  it('answers 500, without the error text, when a provider fails', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await serve('zoe://preview/photo-2');
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('decoder crashed');
    errors.mockRestore();
  });
});
