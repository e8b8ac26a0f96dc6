/**
 * Edits of the measurements kept with the photo: keep a drawn one, delete, rename, save a moved
 * point. Each edit is undoable (keep ↔ delete) and works the values out again afterwards.
 */
import type { Ref } from 'vue';
import type { MeasurementDraft, SavedMeasurement } from '../../../../shared/api/measure';
import type { ZoeErrorValue } from '../../../../shared/errors';
import { useZoe } from '../../bridge/zoe';
import type { EditHistory } from './history';
import { restorable } from './tools';

/** The measuring store's state these edits read and change. */
export interface KeptEditsState {
  photoId: Ref<string | null>;
  saved: Ref<SavedMeasurement[]>;
  selectedId: Ref<string | null>;
  history: EditHistory;
  /** Shows why an edit failed. */
  fail(error: ZoeErrorValue): void;
  /** Works every value out again. */
  refresh(): Promise<void>;
}

/** The edits of kept measurements. */
export interface KeptEdits {
  /** Keeps a drawn measurement with the photo and selects it; undo deletes it again. False when it could not be kept (the reason is shown). */
  keep(measurement: MeasurementDraft): Promise<boolean>;
  /** Deletes a kept measurement; undo keeps it again. */
  remove(measurementId: string): Promise<void>;
  rename(measurementId: string, name: string): Promise<void>;
  /** Saves a kept measurement whose point was moved. False when it could not be saved (the reason is shown). */
  saveMoved(measurementId: string): Promise<boolean>;
}

/** The edits over the measuring store's state. */
export function createKeptEdits(state: KeptEditsState): KeptEdits {
  const { photoId, saved, selectedId, history, fail, refresh } = state;

  async function keep(measurement: MeasurementDraft): Promise<boolean> {
    const id = photoId.value;
    if (id === null) return false;
    const result = await useZoe().measure.save({ photoId: id, measurement });
    if (!result.ok) {
      fail(result.error);
      return false;
    }
    let keptId = result.value.id;
    saved.value = [...saved.value, result.value];
    selectedId.value = keptId;
    history.record({
      label: `Add ${result.value.name}`,
      undo: async () => {
        await removeQuietly(keptId);
      },
      redo: async () => {
        const again = await useZoe().measure.save({ photoId: id, measurement: { ...measurement, name: result.value.name } });
        if (!again.ok) return fail(again.error);
        keptId = again.value.id;
        saved.value = [...saved.value, again.value];
        await refresh();
      }
    });
    await refresh();
    return true;
  }

  async function removeQuietly(measurementId: string): Promise<void> {
    const id = photoId.value;
    if (id === null) return;
    const result = await useZoe().measure.delete({ photoId: id, measurementId });
    if (!result.ok) return fail(result.error);
    saved.value = saved.value.filter((measurement) => measurement.id !== measurementId);
    if (selectedId.value === measurementId) selectedId.value = null;
    await refresh();
  }

  async function remove(measurementId: string): Promise<void> {
    const before = saved.value.find((measurement) => measurement.id === measurementId);
    if (before === undefined) return;
    await removeQuietly(measurementId);
    let currentId = measurementId;
    history.record({
      label: `Delete ${before.name}`,
      undo: async () => {
        const id = photoId.value;
        if (id === null) return;
        const again = await useZoe().measure.save({ photoId: id, measurement: restorable(before) });
        if (!again.ok) return fail(again.error);
        currentId = again.value.id;
        saved.value = [...saved.value, again.value];
        await refresh();
      },
      redo: () => removeQuietly(currentId)
    });
  }

  async function rename(measurementId: string, name: string): Promise<void> {
    const id = photoId.value;
    if (id === null || name.trim() === '') return;
    const result = await useZoe().measure.rename({ photoId: id, measurementId, name });
    if (!result.ok) return fail(result.error);
    saved.value = saved.value.map((measurement) => (measurement.id === measurementId ? result.value : measurement));
    await refresh();
  }

  async function saveMoved(measurementId: string): Promise<boolean> {
    const id = photoId.value;
    const measurement = saved.value.find((candidate) => candidate.id === measurementId);
    if (id === null || measurement === undefined) return false;
    const result = await useZoe().measure.save({ photoId: id, measurement: { ...restorable(measurement), id: measurementId } });
    if (!result.ok) {
      fail(result.error);
      return false;
    }
    saved.value = saved.value.map((candidate) => (candidate.id === measurementId ? result.value : candidate));
    await refresh();
    return true;
  }

  return { keep, remove, rename, saveMoved };
}
