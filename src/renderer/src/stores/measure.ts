/**
 * Measuring on the photo in the viewer: the tool in hand, the measurement being drawn, the ones
 * kept with the photo, the calibration, exports, and undo/redo of every edit. Values always come
 * from `measure.compute` in the main process (the single source of truth), also while a handle is
 * dragged: one request in flight at a time, the newest position asked for next.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type {
  ComputedMeasurement,
  MeasureComputation,
  MeasurementDraft,
  PhotoCalibration,
  PhotoCamera,
  SavedMeasurement
} from '../../../shared/api/measure';
import type { ZoeErrorValue } from '../../../shared/errors';
import { useZoe } from '../bridge/zoe';
import { createEditHistory } from '../features/measure/history';
import { createKeptEdits } from '../features/measure/kept-edits';
import { createLiveValues } from '../features/measure/live-values';
import { createPhotoActions } from '../features/measure/photo-actions';
import { pointsOf, restorable, samePoint, type MeasureTool, type PhotoPoint } from '../features/measure/tools';

/** Which point a handle moves: of a kept measurement (by id) or of the one being drawn (`null`). */
export interface HandleTarget {
  measurementId: string | null;
  index: number;
  /** A corner of a height's ground region rather than a measured point. */
  ground: boolean;
}

/** The measurement being drawn. */
export interface MeasureDraftState {
  tool: MeasureTool;
  points: PhotoPoint[];
  /** A height's ground region, drawn first. */
  ground: PhotoPoint[];
}

