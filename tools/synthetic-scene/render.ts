/**
 * A small ray caster: one ray through the centre of every pixel of the upright photo, the nearest
 * face hit gives the pixel its flat colour, its face id and its exact z-depth (distance along the
 * optical axis, what ZoeDepth predicts).
 */
import { dot, subtract, type Vec3 } from '../../src/shared/measure/vector';
import { cameraAxes, principalPoint, type Scene, type SceneCamera } from './scene';

/** The rendered photo: RGB pixels, exact depth and which face each pixel sees (0: none). */
export interface RenderedScene {
  width: number;
  height: number;
  /** Row-major RGB, 3 bytes per pixel. */
  rgb: Uint8Array;
  /** Row-major z-depth in metres; NaN where the ray hits nothing. */
  depth: Float32Array;
  faceIds: Int32Array;
}

/** Renders a scene through a camera. */
export function renderScene(scene: Scene, camera: SceneCamera): RenderedScene {
  const { width, height } = camera;
  const { right, down, forward } = cameraAxes(camera);
  const { cx, cy } = principalPoint(camera);
  const rgb = new Uint8Array(width * height * 3);
  const depth = new Float32Array(width * height);
  const faceIds = new Int32Array(width * height);
  const faces = scene.faces.map((face) => {
    const normal: Vec3 = [
      face.edgeA[1] * face.edgeB[2] - face.edgeA[2] * face.edgeB[1],
      face.edgeA[2] * face.edgeB[0] - face.edgeA[0] * face.edgeB[2],
      face.edgeA[0] * face.edgeB[1] - face.edgeA[1] * face.edgeB[0]
    ];
    return { face, normal, toCorner: subtract(face.corner, camera.position), lengthA2: dot(face.edgeA, face.edgeA), lengthB2: dot(face.edgeB, face.edgeB) };
  });
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const a = (u - cx) / camera.fx;
      const b = (v - cy) / camera.fy;
      // World direction whose component along the view axis is 1: the hit parameter is the z-depth.
      const direction: Vec3 = [
        forward[0] + a * right[0] + b * down[0],
        forward[1] + a * right[1] + b * down[1],
        forward[2] + a * right[2] + b * down[2]
      ];
      let nearest = Infinity;
      let hitFace = 0;
      let colour = scene.background;
      for (const { face, normal, toCorner, lengthA2, lengthB2 } of faces) {
        const along = dot(normal, direction);
        if (along === 0) continue;
        const t = dot(normal, toCorner) / along;
        if (!(t > 0) || t >= nearest) continue;
        const fromCorner: Vec3 = [direction[0] * t - toCorner[0], direction[1] * t - toCorner[1], direction[2] * t - toCorner[2]];
        const s = dot(fromCorner, face.edgeA) / lengthA2;
        const r = dot(fromCorner, face.edgeB) / lengthB2;
        if (s < 0 || s > 1 || r < 0 || r > 1) continue;
        nearest = t;
        hitFace = face.id;
        colour = face.colour;
      }
      const index = v * width + u;
      depth[index] = hitFace === 0 ? Number.NaN : nearest;
      faceIds[index] = hitFace;
      rgb.set(colour, index * 3);
    }
  }
  return { width, height, rgb, depth, faceIds };
}
