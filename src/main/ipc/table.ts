import { appHandlers } from '../app/handlers';
import { PhotoRegistry, libraryHandlers } from '../library/handlers';
import type { HandlerTable, HostServices } from './handlers';

/** The whole handler table, one feature namespace at a time. Used by every host. */
export function createHandlerTable(services: HostServices): HandlerTable {
  const registry = new PhotoRegistry();
  return {
    ...appHandlers(services),
    ...libraryHandlers(services, registry)
  };
}
