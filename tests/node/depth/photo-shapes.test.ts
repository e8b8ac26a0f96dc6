/**
 * Every photo shape as the original ZoeDepth sees it. The sizes below were worked out from
 * isl-org/ZoeDepth's own code (`DepthModel._infer_with_pad_aug`: reflect padding int(sqrt(h/2)*3) ×
 * int(sqrt(w/2)*3); `midas.Resize` with keep_aspect_ratio, ensure_multiple_of=32, "minimal") in a
 * plain Python transcription, not with the engine's code; the engine must feed a dynamic-shape
 * model exactly these sizes and map its output back without distortion.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DepthEngine } from '../../../src/main/depth';
import { modelInputSize, zoePadding } from '../../../src/main/depth/geometry';
import { modelOutputOf } from '../../../src/main/depth/model-output';
import type { ModelManifest } from '../../../src/shared/manifest';
import { ensureTestModels, PHOTOS_DIR, referenceSettings, syntheticPhoto, testModel, uprightPlanesByHand } from '../../helpers/depth-fixtures';
import type { Planes } from '../../helpers/zoe-reference';
import { maxAbsDifference, referenceInferPil } from '../../helpers/zoe-reference';

/** [width, height] of the upright photo → padding (rows, columns), padded size, and what N/NK and K are fed (height × width). */
interface Expected {
  shape: string;
  photo: [number, number];
  padding: [number, number];
  padded: [number, number];
  nyu: [number, number];
  kitti: [number, number];
}

const CAMERA_FRAMES: Expected[] = [
  { shape: '3:2 landscape (24 MP DSLR)', photo: [6000, 4000], padding: [134, 164], padded: [4268, 6328], nyu: [384, 576], kitti: [512, 768] },
  { shape: '2:3 portrait (24 MP DSLR)', photo: [4000, 6000], padding: [164, 134], padded: [6328, 4268], nyu: [768, 512], kitti: [1152, 768] },
  { shape: '4:3 landscape (12 MP phone)', photo: [4032, 3024], padding: [116, 134], padded: [3256, 4300], nyu: [384, 512], kitti: [576, 768] },
  { shape: '3:4 portrait (12 MP phone)', photo: [3024, 4032], padding: [134, 116], padded: [4300, 3256], nyu: [672, 512], kitti: [1024, 768] },
  { shape: '16:9 landscape (4K frame)', photo: [3840, 2160], padding: [98, 131], padded: [2356, 4102], nyu: [384, 672], kitti: [448, 768] },
  { shape: '9:16 portrait', photo: [2160, 3840], padding: [131, 98], padded: [4102, 2356], nyu: [896, 512], kitti: [1344, 768] },
  { shape: '1:1 square', photo: [3000, 3000], padding: [116, 116], padded: [3232, 3232], nyu: [512, 512], kitti: [768, 768] }
];

/** Photos of about 640 pixels: the original still scales them down. */
const WEB_FRAMES: Expected[] = [
  { shape: '4:3 landscape', photo: [640, 480], padding: [46, 53], padded: [572, 746], nyu: [384, 512], kitti: [576, 768] },
  { shape: '3:4 portrait', photo: [480, 640], padding: [53, 46], padded: [746, 572], nyu: [672, 512], kitti: [992, 768] },
  { shape: '3:2 landscape', photo: [600, 400], padding: [42, 51], padded: [484, 702], nyu: [384, 544], kitti: [544, 768] },
  { shape: '2:3 portrait', photo: [400, 600], padding: [51, 42], padded: [702, 484], nyu: [736, 512], kitti: [384, 256] },
  { shape: '16:9 landscape', photo: [640, 360], padding: [40, 53], padded: [440, 746], nyu: [384, 640], kitti: [448, 768] },
  { shape: '9:16 portrait', photo: [360, 640], padding: [53, 40], padded: [746, 440], nyu: [864, 512], kitti: [384, 224] },
  { shape: '1:1 square', photo: [500, 500], padding: [47, 47], padded: [594, 594], nyu: [512, 512], kitti: [768, 768] }
];

/**
 * Small photos, which the original scales up, so the other side's scale is the one closer to 1:
 * a portrait is fed 384×288, not 672×512. These run through real sessions below (cheap references).
 */
const SMALL_FRAMES: Expected[] = [
  { shape: '4:3 landscape', photo: [320, 240], padding: [32, 37], padded: [304, 394], nyu: [384, 512], kitti: [384, 512] },
  { shape: '3:4 portrait', photo: [240, 320], padding: [37, 32], padded: [394, 304], nyu: [384, 288], kitti: [384, 288] },
  { shape: '3:2 landscape', photo: [300, 200], padding: [30, 36], padded: [260, 372], nyu: [352, 512], kitti: [384, 544] },
  { shape: '2:3 portrait', photo: [200, 300], padding: [36, 30], padded: [372, 260], nyu: [384, 256], kitti: [384, 256] },
  { shape: '16:9 landscape', photo: [320, 180], padding: [28, 37], padded: [236, 394], nyu: [320, 512], kitti: [384, 640] },
  { shape: '9:16 portrait', photo: [180, 320], padding: [37, 28], padded: [394, 236], nyu: [384, 224], kitti: [384, 224] },
  { shape: '1:1 square', photo: [250, 250], padding: [33, 33], padded: [316, 316], nyu: [384, 384], kitti: [384, 384] }
];

