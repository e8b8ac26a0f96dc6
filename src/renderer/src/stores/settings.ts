/** The photographer's settings, read from and saved through the main process. */
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
  const cache = ref<CacheInfo | null>(null);

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

  async function loadCacheInfo(): Promise<void> {
    const result = await useZoe().thumbnails.cacheInfo();
    if (result.ok) cache.value = result.value;
  }

  async function clearCache(): Promise<void> {
    const result = await useZoe().thumbnails.clearCache();
    if (result.ok) cache.value = result.value;
    else error.value = result.error;
  }

  return { settings, loaded, error, cache, load, update, loadCacheInfo, clearCache };
});
