/**
 * The measuring store and panel over the in-memory transport, on a flat wall 4 m in front of the
 * camera answered by the real geometry: along a row, n pixels are n × 4 / 1000 m.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import MeasurePanel from '../../src/renderer/src/features/measure/MeasurePanel.vue';
import { photoPixelAt, TOOLS } from '../../src/renderer/src/features/measure/tools';
import { useMeasureStore } from '../../src/renderer/src/stores/measure';
import { useSettingsStore } from '../../src/renderer/src/stores/settings';
import { useViewerStore } from '../../src/renderer/src/stores/viewer';
import { FOCAL_PX, WALL_METRES, WallPhoto } from './measure-photo';
import { settle } from './memory-backend';
import { useMemoryBackend } from './setup';

const backend = useMemoryBackend();

/** Metres on the wall for a run of pixels along a row. */
const alongRow = (pixels: number): number => (pixels * WALL_METRES) / FOCAL_PX;

let wall: WallPhoto;
let pinia: Pinia;
beforeEach(() => {
  backend.reset();
  pinia = createPinia();
  setActivePinia(pinia);
  wall = new WallPhoto();
  wall.install(backend);
  backend.on('library.recentFolders', () => []);
});

function valueOf(id: string | undefined): number {
  const result = id === undefined ? undefined : useMeasureStore().resultsById.get(id);
  if (result?.ok !== true) throw new Error(`no value for ${id}`);
  return result.value;
}

describe('photo pixels under the pointer', () => {
  it('snaps to the pixel under the pointer at any zoom and stays inside the photo', () => {
    // An 800 px photo shown 400 px wide: a screen pixel covers two photo pixels.
    expect(photoPixelAt(100.4, 50.9, 400, 300, 800, 600)).toEqual({ u: 200, v: 101 });
    // Zoomed in 4× (3200 px wide): a quarter-pixel move stays on the same photo pixel.
    expect(photoPixelAt(1001, 10, 3200, 2400, 800, 600)).toEqual(photoPixelAt(1003.9, 10, 3200, 2400, 800, 600));
    expect(photoPixelAt(-5, 700, 400, 300, 800, 600)).toEqual({ u: 0, v: 599 });
  });
});

