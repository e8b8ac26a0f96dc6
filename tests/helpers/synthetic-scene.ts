/**
 * Synthetic scenes for measurement tests: render a preset, write it as a real JPEG with EXIF and
 * its exact depth, and read both back the way the app does (intrinsics from the JPEG's EXIF,
 * depth from the .npy), so a test measures through the whole chain.
 */
import { readFile } from 'node:fs/promises';
import { readPhotoIntrinsics, type PhotoIntrinsics } from '../../src/main/measure/intrinsics';
import type { PhotoPoint } from '../../src/shared/measure/geometry';
import type { ExifOrientation } from '../../src/shared/measure/orientation';
import type { DepthGrid } from '../../src/shared/measure/sampling';
import type { Vec3 } from '../../src/shared/measure/vector';
import { renderScene, type RenderedScene } from '../../tools/synthetic-scene/render';
import { projectWorld, worldToCamera, type Scene, type SceneCamera } from '../../tools/synthetic-scene/scene';
import { writeSyntheticPhoto, type ExifFocalSource, type WrittenSyntheticPhoto } from '../../tools/synthetic-scene/write';
import { readNpy } from './readers/npy';

export { boxesScene, roomScene, BOXES, ROOM_SIZE } from '../../tools/synthetic-scene/presets';

/** A scene written to disk and read back. */
export interface SceneOnDisk {
  scene: Scene;
  camera: SceneCamera;
  rendered: RenderedScene;
  written: WrittenSyntheticPhoto;
  /** Read back from the JPEG's EXIF by the app's own reader. */
  intrinsics: PhotoIntrinsics;
  /** Read back from the .npy. */
  depth: DepthGrid;
}

/** Reads an upright float32 depth `.npy` (shape height × width) as a depth grid over the photo. */
export async function readDepthNpy(depthPath: string): Promise<DepthGrid> {
  const array = readNpy(await readFile(depthPath));
  const [height, width] = array.shape;
  if (array.dtype !== '<f4' || height === undefined || width === undefined || array.shape.length !== 2) {
    throw new Error(`unexpected depth array ${array.dtype} ${array.shape.join('×')}`);
  }
  return { width, height, metres: Float32Array.from(array.values), photoWidth: width, photoHeight: height };
}

/** Renders a scene, writes it into `folder` as `name`, and reads it back. */
export async function sceneOnDisk(
  preset: { scene: Scene; camera: SceneCamera },
  folder: string,
  name: string,
  orientation: ExifOrientation,
  focal: ExifFocalSource
): Promise<SceneOnDisk> {
  const rendered = renderScene(preset.scene, preset.camera);
  const written = await writeSyntheticPhoto(preset.scene, preset.camera, rendered, { folder, name, orientation, focal });
  const intrinsics = await readPhotoIntrinsics(written.photoPath);
  const depth = await readDepthNpy(written.depthPath);
  return { ...preset, rendered, written, intrinsics, depth };
}

/**
 * The exact depth at model resolution: the photo size divided by `reduction`, each grid cell's
 * depth taken at its centre as the DepthMap convention places it (photo pixel (x + 0.5)·r − 0.5).
 * Rendering with the camera scaled by 1/r puts its rays exactly there.
 */
export function depthAtModelResolution(preset: { scene: Scene; camera: SceneCamera }, reduction: number): DepthGrid {
  const { camera } = preset;
  if (camera.width % reduction !== 0 || camera.height % reduction !== 0) throw new Error(`${camera.width}×${camera.height} is not divisible by ${reduction}`);
  const small: SceneCamera = { ...camera, width: camera.width / reduction, height: camera.height / reduction, fx: camera.fx / reduction, fy: camera.fy / reduction };
  const rendered = renderScene(preset.scene, small);
  return { width: small.width, height: small.height, metres: rendered.depth, photoWidth: camera.width, photoHeight: camera.height };
}

/** Where a world point appears on the upright photo. */
export function pixelOf(camera: SceneCamera, world: Vec3): PhotoPoint {
  return projectWorld(camera, world);
}

/** The name of the face seen at a photo point (nearest pixel), or null for the background. */
export function faceNameAt(onDisk: Pick<SceneOnDisk, 'scene' | 'rendered'>, point: PhotoPoint): string | null {
  const { rendered, scene } = onDisk;
  const id = rendered.faceIds[Math.round(point.v) * rendered.width + Math.round(point.u)];
  return scene.faces.find((face) => face.id === id)?.name ?? null;
}

/** True 3-D distance between world points (metres). */
export function worldDistance(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** The z-depth of a world point as the camera sees it. */
export function trueDepth(camera: SceneCamera, world: Vec3): number {
  return worldToCamera(camera, world)[2];
}
