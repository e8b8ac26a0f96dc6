/** The photographer's settings, read from and saved through the main process, and the caches' sizes. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ZoeErrorValue } from '../../../shared/errors';
import { defaultSettings, type Settings, type SettingsPatch } from '../../../shared/settings';
import type { CacheInfo } from '../../../shared/thumbnails';
import { useZoe } from '../bridge/zoe';

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings>(defaultSettings());
  const loaded = ref(false);
  const error = ref<ZoeErrorValue | null>(null);
  /** The thumbnail cache. */
  const cache = ref<CacheInfo | null>(null);
  /** The depth cache: computed depth, usually the big one. */
  const depthCache = ref<CacheInfo | null>(null);
  /** The optimised-model cache (read only: remade on a model's next load). */
  const optimisedCache = ref<CacheInfo | null>(null);
  /** True while the depth cache is being emptied. */
  const clearingDepth = ref(false);

  async function load(): Promise<void> {
    const result = await useZoe().settings.get();
    if (result.ok) {
      settings.value = result.value;
      loaded.value = true;
    } else {
      error.value = result.error;
    }
  }

  /** Changes some settings; the screen shows the change at once and the main process saves it. */
  async function update(patch: SettingsPatch): Promise<boolean> {
    const before = settings.value;
    settings.value = { ...before, ...patch } as Settings;
    const result = await useZoe().settings.set(patch);
    if (result.ok) {
      settings.value = result.value;
      error.value = null;
      return true;
    }
    settings.value = before;
    error.value = result.error;
    return false;
  }

  /** Reads the size of every cache. */
  async function loadCacheInfo(): Promise<void> {
    const [thumbnails, optimised] = await Promise.all([useZoe().thumbnails.cacheInfo(), useZoe().depth.optimisedCacheInfo(), loadDepthCacheInfo()]);
    if (thumbnails.ok) cache.value = thumbnails.value;
    if (optimised.ok) optimisedCache.value = optimised.value;
  }

  async function loadDepthCacheInfo(): Promise<void> {
    const result = await useZoe().depth.cacheInfo();
    if (result.ok) depthCache.value = result.value;
  }

  /** Empties the thumbnail cache. */
  async function clearCache(): Promise<void> {
    const result = await useZoe().thumbnails.clearCache();
    if (result.ok) cache.value = result.value;
    else error.value = result.error;
  }

  /** Empties the depth cache (the panel asks first: depth takes minutes to remake). */
  async function clearDepthCache(): Promise<boolean> {
    clearingDepth.value = true;
    try {
      const result = await useZoe().depth.clearCache();
      if (!result.ok) {
        error.value = result.error;
        return false;
      }
      depthCache.value = result.value;
      error.value = null;
      return true;
    } finally {
      clearingDepth.value = false;
    }
  }

  /** Keeps the depth cache's size current while the panel is open: it grows as each photo's depth is ready. */
  function followDepthCache(): () => void {
    return useZoe().on('depth.ready', () => void loadDepthCacheInfo());
  }

  return {
    settings,
    loaded,
    error,
    cache,
    depthCache,
    optimisedCache,
    clearingDepth,
    load,
    update,
    loadCacheInfo,
    loadDepthCacheInfo,
    clearCache,
    clearDepthCache,
    followDepthCache
  };
});
