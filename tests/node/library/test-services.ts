/** A real in-process host for handler tests: temp data folder, a scripted folder chooser, recorded events. */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EventName, ZoeEvents } from '../../../src/shared/api';
import type { HostServices, ResourceKind } from '../../../src/main/ipc/handlers';
import { ResourceRegistry } from '../../../src/main/resources/registry';

export interface RecordedEvent {
  event: EventName;
  payload: ZoeEvents[EventName];
}

export interface TestHost {
  services: HostServices;
  events: RecordedEvent[];
  /** The folder the next `chooseFolder()` returns (`null`: the photographer cancels). */
  nextFolder: string | null;
}

export async function makeTestHost(): Promise<TestHost> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'zoe-data-'));
  const host: TestHost = {
    events: [],
    nextFolder: null,
    services: undefined as unknown as HostServices
  };
  host.services = {
    host: 'test-host',
    appName: 'Zoe Studio',
    appVersion: '0.0.0-test',
    dataDir,
    resourcesDir: path.resolve('resources'),
    versions: { electron: null, chrome: null },
    chooseFolder: async () => host.nextFolder,
    resourceUrl: (kind: ResourceKind, id: string) => `http://127.0.0.1/resource/${kind}/${id}`,
    resources: new ResourceRegistry(),
    emit: (event, payload) => {
      host.events.push({ event, payload });
    }
  };
  return host;
}

/** Resolves when `predicate` holds, polling every 25 ms, or rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