describe('measure store', () => {
  it('keeps a distance after its second click, valued by measure.compute', async () => {
    const measure = useMeasureStore();
    await measure.load('wall');
    measure.chooseTool('distance');
    await measure.addPoint({ u: 100, v: 300 });
    expect(measure.saved).toHaveLength(0);
    await measure.addPoint({ u: 700, v: 300 });
    expect(wall.measurements).toHaveLength(1);
    expect(wall.measurements[0]).toMatchObject({ kind: 'distance', points: [{ u: 100, v: 300 }, { u: 700, v: 300 }] });
    const id = measure.saved[0]?.id;
    expect(valueOf(id)).toBeCloseTo(alongRow(600), 3);
    const result = measure.resultsById.get(id ?? '');
    expect(result?.ok === true && result.band !== null && result.band > 0).toBe(true);
    // The tool stays in hand for the next one, with nothing drawn.
    expect(measure.tool).toBe('distance');
    expect(measure.draft?.points).toEqual([]);
  });

  it('Esc drops what is drawn, then puts the tool down, then leaves Esc to the viewer', async () => {
    const measure = useMeasureStore();
    await measure.load('wall');
    measure.chooseTool('polyline');
    await measure.addPoint({ u: 10, v: 10 });
    expect(measure.cancel()).toBe(true);
    expect(measure.draft?.points).toEqual([]);
    expect(measure.tool).toBe('polyline');
    expect(measure.cancel()).toBe(true);
    expect(measure.tool).toBeNull();
    expect(measure.cancel()).toBe(false);
  });

  it('draws a path point by point with undo and redo, then undoes keeping it', async () => {
    const measure = useMeasureStore();
    await measure.load('wall');
    measure.chooseTool('polyline');
    for (const point of [{ u: 100, v: 100 }, { u: 100, v: 100 }, { u: 300, v: 100 }, { u: 300, v: 400 }]) await measure.addPoint(point);
    expect(measure.draft?.points).toHaveLength(3); // the same pixel twice counts once
    await measure.undo();
    expect(measure.draft?.points).toEqual([{ u: 100, v: 100 }, { u: 300, v: 100 }]);
    await measure.redo();
    expect(measure.draft?.points).toHaveLength(3);
    await settle();
    // While drawing, the value so far comes from the main process too.
    expect(measure.draftResult?.ok === true ? measure.draftResult.value : null).toBeCloseTo(alongRow(500), 3);
    await measure.finish();
    expect(wall.measurements).toHaveLength(1);
    expect(valueOf(measure.saved[0]?.id)).toBeCloseTo(alongRow(500), 3);
    // The drawing steps are gone from the history; undo takes back keeping it, redo keeps it again.
    await measure.undo();
    expect(wall.measurements).toHaveLength(0);
    expect(measure.saved).toHaveLength(0);
    expect(measure.canUndo).toBe(false);
    await measure.redo();
    expect(wall.measurements.map((m) => m.points.length)).toEqual([3]);
    expect(valueOf(measure.saved[0]?.id)).toBeCloseTo(alongRow(500), 3);
  });

  it('keeps clicks made while the last measurement is still being saved, and runs quick undo/redo in turn', async () => {
    const measure = useMeasureStore();
    await measure.load('wall');
    measure.chooseTool('distance');
    await measure.addPoint({ u: 100, v: 300 });
    const keeping = measure.addPoint({ u: 700, v: 300 });
    const next = measure.addPoint({ u: 50, v: 50 }); // the next distance begins before the first is saved
    await Promise.all([keeping, next]);
    expect(wall.measurements).toHaveLength(1);
    expect(measure.draft?.points).toEqual([{ u: 50, v: 50 }]);
    measure.chooseTool(null);
    // Undo and redo pressed in quick succession: both happen, in order.
    await Promise.all([measure.undo(), measure.redo()]);
    expect(wall.measurements).toHaveLength(1);
    expect(measure.saved).toHaveLength(1);
    expect(valueOf(measure.saved[0]?.id)).toBeCloseTo(alongRow(600), 3);
  });

  it('measures a height: the ground region first, Enter, then the point', async () => {
    const measure = useMeasureStore();
    await measure.load('wall');
    measure.chooseTool('height');
    for (const point of [{ u: 100, v: 100 }, { u: 700, v: 100 }, { u: 400, v: 500 }]) await measure.addPoint(point);
    expect(measure.draft?.ground).toHaveLength(3);
    expect(measure.draft?.points).toHaveLength(0);
    await measure.finish();
    expect(measure.groundClosed).toBe(true);
    await measure.addPoint({ u: 400, v: 300 });
    expect(wall.measurements[0]).toMatchObject({ kind: 'height', points: [{ u: 400, v: 300 }] });
    expect(wall.measurements[0]?.ground).toHaveLength(3);
    // The point lies on the very plane picked as ground.
    expect(Math.abs(valueOf(measure.saved[0]?.id))).toBeLessThan(0.01);
  });

  it('moves a handle of a kept measurement: live value, saved with its id, undo moves it back', async () => {
    const measure = useMeasureStore();
    await measure.load('wall');
    measure.chooseTool('distance');
    await measure.addPoint({ u: 100, v: 300 });
    await measure.addPoint({ u: 700, v: 300 });
    const id = measure.saved[0]?.id ?? '';
    measure.chooseTool(null);
    measure.movePoint({ measurementId: id, index: 1, ground: false }, { u: 600, v: 300 });
    measure.movePoint({ measurementId: id, index: 1, ground: false }, { u: 500, v: 300 });
    await settle();
    expect(valueOf(id)).toBeCloseTo(alongRow(400), 3);
    await measure.endMove();
    expect(wall.measurements).toHaveLength(1);
    expect(wall.measurements[0]?.id).toBe(id);
    expect(wall.measurements[0]?.points[1]).toEqual({ u: 500, v: 300 });
    await measure.undo();
    expect(wall.measurements[0]?.points[1]).toEqual({ u: 700, v: 300 });
    expect(valueOf(id)).toBeCloseTo(alongRow(600), 3);
  });

  it('calibrates with a known length: every value rescales by the factor, and resets', async () => {
    const measure = useMeasureStore();
    await measure.load('wall');
    measure.chooseTool('distance');
    await measure.addPoint({ u: 100, v: 300 });
    await measure.addPoint({ u: 700, v: 300 });
    const id = measure.saved[0]?.id;
    measure.chooseTool('calibrate');
    await measure.addPoint({ u: 100, v: 200 });
    await measure.addPoint({ u: 600, v: 200 });
    expect(measure.reference).toEqual({ from: { u: 100, v: 200 }, to: { u: 600, v: 200 } });
    await settle();
    // Before the known length is typed, the line's length as measured now.
    expect(measure.draftResult?.ok === true ? measure.draftResult.value : null).toBeCloseTo(alongRow(500), 3);
    // The 500-pixel line is 2.00 m on the model's depth; it really is 3.00 m.
    expect(await measure.calibrate(3)).toBe(true);
    expect(measure.calibration?.factor).toBeCloseTo(3 / alongRow(500), 6);
    expect(measure.tool).toBeNull();
    expect(valueOf(id)).toBeCloseTo(alongRow(600) * (3 / alongRow(500)), 3);
    // Undo and redo go back and forth between the model's scale and the calibrated one.
    await measure.undo();
    expect(wall.calibration).toBeNull();
    expect(valueOf(id)).toBeCloseTo(alongRow(600), 3);
    await measure.redo();
    expect(wall.calibration?.knownLengthMetres).toBe(3);
    expect(valueOf(id)).toBeCloseTo(alongRow(600) * (3 / alongRow(500)), 3);
    await measure.resetCalibration();
    expect(measure.calibration).toBeNull();
    expect(valueOf(id)).toBeCloseTo(alongRow(600), 3);
    await measure.undo();
    expect(measure.calibration?.factor).toBeCloseTo(3 / alongRow(500), 6);
  });

  it('says why there are no values before the photo has depth, and values arrive with depth.ready', async () => {
    const measure = useMeasureStore();
    wall.hasDepth = false;
    const stop = measure.listen();
    await measure.load('wall');
    expect(measure.unavailable?.message).toMatch(/Estimate its depth first/);
    wall.hasDepth = true;
    backend.emit('depth.ready', { photoId: 'wall', jobId: 'job-1', modelId: 'wall', fromCache: false });
    await settle();
    expect(measure.unavailable).toBeNull();
    expect(measure.computation?.relativeError?.value).toBe(0.1);
    stop();
  });
});

