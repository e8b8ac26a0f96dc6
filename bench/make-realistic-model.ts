/**
 * A model with the compute of ZoeDepth's backbone, for the engine bench: a ViT-L/16-sized encoder
 * (24 layers, width 1024, 16 heads, patch 16, 384×512 input, ~300 M parameters) and a DPT-like
 * decoder (reassemble four layers, fuse coarse to fine, head up to 384×512), random weights.
 * Weights go to an external data file written as a stream, as large real exports do.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import type { WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { GraphBuilder, float, int, ints, text } from '../tools/onnx-builder';

const HEIGHT = 384;
const WIDTH = 512;
const PATCH = 16;
const LAYERS = 24;
const DIM = 1024;
const HEADS = 16;
const MLP = 4096;
const FEATURES = 256;
const TOKENS = (HEIGHT / PATCH) * (WIDTH / PATCH);

/** Streams random float32 weights into the external data file and declares them in the graph. */
class WeightWriter {
  private offset = 0;
  private state = 0x9e3779b9;
  parameters = 0;

  constructor(
    private readonly graph: GraphBuilder,
    private readonly stream: WriteStream,
    private readonly location: string
  ) {}

  /** Uniform weights with the given standard deviation (or a constant when `constant` is set). */
  async add(name: string, dims: number[], std: number, constant?: number): Promise<string> {
    const count = dims.reduce((a, b) => a * b, 1);
    const values = new Float32Array(count);
    if (constant !== undefined) values.fill(constant);
    else {
      const half = std * Math.sqrt(3);
      let s = this.state;
      for (let i = 0; i < count; i++) {
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        values[i] = ((s >>> 0) / 4294967296 - 0.5) * 2 * half;
      }
      this.state = s;
    }
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    if (!this.stream.write(bytes)) await once(this.stream, 'drain');
    this.graph.addExternalFloats(name, dims, { location: this.location, offset: this.offset, length: bytes.length });
    this.offset += bytes.length;
    this.parameters += count;
    return name;
  }
}

async function encoderLayer(g: GraphBuilder, w: WeightWriter, x: string, i: number): Promise<string> {
  const p = `l${i}`;
  const norm = async (input: string, tag: string): Promise<string> =>
    g.node('LayerNormalization', [input, await w.add(`${p}_${tag}_g`, [DIM], 0, 1), await w.add(`${p}_${tag}_b`, [DIM], 0, 0)], { axis: int(-1), epsilon: float(1e-6) });
  const linear = async (input: string, tag: string, inDim: number, outDim: number): Promise<string> =>
    g.node('Add', [g.node('MatMul', [input, await w.add(`${p}_${tag}_w`, [inDim, outDim], 0.02)]), await w.add(`${p}_${tag}_b`, [outDim], 0.02)]);
  const headShape = g.addInt64s(`${p}_heads`, [1, TOKENS, HEADS, DIM / HEADS]);
  const tokenShape = g.addInt64s(`${p}_tokens`, [1, TOKENS, DIM]);
  const h = await norm(x, 'ln1');
  const split = async (tag: string, perm: number[]): Promise<string> => g.node('Transpose', [g.node('Reshape', [await linear(h, tag, DIM, DIM), headShape])], { perm: ints(perm) });
  const q = await split('q', [0, 2, 1, 3]);
  const kT = await split('k', [0, 2, 3, 1]);
  const v = await split('v', [0, 2, 1, 3]);
  const scores = g.node('Mul', [g.node('MatMul', [q, kT]), g.scalar(1 / Math.sqrt(DIM / HEADS))]);
  const attended = g.node('MatMul', [g.node('Softmax', [scores], { axis: int(-1) }), v]);
  const merged = g.node('Reshape', [g.node('Transpose', [attended], { perm: ints([0, 2, 1, 3]) }), tokenShape]);
  const x1 = g.node('Add', [x, await linear(merged, 'proj', DIM, DIM)]);
  const h2 = await linear(await norm(x1, 'ln2'), 'fc1', DIM, MLP);
  const gelu = g.node('Mul', [g.node('Mul', [h2, g.scalar(0.5)]), g.node('Add', [g.node('Erf', [g.node('Div', [h2, g.scalar(Math.SQRT2)])]), g.scalar(1)])]);
  return g.node('Add', [x1, await linear(gelu, 'fc2', MLP, DIM)]);
}

async function conv(g: GraphBuilder, w: WeightWriter, name: string, x: string, inC: number, outC: number, k: number, stride = 1): Promise<string> {
  const weight = await w.add(`${name}_w`, [outC, inC, k, k], Math.sqrt(1 / (inC * k * k)));
  const bias = await w.add(`${name}_b`, [outC], 0.01);
  return g.node('Conv', [x, weight, bias], { kernel_shape: ints([k, k]), strides: ints([stride, stride]), pads: ints([0, 0, 0, 0].map(() => Math.floor((k - 1) / 2))) });
}

