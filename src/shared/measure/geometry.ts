/**
 * Pinhole geometry of the upright photo. ZoeDepth's depth is the z-distance (along the optical
 * axis, not along the ray), so a pixel (u, v) with depth Z is the camera-space point
 * X = (u − cx)·Z/fx, Y = (v − cy)·Z/fy, Z. Camera space: x right, y down, z forward, metres.
 */
import type { Intrinsics } from '../camera';
import { angleBetween, cross, dot, norm, subtract, type Vec3 } from './vector';

/** A position on the upright photo in pixels at full resolution (pixel centres at integers). */
export interface PhotoPoint {
  u: number;
  v: number;
}

/** The pinhole part of {@link Intrinsics}. */
export type Pinhole = Pick<Intrinsics, 'fx' | 'fy' | 'cx' | 'cy'>;

/** The direction through a photo pixel, scaled so its z is 1 (so `depth × ray` is the point). */
export function rayThrough(camera: Pinhole, point: PhotoPoint): Vec3 {
  return [(point.u - camera.cx) / camera.fx, (point.v - camera.cy) / camera.fy, 1];
}

/** The camera-space point seen at a photo pixel at the given z-depth. */
export function unproject(camera: Pinhole, point: PhotoPoint, depthMetres: number): Vec3 {
  const ray = rayThrough(camera, point);
  return [ray[0] * depthMetres, ray[1] * depthMetres, depthMetres];
}

/** The photo pixel where a camera-space point is seen; null for points behind the camera. */
export function project(camera: Pinhole, point: Vec3): PhotoPoint | null {
  if (!(point[2] > 0)) return null;
  return { u: camera.cx + (camera.fx * point[0]) / point[2], v: camera.cy + (camera.fy * point[1]) / point[2] };
}

/** Total length of a path through the points, in metres. */
export function pathLength(points: readonly Vec3[]): number {
  let length = 0;
  for (let i = 1; i < points.length; i++) length += norm(subtract(points[i], points[i - 1]));
  return length;
}

/** The angle at `vertex` between the directions to `a` and `b`, in degrees. */
export function angleAtDeg(a: Vec3, vertex: Vec3, b: Vec3): number {
  return (angleBetween(subtract(a, vertex), subtract(b, vertex)) * 180) / Math.PI;
}

/** A plane `normal · p + offset = 0` with a unit normal. */
export interface Plane {
  normal: Vec3;
  offset: number;
}

/** Signed distance of a point from a plane (positive on the side the normal points to). */
export function signedDistance(plane: Plane, point: Vec3): number {
  return dot(plane.normal, point) + plane.offset;
}

/**
 * Where the ray from the camera through a photo pixel meets a plane, or null when it runs parallel
 * to the plane or meets it behind the camera (the pixel is above the plane's horizon).
 */
export function intersectRayWithPlane(camera: Pinhole, point: PhotoPoint, plane: Plane): Vec3 | null {
  const ray = rayThrough(camera, point);
  const along = dot(plane.normal, ray);
  if (Math.abs(along) < 1e-12) return null;
  const depth = -plane.offset / along;
  if (!(depth > 0)) return null;
  return [ray[0] * depth, ray[1] * depth, depth];
}

/** Area of a planar polygon in 3-D (Newell's formula), in square metres. */
export function planarPolygonArea(vertices: readonly Vec3[]): number {
  let sum: Vec3 = [0, 0, 0];
  for (let i = 0; i < vertices.length; i++) {
    const c = cross(vertices[i], vertices[(i + 1) % vertices.length]);
    sum = [sum[0] + c[0], sum[1] + c[1], sum[2] + c[2]];
  }
  return norm(sum) / 2;
}

/** Even-odd test: is the photo position inside the polygon drawn on the photo? */
export function isInsidePolygon(polygon: readonly PhotoPoint[], u: number, v: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (a.v > v !== b.v > v && u < ((b.u - a.u) * (v - a.v)) / (b.v - a.v) + a.u) inside = !inside;
  }
  return inside;
}
