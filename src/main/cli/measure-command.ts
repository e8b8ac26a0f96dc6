/**
 * `zoe measure <photo> (--depth <file> | --model <id|path>) --from x,y --to x,y`: the straight 3-D
 * distance between two pixels of the upright photo, with its uncertainty, both camera-space points
 * and the intrinsics it relied on. The measuring is the app's own (src/shared/measure).
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { IntrinsicsOverride } from '../../shared/camera';
import type { DevicePreference } from '../../shared/depth';
import { toErrorValue } from '../../shared/errors';
import type { PhotoPoint } from '../../shared/measure/geometry';
import { measureDistance, type MeasuredPoint } from '../../shared/measure/measures';
import type { DepthGrid } from '../../shared/measure/sampling';
import { DepthEngine } from '../depth';
import { DepthCache } from '../depth-cache/store';
import { DepthService } from '../depth-cache/service';
import { readDepthFile } from '../depth-files';
import { depthGridOverPhoto, describeResampling } from '../measure/depth-grid';
import { readPhotoIntrinsics, type PhotoIntrinsics } from '../measure/intrinsics';
import { fileRelativeError, type RelativeErrorChoice } from '../measure/relative-error';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io';
import { resolveModelArgument } from './model-argument';
import { CliUsageError } from './usage';

/** The options of `zoe measure`, as commander parsed them. */
export interface MeasureCommandOptions {
  depth?: string;
  model?: string;
  manifest?: string;
  from: string;
  to: string;
  focalMm?: string;
  sensorWidthMm?: string;
  fovDeg?: string;
  png16Scale?: string;
  relativeError?: string;
  device: DevicePreference;
  json: boolean;
}

/** Where the depth came from, for the report. */
interface DepthOrigin {
  kind: 'file' | 'model';
  name: string;
  description: string;
  notes: string[];
}

/** What `zoe measure --json` prints. */
export interface MeasureReport {
  photo: string;
  distanceMetres: number;
  uncertainty: { bandMetres: number; relativeError: number; source: string } | null;
  from: ReportedPoint;
  to: ReportedPoint;
  intrinsics: { fx: number; fy: number; cx: number; cy: number; width: number; height: number; source: string; description: string; warnings: string[] };
  depth: DepthOrigin;
  calibrationFactor: number;
}

interface ReportedPoint {
  pixel: PhotoPoint;
  depthMetres: number;
  /** Camera space, metres: x right, y down, z forward. */
  camera: [number, number, number];
  sampling: MeasuredPoint['sampling'];
}

function positiveNumber(text: string, option: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new CliUsageError(`${option} must be a positive number, not “${text}”.`);
  return value;
}

/** `x,y` in pixels of the upright photo. */
export function parsePixel(text: string, option: string): PhotoPoint {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (match === null) throw new CliUsageError(`${option} takes a pixel as x,y (e.g. ${option} 120,340), not “${text}”.`);
  return { u: Number(match[1]), v: Number(match[2]) };
}

function intrinsicsOverride(options: MeasureCommandOptions): IntrinsicsOverride | undefined {
  const lens = options.focalMm !== undefined || options.sensorWidthMm !== undefined;
  if (lens && options.fovDeg !== undefined) throw new CliUsageError('Give either --focal-mm with --sensor-width-mm, or --fov-deg, not both.');
  if (lens) {
    if (options.focalMm === undefined || options.sensorWidthMm === undefined) throw new CliUsageError('--focal-mm and --sensor-width-mm go together.');
    return { kind: 'focal-length', focalLengthMm: positiveNumber(options.focalMm, '--focal-mm'), sensorWidthMm: positiveNumber(options.sensorWidthMm, '--sensor-width-mm') };
  }
  if (options.fovDeg !== undefined) {
    const degrees = positiveNumber(options.fovDeg, '--fov-deg');
    if (degrees >= 180) throw new CliUsageError('--fov-deg must be below 180.');
    return { kind: 'field-of-view', degrees, axis: 'horizontal' };
  }
  return undefined;
}

function png16ValuesPerMetre(scale: string | undefined): number | undefined {
  if (scale === undefined) return undefined;
  if (scale === '256') return 256;
  if (scale === 'mm') return 1000;
  throw new CliUsageError(`--png16-scale is 256 (metres × 256) or mm (millimetres), not “${scale}”.`);
}

function checkInside(point: PhotoPoint, intrinsics: PhotoIntrinsics, option: string): void {
  if (point.u < 0 || point.v < 0 || point.u > intrinsics.width - 1 || point.v > intrinsics.height - 1) {
    throw new CliUsageError(
      `${option} ${point.u},${point.v} is outside the upright photo, whose pixels run from 0,0 to ${intrinsics.width - 1},${intrinsics.height - 1}.`
    );
  }
}

