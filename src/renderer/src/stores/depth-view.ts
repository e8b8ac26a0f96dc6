/** How depth is drawn over the photo: colour map, range, direction, opacity, layout. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ColormapName } from '../../../shared/colormaps';
import type { DepthRange } from '../features/viewer/depth-math';

/** `overlay`: depth over the photo; `side-by-side`: photo and depth next to each other; `split`: a before/after slider. */
export type DepthLayout = 'overlay' | 'side-by-side' | 'split';

export const useDepthViewStore = defineStore('depth-view', () => {
  const colormap = ref<ColormapName>('turbo');
  /** `auto`: 2nd–98th percentile of the photo's depths; `manual`: `manualRange`. */
  const rangeMode = ref<'auto' | 'manual'>('auto');
  const manualRange = ref<DepthRange>({ near: 0.5, far: 10 });
  /** Near at the high end of the colour map (turbo: near is red). */
  const invert = ref(true);
  const opacity = ref(0.7);
  const layout = ref<DepthLayout>('overlay');
  /** Position of the before/after divider, 0 (left) to 1 (right). */
  const split = ref(0.5);

  function setManualRange(range: DepthRange): void {
    rangeMode.value = 'manual';
    manualRange.value = range.far > range.near ? range : { near: range.far, far: range.near };
  }

  return { colormap, rangeMode, manualRange, invert, opacity, layout, split, setManualRange };
});
