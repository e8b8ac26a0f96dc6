/**
 * Small ONNX models that follow the contracts of the real ZoeDepth exports, with outputs that are
 * simple known functions of the input, so tests can check every step of the engine numerically.
 *
 * Every model computes, per model-input pixel (x, y) with colour (R, G, B) in [0,1]:
 *   n = normalised colour ((v − 0.5) / 0.5 in the graph, or the manifest's external mean/std)
 *   depth = bias + r·nR + g·nG + b·nB + px·x/W + py·y/H + qx·x + qy·y
 * then optionally a 2×2 average pool (output at half resolution, to exercise upsampling).
 * The qx·x + qy·y terms count model-input pixels, so they reveal the size the model was fed: a
 * dynamic-shape model with them shows whether a photo was resized to the original's size or squashed.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelManifestInput } from '../src/shared/manifest';
import { onnx } from 'onnx-proto';
import { GraphBuilder, int, ints } from './onnx-builder';

/** The known function a test model computes (see the file comment). */
export interface DepthFunction {
  bias: number;
  red: number;
  green: number;
  blue: number;
  /** Coefficient of x/W (fixed-size models only). */
  perColumn: number;
  /** Coefficient of y/H (fixed-size models only). */
  perRow: number;
  /** Coefficient of the model-input column index x (any input size). */
  perColumnPixel?: number;
  /** Coefficient of the model-input row index y (any input size). */
  perRowPixel?: number;
  /** Output is the 2×2 average pool of the per-pixel function. */
  halfResolution: boolean;
}

/** One test model: file name stem, input size, the function and its manifest. */
export interface TestModelSpec {
  name: string;
  input: { height: number; width: number } | 'dynamic';
  normaliseInGraph: boolean;
  depth: DepthFunction;
  /** An NK-like first output (not metric depth) before the depth output. */
  decoyOutput?: DepthFunction;
  /**
   * Real convolution work whose result is multiplied by zero before it joins the depth: the output
   * is still exactly `depth`, but each run takes long enough that a batch of photos is still
   * running when a test cancels it, on a fast machine too.
   */
  workload?: { channels: number };
  manifest: ModelManifestInput;
}

const MIT = { name: 'MIT (test model)' };

function manifest(id: string, size: ModelManifestInput['input']['size'], extra: Partial<ModelManifestInput> = {}): ModelManifestInput {
  return {
    id,
    title: `Test model ${id}`,
    licence: MIT,
    input: { name: 'input', layout: 'NCHW', valueRange: '0-1', size, normalisation: { kind: 'in-graph' } },
    output: { index: 0, unit: 'metres', kind: 'metric' },
    depthRange: { min: 0.001, max: 10 },
    domain: 'indoor',
    defaults: { flip: true, pad: true },
    ...extra
  };
}

const IMAGENET = { kind: 'external' as const, mean: [0.485, 0.456, 0.406] as [number, number, number], std: [0.229, 0.224, 0.225] as [number, number, number] };

/**
 * Dynamic-shape models with a position-dependent output, as a faithful ZoeDepth export is
 * (tools/export-zoedepth.py: normalisation in the graph, `metric_depth` at half resolution): one
 * described with the N/NK target (384×512), one with the K target (384×768).
 */
function dynamicPositionModels(): TestModelSpec[] {
  const depth: DepthFunction = { bias: 3, red: 0.8, green: -0.6, blue: 0.4, perColumn: 0, perRow: 0, perColumnPixel: 0.01, perRowPixel: 0.02, halfResolution: true };
  const described = (id: string, targetWidth: number, extra: Partial<ModelManifestInput> = {}): ModelManifestInput =>
    manifest(id, { kind: 'dynamic', targetHeight: 384, targetWidth, multipleOf: 32, policy: 'minimal' }, {
      output: { name: 'metric_depth', unit: 'metres', kind: 'metric' },
      depthRange: { min: 0.001, max: 80 },
      ...extra
    });
  return [
    { name: 'zoe-dynamic-position', input: 'dynamic', normaliseInGraph: true, depth, manifest: described('test-dynamic-position', 512) },
    { name: 'zoe-dynamic-position-k', input: 'dynamic', normaliseInGraph: true, depth, manifest: described('test-dynamic-position-k', 768, { domain: 'outdoor' }) }
  ];
}

