/**
 * Locating a worker entry (src/main/workers/locate.ts), shared by the depth, export and measuring
 * workers: the bundled `.js` first, the `.ts` source through tsx otherwise, and a photographer's
 * message when neither is there. Real files in a temporary folder, real threads.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZoeError } from '../../../src/shared/errors';
import { locateWorkerEntry, startWorkerThread } from '../../../src/main/workers/locate';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'zoe-locate-'));
  // A TypeScript-only source (type annotations) and a bundled form that says which one ran.
  await writeFile(path.join(folder, 'both.ts'), "import { parentPort } from 'node:worker_threads';\nconst form: string = 'source';\nparentPort?.postMessage(form);\n");
  await writeFile(path.join(folder, 'both.js'), "require('node:worker_threads').parentPort.postMessage('bundle');\n");
  await writeFile(path.join(folder, 'source-only.ts'), "import { parentPort } from 'node:worker_threads';\nconst form: string = 'source';\nparentPort?.postMessage(form);\n");
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function firstMessage(worker: Worker): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => void worker.terminate());
}

describe('locating a worker entry', () => {
  it('prefers the bundled file and falls back to the TypeScript source', async () => {
    expect(locateWorkerEntry({ directory: folder, name: 'both', part: 'the test' })).toEqual({ file: path.join(folder, 'both.js'), typescript: false });
    expect(locateWorkerEntry({ directory: folder, name: 'source-only', part: 'the test' })).toEqual({ file: path.join(folder, 'source-only.ts'), typescript: true });
    expect(await firstMessage(startWorkerThread({ directory: folder, name: 'both', part: 'the test' }))).toBe('bundle');
    expect(await firstMessage(startWorkerThread({ directory: folder, name: 'source-only', part: 'the test' }))).toBe('source');
  });

  it('says what is missing when neither form is there', () => {
    let thrown: unknown;
    try {
      startWorkerThread({ directory: folder, name: 'measure-worker', part: 'measuring' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ZoeError);
    expect(thrown).toMatchObject({
      code: 'INTERNAL',
      message: 'Measuring is incomplete: its worker file is missing. Reinstall Zoe Studio.',
      detail: expect.stringContaining(path.join(folder, 'measure-worker.js')) as unknown
    });
  });
});
