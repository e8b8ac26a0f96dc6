import { describe, expect, it } from 'vitest';
import { cubicTaps, cubicWeights, mirrorColumns, modelInputFromPhoto, resampleBicubic, averageWithMirrored } from '../../../src/main/depth/resample';
import { zoePadding } from '../../../src/main/depth/geometry';
import {
  bicubicAlignCornersFalse,
  bicubicSample,
  bilinearAlignCorners,
  clamp,
  crop,
  flipColumns,
  maxAbsDifference,
  reflectPad,
  rgbToPlanes
} from '../../helpers/zoe-reference';

function randomRgb(width: number, height: number, seed: number): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return data;
}

function randomPlane(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = 1 + (s >>> 8) / 2 ** 24;
  }
  return out;
}

describe('model input: reflect pad + bilinear align_corners=True straight from 8-bit pixels', () => {
  const cases = [
    { width: 97, height: 61, input: { height: 384, width: 512 }, pad: true },
    { width: 640, height: 480, input: { height: 96, width: 128 }, pad: true },
    { width: 33, height: 80, input: { height: 64, width: 32 }, pad: false },
    { width: 200, height: 150, input: { height: 1, width: 5 }, pad: true }
  ];
  for (const c of cases) {
    it(`matches the materialised reference for a ${c.width}×${c.height} photo → ${c.input.height}×${c.input.width}`, () => {
      const data = randomRgb(c.width, c.height, c.width * 7 + c.height);
      const padding = zoePadding(c.height, c.width, c.pad);
      const tensor = modelInputFromPhoto({ data, width: c.width, height: c.height }, padding, c.input, { kind: 'in-graph' });
      const padded = reflectPad(rgbToPlanes(data, c.width, c.height), padding.rows, padding.columns);
      const resized = bilinearAlignCorners(padded, c.input.height, c.input.width);
      const expected = new Float64Array(3 * c.input.height * c.input.width);
      resized.channels.forEach((p, i) => expected.set(p, i * p.length));
      expect(maxAbsDifference(tensor, expected)).toBeLessThan(1e-6);
    });
  }

  it('applies an external mean/std per channel', () => {
    const data = randomRgb(50, 40, 3);
    const mean: [number, number, number] = [0.485, 0.456, 0.406];
    const std: [number, number, number] = [0.229, 0.224, 0.225];
    const input = { height: 32, width: 32 };
    const tensor = modelInputFromPhoto({ data, width: 50, height: 40 }, { rows: 0, columns: 0 }, input, { kind: 'external', mean, std });
    const resized = bilinearAlignCorners(rgbToPlanes(data, 50, 40), 32, 32);
    const expected = new Float64Array(3 * 1024);
    resized.channels.forEach((p, c) => p.forEach((v, i) => (expected[c * 1024 + i] = (v - mean[c]) / std[c])));
    expect(maxAbsDifference(tensor, expected)).toBeLessThan(1e-5);
  });

  it('the mirrored model input is the model input of the flipped photo (symmetric padding)', () => {
    const width = 90;
    const height = 70;
    const data = randomRgb(width, height, 11);
    const flipped = new Uint8Array(data.length);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) flipped[(y * width + x) * 3 + c] = data[(y * width + (width - 1 - x)) * 3 + c];
    const padding = zoePadding(height, width, true);
    const input = { height: 48, width: 64 };
    const direct = modelInputFromPhoto({ data, width, height }, padding, input, { kind: 'in-graph' });
    const ofFlipped = modelInputFromPhoto({ data: flipped, width, height }, padding, input, { kind: 'in-graph' });
    expect(maxAbsDifference(mirrorColumns(direct, 3, input.height, input.width), ofFlipped)).toBeLessThan(1e-6);
  });
});

describe('output: bicubic align_corners=False (a = −0.75) to the padded size, then crop', () => {
  it('has PyTorch cubic weights that sum to one and interpolate at t = 0', () => {
    for (const t of [0, 0.1, 0.25, 0.5, 0.9]) {
      const w = cubicWeights(t);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    expect(cubicWeights(0)).toEqual([0, 1, 0, 0]);
  });

  it('equals upsample-then-crop on every photo pixel, including border clamping', () => {
    const source = { height: 24, width: 32 };
    const values = randomPlane(source.height * source.width, 5);
    const photo = { height: 75, width: 101 };
    const padding = zoePadding(photo.height, photo.width, true);
    const padded = { height: photo.height + 2 * padding.rows, width: photo.width + 2 * padding.columns };
    const rows = cubicTaps(photo.height, photo.height, padding.rows, source.height);
    const cols = cubicTaps(photo.width, photo.width, padding.columns, source.width);
    const ours = resampleBicubic(values, source, rows, cols, { min: -1e9, max: 1e9 });
    const up = bicubicAlignCornersFalse(Float64Array.from(values), source.height, source.width, padded.height, padded.width);
    const expected = crop(up, padded.width, padding.rows, padding.columns, photo.height, photo.width);
    expect(maxAbsDifference(ours, expected)).toBeLessThan(1e-5);
  });

  it('evaluates the same upsampling at display-grid positions between photo pixels', () => {
    const source = { height: 16, width: 20 };
    const values = randomPlane(source.height * source.width, 9);
    const photo = { height: 300, width: 410 };
    const padding = zoePadding(photo.height, photo.width, true);
    const padded = { height: photo.height + 2 * padding.rows, width: photo.width + 2 * padding.columns };
    const grid = { height: 37, width: 51 };
    const ours = resampleBicubic(values, source, cubicTaps(grid.height, photo.height, padding.rows, source.height), cubicTaps(grid.width, photo.width, padding.columns, source.width), {
      min: -1e9,
      max: 1e9
    });
    const src = Float64Array.from(values);
    const expected = new Float64Array(grid.height * grid.width);
    for (let gy = 0; gy < grid.height; gy++) {
      for (let gx = 0; gx < grid.width; gx++) {
        const py = ((gy + 0.5) * photo.height) / grid.height - 0.5;
        const px = ((gx + 0.5) * photo.width) / grid.width - 0.5;
        expected[gy * grid.width + gx] = bicubicSample(src, source.height, source.width, padded.height, padded.width, py + padding.rows, px + padding.columns);
      }
    }
    expect(maxAbsDifference(ours, expected)).toBeLessThan(1e-5);
  });

  it('clamps to the depth range after upsampling (overshoot included)', () => {
    const source = { height: 8, width: 8 };
    const values = new Float32Array(64).map((_, i) => (i % 2 === 0 ? 0 : 10));
    const rows = cubicTaps(40, 40, 0, 8);
    const cols = cubicTaps(40, 40, 0, 8);
    const ours = resampleBicubic(values, source, rows, cols, { min: 1, max: 9 });
    const expected = clamp(bicubicAlignCornersFalse(Float64Array.from(values), 8, 8, 40, 40), 1, 9);
    expect(maxAbsDifference(ours, expected)).toBeLessThan(1e-5);
    expect(Math.min(...ours)).toBe(1);
    expect(Math.max(...ours)).toBe(9);
  });

  it('averages with the mirrored prediction: (a + flip(b)) / 2', () => {
    const a = randomPlane(12, 1);
    const b = randomPlane(12, 2);
    const expected = flipColumns(Float64Array.from(b), 3, 4).map((v, i) => (v + a[i]) / 2);
    expect(maxAbsDifference(averageWithMirrored(a, b, 3, 4), expected)).toBeLessThan(1e-6);
  });
});
