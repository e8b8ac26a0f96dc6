/**
 * The real handler table behind `dispatch`, with the test host's services: a temporary data
 * folder, a scripted folder and model-file chooser, and every event recorded in order.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EventName, MethodName, RequestOf, ResultOf, ZoeEvents } from '../../../src/shared/api';
import type { Result } from '../../../src/shared/errors';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { createHandlerTable, type HostHandlerTable } from '../../../src/main/ipc/table';
import { ResourceRegistry } from '../../../src/main/resources/registry';
import { createTestHostServices, type TestHostServices } from '../../host/services';
import { ensureTestModels } from '../../helpers/depth-fixtures';

export const FIXTURE_PHOTOS = path.resolve(__dirname, '../../fixtures/photos/jpg');
export const FIXTURE_MODELS = path.resolve(__dirname, '../../fixtures/models');

/** One recorded event. */
export type RecordedEvent = { [E in EventName]: { event: E; payload: ZoeEvents[E] } }[EventName];

export interface Harness {
  services: TestHostServices;
  table: HostHandlerTable;
  /** Every event the handlers sent, in order. */
  events: RecordedEvent[];
  workDir: string;
  /** Calls a method through `dispatch`, as the renderer's bridge does. */
  call<M extends MethodName>(method: M, request?: RequestOf<M>): Promise<Result<ResultOf<M>>>;
  /** Calls a method and returns its value; a failed call fails the test with its error. */
  value<M extends MethodName>(method: M, request?: RequestOf<M>): Promise<ResultOf<M>>;
  /** The payloads of one event, in order. */
  payloads<E extends EventName>(event: E): ZoeEvents[E][];
  close(): Promise<void>;
}

/** Starts the real table over a fresh data folder; `resourcesDir` may hold a test catalog. */
export async function startHarness(options: { resourcesDir?: string } = {}): Promise<Harness> {
  await ensureTestModels();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'zoe-jobs-'));
  const events: RecordedEvent[] = [];
  const services = createTestHostServices({
    origin: 'http://127.0.0.1:9',
    dataDir: path.join(workDir, 'data'),
    resources: new ResourceRegistry(),
    broadcast: (event, payload) => events.push({ event, payload } as RecordedEvent),
    ...(options.resourcesDir === undefined ? {} : { resourcesDir: options.resourcesDir })
  });
  await mkdir(services.dataDir, { recursive: true });
  const table = createHandlerTable(services);
  const call = async <M extends MethodName>(method: M, request?: RequestOf<M>): Promise<Result<ResultOf<M>>> =>
    (await dispatch(table, method, request)) as Result<ResultOf<M>>;
  return {
    services,
    table,
    events,
    workDir,
    call,
    async value<M extends MethodName>(method: M, request?: RequestOf<M>): Promise<ResultOf<M>> {
      const result = await call(method, request);
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message} ${result.error.detail ?? ''}`);
      return result.value;
    },
    payloads<E extends EventName>(event: E): ZoeEvents[E][] {
      return events.filter((recorded) => recorded.event === event).map((recorded) => recorded.payload as ZoeEvents[E]);
    },
    async close() {
      await table.dispose();
      await rm(workDir, { recursive: true, force: true });
    }
  };
}

/** Copies fixture photos (paths relative to tests/fixtures/photos/jpg) into a new folder; returns it. */
export async function photoFolder(harness: Harness, name: string, photos: Record<string, string>): Promise<string> {
  const folder = path.join(harness.workDir, name);
  await mkdir(folder, { recursive: true });
  for (const [fileName, fixture] of Object.entries(photos)) await copyFile(path.join(FIXTURE_PHOTOS, fixture), path.join(folder, fileName));
  return folder;
}

/** Opens `folder` through `library.openFolder` and returns photo ids by file name. */
export async function openFolder(harness: Harness, folder: string): Promise<Map<string, string>> {
  harness.services.setNextFolder(folder);
  const listing = await harness.value('library.openFolder', { recursive: false });
  if (listing === null) throw new Error('the folder chooser was cancelled');
  return new Map(listing.photos.map((photo) => [photo.name, photo.id]));
}

/** Resolves when `predicate` holds (polled), or fails after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A map lookup that fails the test when the key is missing. */
export function idOf(ids: Map<string, string>, name: string): string {
  const id = ids.get(name);
  if (id === undefined) throw new Error(`no photo ${name} in the folder`);
  return id;
}
