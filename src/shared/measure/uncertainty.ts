/**
 * Uncertainty bands from the model's relative depth error.
 *
 * The figures are the model manifest's `relativeError`: absolute relative errors (REL, mean
 * |Z − Z*| / Z*) from the ZoeDepth paper. It is the one error figure every monocular depth paper
 * reports, it is per pixel, and it is in the same relative form as the errors it describes. It is
 * an average, not a worst case: a band reads as "typically within", not as a guarantee.
 *
 * The model of the error has two independent parts:
 *
 * - **scale:** every depth of the photo off by the same factor (1 + s). Monocular metric depth is
 *   mostly off in overall scale, and on a photo unlike its training data (a photographer's photo is
 *   zero-shot for ZoeDepth) the whole of its zero-shot REL is taken as scale error: s = the
 *   manifest's `value` (the median REL over the paper's unseen datasets). Lengths and heights
 *   change by s·L, areas by ((1 + s)² − 1)·A, angles not at all.
 * - **points:** the depth at each picked point off by p on its own, independently:
 *   band = sqrt(Σ_i (∂M/∂ln Z_i · p)²). For a distance this is p·sqrt((û·P1)² + (û·P2)²) with û the
 *   unit direction from P1 to P2: large when the ends lie at different depths, small across the
 *   view. p is the model's in-domain REL (`inDomain`): the error where its overall scale is right on
 *   average, which bounds what is left beyond scale.
 *
 * The band is sqrt(scale band² + points band²). Areas and ground planes are fitted to hundreds of
 * samples whose independent errors average out, so for them only the scale part counts (a height
 * still gets the points part for its top point).
 *
 * **Calibration** with a reference of known length fixes the overall scale: s then becomes the
 * reference's own relative error, the points band of the reference line (its two ends, error p
 * each) over its length (see `calibrationFromReference`), and p stays the in-domain REL. A long
 * reference across the view narrows the band most; one running away from the camera less.
 */

/** A band around a measured value, in the measure's own unit. */
export interface Uncertainty {
  /** Half width of the band: value ± band. */
  band: number;
  /** The band if every depth were off by the same factor. */
  scaleBand: number;
  /** The band from independent errors at the picked points (0 when there are none). */
  pointBand: number;
  /** The relative error of the overall scale used. */
  relativeError: number;
  /** The relative error of each picked point's depth used. */
  pointError: number;
}

/** The relative errors a band is made from: of the whole photo's scale, and of each point on its own. */
export interface BandErrors {
  scale: number;
  point: number;
}

/**
 * Band of a measure computed from depths: `evaluate(factors)` recomputes it with the depth of
 * picked point i multiplied by `factors[i]`, and `scaled(factor)` recomputes it with every depth
 * (picked points and fitted samples) multiplied by `factor`.
 */
export function depthErrorBand(
  errors: BandErrors,
  value: number,
  pointCount: number,
  evaluate: (factors: readonly number[]) => number,
  scaled: (factor: number) => number
): Uncertainty {
  const s = errors.scale;
  const p = errors.point;
  const scaleBand = Math.max(Math.abs(scaled(1 + s) - value), Math.abs(scaled(1 - s) - value));
  let sumSquares = 0;
  for (let i = 0; i < pointCount; i++) {
    const up = Array.from({ length: pointCount }, (_, k) => (k === i ? 1 + p : 1));
    const down = Array.from({ length: pointCount }, (_, k) => (k === i ? 1 - p : 1));
    sumSquares += ((evaluate(up) - evaluate(down)) / 2) ** 2;
  }
  const pointBand = Math.sqrt(sumSquares);
  return { band: Math.hypot(scaleBand, pointBand), scaleBand, pointBand, relativeError: s, pointError: p };
}
