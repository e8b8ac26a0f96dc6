/**
 * `zoe depth <files|folders…> --model … --out <dir> [--format …]`: depth for every photo, written
 * in the chosen formats (16-bit PNG by default) with a JSON side-car by the export writers on the
 * export worker thread. A broken photo is reported and the batch goes on.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DevicePreference } from '../../shared/depth';
import { toErrorValue, ZoeError, type ZoeErrorValue } from '../../shared/errors';
import { DepthEngine, type InstalledModel, type LoadProgress } from '../depth';
import { DepthCache } from '../depth-cache/store';
import { DepthService } from '../depth-cache/service';
import { ExportWorker } from '../export/worker/client';
import { readPhotoIntrinsics } from '../measure/intrinsics';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io';
import { resolveModelArgument } from './model-argument';
import { addRunDetails, exportSettingsFromArguments, type CliExportArguments } from './outputs';
import { collectPhotos } from './photos';
import { startProgress } from './progress';

/** The options of `zoe depth`, as commander parsed them. */
export interface DepthCommandOptions extends CliExportArguments {
  model: string;
  manifest?: string;
  out: string;
  /** Undefined: the model's default. */
  flip?: boolean;
  pad?: boolean;
  device: DevicePreference;
  json: boolean;
  recursive: boolean;
  /** False with `--no-cache`. */
  cache: boolean;
}

/** One JSON line of `zoe depth --json`. */
type PhotoReport =
  | { photo: string; ok: true; files: string[]; provider: string; fromCache: boolean; totalMs: number }
  | { photo: string; ok: false; error: ZoeErrorValue };

function loadLabel(progress: LoadProgress): string {
  return progress.message.length > 0 ? progress.message : progress.stage;
}

/** A photo's path as the photographer typed it: relative to the current folder when inside it. */
function displayPath(cwd: string, photoPath: string): string {
  const relative = path.relative(cwd, photoPath);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? photoPath : relative;
}

/** An error as reported per photo: an unexpected one carries the first line of its detail in its message. */
function explained(error: unknown): ZoeErrorValue {
  const value = toErrorValue(error);
  if (value.code !== 'INTERNAL' || value.detail === undefined) return value;
  return { ...value, message: `${value.message} (${value.detail.split('\n')[0] ?? ''})` };
}

/** Runs `zoe depth`; resolves to the exit code. */
export async function runDepthCommand(
  inputs: readonly string[],
  options: DepthCommandOptions,
  context: { io: CliIo; dataDir: string; resourcesDir: string }
): Promise<number> {
  const { io, dataDir } = context;
  const { formats, options: exportOptions } = exportSettingsFromArguments(options);
  const outDir = path.resolve(io.cwd, options.out);
  const targets = await collectPhotos(inputs, io.cwd, options.recursive);

  let model: InstalledModel;
  try {
    model = await resolveModelArgument(options.model, {
      ...(options.manifest === undefined ? {} : { manifestPath: options.manifest }),
      cwd: io.cwd,
      dataDir,
      resourcesDir: context.resourcesDir
    });
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    const value = toErrorValue(error);
    io.stderr.write(`zoe: ${value.message}\n`);
    if (value.detail !== undefined && io.env.ZOE_DEBUG !== undefined) io.stderr.write(`${value.detail}\n`);
    return EXIT_FAILED;
  }

  const engine = new DepthEngine({ optimisedCacheDir: path.join(dataDir, 'optimised-models'), device: options.device });
  const service = new DepthService({ engine, cache: new DepthCache(path.join(dataDir, 'depth-cache')) });
  const depthOptions = { ...(options.flip === undefined ? {} : { flip: options.flip }), ...(options.pad === undefined ? {} : { pad: options.pad }) };
  // Photo names already exported by this run (IMG_1.jpg and IMG_1.png): the second never replaces the first.
  const exportedNames = new Set<string>();
  let exporter: ExportWorker | undefined;
  let failures = 0;
  const report = (line: PhotoReport): void => {
    if (options.json) io.stdout.write(`${JSON.stringify(line)}\n`);
    if (!line.ok) {
      failures += 1;
      io.stderr.write(`zoe: ${line.photo}: ${line.error.message}\n`);
    } else if (!options.json) {
      io.stdout.write(`${line.photo} → ${line.files.map((file) => path.basename(file)).join(', ')} (${line.provider}${line.fromCache ? ', cached' : ''})\n`);
    }
  };

  try {
    const loadBar = startProgress(io, 'Loading model', 100, '%');
    try {
      const loaded = await engine.load(model, (progress) => loadBar.update(Math.round(progress.fraction * 100), loadLabel(progress)));
      if (loaded.providerFallbackReason !== undefined && !options.json) io.stderr.write(`zoe: running on ${loaded.provider}: ${loaded.providerFallbackReason}\n`);
    } finally {
      loadBar.stop();
    }
    const bar = startProgress(io, 'Depth', targets.length, 'photos');
    for (const [index, target] of targets.entries()) {
      const shown = displayPath(io.cwd, target.path);
      bar.update(index, path.basename(target.path));
      if (target.problem !== undefined) {
        report({ photo: shown, ok: false, error: { code: 'NOT_FOUND', message: `${target.problem}.` } });
        continue;
      }
      try {
        const result = options.cache
          ? await service.estimate(target.path, model, depthOptions)
          : { depth: await engine.estimate(target.path, model, depthOptions), fromCache: false };
        const intrinsics = await readPhotoIntrinsics(target.path);
        const photoName = path.parse(target.path).name.toLowerCase();
        const onConflict = exportedNames.has(photoName) && exportOptions.onConflict === 'overwrite' ? 'suffix' : exportOptions.onConflict;
        exporter ??= new ExportWorker();
        const exported = await exporter.exportDepth(result.depth, { path: target.path, intrinsics }, formats, { ...exportOptions, onConflict }, {
          folder: outDir,
          toPhotoResolution: (depth) => engine.toPhotoResolution(depth)
        });
        exportedNames.add(photoName);
        const sidecar = exported.files.find((file) => file.format === 'json');
        if (sidecar !== undefined) await addRunDetails(sidecar.path, { manifest: model.manifest, modelPath: model.modelPath, fromCache: result.fromCache });
        const written = exported.files.map((file) => file.path);
        report({ photo: shown, ok: true, files: written, provider: result.depth.provider, fromCache: result.fromCache, totalMs: result.depth.timings.totalMs });
      } catch (error) {
        report({ photo: shown, ok: false, error: explained(error) });
      }
    }
    bar.update(targets.length, 'done');
    bar.stop();
  } catch (error) {
    const value = error instanceof ZoeError ? error.toValue() : toErrorValue(error);
    io.stderr.write(`zoe: ${value.message}\n`);
    return EXIT_FAILED;
  } finally {
    await exporter?.terminate();
    await engine.dispose();
  }
  if (!options.json && targets.length > 1) io.stdout.write(`${targets.length - failures} of ${targets.length} photos done, ${failures} failed.\n`);
  return failures === 0 ? EXIT_OK : EXIT_FAILED;
}
