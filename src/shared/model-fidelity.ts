/**
 * How faithfully a model file reproduces the original ZoeDepth (`infer_pil`), read from its
 * manifest only: whether it sees each photo in the photo's own shape (dynamic input, the original's
 * "minimal" resize) or squashes every photo to one fixed size, whether it states other differences,
 * and its precision. The models panel shows it; the default model is the most faithful one.
 */
import type { ModelManifest } from './manifest';

/** How a model fits a photo to its input. */
export type PhotoShapeHandling =
  /** Resized keeping the photo's aspect ratio, sides multiples of `multipleOf` near the target, as the original does. */
  | { kind: 'own-shape'; targetHeight: number; targetWidth: number; multipleOf: number }
  /** Every photo resized to exactly this size, whatever its shape. */
  | { kind: 'squashed'; height: number; width: number };

/** The manifest facts the ranking reads (a summary for the renderer carries the same). */
export interface FidelityFacts {
  photoShape: PhotoShapeHandling;
  differencesFromOriginal: readonly string[];
  precision: 'fp32' | 'fp16' | 'int8';
  domain: ModelManifest['domain'];
}

/** What the manifest says about a model's handling of photo shapes. */
export function photoShapeOf(manifest: Pick<ModelManifest, 'input'>): PhotoShapeHandling {
  const size = manifest.input.size;
  if (size.kind === 'fixed') return { kind: 'squashed', height: size.height, width: size.width };
  return { kind: 'own-shape', targetHeight: size.targetHeight, targetWidth: size.targetWidth, multipleOf: size.multipleOf };
}

/** The facts of one manifest. */
export function fidelityFactsOf(manifest: ModelManifest): FidelityFacts {
  return {
    photoShape: photoShapeOf(manifest),
    differencesFromOriginal: manifest.differencesFromOriginal ?? [],
    precision: manifest.variant?.precision ?? 'fp32',
    domain: manifest.domain
  };
}

const PRECISION_ORDER = { fp32: 0, fp16: 1, int8: 2 } as const;
const DOMAIN_ORDER = { auto: 0, indoor: 1, outdoor: 2 } as const;

/**
 * Sort key, most faithful first: own shape with no stated difference, then own shape with some;
 * then fixed inputs, the 4:3 ones first (they see 4:3 landscape photos, the commonest shape, as the
 * original does); full precision before fp16 before int8; then the model that routes each photo to
 * an indoor or outdoor head, then indoor, then outdoor.
 */
export function fidelityKey(facts: FidelityFacts): number[] {
  const shape = facts.photoShape;
  const shapeRank = shape.kind === 'own-shape' ? (facts.differencesFromOriginal.length === 0 ? 0 : 1) : shape.width * 3 === shape.height * 4 ? 2 : 3;
  return [shapeRank, PRECISION_ORDER[facts.precision], DOMAIN_ORDER[facts.domain]];
}

/** Negative when `a` is more faithful than `b`. */
export function compareFidelity(a: FidelityFacts, b: FidelityFacts): number {
  const ka = fidelityKey(a);
  const kb = fidelityKey(b);
  for (let i = 0; i < ka.length; i++) {
    const d = (ka[i] ?? 0) - (kb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The most faithful of some models (stable: the first of equals), or undefined for none. */
export function mostFaithful<T>(models: readonly T[], factsOf: (model: T) => FidelityFacts): T | undefined {
  let best: T | undefined;
  for (const model of models) if (best === undefined || compareFidelity(factsOf(model), factsOf(best)) < 0) best = model;
  return best;
}
