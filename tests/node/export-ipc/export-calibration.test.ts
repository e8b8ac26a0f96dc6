/**
 * Calibration reaches exports: through the real handler table (test host services, a real test
 * model, real photos, the real depth queue, measuring store and export worker), a photo calibrated
 * with a known length is exported with its depths multiplied by the factor, the side-car says so,
 * `applyCalibration: false` writes the model's own scale, and the preview's range follows.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportProgress } from '../../../src/shared/api';
import { readNpy } from '../../helpers/readers/npy';
import { FIXTURE_MODELS, idOf, openFolder, photoFolder, startHarness, until, type Harness } from '../jobs/harness';

let harness: Harness;
let photoId: string;

async function exportNpy(name: string, applyCalibration?: boolean): Promise<{ values: Float64Array; sidecar: { calibration?: { applied: boolean; factor: number; recomputed: boolean; reference: unknown } } }> {
  const output = path.join(harness.workDir, name);
  await mkdir(output, { recursive: true });
  harness.services.setNextOutputFolder(output);
  const chosen = await harness.value('export.chooseFolder');
  if (chosen === null) throw new Error('the output folder chooser was cancelled');
  const started = await harness.value('export.start', {
    photoIds: [photoId],
    formats: ['npy'],
    outputFolderId: chosen.outputFolderId,
    ...(applyCalibration === undefined ? {} : { applyCalibration })
  });
  const ended = (): ExportProgress | undefined => harness.payloads('export.progress').find((progress) => progress.batchId === started.batchId && progress.state !== 'running');
  await until(() => ended() !== undefined, `batch ${started.batchId} to end`, 60_000);
  const outcomes = harness.payloads('export.progress').filter((progress) => progress.batchId === started.batchId).flatMap((progress) => progress.finished);
  expect(outcomes.map((outcome) => outcome.error?.message ?? outcome.state)).toEqual(['done']);
  expect(ended()).toMatchObject({ state: 'done', photosDone: 1, photosFailed: 0 });
  const values = readNpy(await readFile(path.join(output, 'DSCN0010.depth.npy'))).values;
  const sidecar = JSON.parse(await readFile(path.join(output, 'DSCN0010.depth.json'), 'utf8')) as Awaited<ReturnType<typeof exportNpy>>['sidecar'];
  return { values, sidecar };
}

/** The ratio exported / uncalibrated over every valid depth, which must be one number. */
function ratios(exported: Float64Array, uncalibrated: Float64Array): { min: number; max: number } {
  expect(exported.length).toBe(uncalibrated.length);
  let min = Infinity;
  let max = -Infinity;
  for (let index = 0; index < exported.length; index += 1) {
    const base = uncalibrated[index] as number;
    if (!(base > 0)) continue;
    const ratio = (exported[index] as number) / base;
    min = Math.min(min, ratio);
    max = Math.max(max, ratio);
  }
  return { min, max };
}

beforeAll(async () => {
  harness = await startHarness();
  const folder = await photoFolder(harness, 'photos', { 'DSCN0010.jpg': 'gps/DSCN0010.jpg' });
  photoId = idOf(await openFolder(harness, folder), 'DSCN0010.jpg');
  await harness.value('settings.set', { device: 'cpu' });
  harness.services.setNextModelFile(path.join(FIXTURE_MODELS, 'zoe-fixed.onnx'));
  await harness.value('models.import');
});

afterAll(async () => {
  await harness.close();
});

describe('exports and the photo’s calibration', () => {
  it('writes calibrated depth by default, the model’s own with applyCalibration false, and the side-car records the factor', async () => {
    const plain = await exportNpy('out-uncalibrated');
    expect(plain.sidecar.calibration).toEqual({ applied: false, factor: 1, reference: null, recomputed: false });
    const plainPreview = await harness.value('export.preview', { photoId, maxSide: 64 });
    expect([plainPreview.calibrationFactor, plainPreview.photoCalibrationFactor]).toEqual([1, 1]);

    const from = { u: 120, v: 200 };
    const to = { u: 500, v: 260 };
    const computed = await harness.value('measure.compute', { photoId, measurements: [{ kind: 'distance', points: [from, to] }] });
    const first = computed.results[0];
    if (first === undefined || !first.ok) throw new Error('the reference line has no length');
    const calibration = await harness.value('measure.setCalibration', { photoId, reference: { knownLengthMetres: first.value * 1.6, from, to } });
    expect(calibration?.factor).toBeCloseTo(1.6, 9);
    const factor = calibration?.factor ?? NaN;

    const calibrated = await exportNpy('out-calibrated');
    const scaled = ratios(calibrated.values, plain.values);
    expect(scaled.min).toBeCloseTo(factor, 5);
    expect(scaled.max).toBeCloseTo(factor, 5);
    expect(calibrated.sidecar.calibration).toMatchObject({ applied: true, factor, recomputed: false, reference: { knownLengthMetres: first.value * 1.6, calibratedOnModel: calibration?.modelId } });

    const model = await exportNpy('out-model-scale', false);
    const same = ratios(model.values, plain.values);
    expect([same.min, same.max]).toEqual([1, 1]);
    expect(model.sidecar.calibration).toMatchObject({ applied: false, factor });

    const preview = await harness.value('export.preview', { photoId, maxSide: 64 });
    expect([preview.calibrationFactor, preview.photoCalibrationFactor]).toEqual([factor, factor]);
    expect(preview.nearMetres / plainPreview.nearMetres).toBeCloseTo(factor, 5);
    expect(preview.farMetres / plainPreview.farMetres).toBeCloseTo(factor, 5);
    const unapplied = await harness.value('export.preview', { photoId, maxSide: 64, applyCalibration: false });
    expect([unapplied.calibrationFactor, unapplied.photoCalibrationFactor, unapplied.nearMetres]).toEqual([1, factor, plainPreview.nearMetres]);
  }, 90_000);
});
