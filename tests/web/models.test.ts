import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DepthStatus, ModelsOverview, ModelSummary } from '../../src/shared/api';
import { defaultSettings, type Settings } from '../../src/shared/settings';
import FirstRunScreen from '../../src/renderer/src/features/models/FirstRunScreen.vue';
import ModelRow from '../../src/renderer/src/features/models/ModelRow.vue';
import ModelsButton from '../../src/renderer/src/features/models/ModelsButton.vue';
import { downloadFraction, formatBytes, useModelsStore } from '../../src/renderer/src/stores/models';
import { settle } from './memory-backend';
import { useMemoryBackend } from './setup';

const backend = useMemoryBackend();

function model(id: string, domain: ModelSummary['domain'], extra: Partial<ModelSummary> = {}): ModelSummary {
  return {
    id,
    title: `ZoeDepth ${id}`,
    origin: 'catalog',
    state: 'not-installed',
    domain,
    depthRange: { min: 0.001, max: domain === 'indoor' ? 10 : 80 },
    licence: { name: 'MIT' },
    sizeBytes: 1_480_000_000,
    partialBytes: null,
    selected: false,
    download: null,
    loaded: null,
    photoShape: { kind: 'squashed', height: 384, width: domain === 'outdoor' ? 768 : 512 },
    differencesFromOriginal: ['Sees every photo at exactly one size.'],
    precision: 'fp32',
    recommended: id === 'zoed-nk',
    ...extra
  };
}

/** A models screen the way the main process keeps it: installs, selection and removal change it. */
class ModelsScreen {
  models: ModelSummary[] = [model('zoed-n', 'indoor'), model('zoed-k', 'outdoor'), model('zoed-nk', 'auto')];
  settings: Settings = defaultSettings();

  overview(): ModelsOverview {
    const selectedModelId = this.settings.modelId;
    return { models: this.models.map((each) => ({ ...each, selected: each.id === selectedModelId })), selectedModelId };
  }

  status(): DepthStatus {
    const installed = this.models.find((each) => each.id === this.settings.modelId && each.state === 'installed');
    return { modelId: this.settings.modelId, modelInstalled: installed !== undefined, device: this.settings.device, provider: null, loading: false };
  }

  set(id: string, change: Partial<ModelSummary>): void {
    this.models = this.models.map((each) => (each.id === id ? { ...each, ...change } : each));
  }

  install(): void {
    backend.on('models.list', () => this.overview());
    backend.on('depth.status', () => this.status());
    backend.on('app.getInfo', () => ({
      appName: 'Zoe Studio',
      appVersion: '0.1.0',
      host: 'test-host' as const,
      versions: { node: '20', electron: null, chrome: null, onnxruntime: '1.30.0', sharp: '0.35.5' },
      platform: 'linux',
      arch: 'x64',
      executionProviders: [{ name: 'cpu', bundled: true }]
    }));
    backend.on('settings.set', (patch) => (this.settings = { ...this.settings, ...patch } as Settings));
    backend.on('models.install', ({ id }) => {
      this.set(id, { state: 'downloading' });
      return this.overview().models.find((each) => each.id === id) as ModelSummary;
    });
    backend.on('models.cancelInstall', ({ id }) => {
      this.set(id, { state: 'not-installed', partialBytes: 300_000_000 });
      return true;
    });
    backend.on('models.load', ({ id }) => ({ modelId: id, provider: 'cpu', loadMs: 6400, fromOptimisedCache: true }));
    backend.on('models.remove', ({ id }) => {
      this.set(id, { state: 'not-installed' });
      if (this.settings.modelId === id) this.settings = { ...this.settings, modelId: null };
      return this.overview();
    });
  }
}

let screen: ModelsScreen;

beforeEach(() => {
  backend.reset();
  setActivePinia(createPinia());
  screen = new ModelsScreen();
  screen.install();
});

// Each test's store stops listening, so that the next test's events reach its own store only.
afterEach(() => useModelsStore().dispose());

