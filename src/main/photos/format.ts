/**
 * What a photo file really is, from its first bytes (never from its extension): only real photo
 * formats go to the decoder. An SVG drawing, a web page, a PDF or a GIF named `.jpg` is refused
 * before libvips sees it (libvips would happily render an SVG, fetch its external references, or
 * take a PDF's first page as a photo).
 */

/** Containers Zoe Studio decodes as photos; `raw` is a camera RAW file, shown through its embedded JPEG. */
export type PhotoFormat = 'jpeg' | 'png' | 'tiff' | 'webp' | 'heif' | 'raw';

/** The answer of {@link sniffPhotoFormat}: a format, or in words what the file is instead. */
export type SniffResult = { format: PhotoFormat; refused?: undefined } | { format?: undefined; refused: string };

/** How many leading bytes the sniffer looks at. */
export const SNIFF_BYTES = 64;

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.subarray(start, end)).toString('latin1');
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis', 'mif2']);

function tiffFlavour(bytes: Uint8Array): PhotoFormat | null {
  const start = ascii(bytes, 0, 4);
  if (start === 'II*\0' || start === 'MM\0*' || start === 'II+\0' || start === 'MM\0+') {
    // Canon CR2 is a TIFF with "CR" at byte 8; other TIFF-based RAWs (NEF, ARW, DNG) are told by their extension.
    return ascii(bytes, 8, 10) === 'CR' ? 'raw' : 'tiff';
  }
  // Olympus ORF and Panasonic RW2 are TIFF-like with their own magic numbers.
  if (start === 'IIRO' || start === 'IIRS' || start === 'MMOR' || start === 'IIU\0') return 'raw';
  return null;
}

/** The photo format of a file from its first bytes ({@link SNIFF_BYTES} are enough). */
export function sniffPhotoFormat(head: Uint8Array): SniffResult {
  if (head.length === 0) return { refused: 'an empty file' };
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { format: 'jpeg' };
  if (ascii(head, 0, 8) === '\x89PNG\r\n\x1a\n') return { format: 'png' };
  const tiff = tiffFlavour(head);
  if (tiff !== null) return { format: tiff };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return { format: 'webp' };
  if (ascii(head, 0, 16) === 'FUJIFILMCCD-RAW ') return { format: 'raw' };
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12);
    if (brand === 'crx ') return { format: 'raw' };
    if (HEIF_BRANDS.has(brand)) return { format: 'heif' };
    return { refused: `a video or other ISO media file (brand “${brand.trim()}”)` };
  }
  if (ascii(head, 0, 4) === 'GIF8') return { refused: 'a GIF animation' };
  if (ascii(head, 0, 5) === '%PDF-') return { refused: 'a PDF document' };
  if (ascii(head, 0, 2) === 'BM') return { refused: 'a BMP bitmap' };
  const text = ascii(head, 0, Math.min(head.length, SNIFF_BYTES)).replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  if (text.startsWith('<')) return { refused: /<svg|<\?xml/i.test(text) ? 'an SVG drawing or XML file' : 'a web page or other text file' };
  if ([...text].every((char) => char === '\t' || char === '\n' || char === '\r' || (char >= ' ' && char <= '~'))) return { refused: 'a text file' };
  return { refused: 'not in a photo format Zoe Studio knows (JPEG, PNG, TIFF, WebP, HEIF/AVIF or camera RAW)' };
}
