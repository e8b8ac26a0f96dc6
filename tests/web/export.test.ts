/**
 * The export dialog and its store, over the real `ZoeApi` object on an in-memory transport (requests
 * validated by the contract's own schemas): what it exports from where it was opened, the plan and
 * preview it asks for as options change, conflicts asked about, progress, cancel and the summary.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ExportPlan, ExportProgress } from '../../src/shared/api/export';
import { EXPORT_FILE_SUFFIXES, type ExportFormat } from '../../src/shared/export';
import ExportDialog from '../../src/renderer/src/features/export/ExportDialog.vue';
import { exampleFileName, formatBytes } from '../../src/renderer/src/features/export/formats';
import { REFRESH_DELAY_MS, useExportStore } from '../../src/renderer/src/stores/export';
import { useLibraryStore } from '../../src/renderer/src/stores/library';
import { useViewerStore } from '../../src/renderer/src/stores/viewer';
import { folderListing } from './fixtures';
import { settle } from './memory-backend';
import { useMemoryBackend } from './setup';

const backend = useMemoryBackend();

const FOLDER = { outputFolderId: 'out-1', displayPath: '/exports/Holiday depth', name: 'Holiday depth' };

/** Waits past the dialog's debounce and lets the answers arrive. */
async function afterRefresh(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, REFRESH_DELAY_MS + 30));
  await settle();
}

/** A plan worked out from the request the way the main process does: one file per format plus the side-car, `bytesPerFile` each. */
function planFor(request: { photoIds: string[]; formats: ExportFormat[]; namingTemplate: string }, bytesPerFile: number, conflicts: ExportPlan['conflicts'] = []): ExportPlan {
  const kinds = [...request.formats, 'json' as const];
  const photos = request.photoIds.map((photoId) => ({
    photoId,
    photoName: `${photoId}.jpg`,
    files: kinds.map((format) => ({ format, fileName: `${request.namingTemplate.replace('{name}', photoId)}${EXPORT_FILE_SUFFIXES[format].slice('.depth'.length)}` }))
  }));
  const estimatedBytes = Object.fromEntries(kinds.map((kind) => [kind, bytesPerFile * request.photoIds.length]));
  return { outputFolder: FOLDER, photos, conflicts, estimatedBytes, estimatedTotalBytes: bytesPerFile * request.photoIds.length * kinds.length };
}

async function openLibrary(count: number): Promise<void> {
  backend.on('library.openFolder', () => folderListing(count));
  backend.on('library.recentFolders', () => []);
  await useLibraryStore().openFolder(false);
}

beforeEach(() => {
  backend.reset();
  setActivePinia(createPinia());
  backend.on('export.chooseFolder', () => FOLDER);
  backend.on('export.plan', (request) => planFor(request, 1000));
  backend.on('export.preview', (request) => ({ png: new Uint8Array([request.colormap.length, 1, 2, 3]), width: 32, height: 24, nearMetres: request.nearMetres ?? 1.5, farMetres: request.farMetres ?? 9, calibrationFactor: 1, photoCalibrationFactor: 1 }));
});

