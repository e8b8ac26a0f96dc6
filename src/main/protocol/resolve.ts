import type { ResourceKind } from '../ipc/handlers';
import type { ResourceProvider } from '../resources/registry';

/** One file of the built renderer that `zoe://app/…` may serve. */
export interface AppFile {
  /** Absolute path inside the built renderer folder (`out/renderer`). */
  filePath: string;
  mimeType: string;
}

/** Everything the `zoe://` protocol may serve; nothing outside these tables is ever opened. */
export interface ZoeTables {
  /**
   * The built renderer, listed once at startup: URL path without a leading slash
   * (`index.html`, `assets/index-1a2b3c.js`) to the file behind it.
   */
  appFiles: ReadonlyMap<string, AppFile>;
  /** Thumbnails and previews registered by the main process under opaque ids. */
  resources: { lookup(kind: string, id: string): ResourceProvider | undefined };
}

/** What a `zoe://` URL names: a file of the app, a registered resource, or nothing it may serve. */
export type ZoeTarget =
  | { kind: 'app-file'; urlPath: string; file: AppFile }
  | { kind: 'resource'; resourceKind: ResourceKind; id: string; provider: ResourceProvider }
  | { kind: 'refused'; reason: string };

export const ZOE_SCHEME = 'zoe';
/** The origin the renderer is served from; IPC accepts calls only from pages under it. */
export const APP_ORIGIN_PREFIX = 'zoe://app/';

const RESOURCE_HOSTS: readonly ResourceKind[] = ['thumbnail', 'preview'];

/**
 * A decoded path segment may not be a dot segment, and may not carry a separator, a second
 * level of escaping, a drive colon or control characters once its one level of escapes is gone.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_SEGMENT = /[/\\%:\u0000-\u001f\u007f]/;

function refused(reason: string): ZoeTarget {
  return { kind: 'refused', reason };
}

function isResourceHost(host: string): host is ResourceKind {
  return (RESOURCE_HOSTS as readonly string[]).includes(host);
}

/** Splits and decodes a URL path (without its leading slash), refusing anything that is not plain names. */
function decodeSegments(rawPath: string): string[] | string {
  if (rawPath.includes('\\')) return 'backslashes are not separators here';
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    if (raw === '') return 'empty path segment (absolute path, // or trailing slash)';
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return 'malformed percent-escape';
    }
    if (segment === '.' || segment === '..') return 'dot segment';
    if (FORBIDDEN_IN_SEGMENT.test(segment)) return 'escaped separator, double escape or control character';
    segments.push(segment);
  }
  return segments;
}

/**
 * Resolves a `zoe://` URL against what the main process registered. Pure: no IO, no Electron.
 *
 * - `zoe://app/<path>` names a file of the built renderer, looked up exactly in `tables.appFiles`.
 * - `zoe://thumbnail/<id>` and `zoe://preview/<id>` name a resource registered under that id.
 *
 * The raw URL string is examined rather than a normalised one, so an escape that a URL parser
 * would quietly resolve (`..`, `%2e%2e`, `%2F`, `..%5c`, `%252e`) is refused outright instead of
 * being turned into some other path. Query and fragment are ignored.
 */
export function resolveZoeUrl(url: string, tables: ZoeTables): ZoeTarget {
  const prefix = `${ZOE_SCHEME}://`;
  if (!url.startsWith(prefix)) return refused('not a zoe:// URL');
  let rest = url.slice(prefix.length);
  const queryStart = rest.search(/[?#]/);
  if (queryStart >= 0) rest = rest.slice(0, queryStart);
  const slash = rest.indexOf('/');
  if (slash < 0) return refused('no path');
  const host = rest.slice(0, slash);
  const segments = decodeSegments(rest.slice(slash + 1));
  if (typeof segments === 'string') return refused(segments);

  if (host === 'app') {
    const urlPath = segments.join('/');
    const file = tables.appFiles.get(urlPath);
    return file === undefined ? refused('not a file of the app') : { kind: 'app-file', urlPath, file };
  }
  if (isResourceHost(host)) {
    const [id] = segments;
    if (segments.length !== 1 || id === undefined) return refused('a resource URL has exactly one id');
    const provider = tables.resources.lookup(host, id);
    return provider === undefined ? refused('no such resource') : { kind: 'resource', resourceKind: host, id, provider };
  }
  return refused('unknown host');
}