async function depthFromFile(
  options: MeasureCommandOptions,
  depthPath: string,
  intrinsics: PhotoIntrinsics,
  resourcesDir: string
): Promise<{ grid: DepthGrid; origin: DepthOrigin; relative: RelativeErrorChoice | null }> {
  const valuesPerMetre = png16ValuesPerMetre(options.png16Scale);
  const raster = await readDepthFile(depthPath, valuesPerMetre === undefined ? {} : { png16: { valuesPerMetre } });
  const grid = depthGridOverPhoto(raster, intrinsics, path.basename(depthPath));
  const relative = options.relativeError !== undefined ? null : await fileRelativeError(depthPath, resourcesDir);
  return {
    grid,
    origin: { kind: 'file', name: path.basename(depthPath), description: describeResampling(grid), notes: raster.notes },
    relative
  };
}

async function depthFromModel(
  options: MeasureCommandOptions,
  modelArgument: string,
  photoPath: string,
  context: { io: CliIo; dataDir: string; resourcesDir: string }
): Promise<{ grid: DepthGrid; origin: DepthOrigin; relative: RelativeErrorChoice | null }> {
  const model = await resolveModelArgument(modelArgument, {
    ...(options.manifest === undefined ? {} : { manifestPath: options.manifest }),
    cwd: context.io.cwd,
    dataDir: context.dataDir,
    resourcesDir: context.resourcesDir
  });
  const engine = new DepthEngine({ optimisedCacheDir: path.join(context.dataDir, 'optimised-models'), device: options.device });
  try {
    const service = new DepthService({ engine, cache: new DepthCache(path.join(context.dataDir, 'depth-cache')) });
    const { depth, fromCache } = await service.estimate(photoPath, model, {});
    const stated = model.manifest.relativeError;
    const relative: RelativeErrorChoice | null = stated === undefined ? null : { value: stated.value, source: `model ${model.manifest.id}: ${stated.source}` };
    const grid: DepthGrid = depth;
    return {
      grid,
      origin: {
        kind: 'model',
        name: model.manifest.id,
        description: describeResampling(grid),
        notes: [`estimated by ${model.manifest.title} on ${depth.provider}${fromCache ? ' (from the depth cache)' : ''}`]
      },
      relative
    };
  } finally {
    await engine.dispose();
  }
}

function reported(point: MeasuredPoint): ReportedPoint {
  return { pixel: point.photo, depthMetres: point.depthMetres, camera: [point.camera[0], point.camera[1], point.camera[2]], sampling: point.sampling };
}

function metres(value: number): string {
  return `${value.toFixed(3)} m`;
}

function printReport(io: CliIo, report: MeasureReport): void {
  const lines: string[] = [];
  const band = report.uncertainty === null ? '' : ` ± ${metres(report.uncertainty.bandMetres)}`;
  lines.push(`Distance: ${metres(report.distanceMetres)}${band}`);
  if (report.uncertainty === null) lines.push('  Uncertainty: none shown (no relative error is known for this depth; give --relative-error).');
  else lines.push(`  Uncertainty from a ${(report.uncertainty.relativeError * 100).toFixed(1)} % relative depth error: ${report.uncertainty.source}`);
  for (const [label, point] of [['From', report.from], ['To', report.to]] as const) {
    const [x, y, z] = point.camera;
    lines.push(
      `${label} pixel ${point.pixel.u},${point.pixel.v}: depth ${metres(point.depthMetres)} (${point.sampling}) → camera point (${x.toFixed(3)}, ${y.toFixed(3)}, ${z.toFixed(3)}) m`
    );
  }
  const k = report.intrinsics;
  lines.push(`Intrinsics (${k.width} × ${k.height}): fx ${k.fx.toFixed(1)} px, fy ${k.fy.toFixed(1)} px, centre ${k.cx.toFixed(1)},${k.cy.toFixed(1)}; source ${k.source}: ${k.description}`);
  for (const warning of k.warnings) lines.push(`  Warning: ${warning}`);
  lines.push(`Depth: ${report.depth.kind === 'file' ? 'file' : 'model'} ${report.depth.name}: ${report.depth.description}`);
  for (const note of report.depth.notes) lines.push(`  ${note}`);
  lines.push('Camera axes: x right, y down, z forward (metres).');
  io.stdout.write(`${lines.join('\n')}\n`);
}