describe('sizes and fractions', () => {
  it('writes sizes in GB, MB and kB, and a download’s share when its size is known', () => {
    expect(formatBytes(1_480_000_000)).toBe('1.48 GB');
    expect(formatBytes(340_000_000)).toBe('340 MB');
    expect(formatBytes(12_300_000)).toBe('12.3 MB');
    expect(formatBytes(null)).toBe('size unknown');
    const progress = { id: 'zoed-n', state: 'downloading' as const, fileName: 'ZoeD_M12_N.onnx', receivedBytes: 370, totalBytes: 1480, bytesPerSecond: 10, resumed: false };
    expect(downloadFraction(progress)).toBe(0.25);
    expect(downloadFraction({ ...progress, totalBytes: null })).toBeNull();
  });
});

describe('models store', () => {
  it('shows the first-run screen until a model is installed, or until the photographer looks at photos first', async () => {
    const store = useModelsStore();
    expect(store.needsFirstRun).toBe(false); // not before the list is known
    await store.load();
    expect(store.needsFirstRun).toBe(true);
    store.dismissFirstRun();
    expect(store.needsFirstRun).toBe(false);
    store.dispose();

    setActivePinia(createPinia());
    screen.set('zoed-nk', { state: 'installed' });
    const again = useModelsStore();
    await again.load();
    expect(again.needsFirstRun).toBe(false);
    expect(again.installed.map((each) => each.id)).toEqual(['zoed-nk']);
  });

  it('follows a download to its end, and reads the list again when it is installed', async () => {
    const store = useModelsStore();
    await store.load();
    await store.install('zoed-n');
    expect(store.models.find((each) => each.id === 'zoed-n')?.state).toBe('downloading');
    const progress = { id: 'zoed-n', state: 'downloading' as const, fileName: 'ZoeD_M12_N.onnx', receivedBytes: 500_000_000, totalBytes: 1_480_000_000, bytesPerSecond: 20_000_000, resumed: true };
    backend.emit('models.progress', progress);
    expect(store.downloads['zoed-n']?.receivedBytes).toBe(500_000_000);
    const listsBefore = backend.callsOf('models.list').length;
    screen.set('zoed-n', { state: 'installed' });
    screen.settings = { ...screen.settings, modelId: 'zoed-n' };
    backend.emit('models.progress', { ...progress, state: 'installed', receivedBytes: 1_480_000_000 });
    await settle();
    expect(backend.callsOf('models.list').length).toBe(listsBefore + 1);
    expect(store.selected?.id).toBe('zoed-n');

    const failure = { code: 'DOWNLOAD_FAILED' as const, message: 'The downloaded model is damaged (its checksum does not match).' };
    backend.emit('models.progress', { ...progress, id: 'zoed-k', state: 'failed', error: failure });
    expect(store.error?.message).toBe(failure.message);
  });

  it('chooses a model through the settings and loads it, and removes one', async () => {
    screen.set('zoed-n', { state: 'installed' });
    screen.set('zoed-k', { state: 'installed' });
    const store = useModelsStore();
    await store.load();
    await store.select('zoed-k');
    expect(backend.callsOf('settings.set').map((call) => call.request)).toEqual([{ modelId: 'zoed-k' }]);
    expect(backend.callsOf('models.load').map((call) => call.request)).toEqual([{ id: 'zoed-k' }]);
    expect(store.selected?.id).toBe('zoed-k');

    backend.emit('models.loadProgress', { id: 'zoed-k', stage: 'optimising', fraction: 0.4, message: 'Optimising the model for this computer (cpu)' });
    expect(store.loadingNow?.fraction).toBe(0.4);
    backend.emit('models.loadProgress', { id: 'zoed-k', stage: 'ready', fraction: 1, message: 'Ready' });
    expect(store.loadingNow).toBeNull();

    await store.remove('zoed-k');
    expect(store.selected).toBeNull();
    expect(store.installed.map((each) => each.id)).toEqual(['zoed-n']);
  });
});

