/**
 * Where a worker thread's entry file is, and starting it, in each way the main-process code runs:
 *
 * - the electron-vite build (Electron, and the `zoe` CLI under plain Node): every worker is bundled
 *   as `<name>.js` beside the main bundle (`out/main/`), where the client code's `__dirname` points;
 * - TypeScript sources (vitest, tsx): the entry is `<name>.ts` beside the client module, started
 *   through tsx's CommonJS hook, since a worker thread does not inherit the parent's loader.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ZoeError } from '../../shared/errors';

/** A worker entry file and whether it has to be loaded through the TypeScript hook. */
export interface WorkerEntry {
  file: string;
  typescript: boolean;
}

/** What a worker is, for finding it and for the message when it is missing. */
export interface WorkerDescription {
  /** The folder of the client module (its `__dirname`): the bundle's folder, or the sources'. */
  directory: string;
  /** The entry's file name without extension, e.g. `depth-worker` (its rollup input name). */
  name: string;
  /** What the photographer calls the part this worker belongs to, e.g. `the depth engine`. */
  part: string;
}

/** The entry file of a worker for this build; throws INTERNAL when neither form is there. */
export function locateWorkerEntry(worker: WorkerDescription): WorkerEntry {
  const bundled = join(worker.directory, `${worker.name}.js`);
  if (existsSync(bundled)) return { file: bundled, typescript: false };
  const source = join(worker.directory, `${worker.name}.ts`);
  if (existsSync(source)) return { file: source, typescript: true };
  const part = worker.part.charAt(0).toUpperCase() + worker.part.slice(1);
  throw new ZoeError('INTERNAL', `${part} is incomplete: its worker file is missing. Reinstall Zoe Studio.`, {
    detail: `looked for ${bundled} and ${source}`
  });
}

/** Starts a worker thread from its located entry. */
export function startWorkerThread(worker: WorkerDescription): Worker {
  const entry = locateWorkerEntry(worker);
  if (!entry.typescript) return new Worker(entry.file);
  const tsxHook = createRequire(__filename).resolve('tsx/cjs/api');
  return new Worker(`require(${JSON.stringify(tsxHook)}).register(); require(${JSON.stringify(entry.file)});`, { eval: true });
}
