/**
 * Run by changing-files.test.ts in a child process (a SIGBUS kills the whole process, so it cannot
 * run inside the test runner): decodes one photo through every entry point, `rounds` times, while
 * the test rewrites it. Prints one JSON line per attempt: `{ entry, ok }` or `{ entry, code }`.
 */
import { decodePhoto } from '../../../src/main/depth/decode';
import { uprightRaster } from '../../../src/main/export/photo-pixels';
import { readPhotoIntrinsics } from '../../../src/main/measure/intrinsics';
import { uprightPhotoSize } from '../../../src/main/measure/annotate';
import { renderPhoto } from '../../../src/main/thumbnails/make';
import { photoDimensions } from '../../../src/main/export/batch-plan';
import { ZoeError } from '../../../src/shared/errors';

const [file, roundsText] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: decode-while-rewritten.script.ts <photo> [rounds]');
const rounds = Number(roundsText ?? '10');

const entries: Record<string, () => Promise<unknown>> = {
  thumbnail: () => renderPhoto({ absolutePath: file, kind: 'image' }, 320),
  preview: () => renderPhoto({ absolutePath: file, kind: 'image' }, 2048),
  depthInput: () => decodePhoto(file),
  intrinsics: () => readPhotoIntrinsics(file),
  exportPixels: () => uprightRaster(file, 640, 480),
  annotateSize: () => uprightPhotoSize(file),
  exportPlan: () => photoDimensions(file)
};

async function main(): Promise<void> {
for (let round = 0; round < rounds; round++) {
  for (const [entry, run] of Object.entries(entries)) {
    try {
      await run();
      process.stdout.write(`${JSON.stringify({ entry, ok: true })}\n`);
    } catch (error) {
      const code = error instanceof ZoeError ? error.code : `untyped: ${String(error)}`;
      process.stdout.write(`${JSON.stringify({ entry, ok: false, code, message: error instanceof Error ? error.message : '' })}\n`);
    }
  }
}
}

void main();
