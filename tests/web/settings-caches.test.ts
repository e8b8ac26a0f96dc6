import { enableAutoUnmount, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import SettingsPanel from '../../src/renderer/src/features/settings/SettingsPanel.vue';
import { setZoe } from '../../src/renderer/src/bridge/zoe';
import { ZoeError } from '../../src/shared/errors';
import { defaultSettings } from '../../src/shared/settings';
import type { CacheInfo } from '../../src/shared/thumbnails';
import { MemoryBackend, settle } from './memory-backend';

const backend = new MemoryBackend();
setZoe(backend.api);
enableAutoUnmount(afterEach);

/** A small host: caches as folders of files whose sizes the test sets, emptied by the clear methods. */
interface HostCaches {
  depth: number[];
  thumbnails: number[];
}
let host: HostCaches;

function infoOf(displayPath: string, files: number[]): CacheInfo {
  return { displayPath, files: files.length, sizeBytes: files.reduce((sum, size) => sum + size, 0) };
}

beforeEach(() => {
  backend.reset();
  setActivePinia(createPinia());
  host = { depth: [4_200_000, 4_200_000, 4_200_000], thumbnails: [30_000, 20_000] };
  backend.on('settings.get', () => defaultSettings());
  backend.on('depth.cacheInfo', () => infoOf('/data/zoe/depth-cache', host.depth));
  backend.on('depth.clearCache', () => {
    host.depth = [];
    return infoOf('/data/zoe/depth-cache', host.depth);
  });
  backend.on('depth.optimisedCacheInfo', () => infoOf('/data/zoe/optimised-models', [90_000_000, 1_000]));
  backend.on('thumbnails.cacheInfo', () => infoOf('/data/zoe/thumbnails', host.thumbnails));
  backend.on('thumbnails.clearCache', () => {
    host.thumbnails = [];
    return infoOf('/data/zoe/thumbnails', host.thumbnails);
  });
});

async function openPanel(): Promise<ReturnType<typeof mount>> {
  const wrapper = mount(SettingsPanel);
  await settle();
  return wrapper;
}

describe('settings panel: caches', () => {
  it('shows the depth cache and the thumbnail cache, each with its folder and size', async () => {
    const wrapper = await openPanel();
    const depth = wrapper.get('[data-testid="depth-cache"]');
    expect(depth.text()).toContain('/data/zoe/depth-cache');
    expect(depth.get('[data-testid="cache-size"]').text()).toBe('3 depth maps, 12.6 MB');
    const thumbnails = wrapper.get('[data-testid="thumbnail-cache"]');
    expect(thumbnails.text()).toContain('/data/zoe/thumbnails');
    expect(thumbnails.get('[data-testid="cache-size"]').text()).toBe('2 files, 0.1 MB');
    const optimised = wrapper.get('[data-testid="optimised-cache"]');
    expect(optimised.text()).toContain('/data/zoe/optimised-models');
    expect(optimised.get('[data-testid="cache-size"]').text()).toBe('2 files, 90.0 MB');
    // Remade by the app itself: shown, with no Clear button.
    expect(optimised.find('[data-testid="cache-clear"]').exists()).toBe(false);
    expect(optimised.text()).toContain('optimised');
  });

  it('says “1 depth map”, not “1 depth maps”', async () => {
    host.depth = [2_000_000];
    const wrapper = await openPanel();
    expect(wrapper.get('[data-testid="depth-cache"] [data-testid="cache-size"]').text()).toBe('1 depth map, 2.0 MB');
  });

  it('asks before clearing the depth cache, and keeps it when the photographer says Keep', async () => {
    const wrapper = await openPanel();
    const depth = wrapper.get('[data-testid="depth-cache"]');
    await depth.get('[data-testid="cache-clear"]').trigger('click');
    expect(depth.find('[role="alertdialog"]').text()).toContain('minutes');
    expect(backend.callsOf('depth.clearCache')).toHaveLength(0);

    await depth.get('[data-testid="cache-keep"]').trigger('click');
    expect(depth.find('[role="alertdialog"]').exists()).toBe(false);
    expect(backend.callsOf('depth.clearCache')).toHaveLength(0);
    expect(host.depth).toHaveLength(3);

    await depth.get('[data-testid="cache-clear"]').trigger('click');
    await depth.get('[data-testid="cache-confirm"]').trigger('click');
    await settle();
    expect(backend.callsOf('depth.clearCache')).toHaveLength(1);
    expect(host.depth).toEqual([]);
    expect(depth.get('[data-testid="cache-size"]').text()).toBe('0 depth maps, 0.0 MB');
    expect(depth.get('[data-testid="cache-clear"]').attributes('disabled')).toBeDefined();
    // The thumbnails were not touched.
    expect(host.thumbnails).toHaveLength(2);
  });

  it('clears the thumbnail cache at once: thumbnails are cheap to remake', async () => {
    const wrapper = await openPanel();
    const thumbnails = wrapper.get('[data-testid="thumbnail-cache"]');
    await thumbnails.get('[data-testid="cache-clear"]').trigger('click');
    await settle();
    expect(thumbnails.find('[role="alertdialog"]').exists()).toBe(false);
    expect(backend.callsOf('thumbnails.clearCache')).toHaveLength(1);
    expect(thumbnails.get('[data-testid="cache-size"]').text()).toBe('0 files, 0.0 MB');
    expect(host.depth).toHaveLength(3);
  });

  it('grows the depth cache size as photos’ depth becomes ready, and stops listening when closed', async () => {
    const wrapper = await openPanel();
    expect(backend.listenerCount('depth.ready')).toBe(1);
    host.depth.push(5_000_000);
    backend.emit('depth.ready', { photoId: 'photo-1', jobId: 'job-1', modelId: 'zoe-fixed', fromCache: false });
    await settle();
    expect(wrapper.get('[data-testid="depth-cache"] [data-testid="cache-size"]').text()).toBe('4 depth maps, 17.6 MB');
    wrapper.unmount();
    expect(backend.listenerCount('depth.ready')).toBe(0);
  });

  it('says why the depth cache could not be cleared, and still shows what is there', async () => {
    backend.on('depth.clearCache', () => {
      throw new ZoeError('IO_ERROR', 'The depth cache could not be emptied: permission denied.');
    });
    const wrapper = await openPanel();
    const depth = wrapper.get('[data-testid="depth-cache"]');
    await depth.get('[data-testid="cache-clear"]').trigger('click');
    await depth.get('[data-testid="cache-confirm"]').trigger('click');
    await settle();
    expect(wrapper.get('.problem').text()).toContain('permission denied');
    expect(depth.get('[data-testid="cache-size"]').text()).toBe('3 depth maps, 12.6 MB');
    expect(depth.get('[data-testid="cache-clear"]').attributes('disabled')).toBeUndefined();
  });
});
