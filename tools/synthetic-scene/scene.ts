/**
 * Scenes of known geometry for testing measurement: a box room and a floor with boxes, made of
 * flat rectangles with one colour each, seen by a pinhole camera.
 *
 * World axes: x to the right, y up, z forward (ahead of the camera at yaw 0); metres.
 * Camera axes (as in src/shared/measure/geometry.ts): x right, y down, z along the view.
 */
import type { Vec3 } from '../../src/shared/measure/vector';
import { cross, dot, normalise, scale, subtract } from '../../src/shared/measure/vector';

/** One flat rectangle: the points `corner + s·edgeA + t·edgeB` for s, t in [0, 1]. */
export interface Face {
  id: number;
  name: string;
  corner: Vec3;
  edgeA: Vec3;
  edgeB: Vec3;
  /** Flat sRGB colour, so tools (and people) can tell faces apart. */
  colour: readonly [number, number, number];
}

/** A pinhole camera placed in the world, with the upright photo it takes. */
export interface SceneCamera {
  position: Vec3;
  /** Turn to the right from looking along +z, degrees. */
  yawDeg: number;
  /** Tilt downwards, degrees. */
  pitchDeg: number;
  /** Upright photo size in pixels. */
  width: number;
  height: number;
  /** Focal lengths in pixels along the upright photo's x and y (equal for square pixels). */
  fx: number;
  fy: number;
}

/** Faces that make up a scene, and what rays that miss them see. */
export interface Scene {
  name: string;
  faces: Face[];
  /** Colour of rays that hit nothing (their depth is NaN). */
  background: readonly [number, number, number];
}

/** The camera's axes in world coordinates. */
export function cameraAxes(camera: SceneCamera): { right: Vec3; down: Vec3; forward: Vec3 } {
  const yaw = (camera.yawDeg * Math.PI) / 180;
  const pitch = (camera.pitchDeg * Math.PI) / 180;
  const forward: Vec3 = [Math.cos(pitch) * Math.sin(yaw), -Math.sin(pitch), Math.cos(pitch) * Math.cos(yaw)];
  const right: Vec3 = [Math.cos(yaw), 0, -Math.sin(yaw)];
  const down = normalise(cross(right, forward));
  return { right, down, forward };
}

/** A world point in camera coordinates (x right, y down, z along the view). */
export function worldToCamera(camera: SceneCamera, point: Vec3): Vec3 {
  const { right, down, forward } = cameraAxes(camera);
  const offset = subtract(point, camera.position);
  return [dot(offset, right), dot(offset, down), dot(offset, forward)];
}

/** Principal point of the scene camera: the centre of the upright photo (pixel centres at integers). */
export function principalPoint(camera: SceneCamera): { cx: number; cy: number } {
  return { cx: (camera.width - 1) / 2, cy: (camera.height - 1) / 2 };
}

/** The upright photo pixel where a world point is seen (it must be in front of the camera). */
export function projectWorld(camera: SceneCamera, point: Vec3): { u: number; v: number } {
  const [x, y, z] = worldToCamera(camera, point);
  if (!(z > 0)) throw new Error(`point ${point.join(', ')} is behind the camera`);
  const { cx, cy } = principalPoint(camera);
  return { u: cx + (camera.fx * x) / z, v: cy + (camera.fy * y) / z };
}

/** Focal length in pixels of a lens with the given 35 mm equivalent (on the diagonal). */
export function focalLengthPxForEquivalent(equivalentMm: number, width: number, height: number): number {
  return (equivalentMm * Math.hypot(width, height)) / Math.hypot(36, 24);
}

function rectangle(id: number, name: string, corner: Vec3, edgeA: Vec3, edgeB: Vec3, colour: readonly [number, number, number]): Face {
  return { id, name, corner, edgeA, edgeB, colour };
}

/** Size of a box room, metres: x from −width/2 to width/2, z from 0 to depth, y from 0 to height. */
export interface RoomSize {
  width: number;
  depth: number;
  height: number;
}

/** A closed room: floor, ceiling and four walls, each its own colour. */
export function boxRoom(size: RoomSize): Scene {
  const { width, depth, height } = size;
  const left = -width / 2;
  return {
    name: 'box-room',
    background: [0, 0, 0],
    faces: [
      rectangle(1, 'floor', [left, 0, 0], [width, 0, 0], [0, 0, depth], [150, 110, 70]),
      rectangle(2, 'ceiling', [left, height, 0], [width, 0, 0], [0, 0, depth], [235, 235, 225]),
      rectangle(3, 'far wall', [left, 0, depth], [width, 0, 0], [0, height, 0], [90, 140, 200]),
      rectangle(4, 'near wall', [left, 0, 0], [width, 0, 0], [0, height, 0], [200, 200, 90]),
      rectangle(5, 'left wall', [left, 0, 0], [0, 0, depth], [0, height, 0], [200, 90, 90]),
      rectangle(6, 'right wall', [-left, 0, 0], [0, 0, depth], [0, height, 0], [90, 190, 110])
    ]
  };
}

/** An axis-aligned box standing on the floor: centre of its footprint, and its size in metres. */
export interface BoxSpec {
  name: string;
  centreX: number;
  centreZ: number;
  width: number;
  depth: number;
  height: number;
}

/** A square floor `floorSize` metres wide starting at z = 0, with boxes standing on it. */
export function floorWithBoxes(floorSize: number, boxes: readonly BoxSpec[]): Scene {
  const faces: Face[] = [rectangle(1, 'floor', [-floorSize / 2, 0, 0], [floorSize, 0, 0], [0, 0, floorSize], [120, 120, 120])];
  let id = 2;
  boxes.forEach((box, index) => {
    const x0 = box.centreX - box.width / 2;
    const z0 = box.centreZ - box.depth / 2;
    const shade = (base: number): number => Math.min(255, base + index * 25);
    const sides: [string, Vec3, Vec3, Vec3, [number, number, number]][] = [
      ['top', [x0, box.height, z0], [box.width, 0, 0], [0, 0, box.depth], [shade(200), 60, 60]],
      ['front', [x0, 0, z0], [box.width, 0, 0], [0, box.height, 0], [60, shade(160), 60]],
      ['back', [x0, 0, z0 + box.depth], [box.width, 0, 0], [0, box.height, 0], [60, 60, shade(160)]],
      ['left', [x0, 0, z0], [0, 0, box.depth], [0, box.height, 0], [shade(150), shade(150), 40]],
      ['right', [x0 + box.width, 0, z0], [0, 0, box.depth], [0, box.height, 0], [40, shade(150), shade(150)]]
    ];
    for (const [side, corner, edgeA, edgeB, colour] of sides) faces.push(rectangle(id++, `${box.name} ${side}`, corner, edgeA, edgeB, colour));
  });
  return { name: 'floor-with-boxes', background: [20, 30, 60], faces };
}

/** The unit normal of a face (orientation arbitrary). */
export function faceNormal(face: Face): Vec3 {
  return normalise(cross(face.edgeA, face.edgeB));
}

/** A point on a face at fractions (s, t) of its two edges. */
export function pointOnFace(face: Face, s: number, t: number): Vec3 {
  const a = scale(face.edgeA, s);
  const b = scale(face.edgeB, t);
  return [face.corner[0] + a[0] + b[0], face.corner[1] + a[1] + b[1], face.corner[2] + a[2] + b[2]];
}