/** Runs `zoe measure`; resolves to the exit code (usage mistakes throw {@link CliUsageError}: exit 2). */
export async function runMeasureCommand(photo: string, options: MeasureCommandOptions, context: { io: CliIo; dataDir: string; resourcesDir: string }): Promise<number> {
  const { io } = context;
  if ((options.depth === undefined) === (options.model === undefined)) throw new CliUsageError('Give the depth with exactly one of --depth <file> or --model <id|path>.');
  if (options.manifest !== undefined && options.model === undefined) throw new CliUsageError('--manifest goes with --model.');
  const from = parsePixel(options.from, '--from');
  const to = parsePixel(options.to, '--to');
  const override = intrinsicsOverride(options);
  const chosenError = options.relativeError === undefined ? undefined : positiveNumber(options.relativeError, '--relative-error');
  if (chosenError !== undefined && chosenError >= 1) throw new CliUsageError('--relative-error is a fraction, e.g. 0.08 for 8 %.');
  const photoPath = path.resolve(io.cwd, photo);

  try {
    const intrinsics = await readPhotoIntrinsics(photoPath, override);
    checkInside(from, intrinsics, '--from');
    checkInside(to, intrinsics, '--to');
    const depth =
      options.depth !== undefined
        ? await depthFromFile(options, path.resolve(io.cwd, options.depth), intrinsics, context.resourcesDir)
        : await depthFromModel(options, options.model ?? '', photoPath, context);
    const relative: RelativeErrorChoice | null = chosenError !== undefined ? { value: chosenError, source: 'set with --relative-error' } : depth.relative;
    const result = measureDistance({ depth: depth.grid, intrinsics, ...(relative === null ? {} : { relativeError: relative.value }) }, from, to);
    const report: MeasureReport = {
      photo: path.basename(photoPath),
      distanceMetres: result.value,
      uncertainty: result.uncertainty === null || relative === null ? null : { bandMetres: result.uncertainty.band, relativeError: relative.value, source: relative.source },
      from: reported(result.points[0]),
      to: reported(result.points[1]),
      intrinsics: {
        fx: intrinsics.fx,
        fy: intrinsics.fy,
        cx: intrinsics.cx,
        cy: intrinsics.cy,
        width: intrinsics.width,
        height: intrinsics.height,
        source: intrinsics.source,
        description: intrinsics.sourceDescription,
        warnings: intrinsics.warnings
      },
      depth: depth.origin,
      calibrationFactor: result.calibrationFactor
    };
    if (options.json) io.stdout.write(`${JSON.stringify(report)}\n`);
    else printReport(io, report);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    const value = toErrorValue(error);
    io.stderr.write(`zoe: ${value.message}\n`);
    if (value.detail !== undefined && io.env.ZOE_DEBUG !== undefined) io.stderr.write(`${value.detail}\n`);
    return EXIT_FAILED;
  }
}


/** Adds `zoe measure` to the program; `context` gives the io and folders when it runs. */
export function registerMeasureCommand(
  program: Command,
  setResult: (run: () => Promise<number>) => void,
  context: () => { io: CliIo; dataDir: string; resourcesDir: string }
): void {
  program
    .command('measure')
    .description('the 3-D distance between two pixels of a photo, from a depth file or a model, with its uncertainty and the camera used')
    .argument('<photo>', 'the photo (pixels are counted in its upright view, at full resolution)')
    .option('--depth <file>', 'depth in metres: .npy, .pfm, float .tiff or 16-bit .png, at any resolution (resampled to the photo)')
    .option('--model <model>', 'estimate the depth with a catalog model id (installed) or an .onnx file')
    .option('--manifest <file>', 'manifest for a model file')
    .requiredOption('--from <x,y>', 'first pixel')
    .requiredOption('--to <x,y>', 'second pixel')
    .option('--focal-mm <mm>', 'lens focal length (with --sensor-width-mm), instead of EXIF')
    .option('--sensor-width-mm <mm>', "sensor width (its long side), with --focal-mm")
    .option('--fov-deg <degrees>', 'horizontal field of view of the upright photo, instead of EXIF')
    .option('--png16-scale <scale>', '16-bit PNG values per metre when the file does not say: 256 (ZoeDepth, KITTI) or mm')
    .option('--relative-error <fraction>', 'relative depth error for the uncertainty band, e.g. 0.08')
    .addOption(new Option('--device <device>', 'where to run the model').choices(['auto', 'cpu', 'gpu']).default('auto'))
    .option('--json', 'print one JSON object', false)
    .action((photo: string, options: MeasureCommandOptions) => {
      setResult(() => runMeasureCommand(photo, options, context()));
    });
}
