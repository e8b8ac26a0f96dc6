/**
 * Why a photo could not be decoded, in a photographer's words and with a code the interface can act
 * on: UNSUPPORTED_IMAGE (a format or codec we do not read), DAMAGED_IMAGE (incomplete or corrupt
 * data), TOO_LARGE (over the pixel limit), NOT_FOUND. One wording for the library grid, the depth
 * queue, the CLI and the exports.
 */
import sharp from 'sharp';
import { ZoeError } from '../../shared/errors';
import { fileSystemError, shownName } from '../fs/file-errors';
import { MAX_PHOTO_PIXELS } from './read';

/** What a file's header says it is, read without decoding pixels (`sharp().metadata()`). */
export interface ContainerHint {
  format: string;
  /** For HEIF: `hevc` (iPhone HEIC) or `av1` (AVIF). */
  compression?: string;
}

/** Formats whose failed decode, after a readable header, means damaged data rather than a missing codec. */
const PLAIN_FORMATS = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif']);

/** Whether this build of sharp (its libheif) decodes HEVC; the prebuilt one decodes only AV1 (AVIF). */
function decodesHevc(): boolean {
  const suffixes: readonly string[] = sharp.format.heif.input.fileSuffix ?? [];
  return suffixes.some((suffix) => suffix === '.heic' || suffix === '.heif');
}

const DAMAGE_TEXT = /corrupt|premature end|truncated|bad huffman|invalid (jpeg|png)|read error|vipsjpeg|jpeg datastream|unexpected end|not enough (data|image data)|incorrect (header|data)|crc error|extraneous bytes/i;

/** How messages name a photo decoded from memory, before {@link namedPhotoError} names it. */
const UNNAMED = 'The photo';

/**
 * The same error with the photo's file name in place of "The photo" (decoders that work on bytes
 * do not know the name; the caller that read the file does).
 */
export function namedPhotoError(error: unknown, photoPath: string): unknown {
  if (!(error instanceof ZoeError) || !error.message.startsWith(UNNAMED)) return error;
  const message = `“${shownName(photoPath)}”${error.message.slice(UNNAMED.length)}`;
  return new ZoeError(error.code, message, { detail: error.detail ?? photoPath, cause: error });
}

/**
 * Turns a decoder failure into a reason a photographer understands. libvips keeps one error
 * buffer for all its threads, so under load the message may be another file's or empty: the
 * header `hint` (null when the header itself is unreadable) decides first, the text second.
 */
export function describeUnreadablePhoto(file: string, error: unknown, hint?: ContainerHint | null): ZoeError {
  if (error instanceof ZoeError) return error;
  const name = file === '' ? '' : shownName(file);
  const subject = name === '' ? UNNAMED : `“${name}”`;
  const detail = error instanceof Error ? error.message : String(error);
  const system = fileSystemError(error, file, 'photo');
  if (system !== null) return system;
  if (/input file is missing/i.test(detail)) return new ZoeError('NOT_FOUND', `${subject} is no longer there.`, { detail, cause: error });
  if (/pixel limit/i.test(detail)) {
    return new ZoeError('TOO_LARGE', `${subject} is too large for Zoe Studio: it has more than ${MAX_PHOTO_PIXELS / 1e6} megapixels.`, { detail, cause: error });
  }
  const hevc = hint?.format === 'heif' && hint.compression === 'hevc' && !decodesHevc();
  if (hevc || (hint === undefined && /HEVC|libde265|compression format has not been built in/i.test(detail))) {
    return new ZoeError(
      'UNSUPPORTED_IMAGE',
      `${subject} is compressed with HEVC, a codec the image library inside Zoe Studio does not include. Export it as JPEG (for example from Photos) to use it here.`,
      { detail, cause: error }
    );
  }
  if (hint === null || (hint === undefined && /unsupported image format|not a known file format/i.test(detail))) {
    return new ZoeError('UNSUPPORTED_IMAGE', `${subject} is not in an image format Zoe Studio can read.`, { detail, cause: error });
  }
  if ((hint !== undefined && PLAIN_FORMATS.has(hint.format)) || DAMAGE_TEXT.test(detail)) {
    return new ZoeError('DAMAGED_IMAGE', damagedMessage(subject, hint?.format), { detail, cause: error });
  }
  return new ZoeError('UNSUPPORTED_IMAGE', `Zoe Studio could not read ${name === '' ? 'the photo' : subject}.`, { detail, cause: error });
}

/** The message for damaged image data; `subject` is the quoted file name or "The photo". */
export function damagedMessage(subject: string, format?: string): string {
  const kind = format === undefined ? '' : ` ${format === 'jpeg' ? 'JPEG' : format.toUpperCase()}`;
  return `${subject} is a damaged${kind} file: its image data is incomplete or corrupt. Try copying it again from the card or the camera.`;
}

/** The header hint of photo bytes, `null` when sharp does not recognise them as an image. */
export async function containerHint(bytes: Uint8Array): Promise<ContainerHint | null> {
  try {
    const { format, compression } = await sharp(bytes).metadata();
    return compression === undefined ? { format } : { format, compression };
  } catch {
    return null;
  }
}
