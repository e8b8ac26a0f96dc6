/**
 * Uncertainty bands from the model's relative depth error.
 *
 * The figure used is the model manifest's `relativeError.value`: the absolute relative error
 * (AbsRel, mean |Z − Z*| / Z*) the model reaches on its own benchmark, e.g. about 0.075 for
 * ZoeD-N on NYU Depth v2 and 0.057 for ZoeD-K on KITTI (the manifest names its source). It is the
 * one error figure every monocular depth paper reports, it is per pixel, and it is in the same
 * relative form as the errors it describes. It is an average, not a worst case: the band reads as
 * "typically within", not as a guarantee.
 *
 * A depth error moves a point along its own ray (X and Y scale with Z), so each measure's error is
 * worked out by perturbing depths, in two cases, and the band is the larger:
 *
 * - **scale:** every depth off by the same factor (1 + e): monocular metric depth is mostly off in
 *   overall scale. Lengths and heights change by e·L, areas by ((1 + e)² − 1)·A ≈ 2e·A, angles not
 *   at all.
 * - **points:** the depth at each picked point off by e on its own, independently:
 *   band = sqrt(Σ_i (∂M/∂ln Z_i · e)²). For a distance this is e·sqrt((û·P1)² + (û·P2)²) with û
 *   the unit direction from P1 to P2: large when the two ends lie at different depths (a distance
 *   running away from the camera), small for a distance across the view. Angles get their band
 *   from this case only.
 *
 * Areas and ground planes are fitted to hundreds of samples whose independent errors average out,
 * so for them only the scale case counts (a height still gets the points case for its top point).
 * Calibration with a reference length removes most of the scale error, but the band is not shrunk
 * after calibrating, because the reference is itself measured on the same depth map.
 */

/** A band around a measured value, in the measure's own unit. */
export interface Uncertainty {
  /** Half width of the band: value ± band. */
  band: number;
  /** The band if every depth were off by the same factor. */
  scaleBand: number;
  /** The band from independent errors at the picked points (0 when there are none). */
  pointBand: number;
  /** The relative depth error used (the manifest's `relativeError.value`). */
  relativeError: number;
}

/**
 * Band of a measure computed from depths: `evaluate(factors)` recomputes it with the depth of
 * picked point i multiplied by `factors[i]`, and `scaled(factor)` recomputes it with every depth
 * (picked points and fitted samples) multiplied by `factor`.
 */
export function depthErrorBand(
  relativeError: number,
  value: number,
  pointCount: number,
  evaluate: (factors: readonly number[]) => number,
  scaled: (factor: number) => number
): Uncertainty {
  const e = relativeError;
  const scaleBand = Math.max(Math.abs(scaled(1 + e) - value), Math.abs(scaled(1 - e) - value));
  let sumSquares = 0;
  for (let i = 0; i < pointCount; i++) {
    const up = Array.from({ length: pointCount }, (_, k) => (k === i ? 1 + e : 1));
    const down = Array.from({ length: pointCount }, (_, k) => (k === i ? 1 - e : 1));
    sumSquares += ((evaluate(up) - evaluate(down)) / 2) ** 2;
  }
  const pointBand = Math.sqrt(sumSquares);
  return { band: Math.max(scaleBand, pointBand), scaleBand, pointBand, relativeError: e };
}
