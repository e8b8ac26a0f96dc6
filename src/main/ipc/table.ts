import { appHandlers } from '../app/handlers';
import { Library, PhotoRegistry, libraryHandlers } from '../library/handlers';
import { SettingsStore, settingsHandlers } from '../settings/handlers';
import { ThumbnailCache } from '../thumbnails/cache';
import { ImageService, thumbnailHandlers } from '../thumbnails/handlers';
import type { HandlerTable, HostServices } from './handlers';

/** The whole handler table, one feature namespace at a time. Used by every host. */
export function createHandlerTable(services: HostServices): HandlerTable {
  const registry = new PhotoRegistry();
  const library = new Library(services, registry);
  const images = new ImageService(services, new ThumbnailCache(services.dataDir));
  return {
    ...appHandlers(services),
    ...libraryHandlers(services, library),
    ...thumbnailHandlers(images, registry),
    ...settingsHandlers(new SettingsStore(services.dataDir))
  };
}
