/**
 * Serving the built renderer from a folder (`out/renderer`): only regular files that really lie
 * under it (after decoding the URL and resolving symbolic links), with their MIME type.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm'
};

/** The MIME type served for a file name; unknown kinds are opaque bytes. */
export function mimeTypeOf(fileName: string): string {
  return MIME_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** A file found under the served folder. */
export interface StaticFile {
  absolutePath: string;
  mimeType: string;
  body: Buffer;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The file a URL path names under `root`, or `null` when there is none or the path would leave
 * `root` (`..`, `%2e%2e`, encoded separators, NUL bytes, symbolic links pointing outside).
 * `/` is `index.html`. Never throws for hostile input.
 */
export async function resolveStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  if (relative.split('/').some((segment) => segment === '..')) return null;
  try {
    const realRoot = await realpath(root);
    const candidate = path.resolve(realRoot, relative);
    if (!isInside(realRoot, candidate)) return null;
    const realCandidate = await realpath(candidate);
    if (!isInside(realRoot, realCandidate)) return null;
    const info = await stat(realCandidate);
    if (!info.isFile()) return null;
    return { absolutePath: realCandidate, mimeType: mimeTypeOf(realCandidate), body: await readFile(realCandidate) };
  } catch {
    return null;
  }
}
