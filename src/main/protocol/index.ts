import { protocol } from 'electron';
import { respondToZoeRequest } from './respond';
import { ZOE_SCHEME, type ZoeTables } from './resolve';

export { APP_ORIGIN_PREFIX, ZOE_SCHEME, resolveZoeUrl, type AppFile, type ZoeTables, type ZoeTarget } from './resolve';
export { listAppFiles, mimeTypeOf } from './app-files';
export { respondToZoeRequest } from './respond';

/**
 * Declares `zoe:` a standard, secure scheme that `fetch` may use. Must run before the app is
 * ready. CORS stays disabled (no `corsEnabled`), so no other origin can read `zoe://` responses.
 */
export function registerZoeScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: ZOE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }
  ]);
}

/** Serves `zoe://` from the given tables only (after app ready). */
export function handleZoeProtocol(tables: ZoeTables): void {
  protocol.handle(ZOE_SCHEME, (request) => respondToZoeRequest(request, tables));
}