describe('export store', () => {
  it('exports the selected photo or the whole folder from the library, and only the shown photo from the viewer', async () => {
    await openLibrary(3);
    const library = useLibraryStore();
    library.select('photo-2');
    const store = useExportStore();
    store.openFromContext();
    expect(store.scope?.photoIds).toEqual(['photo-2']);
    expect(store.scopeChoices.map((choice) => choice.label)).toEqual(['IMG_0002.jpg', 'All 3 photos in Holiday']);
    const whole = store.scopeChoices[1];
    if (whole === undefined) throw new Error('no folder choice');
    store.chooseScope(whole);
    expect(store.scope?.photoIds).toEqual(['photo-1', 'photo-2', 'photo-3']);
    expect(store.scope?.previewPhotoId).toBe('photo-2');
    store.close();

    setActivePinia(createPinia());
    await openLibrary(3);
    backend.on('thumbnails.preview', () => {
      throw new Error('not needed here');
    });
    backend.on('depth.get', () => null);
    void useViewerStore().open('photo-3');
    const again = useExportStore();
    again.openFromContext();
    expect(again.scopeChoices.map((choice) => choice.photoIds)).toEqual([['photo-3']]);
  });

  it('asks for the plan once a folder is chosen and again when the options change; a bad name pattern asks nothing', async () => {
    await openLibrary(2);
    const store = useExportStore();
    store.openFromContext();
    await afterRefresh();
    expect(backend.callsOf('export.plan')).toHaveLength(0);
    expect(store.canStart).toBe(false);

    await store.chooseFolder();
    await afterRefresh();
    expect(store.outputFolder?.displayPath).toBe('/exports/Holiday depth');
    expect(store.plan?.estimatedTotalBytes).toBe(2000);
    expect(store.canStart).toBe(true);

    store.toggleFormat('ply');
    store.plyStep = 4;
    store.resolution = 'model';
    await afterRefresh();
    const last = backend.callsOf('export.plan').at(-1)?.request;
    expect(last).toMatchObject({ photoIds: ['photo-1'], formats: ['png16', 'ply'], outputFolderId: 'out-1', options: { resolution: 'model', plyStep: 4 } });
    expect(store.plan?.estimatedTotalBytes).toBe(3000);

    const plansBefore = backend.callsOf('export.plan').length;
    store.namingTemplate = 'depth of photo';
    await afterRefresh();
    expect(store.templateProblem).toMatch(/\{name\}/);
    expect(store.canStart).toBe(false);
    expect(backend.callsOf('export.plan')).toHaveLength(plansBefore);
    expect(store.plan).toBeNull();
  });

  it('draws the preview again when the colour map or range changes, and keeps only the latest answer', async () => {
    await openLibrary(1);
    let release: (() => void) | undefined;
    const store = useExportStore();
    store.openFromContext();
    await afterRefresh();
    expect(store.preview?.colormap).toBe('turbo');
    const firstUrl = store.preview?.url;

    backend.on('export.preview', async (request) => {
      if (request.colormap === 'magma') await new Promise<void>((resolve) => (release = resolve));
      return { png: new Uint8Array([9]), width: 32, height: 24, nearMetres: 1, farMetres: 5, calibrationFactor: 1, photoCalibrationFactor: 1 };
    });
    store.colormap = 'magma';
    await afterRefresh();
    store.colormap = 'viridis';
    store.nearMetres = 2;
    store.farMetres = 6;
    await afterRefresh();
    expect(backend.callsOf('export.preview').at(-1)?.request).toMatchObject({ colormap: 'viridis', nearMetres: 2, farMetres: 6 });
    release?.();
    await settle();
    expect(store.preview?.colormap).toBe('viridis');
    expect(store.preview?.url).not.toBe(firstUrl);

    const asked = backend.callsOf('export.preview').length;
    store.nearMetres = 8;
    await afterRefresh();
    expect(store.rangeProblem).not.toBeNull();
    expect(backend.callsOf('export.preview')).toHaveLength(asked);
  });

  it('runs a batch: progress that arrives before the start answers is kept, a failed photo is listed with its reason', async () => {
    await openLibrary(3);
    const store = useExportStore();
    store.openFromContext();
    const whole = store.scopeChoices[1];
    if (whole === undefined) throw new Error('no folder choice');
    store.chooseScope(whole);
    await store.chooseFolder();
    const progress = (patch: Partial<ExportProgress>): ExportProgress => ({ batchId: 'b1', state: 'running', photosDone: 0, photosFailed: 0, photosTotal: 3, fraction: 0, bytesWritten: 0, finished: [], ...patch });
    backend.on('export.start', () => {
      backend.emit('export.progress', progress({ fraction: 0.34, photosDone: 1, finished: [{ photoId: 'photo-1', photoName: 'IMG_0001.jpg', state: 'done', files: ['a.png', 'a.json'], bytes: 5000 }] }));
      return { batchId: 'b1', photos: 3 };
    });
    await store.start();
    expect(backend.callsOf('export.start')[0]?.request).toMatchObject({ onConflict: 'suffix', photoIds: ['photo-1', 'photo-2', 'photo-3'] });
    expect(store.phase).toBe('running');
    expect(store.outcomes).toHaveLength(1);

    backend.emit('export.progress', progress({ batchId: 'someone-else', state: 'done', fraction: 1 }));
    expect(store.phase).toBe('running');
    backend.emit('export.progress', progress({ state: 'done', fraction: 1, photosDone: 2, photosFailed: 1, finished: [
      { photoId: 'photo-2', photoName: 'IMG_0002.jpg', state: 'failed', error: { code: 'UNSUPPORTED_IMAGE', message: 'IMG_0002.jpg is damaged.' } },
      { photoId: 'photo-3', photoName: 'IMG_0003.jpg', state: 'done', files: ['c.png', 'c.json'], bytes: 4000 }
    ] }));
    expect(store.phase).toBe('summary');
    expect(store.filesWritten).toBe(4);
    expect(store.failures.map((failure) => failure.error?.message)).toEqual(['IMG_0002.jpg is damaged.']);
  });

  it('with “ask”, shows the taken names and starts with the policy the photographer picks; cancel names the batch', async () => {
    await openLibrary(1);
    const store = useExportStore();
    store.openFromContext();
    await store.chooseFolder();
    backend.on('export.plan', (request) => planFor(request, 10, [{ photoId: 'photo-1', format: 'png16', fileName: 'photo-1.depth.png', reason: 'earlier-export' }]));
    backend.on('export.start', () => ({ batchId: 'b2', photos: 1 }));
    backend.on('export.cancel', () => true);
    store.conflictChoice = 'ask';
    await store.start();
    expect(store.phase).toBe('conflicts');
    expect(store.plan?.conflicts).toHaveLength(1);
    expect(backend.callsOf('export.start')).toHaveLength(0);
    await store.settleConflicts('back');
    expect(store.phase).toBe('setup');
    await store.start();
    await store.settleConflicts('skip');
    expect(backend.callsOf('export.start')[0]?.request).toMatchObject({ onConflict: 'skip' });
    await store.cancel();
    expect(backend.callsOf('export.cancel')[0]?.request).toEqual({ batchId: 'b2' });
  });
});

