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