function upsample(g: GraphBuilder, x: string, factor: number): string {
  return g.node('Resize', [x, '', g.addFloats(`scale_${x}`, [4], Float32Array.of(1, 1, factor, factor))], { mode: text('linear'), coordinate_transformation_mode: text('align_corners') });
}

/** Writes `<dir>/vit-l16-dpt.onnx` (+ `.data`); returns its path and parameter count. */
export async function makeRealisticModel(dir: string): Promise<{ modelPath: string; parameters: number }> {
  await mkdir(dir, { recursive: true });
  const modelPath = join(dir, 'vit-l16-dpt.onnx');
  const dataName = 'vit-l16-dpt.onnx.data';
  const temporaryData = join(dir, `${dataName}.tmp-${process.pid}`);
  const stream = createWriteStream(temporaryData);
  const g = new GraphBuilder('vit-l16-dpt');
  const w = new WeightWriter(g, stream, dataName);

  const input = g.addInput('input', [1, 3, HEIGHT, WIDTH]);
  const normalised = g.node('Div', [g.node('Sub', [input, g.scalar(0.5)]), g.scalar(0.5)]);
  const patches = g.node('Conv', [normalised, await w.add('patch_w', [DIM, 3, PATCH, PATCH], 0.02), await w.add('patch_b', [DIM], 0.02)], {
    kernel_shape: ints([PATCH, PATCH]),
    strides: ints([PATCH, PATCH])
  });
  const tokens = g.node('Transpose', [g.node('Reshape', [patches, g.addInt64s('to_tokens', [1, DIM, TOKENS])])], { perm: ints([0, 2, 1]) });
  let x = g.node('Add', [tokens, await w.add('pos', [1, TOKENS, DIM], 0.02)]);
  const taps: string[] = [];
  for (let i = 0; i < LAYERS; i++) {
    x = await encoderLayer(g, w, x, i);
    if ((i + 1) % 6 === 0) taps.push(x);
  }

  // DPT-like decoder: reassemble at 1/4, 1/8, 1/16, 1/32 of the input, fuse coarse to fine.
  const grid = g.addInt64s('to_grid', [1, DIM, HEIGHT / PATCH, WIDTH / PATCH]);
  const maps: string[] = [];
  for (const [i, tap] of taps.entries()) {
    const spatial = g.node('Reshape', [g.node('Transpose', [tap], { perm: ints([0, 2, 1]) }), grid]);
    const projected = await conv(g, w, `reassemble${i}`, spatial, DIM, FEATURES, 1);
    if (i === 0 || i === 1) {
      const f = i === 0 ? 4 : 2;
      maps.push(
        g.node('ConvTranspose', [projected, await w.add(`up${i}_w`, [FEATURES, FEATURES, f, f], Math.sqrt(1 / FEATURES)), await w.add(`up${i}_b`, [FEATURES], 0.01)], {
          kernel_shape: ints([f, f]),
          strides: ints([f, f])
        })
      );
    } else if (i === 2) maps.push(projected);
    else maps.push(await conv(g, w, 'down3', projected, FEATURES, FEATURES, 3, 2));
  }
  let fused = maps[3] ?? '';
  for (let i = 2; i >= 0; i--) {
    const refined = g.node('Relu', [await conv(g, w, `fuse${i}`, g.node('Add', [upsample(g, fused, 2), maps[i] ?? '']), FEATURES, FEATURES, 3)]);
    fused = refined;
  }
  let head = await conv(g, w, 'head1', upsample(g, fused, 2), FEATURES, FEATURES / 2, 3);
  head = g.node('Relu', [await conv(g, w, 'head2', upsample(g, head, 2), FEATURES / 2, 32, 3)]);
  const logits = await conv(g, w, 'head3', head, 32, 1, 1);
  g.node('Add', [g.node('Mul', [g.node('Sigmoid', [logits]), g.scalar(4)]), g.scalar(1)], {}, ['metric_depth']);
  g.addOutput('metric_depth', [1, 1, HEIGHT, WIDTH]);

  stream.end();
  await once(stream, 'finish');
  await rename(temporaryData, join(dir, dataName));
  const temporaryModel = `${modelPath}.tmp-${process.pid}`;
  await writeFile(temporaryModel, g.encode());
  await rename(temporaryModel, modelPath);
  return { modelPath, parameters: w.parameters };
}

/** The model path if it was already generated. */
export function existingRealisticModel(dir: string): string | undefined {
  const modelPath = join(dir, 'vit-l16-dpt.onnx');
  return existsSync(modelPath) && existsSync(`${modelPath}.data`) ? modelPath : undefined;
}

/** Removes a generated model. */
export async function removeRealisticModel(dir: string): Promise<void> {
  await rm(join(dir, 'vit-l16-dpt.onnx'), { force: true });
  await rm(join(dir, 'vit-l16-dpt.onnx.data'), { force: true });
}
