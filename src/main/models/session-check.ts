/**
 * Opens a model with a real onnxruntime session and checks that its inputs and outputs are the
 * ones its manifest promises: the input tensor (name, rank 4, three colour channels, the fixed
 * size) and the output that holds depth.
 */
import { InferenceSession } from 'onnxruntime-node';
import type { ModelManifest } from '../../shared/manifest';
import { ZoeError } from '../../shared/errors';

/** One tensor of a model as onnxruntime reports it; symbolic dimensions are names. */
export interface TensorDescription {
  name: string;
  type: string;
  shape: Array<number | string>;
}

/** What a model takes and gives, and whether that matches its manifest. */
export interface ModelContract {
  inputs: TensorDescription[];
  outputs: TensorDescription[];
  /** Mismatches with the manifest, in words; empty when the model fits. */
  problems: string[];
}

function describe(metadata: readonly InferenceSession.ValueMetadata[]): TensorDescription[] {
  return metadata.map((value) =>
    value.isTensor ? { name: value.name, type: value.type, shape: [...value.shape] } : { name: value.name, type: 'non-tensor', shape: [] }
  );
}

function dimensionFits(actual: number | string | undefined, expected: number): boolean {
  return typeof actual !== 'number' || actual <= 0 || actual === expected;
}

/** Compares a model's tensors with a manifest; returns the mismatches in words. */
export function compareWithManifest(inputs: readonly TensorDescription[], outputs: readonly TensorDescription[], manifest: ModelManifest): string[] {
  const problems: string[] = [];
  const input = manifest.input.name === undefined ? inputs[0] : inputs.find((candidate) => candidate.name === manifest.input.name);
  if (input === undefined) {
    problems.push(
      manifest.input.name === undefined
        ? 'the model has no input'
        : `the model has no input named “${manifest.input.name}” (it has ${inputs.map((i) => i.name).join(', ') || 'none'})`
    );
  } else {
    if (input.type !== 'float32') problems.push(`its input “${input.name}” holds ${input.type}, not float32 pixels`);
    if (input.shape.length > 0 && input.shape.length !== 4) {
      problems.push(`its input “${input.name}” has ${input.shape.length} dimensions instead of 4 (NCHW)`);
    } else if (input.shape.length === 4) {
      if (!dimensionFits(input.shape[0], 1)) problems.push(`its input “${input.name}” takes batches of ${input.shape[0]}, not single photos`);
      if (!dimensionFits(input.shape[1], 3)) problems.push(`its input “${input.name}” takes ${input.shape[1]} channels, not 3 (RGB)`);
      const size = manifest.input.size;
      if (size.kind === 'fixed' && (!dimensionFits(input.shape[2], size.height) || !dimensionFits(input.shape[3], size.width))) {
        problems.push(`its input “${input.name}” is ${input.shape[2]}×${input.shape[3]}, but the manifest says ${size.height}×${size.width}`);
      }
    }
  }
  const output = manifest.output.name === undefined ? outputs[manifest.output.index] : outputs.find((candidate) => candidate.name === manifest.output.name);
  if (output === undefined) {
    problems.push(
      manifest.output.name === undefined
        ? `the manifest reads output number ${manifest.output.index + 1}, but the model has only ${outputs.length}`
        : `the model has no output named “${manifest.output.name}” (it has ${outputs.map((o) => o.name).join(', ') || 'none'})`
    );
  } else if (output.type !== 'float32') {
    problems.push(`its depth output “${output.name}” holds ${output.type}, not float32 metres`);
  }
  return problems;
}

/**
 * Opens `modelPath` with onnxruntime (CPU, graph optimisation off: this is a check, not a run)
 * and compares it with `manifest`. Throws MODEL_INVALID when onnxruntime cannot open the file.
 */
export async function readModelContract(modelPath: string, manifest: ModelManifest): Promise<ModelContract> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(modelPath, { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled' });
  } catch (error) {
    throw new ZoeError('MODEL_INVALID', 'This file is not a model Zoe Studio can open with ONNX Runtime.', {
      detail: error instanceof Error ? error.message : String(error),
      cause: error
    });
  }
  try {
    const inputs = describe(session.inputMetadata);
    const outputs = describe(session.outputMetadata);
    return { inputs, outputs, problems: compareWithManifest(inputs, outputs, manifest) };
  } finally {
    await session.release();
  }
}
