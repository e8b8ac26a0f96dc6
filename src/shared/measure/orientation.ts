/**
 * EXIF orientation (TIFF tag 274) as geometry: how a stored pixel lands in the upright photo.
 * Values 5–8 turn the picture a quarter turn, so the upright width is the stored height.
 */

/** An EXIF orientation value, 1 (as stored) to 8. */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** True for a valid EXIF orientation value. */
export function isExifOrientation(value: unknown): value is ExifOrientation {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 8;
}

/** Orientations 5–8 swap width and height (and with them fx and fy). */
export function swapsAxes(orientation: ExifOrientation): boolean {
  return orientation >= 5;
}

/** Size of the upright photo, given the size as stored. */
export function uprightSize(orientation: ExifOrientation, storedWidth: number, storedHeight: number): { width: number; height: number } {
  return swapsAxes(orientation) ? { width: storedHeight, height: storedWidth } : { width: storedWidth, height: storedHeight };
}

/**
 * Where stored pixel (x, y) of a `storedWidth` × `storedHeight` image appears in the upright photo,
 * following the EXIF definition of which side row 0 and column 0 are displayed on.
 */
export function storedToUpright(
  orientation: ExifOrientation,
  x: number,
  y: number,
  storedWidth: number,
  storedHeight: number
): { x: number; y: number } {
  const right = storedWidth - 1;
  const bottom = storedHeight - 1;
  switch (orientation) {
    case 1:
      return { x, y };
    case 2: // row 0 at the top, column 0 on the right: mirrored left-right
      return { x: right - x, y };
    case 3: // turned half a turn
      return { x: right - x, y: bottom - y };
    case 4: // mirrored top-bottom
      return { x, y: bottom - y };
    case 5: // row 0 on the left, column 0 at the top: transposed
      return { x: y, y: x };
    case 6: // row 0 on the right, column 0 at the top: display turns it 90° clockwise
      return { x: bottom - y, y: x };
    case 7: // row 0 on the right, column 0 at the bottom: transverse
      return { x: bottom - y, y: right - x };
    case 8: // row 0 on the left, column 0 at the bottom: display turns it 90° anticlockwise
      return { x: y, y: right - x };
  }
}