/** The models `npm run models:test` writes. */
export const TEST_MODELS: TestModelSpec[] = [
  {
    name: 'zoe-fixed',
    input: { height: 384, width: 512 },
    normaliseInGraph: true,
    depth: { bias: 4, red: 1.5, green: 1, blue: -0.5, perColumn: 2, perRow: 0.75, halfResolution: true },
    manifest: manifest('test-fixed', { kind: 'fixed', height: 384, width: 512 })
  },
  {
    name: 'zoe-nk-like',
    input: { height: 384, width: 512 },
    normaliseInGraph: true,
    depth: { bias: 30, red: -6, green: 4, blue: 2, perColumn: 20, perRow: -8, halfResolution: false },
    decoyOutput: { bias: 500, red: 100, green: 0, blue: 0, perColumn: 0, perRow: 0, halfResolution: false },
    manifest: manifest('test-nk-like', { kind: 'fixed', height: 384, width: 512 }, {
      output: { index: 1, unit: 'metres', kind: 'metric' },
      depthRange: { min: 0.001, max: 80 },
      domain: 'auto'
    })
  },
  {
    name: 'zoe-dynamic',
    input: 'dynamic',
    normaliseInGraph: false,
    depth: { bias: 5, red: 0.6, green: -0.4, blue: 0.5, perColumn: 0, perRow: 0, halfResolution: true },
    manifest: manifest('test-dynamic', { kind: 'dynamic', targetHeight: 384, targetWidth: 512, multipleOf: 32, policy: 'minimal' }, {
      input: { name: 'input', layout: 'NCHW', valueRange: '0-1', size: { kind: 'dynamic', targetHeight: 384, targetWidth: 512 }, normalisation: IMAGENET }
    })
  },
  ...dynamicPositionModels(),
  {
    name: 'zoe-clamp',
    input: { height: 48, width: 64 },
    normaliseInGraph: true,
    depth: { bias: 2, red: 4, green: 0, blue: 0, perColumn: 0.5, perRow: 0, halfResolution: false },
    manifest: manifest('test-clamp', { kind: 'fixed', height: 48, width: 64 }, { depthRange: { min: 0.5, max: 4 } })
  },
  {
    name: 'zoe-outdoor',
    input: { height: 384, width: 768 },
    normaliseInGraph: true,
    depth: { bias: 40, red: 10, green: 5, blue: 5, perColumn: 10, perRow: 5, halfResolution: true },
    manifest: manifest('test-outdoor', { kind: 'fixed', height: 384, width: 768 }, { depthRange: { min: 0.001, max: 80 }, domain: 'outdoor' })
  },
  {
    name: 'zoe-busy',
    input: { height: 384, width: 512 },
    normaliseInGraph: true,
    depth: { bias: 4, red: 1.5, green: 1, blue: -0.5, perColumn: 2, perRow: 0.75, halfResolution: true },
    workload: { channels: 128 },
    manifest: manifest('test-busy', { kind: 'fixed', height: 384, width: 512 })
  }
];

/** `channels` 3×3 convolutions twice over the whole input, reduced to one number and multiplied by zero. */
function addWorkload(g: GraphBuilder, input: string, channels: number): string {
  const first = g.addFloats('busy_w1', [channels, 3, 3, 3], new Float32Array(channels * 27).fill(0.01));
  const second = g.addFloats('busy_w2', [channels, channels, 3, 3], new Float32Array(channels * channels * 9).fill(0.01));
  const pads = { pads: ints([1, 1, 1, 1]) };
  const hidden = g.node('Relu', [g.node('Conv', [input, first], pads)]);
  const busy = g.node('ReduceMean', [g.node('Conv', [hidden, second], pads)], { keepdims: int(1) });
  return g.node('Mul', [busy, g.scalar(0)]);
}

/** qx·x + qy·y over the input's own height and width, read from its shape at run time: [1,1,H,W]. */
function addPixelIndexTerms(g: GraphBuilder, input: string, fn: DepthFunction, tag: string): string {
  const shape = g.node('Shape', [input]);
  const axis = (dimension: number, coefficient: number, reshapedTo: number[]): string => {
    const count = g.node('Gather', [shape, g.int64Scalar(dimension)]);
    const indices = g.node('Cast', [g.node('Range', [g.int64Scalar(0), count, g.int64Scalar(1)])], { to: int(onnx.TensorProto.DataType.FLOAT) });
    return g.node('Reshape', [g.node('Mul', [indices, g.scalar(coefficient)]), g.addInt64s(`${tag}_shape_${dimension}`, reshapedTo)]);
  };
  return g.node('Add', [axis(2, fn.perRowPixel ?? 0, [1, 1, -1, 1]), axis(3, fn.perColumnPixel ?? 0, [1, 1, 1, -1])]);
}

