/**
 * The `HostServices` of the WebSocket test host: what the Electron main process provides
 * (folder chooser, data folder, resource URLs, events), made scriptable for tests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { EventName, ZoeEvents } from '../../src/shared/api';
import type { HostServices, ResourceKind } from '../../src/main/ipc/handlers';
import type { ResourceRegistry } from '../../src/main/resources/registry';

/** The repository root (this file is tests/host/services.ts). */
export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const packageFile = z.object({ productName: z.string(), version: z.string() });

/** Name and version as package.json declares them. */
export function readAppIdentity(): { appName: string; appVersion: string } {
  const manifest = packageFile.parse(JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'package.json'), 'utf8')));
  return { appName: manifest.productName, appVersion: manifest.version };
}

/** The test host's services plus the knobs a test turns. */
export interface TestHostServices extends HostServices {
  /** The folder the next `library.openFolder` "chooses" (and every one after, until changed); `null` cancels. */
  setNextFolder(folder: string | null): void;
  /** The file the next `models.import` "chooses" (and every one after, until changed); `null` cancels. */
  setNextModelFile(file: string | null): void;
  /** The folder the next `export.chooseFolder` "chooses" (and every one after, until changed); `null` cancels. */
  setNextOutputFolder(folder: string | null): void;
}

/** Builds the services; `origin` is the host's `http://127.0.0.1:<port>`, `broadcast` sends an event to every page. */
export function createTestHostServices(options: {
  origin: string;
  dataDir: string;
  resources: ResourceRegistry;
  broadcast: (event: EventName, payload: unknown) => void;
  initialFolder?: string | null;
  /** Default `<repository>/resources/models`; a test can give a folder with its own `catalog.json`. */
  resourcesDir?: string;
}): TestHostServices {
  let nextFolder = options.initialFolder ?? null;
  let nextModelFile: string | null = null;
  let nextOutputFolder: string | null = null;
  return {
    host: 'test-host',
    ...readAppIdentity(),
    dataDir: options.dataDir,
    resourcesDir: options.resourcesDir ?? path.join(REPOSITORY_ROOT, 'resources', 'models'),
    versions: { electron: null, chrome: null },
    resources: options.resources,
    async chooseFolder(): Promise<string | null> {
      return nextFolder;
    },
    setNextFolder(folder: string | null): void {
      nextFolder = folder === null ? null : path.resolve(folder);
    },
    async chooseModelFile(): Promise<string | null> {
      return nextModelFile;
    },
    setNextModelFile(file: string | null): void {
      nextModelFile = file === null ? null : path.resolve(file);
    },
    async chooseOutputFolder(): Promise<string | null> {
      return nextOutputFolder;
    },
    setNextOutputFolder(folder: string | null): void {
      nextOutputFolder = folder === null ? null : path.resolve(folder);
    },
    resourceUrl(kind: ResourceKind, id: string): string {
      return `${options.origin}/resource/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`;
    },
    emit<E extends EventName>(event: E, payload: ZoeEvents[E]): void {
      options.broadcast(event, payload);
    }
  };
}
