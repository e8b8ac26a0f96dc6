/** The photo on screen in the viewer: which one, its preview, zoom and pan, and whether depth shows. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ZoeErrorValue } from '../../../shared/errors';
import type { ImageResource } from '../../../shared/thumbnails';
import type { DepthGrid } from '../features/viewer/depth-math';
import { useZoe } from '../bridge/zoe';
import { useLibraryStore } from './library';

/** Zoom limits, as multiples of the size that fits the photo in the window. */
export const MIN_ZOOM = 1;
export const MAX_ZOOM = 16;
/** One press of + or − multiplies or divides the zoom by this. */
export const ZOOM_STEP = 1.25;

export const useViewerStore = defineStore('viewer', () => {
  const photoId = ref<string | null>(null);
  const preview = shallowRef<ImageResource | null>(null);
  const previewError = ref<ZoeErrorValue | null>(null);
  const loading = ref(false);
  /** 1 fits the photo in the window; 2 shows it twice as large. */
  const zoom = ref(1);
  /** Offset of the photo's centre from the window's centre, in screen pixels. */
  const pan = ref({ x: 0, y: 0 });
  const depthVisible = ref(false);
  /** The depth map of the photo on screen, once the depth engine has made one. */
  const depth = shallowRef<DepthGrid | null>(null);
  let request = 0;
  let unsubscribe: (() => void) | null = null;

  const library = useLibraryStore();
  const index = computed(() => (photoId.value === null ? -1 : (library.indexById.get(photoId.value) ?? -1)));
  const photo = computed(() => (index.value < 0 ? null : (library.photos[index.value] ?? null)));
  const isOpen = computed(() => photoId.value !== null);

  function fit(): void {
    zoom.value = 1;
    pan.value = { x: 0, y: 0 };
  }

  /** Shows a photo: its large preview is asked for; a failure is shown with its reason. */
  async function open(id: string): Promise<void> {
    const ticket = ++request;
    photoId.value = id;
    preview.value = null;
    previewError.value = null;
    depth.value = null;
    fit();
    loading.value = true;
    const result = await useZoe().thumbnails.preview({ photoId: id });
    if (ticket !== request) return;
    loading.value = false;
    if (result.ok) {
      preview.value = result.value;
      await loadDepth(id, ticket);
    } else {
      previewError.value = result.error;
      library.markBroken(id, result.error);
    }
  }

  /** The photo's depth from the depth cache, if it has been estimated (this never runs the model). */
  async function loadDepth(id: string, ticket = request): Promise<void> {
    const result = await useZoe().depth.get({ photoId: id });
    if (ticket !== request || photoId.value !== id) return;
    if (result.ok && result.value !== null) depth.value = result.value;
  }

  /** Fetches the depth of the photo on screen as soon as the engine reports it ready. */
  function listen(): void {
    if (unsubscribe !== null) return;
    unsubscribe = useZoe().on('depth.ready', (ready) => {
      if (ready.photoId === photoId.value) void loadDepth(ready.photoId);
    });
  }

  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  function close(): void {
    request += 1;
    photoId.value = null;
    preview.value = null;
    previewError.value = null;
    depth.value = null;
    loading.value = false;
  }

  /** Moves by `step` photos (−1 previous, +1 next), staying within the folder. */
  async function step(by: number): Promise<void> {
    const count = library.photos.length;
    if (count === 0 || index.value < 0) return;
    const target = Math.min(count - 1, Math.max(0, index.value + by));
    const next = library.photos[target];
    if (next !== undefined && target !== index.value) await open(next.id);
  }

  /**
   * Zooms by `factor` keeping the point `anchor` (screen pixels from the window's centre) where
   * it is, as wheel and pinch zoom do; the keyboard zooms about the centre.
   */
  function zoomBy(factor: number, anchor: { x: number; y: number } = { x: 0, y: 0 }): void {
    const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom.value * factor));
    const applied = next / zoom.value;
    if (next === MIN_ZOOM) {
      fit();
      return;
    }
    pan.value = {
      x: anchor.x - (anchor.x - pan.value.x) * applied,
      y: anchor.y - (anchor.y - pan.value.y) * applied
    };
    zoom.value = next;
  }

  function panBy(dx: number, dy: number): void {
    if (zoom.value <= MIN_ZOOM) return;
    pan.value = { x: pan.value.x + dx, y: pan.value.y + dy };
  }

  /** Space: shows or hides depth (nothing to show until the depth engine made a map). */
  function toggleDepth(): void {
    depthVisible.value = !depthVisible.value;
  }

  function setDepth(grid: DepthGrid | null): void {
    depth.value = grid;
  }

  return {
    photoId,
    photo,
    index,
    isOpen,
    preview,
    previewError,
    loading,
    zoom,
    pan,
    depthVisible,
    depth,
    open,
    close,
    next: () => step(1),
    previous: () => step(-1),
    zoomIn: () => zoomBy(ZOOM_STEP),
    zoomOut: () => zoomBy(1 / ZOOM_STEP),
    zoomBy,
    fit,
    panBy,
    toggleDepth,
    setDepth,
    loadDepth,
    listen,
    dispose
  };
});
