import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateBytes } from 'gltf-validator';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGlb } from '../../../src/main/export/glb';
import type { Intrinsics } from '../../../src/shared/camera';
import { readAccessor, readBufferView, readGlb } from '../../helpers/readers/glb';
import { slantedPlaneWithStep } from './synthetic';

const PHOTO = path.resolve(__dirname, '../../fixtures/photos/jpg/gps/DSCN0027.jpg');

let folder = '';
let texture = Buffer.alloc(0);
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'zoe-export-glb-'));
  texture = await sharp(PHOTO).rotate().jpeg({ quality: 85 }).toBuffer();
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const depth = slantedPlaneWithStep(96, 72, { photoWidth: 640, photoHeight: 480, stepMetres: 1.5 });
const intrinsics: Intrinsics = { fx: 600, fy: 600, cx: 319.5, cy: 239.5, width: 640, height: 480, source: 'focal-length-35mm', warnings: [] };

describe('GLB mesh', () => {
  it('passes the Khronos validator with zero errors and embeds the photo', async () => {
    const target = path.join(folder, 'plane.depth.glb');
    const report = await writeGlb(depth, target, { intrinsics, textureJpeg: texture, maxVertices: 1_000_000, cutAngleDegrees: 85 });
    const bytes = await readFile(target);
    const validation = await validateBytes(new Uint8Array(bytes), { maxIssues: 50, writeTimestamp: false });
    expect(validation.issues.messages.filter((issue) => issue.severity === 0)).toEqual([]);
    expect(validation.issues.numErrors).toBe(0);
    const glb = readGlb(bytes);
    const image = readBufferView(glb, glb.json.images?.[0]?.bufferView ?? -1);
    const meta = await sharp(image).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 640, 480]);
    expect(report.step).toBe(1);
  });

  it('puts every vertex on its pixel’s ray at its depth, and cuts the step edges only', async () => {
    const target = path.join(folder, 'cut.depth.glb');
    const report = await writeGlb(depth, target, { intrinsics, textureJpeg: texture, maxVertices: 1_000_000, cutAngleDegrees: 85 });
    const glb = readGlb(await readFile(target));
    const primitive = glb.json.meshes[0]?.primitives[0];
    const positions = readAccessor(glb, primitive?.attributes.POSITION ?? -1);
    const uvs = readAccessor(glb, primitive?.attributes.TEXCOORD_0 ?? -1);
    const indices = readAccessor(glb, primitive?.indices ?? -1);
    expect(positions.length / 3).toBe(report.vertices);
    expect(indices.length / 3).toBe(report.triangles);

    const depthOfVertex: number[] = [];
    for (let vertex = 0; vertex < positions.length / 3; vertex++) {
      // The texture coordinate names the grid sample: u = (x + 0.5) / 96, v = (y + 0.5) / 72.
      const x = Math.round((uvs[vertex * 2] ?? 0) * 96 - 0.5);
      const y = Math.round((uvs[vertex * 2 + 1] ?? 0) * 72 - 0.5);
      const z = depth.metres[y * 96 + x] ?? 0;
      // glTF axes: y up and the camera looking down −z; the pinhole uses photo pixels (grid × 640/96).
      const u = (x + 0.5) * (640 / 96) - 0.5;
      const v = (y + 0.5) * (480 / 72) - 0.5;
      expect(-(positions[vertex * 3 + 2] ?? 0)).toBeCloseTo(z, 5);
      expect(positions[vertex * 3] ?? 0).toBeCloseTo(((u - 319.5) * z) / 600, 5);
      expect(-(positions[vertex * 3 + 1] ?? 0)).toBeCloseTo(((v - 239.5) * z) / 600, 5);
      depthOfVertex.push(z);
    }
    // No triangle joins the box to the floor behind it; the smooth slant is kept whole.
    let crossing = 0;
    for (let t = 0; t < indices.length; t += 3) {
      const corners = [indices[t], indices[t + 1], indices[t + 2]].map((i) => depthOfVertex[i ?? -1] ?? Number.NaN);
      if (Math.max(...corners) - Math.min(...corners) > 1) crossing++;
    }
    expect(crossing).toBe(0);
    const cells = 95 * 71 * 2;
    expect(report.cutTriangles).toBeGreaterThan(0);
    // Only the cells along the box's outline are cut: about 2 × (32 + 24) cells × 2 triangles.
    expect(report.cutTriangles).toBeLessThan(2 * (32 + 24) * 2 + 8);
    expect(report.triangles + report.cutTriangles).toBe(cells);
  });

  it('chooses a grid step that keeps within the vertex budget', async () => {
    const target = path.join(folder, 'coarse.depth.glb');
    const report = await writeGlb(depth, target, { intrinsics, textureJpeg: texture, maxVertices: 500, cutAngleDegrees: 85 });
    expect(report.vertices).toBeLessThanOrEqual(500);
    expect(report.step).toBeGreaterThan(1);
    const validation = await validateBytes(new Uint8Array(await readFile(target)), { writeTimestamp: false });
    expect(validation.issues.numErrors).toBe(0);
  });
});
