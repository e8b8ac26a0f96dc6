import { describe, expect, it } from 'vitest';
import { COLORMAP_NAMES, colormapIndex, colormapLut, colormapNameSchema, colourise } from '../../../src/shared/colormaps';

/** Google's published fifth-order polynomial approximation of turbo (Ruofei Du, 2019), an independent source. */
function turboPolynomial(x: number): [number, number, number] {
  const v4 = [1, x, x * x, x * x * x];
  const v2 = [x ** 4, x ** 5];
  const dot = (a: number[], b: number[]): number => a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);
  const red = dot(v4, [0.13572138, 4.6153926, -42.66032258, 132.13108234]) + dot(v2, [-152.94239396, 59.28637943]);
  const green = dot(v4, [0.09140261, 2.19418839, 4.84296658, -14.18503333]) + dot(v2, [4.27729857, 2.82956604]);
  const blue = dot(v4, [0.1066733, 12.64194608, -60.58204836, 110.36276771]) + dot(v2, [-89.90310912, 27.34824973]);
  return [red * 255, green * 255, blue * 255];
}

/** Relative luminance of an sRGB colour (WCAG), to check that the perceptual maps rise monotonically. */
function luminance(r: number, g: number, b: number): number {
  const linear = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function hex(rgb: [number, number, number]): string {
  return '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('');
}

describe('colour maps', () => {
  it('has 256 RGB entries for every map, and hands out copies', () => {
    for (const name of COLORMAP_NAMES) {
      const lut = colormapLut(name);
      expect(lut).toBeInstanceOf(Uint8Array);
      expect(lut.length).toBe(768);
      lut[0] = 123;
      expect(colormapLut(name)[0]).not.toBe(123);
    }
  });

  it('grey is the identity ramp', () => {
    const lut = colormapLut('grey');
    for (let i = 0; i < 256; i++) expect([lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2]]).toEqual([i, i, i]);
  });

  it('turbo agrees with Google’s published polynomial approximation', () => {
    const lut = colormapLut('turbo');
    let worst = 0;
    let total = 0;
    for (let i = 0; i < 256; i++) {
      const reference = turboPolynomial(i / 255);
      for (let c = 0; c < 3; c++) {
        const error = Math.abs((lut[i * 3 + c] ?? -1) - Math.min(255, Math.max(0, reference[c] ?? 0)));
        worst = Math.max(worst, error);
        total += error;
      }
    }
    // The polynomial is a loose fit (about 6 levels on average, up to ~35 at the dark ends), yet a
    // reversed, shifted or channel-swapped table would miss it by far more.
    expect(total / 768).toBeLessThan(8);
    expect(worst).toBeLessThan(40);
    // Mikhailov's table starts at (0.18995, 0.07176, 0.23217) and ends at (0.47960, 0.01583, 0.01055).
    expect([hex(colourise(0, 'turbo')), hex(colourise(1, 'turbo'))]).toEqual(['#30123b', '#7a0403']);
  });

  it('viridis, magma and inferno end at their published colours and rise in luminance', () => {
    expect([hex(colourise(0, 'viridis')), hex(colourise(1, 'viridis'))]).toEqual(['#440154', '#fde725']);
    expect([hex(colourise(0, 'magma')), hex(colourise(1, 'magma'))]).toEqual(['#000004', '#fcfdbf']);
    expect([hex(colourise(0, 'inferno')), hex(colourise(1, 'inferno'))]).toEqual(['#000004', '#fcffa4']);
    for (const name of ['viridis', 'magma', 'inferno'] as const) {
      const lut = colormapLut(name);
      // Lightness rises monotonically in CAM02-UCS; 8-bit rounding allows tiny dips between neighbours.
      for (let i = 4; i < 256; i += 4) {
        const before = luminance(lut[i * 3 - 12] ?? 0, lut[i * 3 - 11] ?? 0, lut[i * 3 - 10] ?? 0);
        const now = luminance(lut[i * 3] ?? 0, lut[i * 3 + 1] ?? 0, lut[i * 3 + 2] ?? 0);
        expect(now, `${name} entry ${i}`).toBeGreaterThan(before);
      }
    }
  });

  it('colourise picks the nearest entry and clamps out-of-range and missing values', () => {
    const lut = colormapLut('magma');
    const entry = (i: number): number[] => [lut[i * 3] ?? 0, lut[i * 3 + 1] ?? 0, lut[i * 3 + 2] ?? 0];
    expect(colourise(0.5, 'magma')).toEqual(entry(128));
    expect(colourise(100 / 255 + 0.001, 'magma')).toEqual(entry(100));
    expect(colourise(-3, 'magma')).toEqual(entry(0));
    expect(colourise(7, 'magma')).toEqual(entry(255));
    expect(colourise(Number.NaN, 'magma')).toEqual(entry(0));
    expect(colourise(1)).toEqual(colourise(1, 'turbo'));
    expect(colormapIndex(0.999)).toBe(255);
  });

  it('validates names from outside', () => {
    expect(colormapNameSchema.safeParse('viridis').success).toBe(true);
    expect(colormapNameSchema.safeParse('jet').success).toBe(false);
  });
});
