/**
 * The one place where a photo's calibration reaches its depth map: the viewer draws, ranges,
 * histograms and reads under the cursor the calibrated grid made here, never the model's raw one.
 */
import { computed, type ComputedRef } from 'vue';
import { useMeasureStore } from '../../stores/measure';
import { useViewerStore } from '../../stores/viewer';
import type { DepthGrid } from './depth-math';

/** A depth grid with every depth multiplied by `factor` (the same grid when the factor is 1). */
export function scaleDepth(grid: DepthGrid, factor: number): DepthGrid {
  if (factor === 1) return grid;
  const metres = new Float32Array(grid.metres.length);
  for (let index = 0; index < metres.length; index += 1) metres[index] = (grid.metres[index] as number) * factor;
  return { width: grid.width, height: grid.height, metres };
}

/** The photo on screen's depth as the photographer calibrated it. */
export interface CalibratedDepth {
  /** The calibration factor of the photo on screen; 1 when it has none (or its calibration is not loaded). */
  factor: ComputedRef<number>;
  /** The depth map of the photo on screen with the factor applied, or `null` before depth exists. */
  grid: ComputedRef<DepthGrid | null>;
}

/** The viewer's depth with the measuring store's calibration of the same photo applied. */
export function useCalibratedDepth(): CalibratedDepth {
  const viewer = useViewerStore();
  const measuring = useMeasureStore();
  const factor = computed(() => (measuring.photoId !== null && measuring.photoId === viewer.photoId ? (measuring.calibration?.factor ?? 1) : 1));
  const grid = computed(() => (viewer.depth === null ? null : scaleDepth(viewer.depth, factor.value)));
  return { factor, grid };
}
