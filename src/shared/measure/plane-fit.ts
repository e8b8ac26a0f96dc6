/**
 * Fitting a plane to depth samples: RANSAC finds the dominant plane among outliers (a chair leg
 * inside a floor region, a depth edge), a least-squares fit to its inliers refines it.
 */
import type { Plane } from './geometry';
import { cross, dot, norm, subtract, type Vec3 } from './vector';

/** How the plane is searched for. */
export interface PlaneFitOptions {
  /** RANSAC trials. */
  iterations: number;
  /** Inlier distance as a fraction of the samples' median depth (1 % of 5 m is 5 cm). */
  inlierTolerance: number;
  /** Seed of the pseudo-random sampler, so the same samples give the same plane. */
  seed: number;
}

export const DEFAULT_PLANE_FIT_OPTIONS: PlaneFitOptions = { iterations: 300, inlierTolerance: 0.01, seed: 0x5eed };

/** A fitted plane and how well it explains the samples. */
export interface PlaneFit {
  plane: Plane;
  inlierCount: number;
  sampleCount: number;
  /** Root mean square distance of the inliers from the plane, metres. */
  rmsMetres: number;
}

/** mulberry32: a small, well-mixed 32-bit generator; deterministic for a seed. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function planeThrough(a: Vec3, b: Vec3, c: Vec3): Plane | null {
  const normal = cross(subtract(b, a), subtract(c, a));
  const length = norm(normal);
  if (length < 1e-12) return null;
  const unit: Vec3 = [normal[0] / length, normal[1] / length, normal[2] / length];
  return { normal: unit, offset: -dot(unit, a) };
}

/** Eigenvector of the smallest eigenvalue of a symmetric 3 × 3 matrix, row-major (cyclic Jacobi). */
function smallestEigenvector(matrix: ArrayLike<number>): Vec3 {
  const a = Float64Array.from(matrix);
  const v = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  for (let sweep = 0; sweep < 50; sweep++) {
    if (Math.abs(a[1]) + Math.abs(a[2]) + Math.abs(a[5]) < 1e-18) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] as const) {
      const apq = a[p * 3 + q];
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[q * 3 + q] - a[p * 3 + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[k * 3 + p], akq = a[k * 3 + q];
        a[k * 3 + p] = c * akp - s * akq;
        a[k * 3 + q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p * 3 + k], aqk = a[q * 3 + k];
        a[p * 3 + k] = c * apk - s * aqk;
        a[q * 3 + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k * 3 + p], vkq = v[k * 3 + q];
        v[k * 3 + p] = c * vkp - s * vkq;
        v[k * 3 + q] = s * vkp + c * vkq;
      }
    }
  }
  let smallest = 0;
  for (let k = 1; k < 3; k++) if (a[k * 4] < a[smallest * 4]) smallest = k;
  return [v[smallest], v[3 + smallest], v[6 + smallest]];
}

/** Least-squares plane (total least squares: through the centroid, normal of least spread). */
export function leastSquaresPlane(points: readonly Vec3[]): Plane | null {
  if (points.length < 3) return null;
  let mx = 0, my = 0, mz = 0;
  for (const p of points) { mx += p[0]; my += p[1]; mz += p[2]; }
  mx /= points.length; my /= points.length; mz /= points.length;
  const c = new Float64Array(9);
  for (const p of points) {
    const d = [p[0] - mx, p[1] - my, p[2] - mz];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) c[i * 3 + j] += d[i] * d[j];
  }
  const normal = smallestEigenvector(c);
  const length = norm(normal);
  if (!(length > 0)) return null;
  const unit: Vec3 = [normal[0] / length, normal[1] / length, normal[2] / length];
  return { normal: unit, offset: -(unit[0] * mx + unit[1] * my + unit[2] * mz) };
}

function inliersOf(points: readonly Vec3[], plane: Plane, tolerance: number): Vec3[] {
  return points.filter((p) => Math.abs(dot(plane.normal, p) + plane.offset) <= tolerance);
}

/**
 * The dominant plane through camera-space samples: RANSAC on random triples, then least squares
 * on the inliers of the best triple, repeated once on the refined plane's inliers. Null when the
 * samples do not span a plane (fewer than 3, or all on a line).
 */
export function fitPlane(points: readonly Vec3[], options: PlaneFitOptions = DEFAULT_PLANE_FIT_OPTIONS): PlaneFit | null {
  if (points.length < 3) return null;
  const depths = points.map((p) => p[2]).sort((a, b) => a - b);
  const tolerance = options.inlierTolerance * depths[depths.length >> 1];
  const random = randomSource(options.seed);
  let best: Plane | null = null;
  let bestCount = -1;
  for (let trial = 0; trial < options.iterations; trial++) {
    const a = points[Math.floor(random() * points.length)];
    const b = points[Math.floor(random() * points.length)];
    const c = points[Math.floor(random() * points.length)];
    const candidate = planeThrough(a, b, c);
    if (candidate === null) continue;
    let count = 0;
    for (const p of points) if (Math.abs(dot(candidate.normal, p) + candidate.offset) <= tolerance) count++;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  if (best === null) return null;
  let plane = best;
  let inliers = inliersOf(points, plane, tolerance);
  for (let round = 0; round < 2; round++) {
    const refined = leastSquaresPlane(inliers);
    if (refined === null) break;
    plane = refined;
    inliers = inliersOf(points, plane, tolerance);
  }
  let sumSquares = 0;
  for (const p of inliers) sumSquares += (dot(plane.normal, p) + plane.offset) ** 2;
  return { plane, inlierCount: inliers.length, sampleCount: points.length, rmsMetres: Math.sqrt(sumSquares / Math.max(1, inliers.length)) };
}
