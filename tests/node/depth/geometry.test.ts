import { describe, expect, it } from 'vitest';
import { modelManifestSchema } from '../../../src/shared/manifest';
import { displayGridSize, modelInputSize, reflectIndex, roundHalfToEven, zoePadding } from '../../../src/main/depth/geometry';

function dynamicManifest(policy: 'minimal' | 'upper_bound' | 'lower_bound') {
  return modelManifestSchema.parse({
    id: 'dyn',
    title: 'dyn',
    licence: { name: 'MIT' },
    input: { layout: 'NCHW', valueRange: '0-1', size: { kind: 'dynamic', targetHeight: 384, targetWidth: 512, policy }, normalisation: { kind: 'in-graph' } },
    output: { unit: 'metres', kind: 'metric' },
    depthRange: { min: 0.001, max: 10 },
    domain: 'indoor',
    defaults: {}
  });
}

describe('ZoeDepth padding', () => {
  it('pads int(sqrt(h/2)*3) rows and int(sqrt(w/2)*3) columns (worked by hand)', () => {
    // 450/2 = 225, sqrt = 15, ×3 = 45; 600/2 = 300, sqrt = 17.32…, ×3 = 51.96… → 51
    expect(zoePadding(450, 600, true)).toEqual({ rows: 45, columns: 51 });
    // 6000×4000 photo: sqrt(2000)·3 = 134.16 → 134; sqrt(3000)·3 = 164.31 → 164
    expect(zoePadding(4000, 6000, true)).toEqual({ rows: 134, columns: 164 });
    // 66×100: sqrt(33)·3 = 17.23 → 17; sqrt(50)·3 = 21.21 → 21
    expect(zoePadding(66, 100, true)).toEqual({ rows: 17, columns: 21 });
    expect(zoePadding(450, 600, false)).toEqual({ rows: 0, columns: 0 });
  });
});

describe('model input size', () => {
  it('uses the fixed size of a fixed-input export whatever the photo', () => {
    const fixed = modelManifestSchema.parse({ ...dynamicManifest('minimal'), input: { layout: 'NCHW', valueRange: '0-1', size: { kind: 'fixed', height: 384, width: 768 }, normalisation: { kind: 'in-graph' } } });
    expect(modelInputSize(fixed, 1000, 300)).toEqual({ height: 384, width: 768 });
  });

  it("follows MiDaS's minimal policy: the scale closer to 1 wins, sides round to multiples of 32", () => {
    const m = dynamicManifest('minimal');
    // 540×702: 384/540 = .711, 512/702 = .729 (closer to 1) → 393.8 → 384, 512
    expect(modelInputSize(m, 540, 702)).toEqual({ height: 384, width: 512 });
    // 702×540 (portrait): 384/702 = .547, 512/540 = .948 (closer) → 665.6 → 672, 512
    expect(modelInputSize(m, 702, 540)).toEqual({ height: 672, width: 512 });
    // 4268×6328 (24 MP padded): 384/4268 = .090, 512/6328 = .0809; .090 closer → 384, 569.4 → 576
    expect(modelInputSize(m, 4268, 6328)).toEqual({ height: 384, width: 576 });
  });

  it('upper_bound never exceeds and lower_bound never undercuts the target', () => {
    const upper = modelInputSize(dynamicManifest('upper_bound'), 1000, 1000);
    expect(upper.height).toBeLessThanOrEqual(384);
    expect(upper.width).toBeLessThanOrEqual(512);
    const lower = modelInputSize(dynamicManifest('lower_bound'), 1000, 1000);
    expect(lower.height).toBeGreaterThanOrEqual(384);
    expect(lower.width).toBeGreaterThanOrEqual(512);
  });

  it('rounds halves to even like np.round', () => {
    expect([0.5, 1.5, 2.5, -0.5, 2.4, 2.6].map(roundHalfToEven)).toEqual([0, 2, 2, 0, 2, 3]);
  });
});

describe('reflect index', () => {
  it('mirrors without repeating the edge pixel, as PyTorch reflect padding', () => {
    // a row of 5: padded by 3 on each side reads 3 2 1 | 0 1 2 3 4 | 3 2 1
    expect([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7].map((i) => reflectIndex(i, 5))).toEqual([3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1]);
    expect(reflectIndex(-4, 1)).toBe(0);
  });
});

describe('display grid', () => {
  it('keeps the aspect ratio at about the model pixel count, never above the photo size', () => {
    const grid = displayGridSize(4000, 6000, 192 * 256);
    expect(Math.abs(grid.width / grid.height - 1.5)).toBeLessThan(0.01);
    expect(Math.abs(grid.width * grid.height - 192 * 256) / (192 * 256)).toBeLessThan(0.02);
    expect(displayGridSize(66, 100, 192 * 256)).toEqual({ height: 66, width: 100 });
  });
});
