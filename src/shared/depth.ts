/** Depth results as they travel between engine, cache, exporters, measurement and renderer. */

/** Where an execution provider choice came from: `auto` tries GPU providers, then CPU. */
export type DevicePreference = 'auto' | 'gpu' | 'cpu';

/** Per-photo inference options; each defaults to the model manifest's `defaults`. */
export interface DepthOptions {
  /** Average with the prediction of the horizontally flipped photo (ZoeDepth default). */
  flip: boolean;
  /** Reflect-pad the photo by int(sqrt(h/2)*3) rows and int(sqrt(w/2)*3) columns (ZoeDepth default). */
  pad: boolean;
}

export interface DepthTimings {
  decodeMs: number;
  preprocessMs: number;
  /** Sum of the bare `session.run` calls (two with flip averaging). */
  inferenceMs: number;
  postprocessMs: number;
  totalMs: number;
}

/**
 * Metric depth of one photo. The grid covers the whole upright photo (EXIF orientation applied):
 * sample (x, y) of the grid sits at photo pixel ((x + 0.5) * photoWidth / width − 0.5, …).
 */
export interface DepthMap {
  /** Grid size: model resolution for display, or the photo's own size for export. */
  width: number;
  height: number;
  /** Row-major depth in metres, `width * height` values, clamped to `range`. */
  metres: Float32Array;
  /** Size of the upright photo the map covers. */
  photoWidth: number;
  photoHeight: number;
  modelId: string;
  /** The execution provider that ran the model, e.g. `cpu`, `cuda`, `webgpu`. */
  provider: string;
  /** Why a GPU provider was not used, when it was asked for and fell back to CPU. */
  providerFallbackReason?: string;
  options: DepthOptions;
  /** The model's valid depth range in metres. */
  range: { min: number; max: number };
  timings: DepthTimings;
}
