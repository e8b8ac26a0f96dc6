import { describe, expect, it } from 'vitest';
import { estimatedFraction, LoadProgressTicker } from '../../../src/main/depth/load-progress';
import type { LoadProgress } from '../../../src/main/depth';

describe('load progress between stage reports', () => {
  const optimising: LoadProgress = { stage: 'optimising', fraction: 0.2, message: 'Optimising' };

  it('starts at the stage’s fraction, grows, and never reaches the next stage', () => {
    const gigabyte = 1.4e9;
    const samples = [0, 1_000, 10_000, 60_000, 112_000, 600_000, 3_600_000].map((ms) => estimatedFraction(optimising, ms, gigabyte));
    expect(samples[0]).toBe(0.2);
    expect(samples).toEqual([...samples].sort((a, b) => a - b));
    expect(samples.at(-1)).toBeLessThan(0.88 + 1e-12);
    // About two thirds of the way at the expected time (80 s per GB).
    expect(samples[4]).toBeGreaterThan(0.2 + 0.6 * (0.88 - 0.2));
    expect(samples[4]).toBeLessThan(0.2 + 0.7 * (0.88 - 0.2));
  });

  it('re-emits the current stage with rising fractions until the next report', async () => {
    const seen: LoadProgress[] = [];
    const ticker = new LoadProgressTicker(() => 1e6, (p) => seen.push(p), 20);
    ticker.report(optimising);
    await new Promise((r) => setTimeout(r, 130));
    ticker.report({ stage: 'ready', fraction: 1, message: 'Ready' });
    const count = seen.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(seen.length).toBe(count);
    expect(count).toBeGreaterThan(3);
    expect(seen.slice(0, -1).every((p) => p.stage === 'optimising' && p.fraction >= 0.2 && p.fraction < 0.88)).toBe(true);
    expect(seen.slice(1, -1).some((p) => p.fraction > 0.2)).toBe(true);
  });
});