describe('export dialog', () => {
  it('opens with Ctrl+E, shows a live naming example, and Esc closes it without reaching the shortcuts behind it', async () => {
    await openLibrary(2);
    const wrapper = mount(ExportDialog, { attachTo: document.body });
    const store = useExportStore();
    let reachedWindow = 0;
    const behind = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' || event.key === 'ArrowRight') reachedWindow += 1;
    };
    window.addEventListener('keydown', behind);
    try {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'e', ctrlKey: true }));
      await flushPromises();
      expect(store.isOpen).toBe(true);
      expect(wrapper.find('[role="dialog"]').exists()).toBe(true);

      const example = (): string => wrapper.get('[data-testid="export-naming-example"]').text();
      expect(example()).toContain('IMG_0001.depth.png');
      await wrapper.get('#export-naming').setValue('{name}_{model}');
      expect(example()).toContain(exampleFileName('{name}_{model}', 'png16', { name: 'IMG_0001', model: 'model', date: '' }));
      await wrapper.get('input[data-format="ply"]').setValue(true);
      expect(store.formats).toEqual(['png16', 'ply']);
      expect(wrapper.get('[data-testid="export-start"]').attributes('disabled')).toBeDefined();

      await wrapper.get('[data-testid="export-choose-folder"]').trigger('click');
      await afterRefresh();
      expect(wrapper.get('[data-testid="export-folder"]').text()).toBe('/exports/Holiday depth');
      expect(wrapper.get('[data-testid="export-estimate"]').text()).toContain(formatBytes(3000));
      expect(wrapper.get('[data-testid="export-start"]').attributes('disabled')).toBeUndefined();

      // A key pressed while the focus is on the page behind goes nowhere, and the dialog takes the focus back.
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      expect(reachedWindow).toBe(0);
      expect(document.activeElement).toBe(wrapper.get('[role="dialog"]').element);

      await wrapper.get('[role="dialog"]').trigger('keydown', { key: 'Escape' });
      expect(store.isOpen).toBe(false);
      expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
      expect(reachedWindow).toBe(0);
    } finally {
      window.removeEventListener('keydown', behind);
    }
  });
});
