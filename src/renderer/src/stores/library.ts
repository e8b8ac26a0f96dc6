/** The open folder, its photos, the recent folders and each photo's thumbnail (or why it has none). */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { FolderListing, PhotoEntry, RecentFolder, ZoeEvents } from '../../../shared/api';
import type { Result, ZoeErrorValue } from '../../../shared/errors';
import type { ThumbnailOutcome } from '../../../shared/thumbnails';
import { useZoe } from '../bridge/zoe';

/** How many thumbnails one request asks for: about a screen of the grid. */
export const THUMBNAIL_BATCH = 40;

/** A photo's thumbnail as the grid shows it. */
export type ThumbnailState =
  | { state: 'loading' }
  | { state: 'ready'; url: string; width: number; height: number }
  | { state: 'broken'; error: ZoeErrorValue };

export const useLibraryStore = defineStore('library', () => {
  const folder = shallowRef<Omit<FolderListing, 'photos'> | null>(null);
  const photos = shallowRef<PhotoEntry[]>([]);
  const recentFolders = ref<RecentFolder[]>([]);
  const thumbnails = ref<Record<string, ThumbnailState>>({});
  /** Photos whose full image failed to open (e.g. a damaged JPEG whose embedded thumbnail was fine). */
  const brokenPhotos = ref<Record<string, ZoeErrorValue>>({});
  /** The photo with the keyboard focus in the grid (and the one the viewer returns to). */
  const selectedId = ref<string | null>(null);
  /** The photos picked in the grid (click, Ctrl/⌘+click, Shift+click, Ctrl/⌘+A); may be empty. */
  const selectedIds = shallowRef<ReadonlySet<string>>(new Set());
  /** Where a Shift+click range starts: the last photo clicked without Shift. */
  let anchorId: string | null = null;
  const opening = ref(false);
  const error = ref<ZoeErrorValue | null>(null);
  let unsubscribe: (() => void) | null = null;
  let queued: string[] = [];
  let flushing: Promise<void> | null = null;

  const photoCount = computed(() => photos.value.length);
  const indexById = computed(() => new Map(photos.value.map((photo, index) => [photo.id, index])));
  /** The picked photos in folder order. */
  const selection = computed(() => photos.value.filter((photo) => selectedIds.value.has(photo.id)));

  function listen(): void {
    if (unsubscribe !== null) return;
    const zoe = useZoe();
    const stops = [
      zoe.on('library.changed', applyChanges),
      zoe.on('library.opened', showDropped),
      zoe.on('library.openFailed', (reason) => {
        error.value = reason;
      })
    ];
    unsubscribe = () => {
      for (const stop of stops) stop();
    };
  }

  /** A folder dropped on the window was opened by the main process: show it as if chosen in the dialog. */
  function showDropped(listing: FolderListing): void {
    error.value = null;
    show(listing);
    void loadRecentFolders();
  }

  /** Photos that appeared or vanished while the folder is open. */
  function applyChanges(change: ZoeEvents['library.changed']): void {
    if (folder.value?.folderId !== change.folderId) return;
    const removed = new Set(change.removed);
    const next = photos.value.filter((photo) => !removed.has(photo.id));
    const present = new Set(next.map((photo) => photo.id));
    for (const photo of change.added) if (!present.has(photo.id)) next.push(photo);
    next.sort((a, b) => a.relativePath.localeCompare(b.relativePath, undefined, { numeric: true }));
    if (removed.size > 0) {
      // A rewritten photo comes back under the same id: forget its old thumbnail and state.
      thumbnails.value = Object.fromEntries(Object.entries(thumbnails.value).filter(([id]) => !removed.has(id)));
      brokenPhotos.value = Object.fromEntries(Object.entries(brokenPhotos.value).filter(([id]) => !removed.has(id)));
    }
    if (removed.size > 0 && [...selectedIds.value].some((id) => removed.has(id))) {
      selectedIds.value = new Set([...selectedIds.value].filter((id) => !removed.has(id)));
    }
    if (selectedId.value !== null && removed.has(selectedId.value) && !next.some((photo) => photo.id === selectedId.value)) {
      selectedId.value = next[0]?.id ?? null;
    }
    photos.value = next;
  }

  function show(listing: FolderListing): void {
    const { photos: listed, ...rest } = listing;
    folder.value = rest;
    photos.value = listed;
    thumbnails.value = {};
    brokenPhotos.value = {};
    select(listed[0]?.id ?? null);
    queued = [];
  }

  async function run(open: () => Promise<Result<FolderListing | null>>): Promise<boolean> {
    listen();
    opening.value = true;
    error.value = null;
    try {
      const result = await open();
      if (!result.ok) {
        error.value = result.error;
        return false;
      }
      if (result.value === null) return false;
      show(result.value);
      await loadRecentFolders();
      return true;
    } finally {
      opening.value = false;
    }
  }

  /** Asks the photographer for a folder and opens it; false when they cancel or it fails. */
  function openFolder(recursive: boolean): Promise<boolean> {
    return run(() => useZoe().library.openFolder({ recursive }));
  }

  /** Reopens a folder from the recent list. */
  function openRecent(folderId: string, recursive?: boolean): Promise<boolean> {
    return run(() => useZoe().library.openRecent(recursive === undefined ? { folderId } : { folderId, recursive }));
  }

  async function loadRecentFolders(): Promise<void> {
    const result = await useZoe().library.recentFolders();
    if (result.ok) recentFolders.value = result.value;
  }

  function record(outcome: ThumbnailOutcome): void {
    thumbnails.value[outcome.photoId] = outcome.ok
      ? { state: 'ready', url: outcome.url, width: outcome.width, height: outcome.height }
      : { state: 'broken', error: outcome.error };
  }

  async function flush(): Promise<void> {
    while (queued.length > 0) {
      const batch = queued.splice(0, THUMBNAIL_BATCH);
      const result = await useZoe().thumbnails.get({ photoIds: batch });
      if (result.ok) {
        for (const outcome of result.value) record(outcome);
      } else {
        for (const photoId of batch) record({ photoId, ok: false, error: result.error });
      }
    }
  }

  /**
   * Asks for the thumbnails of photos that scrolled into view, once each, a screen at a time; the
   * most recently requested are fetched first, so fast scrolling does not queue stale screens first.
   */
  function requestThumbnails(photoIds: readonly string[]): Promise<void> {
    const wanted = photoIds.filter((id) => thumbnails.value[id] === undefined);
    for (const id of wanted) thumbnails.value[id] = { state: 'loading' };
    if (wanted.length > 0) queued = [...wanted, ...queued];
    flushing ??= flush().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  /** A plain click: this photo alone is picked (and has the keyboard focus). */
  function select(photoId: string | null): void {
    selectedId.value = photoId;
    selectedIds.value = photoId === null ? new Set() : new Set([photoId]);
    anchorId = photoId;
  }

  /** Ctrl/⌘+click: adds the photo to the selection, or takes it out. */
  function toggleSelected(photoId: string): void {
    const next = new Set(selectedIds.value);
    if (next.has(photoId)) next.delete(photoId);
    else next.add(photoId);
    selectedIds.value = next;
    selectedId.value = photoId;
    anchorId = photoId;
  }

  /** Shift+click: every photo from the last one clicked to this one, in folder order. */
  function selectRange(photoId: string): void {
    const to = indexById.value.get(photoId);
    if (to === undefined) return;
    const from = indexById.value.get(anchorId ?? selectedId.value ?? photoId) ?? to;
    const [start, end] = from <= to ? [from, to] : [to, from];
    selectedIds.value = new Set(photos.value.slice(start, end + 1).map((photo) => photo.id));
    selectedId.value = photoId;
  }

  /** Ctrl/⌘+A: every photo of the folder. */
  function selectAll(): void {
    selectedIds.value = new Set(photos.value.map((photo) => photo.id));
  }

  /** Esc: nothing picked any more; the keyboard focus stays where it was. */
  function clearSelection(): void {
    selectedIds.value = new Set();
    anchorId = selectedId.value;
  }

  /** Moves the selection by `by` photos, staying within the folder. */
  function moveSelection(by: number): void {
    const count = photos.value.length;
    if (count === 0) return;
    const current = selectedId.value === null ? -1 : (indexById.value.get(selectedId.value) ?? -1);
    const target = current < 0 ? 0 : Math.min(count - 1, Math.max(0, current + by));
    select(photos.value[target]?.id ?? null);
  }

  /** Marks a photo as unreadable (its preview failed), with the reason. */
  function markBroken(photoId: string, reason: ZoeErrorValue): void {
    brokenPhotos.value[photoId] = reason;
  }

  /** Why a photo cannot be shown, if it cannot. */
  function problemOf(photoId: string): ZoeErrorValue | null {
    const thumbnail = thumbnails.value[photoId];
    if (thumbnail?.state === 'broken') return thumbnail.error;
    return brokenPhotos.value[photoId] ?? null;
  }

  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  return {
    folder,
    photos,
    recentFolders,
    thumbnails,
    brokenPhotos,
    selectedId,
    selectedIds,
    selection,
    opening,
    error,
    photoCount,
    indexById,
    openFolder,
    openRecent,
    loadRecentFolders,
    requestThumbnails,
    applyChanges,
    markBroken,
    problemOf,
    select,
    toggleSelected,
    selectRange,
    selectAll,
    clearSelection,
    moveSelection,
    listen,
    dispose
  };
});
