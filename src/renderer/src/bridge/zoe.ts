/**
 * The `ZoeApi` the renderer was started with, for code outside components (Pinia stores).
 * `main.ts` sets it once at startup; components may also `inject(ZOE_API_KEY)`. No feature code
 * knows whether it talks to the Electron preload or to the WebSocket test host.
 */
import type { InjectionKey } from 'vue';
import type { ZoeApi } from '../../../shared/api';

/** The key under which `main.ts` provides the `ZoeApi` to every component. */
export const ZOE_API_KEY: InjectionKey<ZoeApi> = Symbol('zoe-api');

let current: ZoeApi | undefined;

/** Sets the API once, at startup. A second call is a programming error. */
export function setZoe(api: ZoeApi): void {
  if (current !== undefined) throw new Error('The Zoe API is set once, at startup.');
  current = api;
}

/** The API to the main process (or test host). Throws if called before `main.ts` set it. */
export function useZoe(): ZoeApi {
  if (current === undefined) {
    throw new Error('The Zoe API is not ready yet: useZoe() was called before main.ts set it up.');
  }
  return current;
}
