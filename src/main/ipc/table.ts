import { appHandlers } from '../app/handlers';
import { depthHandlers } from '../depth-cache/handlers';
import { exportFeature } from '../export/handlers';
import { jobHandlers } from '../jobs/handlers';
import { openDroppedFolder } from '../library/drop';
import { Library, PhotoRegistry, libraryHandlers } from '../library/handlers';
import { measureFeature } from '../measure/handlers';
import { modelHandlers } from '../models/handlers';
import { photosHandlers } from '../photos/handlers';
import { SettingsStore, settingsHandlers } from '../settings/handlers';
import { Studio } from '../studio/studio';
import { ThumbnailCache } from '../thumbnails/cache';
import { ImageService, thumbnailHandlers } from '../thumbnails/handlers';
import type { HandlerTable, HostServices } from './handlers';

/** A host's handler table and what releases it when the host quits. */
export type HostHandlerTable = HandlerTable & {
  /** Stops downloads and depth jobs, releases model sessions and worker threads, stops watching folders. */
  dispose(): Promise<void>;
  /** Opens a folder dropped on the app window (path from the preload); answers with `library.opened` or `library.openFailed`. */
  openDroppedFolder(dropped: unknown): Promise<void>;
};

/** The whole handler table, one feature namespace at a time. Used by every host. */
export function createHandlerTable(services: HostServices): HostHandlerTable {
  const registry = new PhotoRegistry();
  const library = new Library(services, registry);
  const images = new ImageService(services, new ThumbnailCache(services.dataDir));
  const settings = new SettingsStore(services.dataDir);
  const studio = new Studio(services, settings, registry);
  const exports = exportFeature(services, studio, registry);
  const measuring = measureFeature(services, studio, registry);
  const settingsTable = settingsHandlers(settings);
  const table: HandlerTable = {
    ...appHandlers(services),
    ...libraryHandlers(services, library),
    ...thumbnailHandlers(images, registry),
    ...settingsTable,
    // The model or device may have changed: tell the interface what depth runs on now.
    'settings.set': async (patch) => {
      const next = await settingsTable['settings.set'](patch);
      void studio.announceStatus();
      return next;
    },
    ...modelHandlers(services, studio),
    ...depthHandlers(studio),
    ...jobHandlers(studio),
    ...exports.handlers,
    ...measuring.handlers,
    ...photosHandlers(registry, measuring.measuring)
  };
  return {
    ...table,
    openDroppedFolder: (dropped) => openDroppedFolder(services, library, async () => (await settings.get()).recursive, dropped),
    async dispose() {
      await exports.dispose();
      await measuring.dispose();
      await studio.dispose();
      await library.close();
    }
  };
}
