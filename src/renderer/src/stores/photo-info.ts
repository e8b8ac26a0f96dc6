/**
 * What the library knows about each photo beyond its file: the summary it sorts and filters by
 * (date taken, focal length, rating, flag, label), the metadata the info panel shows, and the
 * rating actions, written to XMP side-cars by the main process.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { ColourLabel, PhotoMetadata, PhotoSummary, PhotoTags, PickFlag, Rating } from '../../../shared/api';
import type { ZoeErrorValue } from '../../../shared/errors';
import { useZoe } from '../bridge/zoe';
import { useLibraryStore } from './library';

/** Photos summarised per request: the main process reads a few at a time. */
export const SUMMARY_BATCH = 100;

/** The metadata panel's state for one photo. */
export type MetadataState = { state: 'loading' } | { state: 'ready'; metadata: PhotoMetadata } | { state: 'failed'; error: ZoeErrorValue };

/** A change of rating, flag and/or label. */
export interface TagChange {
  rating?: Rating;
  flag?: PickFlag;
  label?: ColourLabel | null;
}

export const usePhotoInfoStore = defineStore('photo-info', () => {
  /** Summaries by photo id; a photo is missing until it was summarised. */
  const summaries = shallowRef<ReadonlyMap<string, PhotoSummary>>(new Map());
  const metadata = ref<Record<string, MetadataState>>({});
  /** The info panel is shown. */
  const panelOpen = ref(false);
  /** The last rating change that failed, with the reason. */
  const tagError = ref<ZoeErrorValue | null>(null);
  const asked = new Set<string>();
  let queued: string[] = [];
  let flushing: Promise<void> | null = null;
  /** Bumped when the folder changes, so answers for the previous folder are dropped. */
  let generation = 0;

  function record(list: readonly PhotoSummary[]): void {
    if (list.length === 0) return;
    const next = new Map(summaries.value);
    for (const summary of list) next.set(summary.photoId, summary);
    summaries.value = next;
  }

  async function flush(): Promise<void> {
    while (queued.length > 0) {
      const ticket = generation;
      const batch = queued.splice(0, SUMMARY_BATCH);
      const result = await useZoe().photos.summaries({ photoIds: batch });
      if (ticket !== generation) continue;
      if (result.ok) record(result.value);
      else for (const id of batch) asked.delete(id);
    }
  }

  /** Asks for the summaries of photos not summarised yet (those on screen first, as they are asked for). */
  function requestSummaries(photoIds: readonly string[]): Promise<void> {
    const wanted = photoIds.filter((id) => !asked.has(id));
    for (const id of wanted) asked.add(id);
    if (wanted.length > 0) queued = [...wanted, ...queued];
    flushing ??= flush().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  /** A new folder: every summary and metadata is forgotten. */
  function reset(): void {
    generation += 1;
    summaries.value = new Map();
    metadata.value = {};
    asked.clear();
    queued = [];
  }

  /** Photos gone from the folder (or rewritten: they come back under the same id and are read again). */
  function forget(photoIds: readonly string[]): void {
    if (photoIds.length === 0) return;
    const gone = new Set(photoIds);
    const next = new Map(summaries.value);
    for (const id of gone) {
      next.delete(id);
      asked.delete(id);
    }
    summaries.value = next;
    metadata.value = Object.fromEntries(Object.entries(metadata.value).filter(([id]) => !gone.has(id)));
  }

  /** Loads the info panel's metadata of a photo (once; `refresh` reads it again). */
  async function loadMetadata(photoId: string, refresh = false): Promise<void> {
    if (!refresh && metadata.value[photoId] !== undefined && metadata.value[photoId].state !== 'failed') return;
    metadata.value[photoId] = { state: 'loading' };
    const result = await useZoe().photos.metadata({ photoId });
    metadata.value[photoId] = result.ok ? { state: 'ready', metadata: result.value } : { state: 'failed', error: result.error };
  }

  function tagsOf(photoId: string): PhotoTags | null {
    return summaries.value.get(photoId)?.tags ?? null;
  }

  /** Rates, flags or labels photos; each photo's side-car is written by the main process. */
  async function setTags(photoIds: readonly string[], change: TagChange): Promise<boolean> {
    if (photoIds.length === 0) return false;
    const result = await useZoe().photos.setTags({ photoIds: [...photoIds], ...change });
    if (!result.ok) {
      tagError.value = result.error;
      return false;
    }
    const next = new Map(summaries.value);
    let failed: ZoeErrorValue | null = null;
    for (const outcome of result.value) {
      if (!outcome.ok) {
        failed = outcome.error;
        continue;
      }
      const known = next.get(outcome.photoId);
      next.set(outcome.photoId, { photoId: outcome.photoId, dateTaken: known?.dateTaken ?? null, hasFocalLength: known?.hasFocalLength ?? false, tags: outcome.tags });
      const shown = metadata.value[outcome.photoId];
      if (shown?.state === 'ready') metadata.value[outcome.photoId] = { state: 'ready', metadata: { ...shown.metadata, tags: outcome.tags } };
    }
    summaries.value = next;
    tagError.value = failed;
    return failed === null;
  }

  let stopListening: (() => void) | null = null;

  /** Forgets everything when another folder opens, and the photos that vanish from it. */
  function listen(): void {
    if (stopListening !== null) return;
    const library = useLibraryStore();
    const stopWatching = watch(
      () => library.folder?.folderId ?? null,
      () => reset()
    );
    const unsubscribe = useZoe().on('library.changed', (change) => forget(change.removed));
    stopListening = () => {
      stopWatching();
      unsubscribe();
    };
  }

  function dispose(): void {
    stopListening?.();
    stopListening = null;
  }

  function togglePanel(): void {
    panelOpen.value = !panelOpen.value;
  }

  return { summaries, metadata, panelOpen, tagError, requestSummaries, reset, forget, loadMetadata, tagsOf, setTags, togglePanel, listen, dispose };
});
