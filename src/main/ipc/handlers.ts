import type { ResourceRegistry } from '../resources/registry';
import type { EventName, MethodName, ParsedRequestOf, ResultOf, ZoeEvents } from '../../shared/api';

/** Kinds of resource the `zoe://` protocol (or the test host) serves. */
export type ResourceKind = 'thumbnail' | 'preview';

/**
 * What a handler may use from the host it runs in (Electron main process, or the WebSocket test
 * host). Handlers reach the outside world only through this object, so both hosts run the very
 * same handler table.
 */
export interface HostServices {
  host: 'electron' | 'test-host';
  appName: string;
  appVersion: string;
  /** The app's data folder (caches, settings, installed models). Never beside the photos. */
  dataDir: string;
  /** Folder with the bundled `resources/models` files (catalog.json). */
  resourcesDir: string;
  versions: { electron: string | null; chrome: string | null };
  /** Asks the photographer for a folder; `null` when they cancel. */
  chooseFolder(): Promise<string | null>;
  /**
   * Asks the photographer for a model file (`.onnx`); `null` when they cancel. Hosts without a
   * file chooser leave it out, and `models.import` then says so.
   */
  chooseModelFile?(): Promise<string | null>;
  /**
   * Asks the photographer for a folder to export into (one may be created there); `null` when they
   * cancel. Hosts without a folder chooser leave it out, and `export.chooseFolder` then says so.
   */
  chooseOutputFolder?(): Promise<string | null>;
  /**
   * The URL under which the renderer loads a registered resource (thumbnail, preview): `zoe://…`
   * in Electron, an http://127.0.0.1 URL in the test host. Handlers never hand out file paths.
   */
  resourceUrl(kind: ResourceKind, id: string): string;
  /** What the `zoe://` protocol (or the test host's resource route) may serve; handlers register here. */
  resources: ResourceRegistry;
  /** Sends an event to the renderer. */
  emit<E extends EventName>(event: E, payload: ZoeEvents[E]): void;
}

/** A handler receives its request already validated against the method's schema. */
export type Handler<M extends MethodName> = (request: ParsedRequestOf<M>) => Promise<ResultOf<M>>;

/** One handler per `ZoeApi` method: a missing or misspelt one is a compile error. */
export type HandlerTable = { [M in MethodName]: Handler<M> };

/** A feature contributes the handlers of its own namespace. */
export type HandlersOf<N extends string> = {
  [M in MethodName as M extends `${N}.${string}` ? M : never]: Handler<M>;
};
