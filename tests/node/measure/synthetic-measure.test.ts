/**
 * Every measuring tool on synthetic scenes of known geometry, fed the exact depth and the
 * intrinsics read back from the JPEG's EXIF: distances within 0.5 %, areas and heights within 1 %,
 * angles within 0.5°. Points are placed in the world and projected into the photo; each test first
 * checks that the pixel really sees the intended face.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoPoint } from '../../../src/shared/measure/geometry';
import {
  measureAngle,
  measureArea,
  measureDistance,
  measureHeight,
  measurePointDepth,
  measurePolyline,
  type MeasureContext
} from '../../../src/shared/measure/measures';
import type { Vec3 } from '../../../src/shared/measure/vector';
import {
  BOXES,
  boxesScene,
  depthAtModelResolution,
  faceNameAt,
  pixelOf,
  roomScene,
  ROOM_SIZE,
  sceneOnDisk,
  trueDepth,
  worldDistance,
  type SceneOnDisk
} from '../../helpers/synthetic-scene';

let folder: string;
let room: SceneOnDisk;
let boxes: SceneOnDisk;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'zoe-measure-'));
  room = await sceneOnDisk(roomScene(), folder, 'room', 1, { kind: 'focal-plane', unit: 3, sensorWidthMm: 6.17 });
  // The boxes are stored turned a quarter (orientation 6) with the sensor resolution in inches.
  boxes = await sceneOnDisk(boxesScene(), folder, 'boxes', 6, { kind: 'focal-plane', unit: 2, sensorWidthMm: 13.2 });
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function context(onDisk: SceneOnDisk): MeasureContext {
  return { depth: onDisk.depth, intrinsics: onDisk.intrinsics };
}

/** The photo pixel of a world point, checked to be on the named face. */
function on(onDisk: SceneOnDisk, face: string, world: Vec3): PhotoPoint {
  const pixel = pixelOf(onDisk.camera, world);
  expect(faceNameAt(onDisk, pixel), `(${world.join(', ')}) should be seen on the ${face}`).toBe(face);
  return pixel;
}

function relativeError(measured: number, truth: number): number {
  return Math.abs(measured / truth - 1);
}

