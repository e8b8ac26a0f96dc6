import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { AppFile } from './resolve';

/**
 * Content types of the files a Vite build of the renderer produces. A dozen well-known
 * extensions; anything else is served as opaque bytes (and `nosniff` keeps it that way).
 */
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8'
};

/** The Content-Type for a file name, by its extension. */
export function mimeTypeOf(fileName: string): string {
  return MIME_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Lists the built renderer folder once: every regular file, keyed by its URL path (`/`
 * separators, no leading slash). Symbolic links and other special files are left out, so the
 * table can never point outside the folder. Reads directories one level at a time, which also
 * works inside an asar archive.
 */
export async function listAppFiles(rendererDir: string): Promise<Map<string, AppFile>> {
  const files = new Map<string, AppFile>();
  const root = path.resolve(rendererDir);
  async function walk(folder: string, urlPrefix: string): Promise<void> {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      const filePath = path.join(folder, entry.name);
      const urlPath = `${urlPrefix}${entry.name}`;
      if (entry.isDirectory()) await walk(filePath, `${urlPath}/`);
      else if (entry.isFile()) files.set(urlPath, { filePath, mimeType: mimeTypeOf(entry.name) });
    }
  }
  await walk(root, '');
  return files;
}