export const useMeasureStore = defineStore('measure', () => {
  const photoId = ref<string | null>(null);
  const camera = shallowRef<PhotoCamera | null>(null);
  const saved = ref<SavedMeasurement[]>([]);
  const calibration = shallowRef<PhotoCalibration | null>(null);
  /** Values of the kept measurements, and what they rest on; null until there is depth. */
  const computation = shallowRef<MeasureComputation | null>(null);
  /** Why there are no values (no depth yet, no model), for the panel. */
  const unavailable = shallowRef<ZoeErrorValue | null>(null);
  const tool = ref<MeasureTool | null>(null);
  const draft = ref<MeasureDraftState | null>(null);
  /** The reference line drawn with the calibrate tool, waiting for its known length. */
  const reference = ref<{ from: PhotoPoint; to: PhotoPoint } | null>(null);
  const selectedId = ref<string | null>(null);
  const error = shallowRef<ZoeErrorValue | null>(null);
  /** The last export, in a sentence (“Saved IMG_0001.measurements.csv to /…”). */
  const notice = ref<string | null>(null);
  const history = createEditHistory();
  let ticket = 0;
  /** The value of the measurement being drawn (or of the kept one being dragged), keyed by id or `draft`. */
  const liveValues = createLiveValues(
    () => photoId.value,
    () => unavailable.value !== null
  );
  const live = liveValues.values;

  const resultsById = computed(() => {
    const byId = new Map<string, ComputedMeasurement>();
    for (const result of computation.value?.results ?? []) if (result.id !== undefined) byId.set(result.id, result);
    for (const [id, result] of live.value) byId.set(id, result);
    return byId;
  });
  const draftResult = computed(() => live.value.get('draft') ?? null);
  const canUndo = computed(() => history.done.value.length > 0);
  const canRedo = computed(() => history.undone.value.length > 0);

  function fail(value: ZoeErrorValue): void {
    error.value = value;
  }

  /** Loads what is kept for a photo and its values; forgets the previous photo's edits. */
  async function load(id: string): Promise<void> {
    const mine = ++ticket;
    photoId.value = id;
    camera.value = null;
    saved.value = [];
    calibration.value = null;
    computation.value = null;
    unavailable.value = null;
    draft.value = tool.value === null ? null : { tool: tool.value, points: [], ground: [] };
    reference.value = null;
    selectedId.value = null;
    error.value = null;
    notice.value = null;
    liveValues.reset();
    history.clear();
    const zoe = useZoe();
    const [intrinsics, kept] = await Promise.all([zoe.measure.intrinsics({ photoId: id }), zoe.measure.list({ photoId: id })]);
    if (mine !== ticket) return;
    if (intrinsics.ok) camera.value = intrinsics.value;
    else fail(intrinsics.error);
    if (kept.ok) {
      saved.value = kept.value.measurements;
      calibration.value = kept.value.calibration;
    } else fail(kept.error);
    await refresh();
  }

  /** Works the values of the kept measurements out again (after an edit, new depth or a calibration). */
  async function refresh(): Promise<void> {
    const id = photoId.value;
    if (id === null) return;
    const mine = ticket;
    const result = await useZoe().measure.compute({ photoId: id });
    if (mine !== ticket || id !== photoId.value) return;
    if (result.ok) {
      computation.value = result.value;
      // The factor as it stands on this depth and camera (another model, a corrected camera).
      calibration.value = result.value.calibration;
      unavailable.value = null;
    } else {
      computation.value = null;
      unavailable.value = result.error;
    }
  }

  function requestLive(key: string, measurement: MeasurementDraft): void {
    liveValues.request(key, measurement);
  }
  function clearLive(key: string): void {
    liveValues.clear(key);
  }

  /** The draft as `measure.save`/`compute` take it, or null while it has too few points. */
  function draftMeasurement(state: MeasureDraftState | null = draft.value): MeasurementDraft | null {
    if (state === null || state.tool === 'calibrate') return null;
    const [fewest] = pointsOf(state.tool);
    if (state.points.length < fewest) return null;
    if (state.tool === 'height') return state.ground.length >= 3 ? { kind: 'height', points: state.points, ground: state.ground } : null;
    return { kind: state.tool, points: state.points };
  }

  function updateDraftValue(): void {
    const state = draft.value;
    // A calibration's reference line shows its length as measured now, before the known one is typed.
    const measurement = state?.tool === 'calibrate' && state.points.length === 2 ? { kind: 'distance' as const, points: state.points } : draftMeasurement();
    if (measurement === null) clearLive('draft');
    else requestLive('draft', measurement);
  }

  /** Picks a tool (picking the one in hand again puts it down); what was being drawn is dropped. */
  function chooseTool(next: MeasureTool | null): void {
    cancelDraft();
    tool.value = next === tool.value ? null : next;
    draft.value = tool.value === null ? null : { tool: tool.value, points: [], ground: [] };
    reference.value = null;
  }

  function cancelDraft(): void {
    history.forgetDraft();
    groundClosed.value = false;
    clearLive('draft');
    if (tool.value !== null) draft.value = { tool: tool.value, points: [], ground: [] };
  }

  /**
   * Esc: drops the measurement being drawn; with nothing drawn, puts the tool down. False when
   * there was nothing to cancel (then Esc means what it means elsewhere: leave the viewer).
   */
  function cancel(): boolean {
    if (reference.value !== null) {
      reference.value = null;
      cancelDraft();
      return true;
    }
    const state = draft.value;
    if (state !== null && (state.points.length > 0 || state.ground.length > 0)) {
      cancelDraft();
      return true;
    }
    if (tool.value !== null) {
      chooseTool(null);
      return true;
    }
    if (selectedId.value !== null) {
      selectedId.value = null;
      return true;
    }
    return false;
  }

  /** Whether the draft is collecting a height's ground region (its first phase). */
  function collectingGround(state: MeasureDraftState): boolean {
    return state.tool === 'height' && state.points.length === 0 && !groundClosed.value;
  }
  /** A height's ground region is closed with Enter; then the next click is the point. */
  const groundClosed = ref(false);

  /** A click on the photo with a tool in hand: adds a point (the same pixel twice counts once). */
  async function addPoint(point: PhotoPoint): Promise<void> {
    const state = draft.value;
    if (state === null || reference.value !== null) return;
    const ground = collectingGround(state);
    const list = ground ? state.ground : state.points;
    if (samePoint(list[list.length - 1], point)) return;
    list.push(point);
    history.record({
      label: 'Add point',
      draft: true,
      undo: () => {
        if (draft.value !== null) (ground ? draft.value.ground : draft.value.points).pop();
        if (ground) groundClosed.value = false;
        updateDraftValue();
      },
      redo: () => {
        if (draft.value !== null) (ground ? draft.value.ground : draft.value.points).push(point);
        updateDraftValue();
      }
    });
    updateDraftValue();
    const [, most] = pointsOf(state.tool);
    if (!ground && state.points.length >= most) await finish();
  }

  /**
   * Enter or a double-click: closes a height's ground region, or keeps the measurement drawn
   * (a path or an area ends here; the others end by themselves at their last point).
   */
  async function finish(): Promise<void> {
    const state = draft.value;
    if (state === null) return;
    if (state.tool === 'height' && collectingGround(state)) {
      if (state.ground.length >= 3) groundClosed.value = true;
      return;
    }
    if (state.tool === 'calibrate') {
      const [from, to] = state.points;
      if (from !== undefined && to !== undefined) reference.value = { from, to };
      return;
    }
    const measurement = draftMeasurement(state);
    if (measurement === null) return;
    await keep(measurement);
  }

  const kept = createKeptEdits({ photoId, saved, selectedId, history, fail, refresh });

  /** Keeps a drawn measurement with the photo; undo deletes it again. */
  async function keep(measurement: MeasurementDraft): Promise<void> {
    if (photoId.value === null) return;
    // The drawing is cleared at once, so clicks for the next one made while this one is being
    // kept are not lost; it comes back if it could not be kept.
    const drawn = draft.value;
    history.forgetDraft();
    clearLive('draft');
    groundClosed.value = false;
    if (tool.value !== null) draft.value = { tool: tool.value, points: [], ground: [] };
    if (await kept.keep(measurement)) return;
    const untouched = draft.value === null || (draft.value.points.length === 0 && draft.value.ground.length === 0);
    if (drawn !== null && untouched && tool.value === drawn.tool) draft.value = drawn;
  }

  /** The points a handle belongs to. */
  function pointsFor(target: HandleTarget): PhotoPoint[] | null {
    if (target.measurementId === null) {
      const state = draft.value;
      if (state === null) return null;
      return target.ground ? state.ground : state.points;
    }
    const measurement = saved.value.find((candidate) => candidate.id === target.measurementId);
    if (measurement === undefined) return null;
    return target.ground ? (measurement.ground ?? null) : measurement.points;
  }

  let dragStart: { target: HandleTarget; from: PhotoPoint } | null = null;

  /** A handle is being dragged: the point follows and its value is worked out live. */
  function movePoint(target: HandleTarget, to: PhotoPoint): void {
    const points = pointsFor(target);
    const from = points?.[target.index];
    if (points === null || from === undefined) return;
    if (dragStart === null) dragStart = { target, from: { ...from } };
    points[target.index] = to;
    if (target.measurementId === null) {
      updateDraftValue();
      return;
    }
    const measurement = saved.value.find((candidate) => candidate.id === target.measurementId);
    if (measurement !== undefined) requestLive(measurement.id, { ...restorable(measurement), id: measurement.id });
  }

  /** The handle is let go: a kept measurement is saved with its new point; undo puts it back. */
  async function endMove(): Promise<void> {
    const start = dragStart;
    dragStart = null;
    if (start === null) return;
    const points = pointsFor(start.target);
    const to = points?.[start.target.index];
    if (to === undefined || samePoint(start.from, to)) return;
    const place = async (point: PhotoPoint): Promise<void> => {
      const list = pointsFor(start.target);
      if (list === null) return;
      list[start.target.index] = point;
      if (start.target.measurementId === null) updateDraftValue();
      else await saveMoved(start.target.measurementId);
    };
    history.record({ label: 'Move point', draft: start.target.measurementId === null, undo: () => place(start.from), redo: () => place(to) });
    if (start.target.measurementId !== null) await saveMoved(start.target.measurementId);
  }

  async function saveMoved(measurementId: string): Promise<void> {
    if (await kept.saveMoved(measurementId)) clearLive(measurementId);
  }

  const photoActions = createPhotoActions({ photoId, camera, calibration, error, notice, history, refresh });

  /** The reference line really is `knownLengthMetres` long: every depth on the photo rescales. */
  async function calibrate(knownLengthMetres: number): Promise<boolean> {
    const line = reference.value ?? (calibration.value === null ? null : { from: calibration.value.from, to: calibration.value.to });
    if (line === null || !(await photoActions.calibrate({ knownLengthMetres, from: line.from, to: line.to }))) return false;
    reference.value = null;
    if (tool.value === 'calibrate') chooseTool(null);
    return true;
  }

  async function undo(): Promise<void> {
    await history.undo();
  }
  async function redo(): Promise<void> {
    await history.redo();
  }

  /** New depth for the photo (estimated, or by another model): values again. */
  function listen(): () => void {
    return useZoe().on('depth.ready', (ready) => {
      if (ready.photoId === photoId.value) void refresh();
    });
  }

  return {
    photoId,
    camera,
    saved,
    calibration,
    computation,
    unavailable,
    tool,
    draft,
    reference,
    selectedId,
    error,
    notice,
    groundClosed,
    resultsById,
    draftResult,
    canUndo,
    canRedo,
    load,
    refresh,
    chooseTool,
    cancel,
    addPoint,
    finish,
    remove: kept.remove,
    rename: kept.rename,
    movePoint,
    endMove,
    calibrate,
    resetCalibration: photoActions.resetCalibration,
    exportText: photoActions.exportText,
    exportAnnotated: photoActions.exportAnnotated,
    setCameraOverride: photoActions.setCameraOverride,
    undo,
    redo,
    listen
  };
});
