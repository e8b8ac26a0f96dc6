/**
 * A photo's calibration applied to exported depth, on a camera looking square at a flat wall 4 m
 * away (fx = fy = 1000 px, 800×600 photo): there a line of n pixels along a row is n × 4 / 1000 m long.
 */
import { describe, expect, it } from 'vitest';
import type { PhotoCalibration } from '../../../src/shared/api/measure';
import type { Intrinsics } from '../../../src/shared/camera';
import type { DepthMap } from '../../../src/shared/depth';
import { attachModelOutput, modelOutputOf } from '../../../src/main/depth/model-output';
import { calibrationForDepth, scaleDepthMap, UNCALIBRATED } from '../../../src/main/export/calibration';

const WIDTH = 800;
const HEIGHT = 600;
const WALL = 4;
const camera: Intrinsics = { fx: 1000, fy: 1000, cx: (WIDTH - 1) / 2, cy: (HEIGHT - 1) / 2, width: WIDTH, height: HEIGHT, source: 'user', warnings: [] };

function wall(modelId: string): DepthMap {
  const width = WIDTH / 4;
  const height = HEIGHT / 4;
  return {
    width,
    height,
    metres: new Float32Array(width * height).fill(WALL),
    photoWidth: WIDTH,
    photoHeight: HEIGHT,
    modelId,
    provider: 'cpu',
    options: { flip: true, pad: true },
    range: { min: 0.001, max: 80 },
    timings: { decodeMs: 1, preprocessMs: 1, inferenceMs: 1, postprocessMs: 1, totalMs: 4 }
  };
}

/** A reference line of 500 px along the middle row: 2 m on the wall. */
function calibration(factor: number, knownLengthMetres: number, modelId: string): PhotoCalibration {
  return { factor, knownLengthMetres, measuredMetres: 2, from: { u: 150, v: 300 }, to: { u: 650, v: 300 }, modelId };
}

describe('calibration of exported depth', () => {
  it('is the model’s own scale for a photo without calibration', () => {
    expect(calibrationForDepth(null, wall('zoe-nk'), camera, true)).toEqual(UNCALIBRATED);
  });

  it('uses the stored factor on the model it was made on, and records it even when not applied', () => {
    const stored = calibration(1.25, 2.5, 'zoe-nk');
    expect(calibrationForDepth(stored, wall('zoe-nk'), camera, true)).toEqual({
      applied: true,
      factor: 1.25,
      reference: { knownLengthMetres: 2.5, measuredMetres: 2, calibratedOnModel: 'zoe-nk' },
      recomputed: false
    });
    expect(calibrationForDepth(stored, wall('zoe-nk'), camera, false)).toMatchObject({ applied: false, factor: 1.25 });
  });

  it('measures the reference line again on another model’s depth', () => {
    // Stored as ×1.2 on another model; on this wall the 500 px line is 2 m, so 3 m known means ×1.5.
    const result = calibrationForDepth(calibration(1.2, 3, 'zoe-k'), wall('zoe-nk'), camera, true);
    expect(result.recomputed).toBe(true);
    expect(result.factor).toBeCloseTo(1.5, 9);
  });

  it('scales every depth, the valid range and the model output used for full resolution', () => {
    const depth = wall('zoe-nk');
    const output = { metres: new Float32Array([3, 5]), width: 2, height: 1, padding: { rows: 0, columns: 0 }, photoWidth: WIDTH, photoHeight: HEIGHT, range: { min: 0.001, max: 80 } };
    attachModelOutput(depth, output);
    const scaled = scaleDepthMap(depth, 1.5);
    expect(scaled.metres.every((value) => value === WALL * 1.5)).toBe(true);
    expect(scaled.range).toEqual({ min: 0.0015, max: 120 });
    expect(Array.from(modelOutputOf(scaled)?.metres ?? [])).toEqual([4.5, 7.5]);
    expect(modelOutputOf(scaled)?.range.max).toBe(120);
    expect(depth.metres[0]).toBe(WALL);
    expect(scaleDepthMap(depth, 1)).toBe(depth);
  });
});
