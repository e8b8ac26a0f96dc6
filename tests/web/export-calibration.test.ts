/**
 * The export dialog says whether calibrated depth is exported, and “Apply calibration” reaches the
 * preview and the batch request (over the real `ZoeApi` on an in-memory transport validated by the contract).
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import ColourPreview from '../../src/renderer/src/features/export/ColourPreview.vue';
import { REFRESH_DELAY_MS, useExportStore } from '../../src/renderer/src/stores/export';
import { useLibraryStore } from '../../src/renderer/src/stores/library';
import { folderListing } from './fixtures';
import { settle } from './memory-backend';
import { useMemoryBackend } from './setup';

const backend = useMemoryBackend();

const FOLDER = { outputFolderId: 'out-1', displayPath: '/exports/depth', name: 'depth' };
/** The photo's calibration, as the main process would find it kept with the photo. */
const PHOTO_FACTOR = 1.25;

async function afterRefresh(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, REFRESH_DELAY_MS + 30));
  await settle();
}

beforeEach(async () => {
  backend.reset();
  setActivePinia(createPinia());
  backend.on('library.openFolder', () => folderListing(2));
  backend.on('library.recentFolders', () => []);
  backend.on('export.chooseFolder', () => FOLDER);
  backend.on('export.plan', () => ({ outputFolder: FOLDER, photos: [], conflicts: [], estimatedBytes: {}, estimatedTotalBytes: 0 }));
  backend.on('export.start', (request) => ({ batchId: 'b1', photos: request.photoIds.length }));
  // The model's range is 2–8 m; applied, the calibration rescales it.
  backend.on('export.preview', (request) => {
    const factor = request.applyCalibration ? PHOTO_FACTOR : 1;
    return { png: new Uint8Array([1]), width: 32, height: 24, nearMetres: 2 * factor, farMetres: 8 * factor, calibrationFactor: factor, photoCalibrationFactor: PHOTO_FACTOR };
  });
  await useLibraryStore().openFolder(false);
});

describe('export and calibration', () => {
  it('states that calibrated depth is exported, and turning it off reaches the preview and the batch', async () => {
    const store = useExportStore();
    const wrapper = mount(ColourPreview, { attachTo: document.body });
    store.openFromContext();
    await afterRefresh();
    expect(backend.callsOf('export.preview').at(-1)?.request).toMatchObject({ applyCalibration: true });
    expect(wrapper.find('[data-testid="export-calibration-note"]').text()).toContain('Calibrated depth is exported (×1.2500');
    expect(wrapper.text()).toContain('2.50 m');

    await wrapper.find('[data-testid="export-apply-calibration"]').setValue(false);
    await afterRefresh();
    expect(backend.callsOf('export.preview').at(-1)?.request).toMatchObject({ applyCalibration: false });
    expect(wrapper.find('[data-testid="export-calibration-note"]').text()).toContain('Model scale is exported');
    expect(wrapper.text()).toContain('2.00 m');

    await store.chooseFolder();
    store.conflictChoice = 'suffix';
    await store.start();
    expect(backend.callsOf('export.start')[0]?.request).toMatchObject({ applyCalibration: false });
  });
});