function addDepthFunction(g: GraphBuilder, input: string, spec: TestModelSpec, fn: DepthFunction, tag: string, output: string): void {
  const weights = g.addFloats(`${tag}_w`, [1, 3, 1, 1], Float32Array.of(fn.red, fn.green, fn.blue));
  const bias = g.addFloats(`${tag}_b`, [1], Float32Array.of(fn.bias));
  let value = g.node('Conv', [input, weights, bias]);
  if (spec.workload !== undefined && tag === 'depth') value = g.node('Add', [value, addWorkload(g, input, spec.workload.channels)]);
  if ((fn.perColumnPixel ?? 0) !== 0 || (fn.perRowPixel ?? 0) !== 0) value = g.node('Add', [value, addPixelIndexTerms(g, input, fn, tag)]);
  if (spec.input !== 'dynamic' && (fn.perColumn !== 0 || fn.perRow !== 0)) {
    const { height, width } = spec.input;
    const plane = new Float32Array(height * width);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) plane[y * width + x] = (fn.perColumn * x) / width + (fn.perRow * y) / height;
    value = g.node('Add', [value, g.addFloats(`${tag}_position`, [1, 1, height, width], plane)]);
  }
  if (fn.halfResolution) g.node('AveragePool', [value], { kernel_shape: ints([2, 2]), strides: ints([2, 2]) }, [output]);
  else g.node('Identity', [value], {}, [output]);
}

/** The ONNX bytes of one test model. */
export function buildTestModel(spec: TestModelSpec): Uint8Array {
  const g = new GraphBuilder(spec.name);
  const dims = spec.input === 'dynamic' ? [1, 3, 'height', 'width'] : [1, 3, spec.input.height, spec.input.width];
  const input = g.addInput('input', dims);
  const normalised = spec.normaliseInGraph ? g.node('Div', [g.node('Sub', [input, g.scalar(0.5)]), g.scalar(0.5)]) : input;
  const outDims = (fn: DepthFunction): (number | string)[] => {
    if (spec.input === 'dynamic') return [1, 1, fn.halfResolution ? 'out_height' : 'height', fn.halfResolution ? 'out_width' : 'width'];
    const f = fn.halfResolution ? 2 : 1;
    return [1, 1, spec.input.height / f, spec.input.width / f];
  };
  if (spec.decoyOutput !== undefined) {
    addDepthFunction(g, normalised, spec, spec.decoyOutput, 'decoy', 'relative_depth');
    g.addOutput('relative_depth', outDims(spec.decoyOutput));
  }
  addDepthFunction(g, normalised, spec, spec.depth, 'depth', 'metric_depth');
  g.addOutput('metric_depth', outDims(spec.depth));
  return g.encode();
}

/** A model taking a one-channel image: not a depth model for Zoe Studio. */
export function buildGreyInputModel(): Uint8Array {
  const g = new GraphBuilder('grey');
  const input = g.addInput('input', [1, 1, 32, 32]);
  g.node('Identity', [input], {}, ['out']);
  g.addOutput('out', [1, 1, 32, 32]);
  return g.encode();
}

/** A model whose output is float64: it loads, but gives no float32 depth map. */
export function buildDoubleOutputModel(): Uint8Array {
  const g = new GraphBuilder('double-output');
  const input = g.addInput('input', [1, 3, 32, 32]);
  const first = g.node('Slice', [input, g.addInt64s('starts', [0]), g.addInt64s('ends', [1]), g.addInt64s('axes', [1])]);
  g.node('Cast', [first], { to: int(onnx.TensorProto.DataType.DOUBLE) }, ['depth']);
  g.addOutput('depth', [1, 1, 32, 32], onnx.TensorProto.DataType.DOUBLE);
  return g.encode();
}

async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

/** Writes every test model and its `<model>.json` manifest into `dir`; returns the written paths. */
export async function writeTestModels(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const spec of TEST_MODELS) {
    const file = join(dir, `${spec.name}.onnx`);
    await writeAtomically(file, buildTestModel(spec));
    await writeAtomically(join(dir, `${spec.name}.json`), `${JSON.stringify(spec.manifest, null, 2)}\n`);
    written.push(file);
  }
  const grey = join(dir, 'not-rgb.onnx');
  await writeAtomically(grey, buildGreyInputModel());
  written.push(grey);
  const double = join(dir, 'double-output.onnx');
  await writeAtomically(double, buildDoubleOutputModel());
  await writeAtomically(join(dir, 'double-output.json'), `${JSON.stringify(manifest('test-double-output', { kind: 'fixed', height: 32, width: 32 }), null, 2)}\n`);
  written.push(double);
  // Not a model at all: what a failed download or a renamed file looks like.
  const invalid = join(dir, 'invalid.onnx');
  await writeAtomically(invalid, '<html><body>404 Not Found</body></html>\n');
  await writeAtomically(join(dir, 'invalid.json'), `${JSON.stringify(manifest('test-invalid', { kind: 'fixed', height: 384, width: 512 }), null, 2)}\n`);
  written.push(invalid);
  return written;
}