/** Angle at b between world points a and c, degrees (the truth, from the scene's coordinates). */
function worldAngle(a: Vec3, b: Vec3, c: Vec3): number {
  const u = [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
  const v = [c[0] - b[0], c[1] - b[1], c[2] - b[2]];
  const cosine = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (Math.hypot(u[0], u[1], u[2]) * Math.hypot(v[0], v[1], v[2]));
  return (Math.acos(cosine) * 180) / Math.PI;
}

describe('the scenes read back', () => {
  it('carry the camera in their EXIF and the exact depth', () => {
    expect(room.intrinsics.source).toBe('focal-plane-resolution');
    expect(room.intrinsics.fx / room.camera.fx).toBeCloseTo(1, 6);
    expect(boxes.intrinsics.source).toBe('focal-plane-resolution');
    expect([boxes.intrinsics.width, boxes.intrinsics.height]).toEqual([boxes.camera.width, boxes.camera.height]);
    expect(boxes.written.storedWidth).toBe(boxes.camera.height);
  });
});

describe('box room', () => {
  const farZ = ROOM_SIZE.depth;

  it('point depth', () => {
    for (const [face, world] of [
      ['far wall', [-1.2, 1.1, farZ]],
      ['floor', [0.7, 0, 2.5]],
      ['ceiling', [0.5, ROOM_SIZE.height, 5.2]]
    ] as const) {
      const result = measurePointDepth(context(room), on(room, face, world));
      expect(relativeError(result.value, trueDepth(room.camera, world)), face).toBeLessThan(0.005);
    }
  });

  it('two-point distances within 0.5 %', () => {
    const pairs: [string, Vec3, string, Vec3][] = [
      ['far wall', [-1.5, 0.5, farZ], 'far wall', [1.5, 2.0, farZ]],
      ['floor', [-1, 0, 3], 'floor', [1.5, 0, 5.5]],
      ['floor', [0.5, 0, 5.0], 'ceiling', [0.5, ROOM_SIZE.height, 5.0]],
      ['right wall', [ROOM_SIZE.width / 2, 1.0, 3.5], 'far wall', [-1.0, 1.0, farZ]]
    ];
    for (const [faceA, a, faceB, b] of pairs) {
      const result = measureDistance(context(room), on(room, faceA, a), on(room, faceB, b));
      expect(relativeError(result.value, worldDistance(a, b)), `${faceA} → ${faceB}`).toBeLessThan(0.005);
      expect(result.intrinsicsSource).toBe('focal-plane-resolution');
    }
  });

  it('polyline length within 0.5 %', () => {
    const path: Vec3[] = [[-1, 0, 3], [1, 0, 3], [1, 0, 4.5], [-1.5, 0, 5]];
    const result = measurePolyline(context(room), path.map((p) => on(room, 'floor', p)));
    const truth = path.slice(1).reduce((sum, p, i) => sum + worldDistance(path[i], p), 0);
    expect(relativeError(result.value, truth)).toBeLessThan(0.005);
    expect(result.segmentMetres).toHaveLength(3);
  });

  it('areas on the far wall and the floor within 1 %', () => {
    const wall: Vec3[] = [[-1.5, 0.3, farZ], [1.5, 0.3, farZ], [1.5, 2.3, farZ], [-1.5, 2.3, farZ]];
    const wallArea = measureArea(context(room), wall.map((p) => on(room, 'far wall', p)));
    expect(relativeError(wallArea.value, 3 * 2)).toBeLessThan(0.01);
    const floor: Vec3[] = [[-1, 0, 3], [1, 0, 3], [1.3, 0, 5], [-1, 0, 5]];
    const floorArea = measureArea(context(room), floor.map((p) => on(room, 'floor', p)));
    // A trapezoid: parallel sides 2 m and 2.3 m, 2 m apart.
    expect(relativeError(floorArea.value, ((2 + 2.3) / 2) * 2)).toBeLessThan(0.01);
    expect(floorArea.plane.inlierCount).toBe(floorArea.plane.sampleCount);
  });

  it('heights above the floor within 1 %', () => {
    const ground: Vec3[] = [[-1, 0, 3], [1, 0, 3], [1, 0, 5], [-1, 0, 5]];
    const groundPixels = ground.map((p) => on(room, 'floor', p));
    const ceiling = measureHeight(context(room), groundPixels, on(room, 'ceiling', [0.5, ROOM_SIZE.height, 5.0]));
    expect(relativeError(ceiling.value, ROOM_SIZE.height)).toBeLessThan(0.01);
    const wallPoint = measureHeight(context(room), groundPixels, on(room, 'far wall', [0.2, 1.8, farZ]));
    expect(relativeError(wallPoint.value, 1.8)).toBeLessThan(0.01);
    // The foot of the ceiling point lies on the floor, 2.6 m below it.
    expect(worldDistance(ceiling.foot, ceiling.point.camera)).toBeCloseTo(ceiling.value, 9);
  });

  it('angles within 0.5°', () => {
    const triples: [string, Vec3, string, Vec3, string, Vec3][] = [
      ['floor', [-1, 0, 3], 'floor', [1, 0, 3], 'floor', [1, 0, 5]],
      ['floor', [0, 0, 4.5], 'floor', [0.5, 0, 5.6], 'far wall', [0.5, 1.5, farZ]],
      ['far wall', [-1.5, 2, farZ], 'floor', [0, 0, 3], 'right wall', [ROOM_SIZE.width / 2, 1.2, 4]]
    ];
    for (const [fa, a, fb, b, fc, c] of triples) {
      const result = measureAngle(context(room), on(room, fa, a), on(room, fb, b), on(room, fc, c));
      expect(Math.abs(result.value - worldAngle(a, b, c)), `${fa}/${fb}/${fc}`).toBeLessThan(0.5);
    }
  });
});

describe('floor with boxes (photo stored with orientation 6)', () => {
  const inset = 0.03;

  function top(box: (typeof BOXES)[number]): Vec3[] {
    const x0 = box.centreX - box.width / 2 + inset;
    const x1 = box.centreX + box.width / 2 - inset;
    const z0 = box.centreZ - box.depth / 2 + inset;
    const z1 = box.centreZ + box.depth / 2 - inset;
    return [[x0, box.height, z0], [x1, box.height, z0], [x1, box.height, z1], [x0, box.height, z1]];
  }

  it('box tops: areas within 1 %, edges within 0.5 %, corners 90° within 0.5°', () => {
    for (const box of BOXES) {
      const corners = top(box);
      const pixels = corners.map((p) => on(boxes, `${box.name} top`, p));
      const area = measureArea(context(boxes), pixels);
      expect(relativeError(area.value, (box.width - 2 * inset) * (box.depth - 2 * inset)), box.name).toBeLessThan(0.01);
      const edge = measureDistance(context(boxes), pixels[0], pixels[1]);
      expect(relativeError(edge.value, box.width - 2 * inset), box.name).toBeLessThan(0.005);
      const corner = measureAngle(context(boxes), pixels[0], pixels[1], pixels[2]);
      expect(Math.abs(corner.value - 90), box.name).toBeLessThan(0.5);
    }
  });

  it('box heights above a floor region within 1 %', () => {
    const ground: Vec3[] = [[-0.8, 0, 2.6], [0.8, 0, 2.6], [0.8, 0, 2.9], [-0.8, 0, 2.9]];
    const groundPixels = ground.map((p) => on(boxes, 'floor', p));
    for (const box of BOXES) {
      const result = measureHeight(context(boxes), groundPixels, on(boxes, `${box.name} top`, [box.centreX, box.height, box.centreZ]));
      expect(relativeError(result.value, box.height), box.name).toBeLessThan(0.01);
    }
  });

  it('the front face of a box, from the floor in front of it to its top edge', () => {
    const cube = BOXES.find((box) => box.name === 'cube');
    if (cube === undefined) throw new Error('preset lost its cube');
    const front = cube.centreZ - cube.depth / 2;
    const a: Vec3 = [cube.centreX, 0, front - 0.3];
    const b: Vec3 = [cube.centreX, cube.height - inset, front];
    const result = measureDistance(context(boxes), on(boxes, 'floor', a), on(boxes, 'cube front', b));
    expect(relativeError(result.value, worldDistance(a, b))).toBeLessThan(0.005);
  });
});

describe('box room at model resolution (depth grid a quarter of the photo size)', () => {
  it('distances, areas, heights and angles still come out true', () => {
    const coarse: MeasureContext = { depth: depthAtModelResolution(roomScene(), 4), intrinsics: room.intrinsics };
    expect([coarse.depth.width, coarse.depth.height]).toEqual([120, 90]);
    const far = ROOM_SIZE.depth;
    const a: Vec3 = [-1.5, 0.5, far];
    const b: Vec3 = [1.5, 2.0, far];
    const distance = measureDistance(coarse, on(room, 'far wall', a), on(room, 'far wall', b));
    expect(relativeError(distance.value, worldDistance(a, b))).toBeLessThan(0.005);
    const floorA: Vec3 = [-1, 0, 3];
    const floorB: Vec3 = [1.5, 0, 5.5];
    const across = measureDistance(coarse, on(room, 'floor', floorA), on(room, 'floor', floorB));
    expect(relativeError(across.value, worldDistance(floorA, floorB))).toBeLessThan(0.005);
    const wall: Vec3[] = [[-1.5, 0.3, far], [1.5, 0.3, far], [1.5, 2.3, far], [-1.5, 2.3, far]];
    expect(relativeError(measureArea(coarse, wall.map((p) => on(room, 'far wall', p))).value, 6)).toBeLessThan(0.01);
    const ground: Vec3[] = [[-1, 0, 3], [1, 0, 3], [1, 0, 5], [-1, 0, 5]];
    const height = measureHeight(coarse, ground.map((p) => on(room, 'floor', p)), on(room, 'ceiling', [0.5, ROOM_SIZE.height, 5.0]));
    expect(relativeError(height.value, ROOM_SIZE.height)).toBeLessThan(0.01);
    const angle = measureAngle(coarse, on(room, 'floor', [-1, 0, 3]), on(room, 'floor', [1, 0, 3]), on(room, 'floor', [1, 0, 5]));
    expect(Math.abs(angle.value - 90)).toBeLessThan(0.5);
  });
});
