/** Pinhole camera intrinsics of an upright photo, in pixels of that photo at full resolution. */
export type IntrinsicsSource = 'focal-plane-resolution' | 'focal-length-35mm' | 'default-fov' | 'user';

export interface Intrinsics {
  /** Focal length in pixels along x and y. */
  fx: number;
  fy: number;
  /** Principal point (the image centre unless the user says otherwise). */
  cx: number;
  cy: number;
  /** Size of the upright photo these are for. */
  width: number;
  height: number;
  source: IntrinsicsSource;
  /** Warnings met on the way, e.g. an absurd EXIF focal length that was rejected. */
  warnings: string[];
}

/**
 * What the photographer says about the camera when EXIF is missing or wrong. Either the lens focal
 * length with the sensor width (the sensor's long side, matched to the photo's long side so a
 * portrait photo needs no special care), or a field of view across the upright photo.
 */
export type IntrinsicsOverride =
  | { kind: 'focal-length'; focalLengthMm: number; sensorWidthMm: number }
  | { kind: 'field-of-view'; degrees: number; axis?: 'horizontal' | 'vertical' | 'diagonal' };

/** The intrinsics with a sentence saying where they came from, for the measurement panel. */
export interface IntrinsicsWithDescription extends Intrinsics {
  /** E.g. "EXIF: 10.8 mm lens, sensor 5.23 mm wide (focal plane resolution)". */
  sourceDescription: string;
}
