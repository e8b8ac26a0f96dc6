/**
 * What the measuring panel changes for the whole photo rather than one measurement: its
 * calibration (undoable), the camera it is measured with, and exports of its measurements.
 */
import type { Ref, ShallowRef } from 'vue';
import type { PhotoCalibration, PhotoCamera } from '../../../../shared/api/measure';
import type { IntrinsicsOverride } from '../../../../shared/camera';
import type { ZoeErrorValue } from '../../../../shared/errors';
import { useZoe } from '../../bridge/zoe';
import type { EditHistory } from './history';
import type { PhotoPoint } from './tools';

/** A known length drawn on the photo. */
export interface CalibrationReference {
  knownLengthMetres: number;
  from: PhotoPoint;
  to: PhotoPoint;
}

/** The measuring store's state these actions read and change. */
export interface PhotoActionState {
  photoId: Ref<string | null>;
  camera: ShallowRef<PhotoCamera | null>;
  calibration: ShallowRef<PhotoCalibration | null>;
  error: ShallowRef<ZoeErrorValue | null>;
  notice: Ref<string | null>;
  history: EditHistory;
  /** Works every value out again. */
  refresh(): Promise<void>;
}

/** The photo-wide actions. */
export interface PhotoActions {
  /** Calibrates with a known length; undo returns to the calibration before. */
  calibrate(reference: CalibrationReference): Promise<boolean>;
  /** Back to the model's own scale; undoable too. */
  resetCalibration(): Promise<void>;
  /** The photographer's own camera for this photo (kept with it), or `null` to go back to EXIF. */
  setCameraOverride(override: IntrinsicsOverride | null): Promise<boolean>;
  /** CSV or JSON of the kept measurements into a folder the photographer picks. */
  exportText(format: 'csv' | 'json'): Promise<void>;
  /** The photo with its measurements drawn on it, into a folder the photographer picks. */
  exportAnnotated(units: 'metric' | 'imperial'): Promise<void>;
}

function referenceOf(kept: PhotoCalibration | null): CalibrationReference | null {
  return kept === null ? null : { knownLengthMetres: kept.knownLengthMetres, from: kept.from, to: kept.to };
}

/** The actions over the measuring store's state. */
export function createPhotoActions(state: PhotoActionState): PhotoActions {
  const { photoId, camera, calibration, error, notice, history, refresh } = state;

  /** Sets (or with `null` resets) the photo's calibration and works every value out again. */
  async function applyCalibration(reference: CalibrationReference | null): Promise<boolean> {
    const id = photoId.value;
    if (id === null) return false;
    const result = await useZoe().measure.setCalibration({ photoId: id, reference });
    if (!result.ok) {
      error.value = result.error;
      return false;
    }
    calibration.value = result.value;
    error.value = null;
    await refresh();
    return true;
  }

  function record(label: string, before: CalibrationReference | null, after: CalibrationReference | null): void {
    history.record({
      label,
      undo: async () => {
        await applyCalibration(before);
      },
      redo: async () => {
        await applyCalibration(after);
      }
    });
  }

  return {
    async calibrate(reference) {
      const before = referenceOf(calibration.value);
      if (!(await applyCalibration(reference))) return false;
      record('Calibrate', before, reference);
      return true;
    },
    async resetCalibration() {
      const before = referenceOf(calibration.value);
      if (before !== null && (await applyCalibration(null))) record('Reset calibration', before, null);
    },
    async setCameraOverride(override) {
      const id = photoId.value;
      if (id === null) return false;
      const result = await useZoe().measure.intrinsics({ photoId: id, override });
      if (!result.ok) {
        error.value = result.error;
        return false;
      }
      camera.value = result.value;
      error.value = null;
      await refresh();
      return true;
    },
    async exportText(format) {
      const id = photoId.value;
      if (id === null) return;
      const result = await useZoe().measure.export({ photoId: id, format, destination: 'folder' });
      if (!result.ok) {
        error.value = result.error;
        return;
      }
      if (result.value !== null) notice.value = `Saved ${result.value.fileName}${result.value.savedTo === null ? '' : ` to ${result.value.savedTo}`}.`;
    },
    async exportAnnotated(units) {
      const id = photoId.value;
      if (id === null) return;
      const result = await useZoe().measure.exportAnnotated({ photoId: id, format: 'jpeg', units });
      if (!result.ok) {
        error.value = result.error;
        return;
      }
      if (result.value !== null) notice.value = `Saved ${result.value.fileName} (${result.value.width}×${result.value.height}) to ${result.value.savedTo}.`;
    }
  };
}
