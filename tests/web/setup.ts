/** Shared set-up of the component tests: an in-memory main process behind the zoe API, and a window-sized layout. */
import { enableAutoUnmount } from '@vue/test-utils';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { setZoe } from '../../src/renderer/src/bridge/zoe';
import { MemoryBackend } from './memory-backend';

/** Installs a fresh `MemoryBackend` as the app's zoe API and unmounts every mounted component after each test. */
export function useMemoryBackend(): MemoryBackend {
  const backend = new MemoryBackend();
  setZoe(backend.api);
  enableAutoUnmount(afterEach);
  return backend;
}

/**
 * happy-dom does no layout: every element measures 0×0. Gives elements the size of the grid area
 * of a 1280×800 window, as the browser would, so the virtualiser has a viewport to fill.
 */
export function useWindowSizedLayout(): void {
  beforeAll(() => {
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1280);
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(720);
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });
}
