/**
 * A manifest for a model the user imports without one, inferred from the model's input shape:
 * a fixed `[1,3,H,W]` input is a published ZoeDepth-style export (normalisation in the graph); a
 * dynamic one is resized with ZoeDepth's "minimal" policy to multiples of 32 near 384×512.
 * Anything the shape cannot tell (range, domain, normalisation) comes from `hints` or ZoeDepth's
 * own conventions.
 */
import { basename } from 'node:path';
import { ZoeError } from '../../shared/errors';
import type { ModelManifest, ModelManifestInput } from '../../shared/manifest';
import { modelManifestSchema } from '../../shared/manifest';
import { DepthWorker } from './worker/client';
import type { ModelSignature } from './worker/protocol';

/** What the user (or the caller) knows about an imported model. */
export interface ManifestHints {
  id?: string;
  title?: string;
  depthRange?: { min: number; max: number };
  domain?: ModelManifest['domain'];
  outputIndex?: number;
  normalisation?: ModelManifestInput['input']['normalisation'];
}

/** A manifest id from a file name: `ZoeD_M12_N.onnx` → `zoed_m12_n`. */
export function idFromFileName(modelPath: string): string {
  const stem = basename(modelPath).replace(/\.onnx$/i, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return (stem.length > 0 ? stem : 'imported-model').slice(0, 64);
}

/** The manifest for a model signature (pure: the model file was read by `inferManifestFromModel`). */
export function manifestFromSignature(signature: ModelSignature, modelPath: string, hints: ManifestHints = {}): ModelManifest {
  const input = signature.inputs[0];
  if (input === undefined || input.type !== 'float32' || input.shape.length !== 4 || (input.shape[1] !== 3 && typeof input.shape[1] === 'number')) {
    throw new ZoeError('MODEL_INVALID', 'This model does not take an RGB image (a float32 [1, 3, height, width] input), so it is not a depth model Zoe Studio can run.', {
      detail: input === undefined ? 'no inputs' : `${input.name}: ${input.type} [${input.shape.join(', ')}]`
    });
  }
  const outputIndex = hints.outputIndex ?? (signature.outputs.length === 2 ? 1 : 0);
  const output = signature.outputs[outputIndex];
  if (output === undefined || output.type !== 'float32') {
    throw new ZoeError('MODEL_INVALID', 'This model has no float32 depth output where expected.', { detail: `outputs: ${signature.outputs.map((o) => `${o.name}:${o.type}`).join(', ')}` });
  }
  const [, , height, width] = input.shape;
  const fixed = typeof height === 'number' && typeof width === 'number' && height > 0 && width > 0;
  const outdoor = fixed && width === 768;
  const twoHeads = signature.outputs.length === 2;
  const candidate: ModelManifestInput = {
    id: hints.id ?? idFromFileName(modelPath),
    title: hints.title ?? basename(modelPath),
    licence: { name: 'Unknown (imported by the user)' },
    input: {
      name: input.name,
      layout: 'NCHW',
      valueRange: '0-1',
      size: fixed ? { kind: 'fixed', height, width } : { kind: 'dynamic', targetHeight: 384, targetWidth: 512, multipleOf: 32, policy: 'minimal' },
      normalisation: hints.normalisation ?? { kind: 'in-graph' }
    },
    output: { name: output.name, index: outputIndex, unit: 'metres', kind: 'metric' },
    depthRange: hints.depthRange ?? { min: 0.001, max: outdoor || twoHeads ? 80 : 10 },
    domain: hints.domain ?? (twoHeads ? 'auto' : outdoor ? 'outdoor' : 'indoor'),
    defaults: { flip: true, pad: true }
  };
  const parsed = modelManifestSchema.safeParse(candidate);
  if (!parsed.success) throw new ZoeError('INVALID_ARGUMENT', 'The model details given for this import are not valid.', { detail: parsed.error.message });
  return parsed.data;
}

/** Opens the model (in a worker, without optimisation) and infers its manifest from its input shape. */
export async function inferManifestFromModel(modelPath: string, hints: ManifestHints = {}): Promise<ModelManifest> {
  const worker = new DepthWorker();
  try {
    const signature = await worker.request({ kind: 'inspect', modelPath });
    return manifestFromSignature(signature, modelPath, hints);
  } finally {
    await worker.terminate();
  }
}
