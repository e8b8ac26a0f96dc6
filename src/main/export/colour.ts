/** Colourised depth pictures (`<name>.depth-color.png` / `.jpg`) for viewing and compositing. */
import sharp from 'sharp';
import { colouriseDepth, depthExtent, type DepthColourRange } from '../../shared/colormaps';
import type { DepthMap } from '../../shared/depth';
import { ZoeError } from '../../shared/errors';
import type { ColourOptions, ExportedFile } from '../../shared/export';
import { writeFileAtomic } from '../fs/atomic';
import { assertDepthGrid, exportedFile } from './grid';

/** The depth range a colourised export spreads over its colour map: the user's, else the map's own extent. */
export function resolveColourRange(depth: DepthMap, colour: ColourOptions): DepthColourRange {
  const extent = depthExtent(depth.metres);
  const nearMetres = colour.nearMetres ?? extent?.min;
  const farMetres = colour.farMetres ?? extent?.max;
  if (nearMetres === undefined || farMetres === undefined) {
    throw new ZoeError('INVALID_ARGUMENT', 'This depth map holds no depth to colour.');
  }
  if (!(farMetres >= nearMetres)) {
    throw new ZoeError('INVALID_ARGUMENT', 'The far end of the colour range must be deeper than the near end.', {
      detail: `near ${nearMetres} m, far ${farMetres} m`
    });
  }
  return { nearMetres, farMetres, nearAtHighEnd: colour.nearAtHighEnd };
}

/** A colourised export and the range it used, for the side-car. */
export interface ColourisedReport extends ExportedFile {
  range: DepthColourRange;
}

/** 8-bit RGB PNG or JPEG of the depth through the chosen colour map; missing depth is black. */
export async function writeColourised(
  depth: DepthMap,
  target: string,
  options: { format: 'png8' | 'jpg'; colour: ColourOptions; jpegQuality: number }
): Promise<ColourisedReport> {
  assertDepthGrid(depth);
  const range = resolveColourRange(depth, options.colour);
  const rgb = colouriseDepth(depth.metres, options.colour.colormap, range);
  const image = sharp(rgb, { raw: { width: depth.width, height: depth.height, channels: 3 } });
  const encoded =
    options.format === 'png8'
      ? await image.png({ compressionLevel: 6 }).toBuffer()
      : await image.jpeg({ quality: options.jpegQuality, chromaSubsampling: '4:4:4' }).toBuffer();
  await writeFileAtomic(target, encoded);
  return { ...(await exportedFile(options.format, target)), range };
}
