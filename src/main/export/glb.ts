/**
 * Textured depth meshes as binary glTF 2.0 (`.glb`) for Blender, three.js viewers and Windows'
 * 3D Viewer: the mesh of ./mesh.ts, the photo as an embedded JPEG texture (unlit, so it looks like
 * the photo), and a perspective camera at the origin with the photo's field of view.
 */
import type { Intrinsics } from '../../shared/camera';
import type { DepthMap } from '../../shared/depth';
import { ZoeError } from '../../shared/errors';
import type { ExportedFile } from '../../shared/export';
import { writeChunksAtomic } from '../fs/atomic';
import { assertDepthGrid, exportedFile, littleEndianBytes } from './grid';
import { buildDepthMesh, meshStepFor, type DepthMesh } from './mesh';
import { gridRays } from './unproject';

const GL_FLOAT = 5126;
const GL_UNSIGNED_INT = 5125;
const GL_ARRAY_BUFFER = 34962;
const GL_ELEMENT_ARRAY_BUFFER = 34963;
const GL_LINEAR = 9729;
const GL_CLAMP_TO_EDGE = 33071;

/** Mesh export settings. */
export interface GlbOptions {
  intrinsics: Intrinsics;
  /** The upright photo, JPEG-encoded, to embed as the texture. */
  textureJpeg: Buffer;
  /** Grid step in depth samples; without it, the smallest step within `maxVertices`. */
  step?: number;
  maxVertices: number;
  /** Triangles steeper than this from facing the camera are cut (depth discontinuities). */
  cutAngleDegrees: number;
}

/** What a mesh export wrote. */
export interface GlbReport extends ExportedFile {
  vertices: number;
  triangles: number;
  cutTriangles: number;
  step: number;
}

function padded(bytes: Buffer, fill: number): Buffer {
  const padding = (4 - (bytes.length % 4)) % 4;
  return padding === 0 ? bytes : Buffer.concat([bytes, Buffer.alloc(padding, fill)]);
}

function bounds(positions: Float32Array): { min: number[]; max: number[] } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i++) {
    const axis = i % 3;
    min[axis] = Math.min(min[axis] ?? Infinity, positions[i]);
    max[axis] = Math.max(max[axis] ?? -Infinity, positions[i]);
  }
  return { min, max };
}

function gltfDocument(mesh: DepthMesh, views: { offset: number; length: number }[], binLength: number, intrinsics: Intrinsics, modelId: string): object {
  const vertexCount = mesh.positions.length / 3;
  const [positionView, uvView, indexView, imageView] = views;
  const yfov = 2 * Math.atan(intrinsics.height / (2 * intrinsics.fy));
  return {
    asset: { version: '2.0', generator: 'Zoe Studio', extras: { model: modelId, axes: 'glTF: x right, y up, camera looking down -z' } },
    extensionsUsed: ['KHR_materials_unlit'],
    scene: 0,
    scenes: [{ nodes: [0, 1] }],
    nodes: [
      { name: 'depth mesh', mesh: 0 },
      { name: 'photo camera', camera: 0 }
    ],
    cameras: [{ type: 'perspective', perspective: { yfov, aspectRatio: intrinsics.width / intrinsics.height, znear: 0.01 } }],
    meshes: [{ name: 'depth', primitives: [{ attributes: { POSITION: 0, TEXCOORD_0: 1 }, indices: 2, material: 0, mode: 4 }] }],
    materials: [
      {
        name: 'photo',
        pbrMetallicRoughness: { baseColorTexture: { index: 0 }, metallicFactor: 0, roughnessFactor: 1 },
        doubleSided: true,
        extensions: { KHR_materials_unlit: {} }
      }
    ],
    textures: [{ sampler: 0, source: 0 }],
    samplers: [{ magFilter: GL_LINEAR, minFilter: GL_LINEAR, wrapS: GL_CLAMP_TO_EDGE, wrapT: GL_CLAMP_TO_EDGE }],
    images: [{ name: 'photo', bufferView: 3, mimeType: 'image/jpeg' }],
    accessors: [
      { bufferView: 0, componentType: GL_FLOAT, count: vertexCount, type: 'VEC3', ...bounds(mesh.positions) },
      { bufferView: 1, componentType: GL_FLOAT, count: vertexCount, type: 'VEC2' },
      { bufferView: 2, componentType: GL_UNSIGNED_INT, count: mesh.indices.length, type: 'SCALAR' }
    ],
    bufferViews: [
      { buffer: 0, byteOffset: positionView?.offset, byteLength: positionView?.length, target: GL_ARRAY_BUFFER },
      { buffer: 0, byteOffset: uvView?.offset, byteLength: uvView?.length, target: GL_ARRAY_BUFFER },
      { buffer: 0, byteOffset: indexView?.offset, byteLength: indexView?.length, target: GL_ELEMENT_ARRAY_BUFFER },
      { buffer: 0, byteOffset: imageView?.offset, byteLength: imageView?.length }
    ],
    buffers: [{ byteLength: binLength }]
  };
}

/** Writes `<name>.depth.glb`. */
export async function writeGlb(depth: DepthMap, target: string, options: GlbOptions): Promise<GlbReport> {
  assertDepthGrid(depth);
  const step = options.step ?? meshStepFor(depth, options.maxVertices);
  const mesh = buildDepthMesh(depth, gridRays(depth, options.intrinsics), step, options.cutAngleDegrees);
  if (mesh.indices.length === 0) {
    throw new ZoeError('INVALID_ARGUMENT', 'There is not enough depth in this photo to build a mesh.');
  }
  const parts = [littleEndianBytes(mesh.positions), littleEndianBytes(mesh.uvs), littleEndianBytes(mesh.indices), options.textureJpeg];
  const views: { offset: number; length: number }[] = [];
  let offset = 0;
  const binParts: Buffer[] = [];
  for (const part of parts) {
    views.push({ offset, length: part.length });
    const aligned = padded(part, 0);
    binParts.push(aligned);
    offset += aligned.length;
  }
  const json = padded(Buffer.from(JSON.stringify(gltfDocument(mesh, views, offset, options.intrinsics, depth.modelId)), 'utf8'), 0x20);
  const fileHeader = Buffer.alloc(12);
  fileHeader.write('glTF', 0, 'latin1');
  fileHeader.writeUInt32LE(2, 4);
  fileHeader.writeUInt32LE(12 + 8 + json.length + 8 + offset, 8);
  const jsonHeader = Buffer.alloc(8);
  jsonHeader.writeUInt32LE(json.length, 0);
  jsonHeader.write('JSON', 4, 'latin1');
  const binHeader = Buffer.alloc(8);
  binHeader.writeUInt32LE(offset, 0);
  binHeader.write('BIN\0', 4, 'latin1');
  await writeChunksAtomic(target, [fileHeader, jsonHeader, json, binHeader, ...binParts]);
  return {
    ...(await exportedFile('glb', target)),
    vertices: mesh.positions.length / 3,
    triangles: mesh.indices.length / 3,
    cutTriangles: mesh.cutTriangles,
    step
  };
}
