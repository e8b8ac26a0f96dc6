/**
 * Picks the bridge the renderer talks through: the Electron preload's `window.zoe` when present,
 * else the WebSocket of the test host named in the page URL (`?zoe-ws=ws://127.0.0.1:PORT/zoe`,
 * loopback only), else a clear error. Called once, by `main.ts`.
 */
import type { ZoeApi } from '../../../shared/api';
import { ZoeError } from '../../../shared/errors';
import { connectWsBridge, type WebSocketConstructorLike } from './ws-bridge';

/** The query parameter naming the test host's WebSocket. */
export const ZOE_WS_PARAMETER = 'zoe-ws';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** What `resolveZoeApi` reads from the page: `window` satisfies it. */
export interface BridgePage {
  readonly zoe?: ZoeApi;
  readonly location: { readonly href: string };
  readonly WebSocket: WebSocketConstructorLike;
}

/**
 * The test host's WebSocket URL from a page URL, or `null` when the page names none. Throws
 * INVALID_ARGUMENT for a URL that is not `ws://` on this machine's loopback address.
 */
export function testHostSocketUrl(pageHref: string): string | null {
  const value = new URL(pageHref).searchParams.get(ZOE_WS_PARAMETER);
  if (value === null) return null;
  let socketUrl: URL;
  try {
    socketUrl = new URL(value);
  } catch {
    throw new ZoeError('INVALID_ARGUMENT', `The test host address “${value}” is not a URL.`);
  }
  if (socketUrl.protocol !== 'ws:' || !LOOPBACK_HOSTS.has(socketUrl.hostname) || socketUrl.username !== '' || socketUrl.password !== '') {
    throw new ZoeError(
      'INVALID_ARGUMENT',
      `The test host address “${value}” is refused: only ws:// on 127.0.0.1 or localhost is accepted.`
    );
  }
  return socketUrl.href;
}

/** The `ZoeApi` of this page. Throws a `ZoeError` explaining how to start the renderer when there is none. */
export function resolveZoeApi(page: BridgePage): ZoeApi {
  if (page.zoe !== undefined) return page.zoe;
  const socketUrl = testHostSocketUrl(page.location.href);
  if (socketUrl !== null) return connectWsBridge(socketUrl, page.WebSocket).api;
  throw new ZoeError(
    'INTERNAL',
    'Zoe Studio’s window has no connection to its main process. Start it with “npm start”, or open it ' +
      `through the test host (npx tsx tests/host/main.ts), whose page URL carries ?${ZOE_WS_PARAMETER}=ws://127.0.0.1:PORT/zoe.`
  );
}
