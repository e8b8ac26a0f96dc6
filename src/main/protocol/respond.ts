import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy } from '../security/csp';
import { resolveZoeUrl, type ZoeTables } from './resolve';

function plainText(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }
  });
}

/** Copies bytes into a fresh ArrayBuffer-backed view, the body type `Response` accepts everywhere. */
function bodyOf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/**
 * Answers one `zoe://` request: a file of the built renderer (with the CSP header) or a
 * registered resource; anything else is 404. Only GET and HEAD are served.
 */
export async function respondToZoeRequest(request: Pick<Request, 'method' | 'url'>, tables: ZoeTables): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plainText(405, 'Method not allowed');
  const target = resolveZoeUrl(request.url, tables);
  if (target.kind === 'refused') return plainText(404, 'Not found');

  if (target.kind === 'app-file') {
    let bytes: Buffer;
    try {
      bytes = await readFile(target.file.filePath);
    } catch {
      return plainText(404, 'Not found');
    }
    return new Response(request.method === 'HEAD' ? null : bodyOf(bytes), {
      status: 200,
      headers: {
        'Content-Type': target.file.mimeType,
        'Content-Security-Policy': contentSecurityPolicy(),
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache'
      }
    });
  }

  try {
    const resource = await target.provider();
    return new Response(request.method === 'HEAD' ? null : bodyOf(resource.body), {
      status: 200,
      headers: { 'Content-Type': resource.mimeType, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' }
    });
  } catch (error) {
    console.error(`[zoe] could not produce ${target.resourceKind} ${target.id}:`, error);
    return plainText(500, 'This image could not be made');
  }
}