function dynamicManifest(targetWidth: number): ModelManifest {
  return { ...testModel('zoe-dynamic-position').manifest, input: { ...testModel('zoe-dynamic-position').manifest.input, size: { kind: 'dynamic', targetHeight: 384, targetWidth, multipleOf: 32, policy: 'minimal' } } };
}

beforeAll(async () => {
  await ensureTestModels();
});

describe('the sizes the original feeds its network, photo shape by photo shape', () => {
  for (const frame of [...CAMERA_FRAMES, ...WEB_FRAMES, ...SMALL_FRAMES]) {
    it(`${frame.shape} ${frame.photo.join('×')}: padding, padded size, N/NK ${frame.nyu.join('×')}, K ${frame.kitti.join('×')}`, () => {
      const [width, height] = frame.photo;
      const padding = zoePadding(height, width, true);
      expect([padding.rows, padding.columns]).toEqual(frame.padding);
      const padded: [number, number] = [height + 2 * padding.rows, width + 2 * padding.columns];
      expect(padded).toEqual(frame.padded);
      const nyu = modelInputSize(dynamicManifest(512), ...padded);
      const kitti = modelInputSize(dynamicManifest(768), ...padded);
      expect([nyu.height, nyu.width]).toEqual(frame.nyu);
      expect([kitti.height, kitti.width]).toEqual(frame.kitti);
    });
  }
});

describe('a dynamic-shape model sees each photo in its own shape, and its output lands back in place', () => {
  let engine: DepthEngine;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'zoe-shapes-'));
    engine = new DepthEngine({ optimisedCacheDir: cacheDir, device: 'cpu' });
  });

  afterAll(async () => {
    await engine.dispose();
    await rm(cacheDir, { recursive: true, force: true });
  });

  /**
   * The engine's depth at full resolution against the float64 reference of `infer_pil` told the
   * table's size (not a size it computes itself); the model's pixel-index terms make a wrong input
   * size, a stretched mapping or a shifted crop show up as a difference of a metre or more.
   */
  async function checkShape(photo: Buffer | string, planes: Planes, modelName: string, fed: [number, number]): Promise<void> {
    const model = testModel(modelName);
    const depth = await engine.estimate(photo, model);
    const output = modelOutputOf(depth);
    expect(output).toBeDefined();
    // The model answers at half its input resolution: its output size tells what it was fed.
    expect([output?.height, output?.width]).toEqual([fed[0] / 2, fed[1] / 2]);
    const full = await engine.toPhotoResolution(depth);
    expect([full.width, full.height]).toEqual([planes.width, planes.height]);
    const settings = { ...referenceSettings(model, depth.options), inputSize: () => ({ height: fed[0], width: fed[1] }) };
    expect(maxAbsDifference(full.metres, referenceInferPil(planes, settings).full())).toBeLessThan(2e-4);
  }

  for (const frame of SMALL_FRAMES) {
    it(`${frame.shape} ${frame.photo.join('×')} is fed ${frame.nyu.join('×')} (N/NK target)`, async () => {
      const photo = await syntheticPhoto(frame.photo[0], frame.photo[1], frame.photo[0] + frame.photo[1]);
      await checkShape(photo.png, photo.planes, 'zoe-dynamic-position', frame.nyu);
    });
  }

  it('the K target (384×768) is read from the manifest: a small 3:2 photo is fed 384×544, a 16:9 one 384×640', async () => {
    for (const frame of SMALL_FRAMES.filter((f) => f.shape === '3:2 landscape' || f.shape === '16:9 landscape')) {
      const photo = await syntheticPhoto(frame.photo[0], frame.photo[1], 11);
      await checkShape(photo.png, photo.planes, 'zoe-dynamic-position-k', frame.kitti);
    }
  });

  it('a real portrait JPEG (EXIF orientation 6, upright 450×600) is fed 672×512, not squashed to 384×512', async () => {
    const file = join(PHOTOS_DIR, 'jpg', 'orientation', 'portrait_6.jpg');
    const { planes } = await uprightPlanesByHand(file);
    expect([planes.width, planes.height]).toEqual([450, 600]);
    await checkShape(file, planes, 'zoe-dynamic-position', [672, 512]);
  });

  it('the same photo squashed into 384×512 would differ by metres: the check above can fail', async () => {
    const photo = await syntheticPhoto(240, 320, 3);
    const settings = referenceSettings(testModel('zoe-dynamic-position'), { flip: true, pad: true });
    const own = referenceInferPil(photo.planes, { ...settings, inputSize: () => ({ height: 384, width: 288 }) }).full();
    const squashed = referenceInferPil(photo.planes, { ...settings, inputSize: () => ({ height: 384, width: 512 }) }).full();
    expect(maxAbsDifference(own, squashed)).toBeGreaterThan(1);
  });
});
