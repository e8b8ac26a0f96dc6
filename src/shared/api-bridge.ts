/**
 * The zod-free half of the IPC contract: method names, channel names and `buildZoeApi`. The preload
 * imports only this module (and types), so its bundle carries no schema library. `src/shared/api.ts`
 * re-exports everything here and checks at compile time that {@link METHOD_NAMES} lists exactly the
 * methods of `zoeMethods`.
 */
import type { Result } from './errors';
import type { EventName, MethodName, Unsubscribe, ZoeApi } from './api';

/** Every method of the contract, in the order of `zoeMethods` (checked against it in api.ts). */
export const METHOD_NAMES = [
  'app.getInfo',
  'library.openFolder',
  'library.recentFolders',
  'library.openRecent',
  'thumbnails.get',
  'thumbnails.preview',
  'thumbnails.cacheInfo',
  'thumbnails.clearCache',
  'settings.get',
  'settings.set',
  'models.list',
  'models.install',
  'models.cancelInstall',
  'models.import',
  'models.verify',
  'models.remove',
  'models.load',
  'depth.status',
  'depth.get',
  'depth.cacheInfo',
  'depth.clearCache',
  'depth.optimisedCacheInfo',
  'jobs.enqueue',
  'jobs.cancel',
  'jobs.list',
  'jobs.prioritise',
  'export.chooseFolder',
  'export.plan',
  'export.start',
  'export.cancel',
  'export.preview',
  'measure.intrinsics',
  'measure.list',
  'measure.save',
  'measure.rename',
  'measure.delete',
  'measure.setCalibration',
  'measure.compute',
  'measure.export',
  'measure.exportAnnotated',
  'photos.metadata',
  'photos.summaries',
  'photos.setTags'
] as const;

/** A method name as this list spells it (api.ts asserts it equals `MethodName`). */
export type ListedMethodName = (typeof METHOD_NAMES)[number];

/** The IPC channel a method travels on. */
export function channelOf(method: MethodName): string {
  return `zoe:${method}`;
}

/** The IPC channel an event travels on. */
export function eventChannelOf(event: EventName): string {
  return `zoe-event:${event}`;
}

/**
 * The preload-only channel on which the window reports a folder dropped on it (the path comes from
 * Electron's `webUtils.getPathForFile`, never from page code: it is not part of `window.zoe`).
 */
export const FOLDER_DROP_CHANNEL = 'zoe-drop:folder';

/** How `buildZoeApi` reaches the host: one call per method, one subscription per event. */
export interface ZoeTransport {
  invoke(method: MethodName, request: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): Unsubscribe;
}

/**
 * Builds a `ZoeApi` from a transport: `invoke` sends one method call, `subscribe` listens for one
 * event. Used by the preload (IPC) and by the test bridge (WebSocket), so both expose the same shape.
 */
export function buildZoeApi(transport: ZoeTransport): ZoeApi {
  const api: Record<string, Record<string, (request?: unknown) => Promise<Result<unknown>>>> = {};
  for (const method of METHOD_NAMES) {
    const [namespace, member] = method.split('.') as [string, string];
    api[namespace] ??= {};
    api[namespace][member] = (request?: unknown) => transport.invoke(method, request);
  }
  const on = (event: EventName, listener: (payload: never) => void): Unsubscribe =>
    transport.subscribe(event, listener as (payload: unknown) => void);
  return Object.freeze({ ...api, on }) as unknown as ZoeApi;
}