describe('model components', () => {
  it('a downloading model shows its progress and can be stopped; an interrupted one offers to resume', async () => {
    const store = useModelsStore();
    await store.load();
    store.listen();
    screen.set('zoed-n', { state: 'downloading' });
    await store.load();
    backend.emit('models.progress', { id: 'zoed-n', state: 'downloading', fileName: 'ZoeD_M12_N.onnx', receivedBytes: 370_000_000, totalBytes: 1_480_000_000, bytesPerSecond: 0, resumed: false });
    const row = mount(ModelRow, { props: { model: store.models.find((each) => each.id === 'zoed-n') as ModelSummary } });
    const download = row.find('[data-testid="model-download"]');
    expect(download.find('.fill').attributes('style')).toContain('width: 25%');
    expect(download.text()).toContain('370 MB of 1.48 GB');
    await row.findAll('button').find((button) => button.text() === 'Cancel download')?.trigger('click');
    await flushPromises();
    expect(backend.callsOf('models.cancelInstall').map((call) => call.request)).toEqual([{ id: 'zoed-n' }]);

    await row.setProps({ model: store.models.find((each) => each.id === 'zoed-n') as ModelSummary });
    expect(row.text()).toContain('300 MB already fetched');
    await row.findAll('button').find((button) => button.text() === 'Resume download')?.trigger('click');
    await flushPromises();
    expect(backend.callsOf('models.install').map((call) => call.request)).toEqual([{ id: 'zoed-n' }]);
  });

  it('says whether a model sees each photo in its own shape or squashes it, with its differences and quick variants', () => {
    const fixed = mount(ModelRow, { props: { model: model('zoed-n', 'indoor') } });
    const fixedShape = fixed.find('[data-testid="model-shape"]');
    expect(fixedShape.text()).toBe('Squashes every photo to 384×512');
    expect(fixedShape.attributes('data-own-shape')).toBe('false');
    expect(fixed.find('.differences').text()).toContain('Sees every photo at exactly one size.');
    expect(fixed.text()).not.toContain('Recommended');

    const dynamic = model('zoed-n-own-shape', 'indoor', {
      origin: 'imported',
      photoShape: { kind: 'own-shape', targetHeight: 384, targetWidth: 512, multipleOf: 32 },
      differencesFromOriginal: [],
      precision: 'int8',
      variantOf: 'zoed-n-fp32',
      recommended: true
    });
    const own = mount(ModelRow, { props: { model: dynamic } });
    expect(own.find('[data-testid="model-shape"]').text()).toBe('Sees each photo in its own shape (near 384×512, as the original ZoeDepth)');
    expect(own.find('.differences').exists()).toBe(false);
    expect(own.findAll('.tag').map((tag) => tag.text())).toEqual(['Imported', 'Recommended', 'Quick (int8)']);
  });

  it('the first-run screen explains the three models, recommends the automatic one first, and installs the one chosen', async () => {
    const store = useModelsStore();
    await store.load();
    const view = mount(FirstRunScreen);
    const advice = view.findAll('.advice li').map((item) => item.text());
    expect(advice[0]).toContain('ZoeDepth zoed-nk');
    expect(advice[0]).toMatch(/unsure/);
    expect(advice[1]).toMatch(/indoor.*10 m/);
    expect(advice[2]).toMatch(/outdoor|street/i);
    expect(advice.every((text) => text.includes('1.48 GB download, licence MIT'))).toBe(true);
    const rows = view.findAll('[data-testid="model-row"]');
    expect(rows.map((row) => row.attributes('data-model-id'))).toEqual(['zoed-nk', 'zoed-n', 'zoed-k']);
    await rows[1]?.find('button.primary').trigger('click');
    await flushPromises();
    expect(backend.callsOf('models.install').map((call) => call.request)).toEqual([{ id: 'zoed-n' }]);
    await view.findAll('button').find((button) => button.text() === 'Look at photos first')?.trigger('click');
    expect(store.needsFirstRun).toBe(false);
  });

  it('the top bar’s button opens the panel with Ctrl+M and shows a model loading', async () => {
    const store = useModelsStore();
    const button = mount(ModelsButton);
    await flushPromises();
    expect(button.find('[data-testid="models-toggle"]').attributes('title')).toBe('Depth models: none in use yet (Ctrl+M)');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'm', ctrlKey: true, cancelable: true }));
    expect(store.panelOpen).toBe(true);
    backend.emit('models.loadProgress', { id: 'zoed-n', stage: 'creating-session', fraction: 0.7, message: 'Creating the session (cpu)' });
    await flushPromises();
    const indicator = button.find('[data-testid="model-load-indicator"]');
    expect(indicator.text()).toBe('Loading model 70 %');
    expect(indicator.attributes('title')).toBe('ZoeDepth zoed-n: Creating the session (cpu)');
  });
});