describe('measure panel', () => {
  async function mountPanel() {
    const wrapper = mount(MeasurePanel, { global: { plugins: [pinia] }, attachTo: document.body });
    useViewerStore().photoId = 'wall';
    await flushPromises();
    await settle();
    return wrapper;
  }

  it('names every tool’s key in its tooltip, and the keys pick the tools', async () => {
    const wrapper = await mountPanel();
    for (const entry of TOOLS) {
      const button = wrapper.get(`[data-tool="${entry.tool}"]`);
      expect(button.attributes('title')).toContain(`(${entry.key.label})`);
    }
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'm' }));
    await flushPromises();
    expect(wrapper.get('[data-tool="distance"]').attributes('aria-pressed')).toBe('true');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'G' }));
    await flushPromises();
    expect(useMeasureStore().tool).toBe('angle');
    const escape = new KeyboardEvent('keydown', { key: 'Escape', cancelable: true });
    window.dispatchEvent(escape);
    expect(escape.defaultPrevented).toBe(true); // the viewer does not close
    expect(useMeasureStore().tool).toBeNull();
    const second = new KeyboardEvent('keydown', { key: 'Escape', cancelable: true });
    window.dispatchEvent(second);
    expect(second.defaultPrevented).toBe(false); // now Esc is the viewer's
  });

  it('lists kept measurements in feet when the settings say so, with the focal-length source and the band’s origin', async () => {
    useSettingsStore().settings.units = 'feet';
    wall.measurements = [
      { id: 'a', kind: 'distance', name: 'Door', points: [{ u: 100, v: 300 }, { u: 700, v: 300 }], created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' }
    ];
    const wrapper = await mountPanel();
    const shown = wrapper.get('[data-testid="measurement-value"]').text();
    // 600 px along the row at 4 m is 2.40 m = 94.49 in: to the half inch, 7 ft 10.5 in.
    expect(shown).toMatch(/^7 ft 10\.5 in ± /);
    expect(wrapper.get('[data-testid="measure-focal-source"]').text()).toContain('35 mm film');
    expect(wrapper.get('[data-testid="measure-band-source"]').text()).toContain('10.0 %');
    expect(wrapper.get('[data-testid="measurement-value"]').attributes('title')).toContain('35 mm film');
    await wrapper.get('button[aria-label="Delete Door"]').trigger('click');
    await flushPromises();
    expect(wall.measurements).toHaveLength(0);
    expect(wrapper.text()).toContain('None yet');
  });

  it('measures with the photographer’s lens and sensor when EXIF is wrong, and back with EXIF', async () => {
    wall.measurements = [
      { id: 'a', kind: 'distance', name: 'Shelf', points: [{ u: 100, v: 300 }, { u: 700, v: 300 }], created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' }
    ];
    const wrapper = await mountPanel();
    expect(valueOf('a')).toBeCloseTo(alongRow(600), 3);
    await wrapper.findAll('button').find((button) => button.text() === 'Camera…')?.trigger('click');
    await wrapper.get('input[aria-label="Lens focal length in mm"]').setValue('50');
    await wrapper.get('input[aria-label="Sensor width in mm"]').setValue('0');
    await wrapper.get('form.override').trigger('submit');
    await flushPromises();
    expect(wrapper.text()).toContain('sensor width');
    expect(backend.callsOf('measure.intrinsics')).toHaveLength(1);
    await wrapper.get('input[aria-label="Sensor width in mm"]').setValue('36');
    await wrapper.get('form.override').trigger('submit');
    await flushPromises();
    expect(backend.callsOf('measure.intrinsics').at(-1)?.request).toEqual({ photoId: 'wall', override: { kind: 'focal-length', focalLengthMm: 50, sensorWidthMm: 36 } });
    // A 50 mm lens on a 36 mm sensor across 800 px: fx = 1111.1 px, so 600 px at 4 m is 2.16 m.
    expect(valueOf('a')).toBeCloseTo((600 * WALL_METRES) / ((50 / 36) * 800), 3);
    expect(wrapper.get('[data-testid="measure-focal-source"]').text()).toContain('Your lens');
    await wrapper.findAll('button').find((button) => button.text() === 'Use EXIF')?.trigger('click');
    await flushPromises();
    expect(valueOf('a')).toBeCloseTo(alongRow(600), 3);
  });

  it('exports CSV into the chosen folder and says where', async () => {
    wall.measurements = [
      { id: 'a', kind: 'point-depth', name: 'Lamp', points: [{ u: 400, v: 300 }], created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' }
    ];
    const wrapper = await mountPanel();
    const csv = wrapper.findAll('button').find((button) => button.text() === 'CSV…');
    await csv?.trigger('click');
    await flushPromises();
    expect(backend.callsOf('measure.export').at(-1)?.request).toEqual({ photoId: 'wall', format: 'csv', destination: 'folder' });
    expect(wrapper.get('[data-testid="measure-notice"]').text()).toContain('/exports/wall.measurements.csv');
  });
});
