import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { PhotoCalibration } from '../../src/shared/api';
import { scaleDepth } from '../../src/renderer/src/features/viewer/calibrated-depth';
import { automaticRange, type DepthGrid } from '../../src/renderer/src/features/viewer/depth-math';
import PhotoViewer from '../../src/renderer/src/features/viewer/PhotoViewer.vue';
import { useDepthViewStore } from '../../src/renderer/src/stores/depth-view';
import { useLibraryStore } from '../../src/renderer/src/stores/library';
import { useMeasureStore } from '../../src/renderer/src/stores/measure';
import { useViewerStore } from '../../src/renderer/src/stores/viewer';
import { folderListing } from './fixtures';
import { useMemoryBackend, useWindowSizedLayout } from './setup';

useMemoryBackend();
useWindowSizedLayout();

/** Depth rising from 1 m at the left edge to 9 m at the right. */
function rampDepth(): DepthGrid {
  const width = 64;
  const height = 48;
  const metres = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) metres[y * width + x] = 1 + (8 * x) / (width - 1);
  return { width, height, metres };
}

function calibration(factor: number): PhotoCalibration {
  return { factor, knownLengthMetres: 2 * factor, measuredMetres: 2, from: { u: 10, v: 10 }, to: { u: 200, v: 10 }, modelId: 'zoedepth-nk' };
}

/** The viewer on photo-1 with depth shown, and the measuring store holding `measuredId`'s calibration. */
function viewerWith(factor: number, measuredId = 'photo-1') {
  const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: true });
  const library = useLibraryStore(pinia);
  const viewer = useViewerStore(pinia);
  const measuring = useMeasureStore(pinia);
  library.photos = folderListing(2).photos;
  viewer.photoId = 'photo-1';
  viewer.preview = { url: 'zoe://preview/photo-1', width: 1200, height: 800, source: 'resized' };
  viewer.depthVisible = true;
  viewer.depth = rampDepth();
  measuring.photoId = measuredId;
  measuring.calibration = factor === 1 ? null : calibration(factor);
  const wrapper = mount(PhotoViewer, { global: { plugins: [pinia] }, attachTo: document.body });
  return { wrapper, measuring, view: useDepthViewStore(pinia) };
}

function edge(wrapper: ReturnType<typeof mount>, which: 'Nearest' | 'Farthest'): number {
  return Number((wrapper.find(`input[aria-label="${which} depth in m"]`).element as HTMLInputElement).value);
}

describe('scaleDepth', () => {
  it('multiplies every depth, keeps missing ones missing and leaves the model’s grid untouched', () => {
    const grid: DepthGrid = { width: 2, height: 1, metres: Float32Array.from([1.5, Number.NaN]) };
    const scaled = scaleDepth(grid, 2);
    expect(Array.from(scaled.metres.slice(0, 1))).toEqual([3]);
    expect(Number.isNaN(scaled.metres[1])).toBe(true);
    expect(grid.metres[0]).toBe(1.5);
    expect(scaleDepth(grid, 1)).toBe(grid);
  });
});

describe('the depth panel with a calibrated photo', () => {
  it('shows the automatic range multiplied by the calibration factor', async () => {
    const raw = automaticRange(rampDepth().metres);
    if (raw === null) throw new Error('the ramp has depths');
    const plain = viewerWith(1);
    await flushPromises();
    expect(edge(plain.wrapper, 'Nearest')).toBeCloseTo(raw.near, 2);
    expect(edge(plain.wrapper, 'Farthest')).toBeCloseTo(raw.far, 2);
    expect(plain.wrapper.find('[data-testid="depth-calibration"]').exists()).toBe(false);
    plain.wrapper.unmount();

    const calibrated = viewerWith(2.5);
    await flushPromises();
    expect(edge(calibrated.wrapper, 'Nearest')).toBeCloseTo(raw.near * 2.5, 2);
    expect(edge(calibrated.wrapper, 'Farthest')).toBeCloseTo(raw.far * 2.5, 2);
    expect(calibrated.wrapper.find('[data-testid="depth-calibration"]').text()).toContain('×2.5000');
  });

  it('rescales when the calibration changes, and its reset is the measuring store’s', async () => {
    const raw = automaticRange(rampDepth().metres);
    if (raw === null) throw new Error('the ramp has depths');
    const { wrapper, measuring } = viewerWith(2);
    await flushPromises();
    expect(edge(wrapper, 'Farthest')).toBeCloseTo(raw.far * 2, 2);
    measuring.calibration = calibration(0.5);
    await flushPromises();
    expect(edge(wrapper, 'Farthest')).toBeCloseTo(raw.far * 0.5, 2);
    await wrapper.find('[data-testid="depth-calibration"] button').trigger('click');
    expect(measuring.resetCalibration).toHaveBeenCalledTimes(1);
  });

  it('a manual range is typed in calibrated depths, and another photo’s calibration is not applied', async () => {
    const { wrapper, view } = viewerWith(2, 'photo-2');
    await flushPromises();
    expect(wrapper.find('[data-testid="depth-calibration"]').exists()).toBe(false);
    view.rangeMode = 'manual';
    view.manualRange = { near: 3, far: 12 };
    await flushPromises();
    expect(edge(wrapper, 'Nearest')).toBe(3);
    expect(edge(wrapper, 'Farthest')).toBe(12);
  });
});
