/** Live updates of an open folder: photos added, removed, renamed or rewritten appear without a reload. */
import { watch, type FSWatcher } from 'chokidar';
import path from 'node:path';
import { photoIdOf, photoKindOf, scanPhoto, type ScannedPhoto } from './scan';

/** A batch of changes, gathered for a short while so that a copy of 500 photos is one update. */
export interface FolderChanges {
  added: ScannedPhoto[];
  /** Ids of photos that vanished, also those inside a removed subfolder (a rename is a removal plus an addition). */
  removed: string[];
}

export interface FolderWatcherOptions {
  recursive: boolean;
  /** Called with each batch of changes. */
  onChanges(changes: FolderChanges): void;
  /** How long to gather changes before reporting them, in milliseconds. */
  batchMs?: number;
  /** How long a new file's size must stay still before it counts as written, in milliseconds. */
  settleMs?: number;
  /** How long `whenReady()` waits at most for the initial crawl, in milliseconds. */
  readyTimeoutMs?: number;
}

/**
 * Watches one open folder with chokidar. Symbolic links are not followed (no loops), unreadable
 * subfolders are ignored, and watcher errors are logged instead of ending the app.
 */
export class FolderWatcher {
  private readonly watcher: FSWatcher;
  private readonly known = new Map<string, string>();
  private pendingAdded = new Map<string, string>();
  private pendingRemoved = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly ready: Promise<void>;

  constructor(
    private readonly root: string,
    knownPhotos: readonly ScannedPhoto[],
    private readonly options: FolderWatcherOptions
  ) {
    for (const photo of knownPhotos) this.known.set(photo.absolutePath, photo.id);
    const settleMs = options.settleMs ?? 250;
    this.watcher = watch(root, {
      ignoreInitial: true,
      // The app (or host) decides when to quit; an open folder's watch must not keep a process alive.
      persistent: false,
      followSymlinks: false,
      ignorePermissionErrors: true,
      depth: options.recursive ? 64 : 0,
      awaitWriteFinish: settleMs > 0 ? { stabilityThreshold: settleMs, pollInterval: Math.min(100, settleMs) } : false,
      ignored: (candidate, stats) => {
        const base = path.basename(candidate);
        if (candidate !== root && base.startsWith('.')) return true;
        return stats?.isFile() === true && photoKindOf(base) === null;
      }
    });
    // chokidar never reports ready when a subfolder cannot be watched (e.g. a path beyond PATH_MAX):
    // give up waiting after a while, the folder is watched as far as it can be.
    const readyTimeoutMs = options.readyTimeoutMs ?? 5000;
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(resolve, readyTimeoutMs);
      this.watcher.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.watcher.on('add', (file) => this.noteAdded(file));
    this.watcher.on('change', (file) => this.noteAdded(file));
    this.watcher.on('unlink', (file) => this.noteRemoved(file));
    this.watcher.on('unlinkDir', (folder) => {
      const prefix = folder + path.sep;
      for (const file of this.known.keys()) if (file.startsWith(prefix)) this.noteRemoved(file);
    });
    this.watcher.on('error', (error) => {
      const text = error instanceof Error ? error.message : String(error);
      console.warn(`[zoe] watching ${path.basename(root)}: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`);
    });
  }

  /** Resolves once the initial crawl is done and changes from now on are seen. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  private noteAdded(file: string): void {
    if (photoKindOf(path.basename(file)) === null) return;
    this.pendingRemoved.delete(file);
    this.pendingAdded.set(file, photoIdOf(file));
    this.schedule();
  }

  private noteRemoved(file: string): void {
    this.pendingAdded.delete(file);
    if (this.known.has(file)) this.pendingRemoved.add(file);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => void this.flush(), this.options.batchMs ?? 120);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const addedFiles = [...this.pendingAdded.keys()];
    const removedFiles = [...this.pendingRemoved];
    this.pendingAdded = new Map();
    this.pendingRemoved = new Set();
    const removed: string[] = [];
    for (const file of removedFiles) {
      const id = this.known.get(file);
      this.known.delete(file);
      if (id !== undefined) removed.push(id);
    }
    const added: ScannedPhoto[] = [];
    for (const file of addedFiles) {
      const photo = await scanPhoto(this.root, file);
      if (photo === null) continue;
      // A rewritten file is reported as removed and added again, so views refresh its thumbnail.
      if (this.known.has(file)) removed.push(photo.id);
      this.known.set(file, photo.id);
      added.push(photo);
    }
    if (this.watcher.closed) return;
    if (added.length > 0 || removed.length > 0) this.options.onChanges({ added, removed });
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.watcher.close();
  }
}
