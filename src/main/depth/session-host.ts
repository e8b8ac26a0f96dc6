/**
 * One long-lived onnxruntime session for one model, living inside a depth worker thread (the
 * onnxruntime-node binding loads and runs synchronously, so it must not run on the main event loop).
 * Tries execution providers in order and falls back to CPU, at creation or on the first run, with
 * the reason kept for every result.
 */
import * as ort from 'onnxruntime-node';
import type { DevicePreference } from '../../shared/depth';
import { ZoeError } from '../../shared/errors';
import {
  discardCacheEntry,
  finishCacheWrite,
  isCacheComplete,
  OPTIMISED_MODEL_FILE,
  OPTIMISED_WEIGHTS_FILE,
  optimisedCacheEntry,
  pruneStaleEntries,
  startCacheWrite
} from './optimised-cache';
import { currentProviderEnvironment, gpuProviderOrder, providerCandidates } from './providers';
import { join } from 'node:path';
import type { ModelSignature, TensorDescription } from './worker/protocol';

/** Load progress as the engine reports it to the UI and the CLI. */
export interface LoadProgress {
  stage: 'reading' | 'optimising' | 'creating-session' | 'ready';
  /** 0..1 */
  fraction: number;
  message: string;
}

/** What a load produced. */
export interface LoadedModelInfo {
  modelId: string;
  provider: string;
  providerFallbackReason?: string;
  loadMs: number;
  /** True when the optimised graph saved by an earlier load was used. */
  fromOptimisedCache: boolean;
}

/** Everything needed to open a model's session. */
export interface SessionLoadRequest {
  modelId: string;
  modelPath: string;
  optimisedCacheDir: string;
  device: DevicePreference;
}

/** A model output tensor, reduced to what the engine uses. */
export interface OutputTensor {
  data: Float32Array;
  dims: readonly number[];
}

/** The useful sentence of an onnxruntime error, without its source-file and assertion prefix. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = text.trim().split('\n')[0] ?? text;
  const afterAssertion = /was false\.\s*(.+)$/.exec(firstLine);
  if (afterAssertion?.[1] !== undefined) return afterAssertion[1];
  return firstLine.replace(/^\S*onnxruntime_src\S*\s+/, '');
}

/** The onnxruntime version this process runs (part of the optimised-cache key). */
export function runtimeVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common;
}

async function openSession(
  request: SessionLoadRequest,
  provider: string,
  onProgress: (p: LoadProgress) => void
): Promise<{ session: ort.InferenceSession; fromOptimisedCache: boolean }> {
  // No spinning: onnxruntime's threads would otherwise busy-wait after each run and steal the cores
  // that decoding and post-processing (and the rest of the app) need right then.
  const threading = { 'intra_op.allow_spinning': '0', 'inter_op.allow_spinning': '0' };
  const base: ort.InferenceSession.SessionOptions = { executionProviders: [provider], logSeverityLevel: 3, extra: { session: threading } };
  const entry = await optimisedCacheEntry(request.optimisedCacheDir, request.modelId, request.modelPath, runtimeVersion(), provider);
  if (await isCacheComplete(entry)) {
    onProgress({ stage: 'creating-session', fraction: 0.3, message: `Opening the optimised model (${provider})` });
    try {
      const session = await ort.InferenceSession.create(entry.modelFile, { ...base, graphOptimizationLevel: 'disabled' });
      return { session, fromOptimisedCache: true };
    } catch {
      // An unusable cache (damaged, or written by another build) is rebuilt below.
      await discardCacheEntry(entry);
    }
  }
  onProgress({ stage: 'optimising', fraction: 0.2, message: `Optimising the model for this computer (${provider}); later loads are faster` });
  const temporary = await startCacheWrite(entry);
  try {
    const session = await ort.InferenceSession.create(request.modelPath, {
      ...base,
      graphOptimizationLevel: 'all',
      optimizedModelFilePath: join(temporary, OPTIMISED_MODEL_FILE),
      extra: {
        session: {
          ...threading,
          optimized_model_external_initializers_file_name: OPTIMISED_WEIGHTS_FILE,
          optimized_model_external_initializers_min_size_in_bytes: '1024'
        }
      }
    });
    onProgress({ stage: 'creating-session', fraction: 0.9, message: 'Saving the optimised model' });
    if (await finishCacheWrite(entry, temporary)) await pruneStaleEntries(request.optimisedCacheDir, entry);
    return { session, fromOptimisedCache: false };
  } catch (error) {
    await discardCacheEntry({ ...entry, directory: temporary });
    // Saving may be what failed (a full disk, a provider that cannot serialise): load plainly.
    if (provider !== 'cpu') throw error;
    const session = await ort.InferenceSession.create(request.modelPath, { ...base, graphOptimizationLevel: 'all' });
    return { session, fromOptimisedCache: false };
  }
}

/** Inputs and outputs of a model file, from a CPU session opened without optimisation. */
export async function inspectModel(modelPath: string): Promise<ModelSignature> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled', logSeverityLevel: 3 });
  } catch (error) {
    throw new ZoeError('MODEL_INVALID', 'This file is not an ONNX model Zoe Studio can open.', { detail: `${modelPath}: ${errorText(error)}`, cause: error });
  }
  const describe = (m: ort.InferenceSession.ValueMetadata): TensorDescription =>
    m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] };
  const signature = { inputs: session.inputMetadata.map(describe), outputs: session.outputMetadata.map(describe) };
  await session.release();
  return signature;
}

/** A model's session and the provider that runs it. */
export class SessionHost {
  private verified = false;

  private constructor(
    private readonly request: SessionLoadRequest,
    private session: ort.InferenceSession,
    public provider: string,
    public fallbackReason: string | undefined,
    public readonly info: LoadedModelInfo
  ) {}

  /** Opens the session on the best provider that works, CPU last. Throws MODEL_INVALID if even CPU fails. */
  static async load(request: SessionLoadRequest, onProgress: (p: LoadProgress) => void): Promise<SessionHost> {
    const started = performance.now();
    onProgress({ stage: 'reading', fraction: 0, message: 'Reading the model' });
    const env = currentProviderEnvironment(ort.listSupportedBackends(), require.resolve('onnxruntime-node'));
    const reasons: string[] = [];
    if (request.device === 'gpu' && gpuProviderOrder(env).length === 0) reasons.push('no GPU execution provider is available on this computer');
    for (const provider of providerCandidates(request.device, env)) {
      try {
        const { session, fromOptimisedCache } = await openSession(request, provider, onProgress);
        const fallbackReason = reasons.length > 0 ? reasons.join('; ') : undefined;
        const info: LoadedModelInfo = {
          modelId: request.modelId,
          provider,
          ...(fallbackReason === undefined ? {} : { providerFallbackReason: fallbackReason }),
          loadMs: performance.now() - started,
          fromOptimisedCache
        };
        onProgress({ stage: 'ready', fraction: 1, message: `Model ready (${provider})` });
        return new SessionHost(request, session, provider, fallbackReason, info);
      } catch (error) {
        if (provider === 'cpu') {
          throw new ZoeError('MODEL_INVALID', 'The model file could not be opened; it may be damaged or not a depth model. Try removing and reinstalling it.', {
            detail: `${request.modelPath}: ${errorText(error)}`,
            cause: error
          });
        }
        reasons.push(`${provider} could not start: ${errorText(error)}`);
      }
    }
    throw new ZoeError('INTERNAL', 'No execution provider could run the model.');
  }

  inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** An input's shape as the model declares it (symbolic dimensions as names), if it is a tensor. */
  inputShape(name: string): readonly (number | string)[] | undefined {
    const metadata = this.session.inputMetadata.find((m) => m.name === name);
    return metadata?.isTensor === true ? metadata.shape : undefined;
  }

  /**
   * One bare `session.run` of an NCHW float32 input, returning the chosen output. A GPU provider
   * failing on its first run is replaced by CPU (the reason is kept) and the run repeated.
   */
  async run(inputName: string, input: Float32Array, dims: readonly number[], outputName: string): Promise<OutputTensor> {
    try {
      const output = await this.runOnce(inputName, input, dims, outputName);
      this.verified = true;
      return output;
    } catch (error) {
      if (this.verified || this.provider === 'cpu') {
        if (error instanceof ZoeError) throw error;
        throw new ZoeError('INTERNAL', 'The depth model failed while running on this photo.', { detail: errorText(error), cause: error });
      }
      const failed = this.provider;
      await this.session.release();
      const reopened = await openSession({ ...this.request, device: 'cpu' }, 'cpu', () => undefined);
      this.session = reopened.session;
      this.provider = 'cpu';
      this.fallbackReason = [this.fallbackReason, `${failed} failed on its first run: ${errorText(error)}`].filter(Boolean).join('; ');
      return this.run(inputName, input, dims, outputName);
    }
  }

  private async runOnce(inputName: string, input: Float32Array, dims: readonly number[], outputName: string): Promise<OutputTensor> {
    const tensor = new ort.Tensor('float32', input, dims);
    const results = await this.session.run({ [inputName]: tensor }, [outputName]);
    const output = results[outputName];
    tensor.dispose();
    if (output === undefined || output.type !== 'float32' || !(output.data instanceof Float32Array)) {
      throw new ZoeError('MODEL_INVALID', 'The model did not produce a float32 depth map.', { detail: `output ${outputName}: ${output?.type ?? 'missing'}` });
    }
    // Copy out of onnxruntime's buffer so the tensor can be released now.
    const data = new Float32Array(output.data);
    const outputDims = [...output.dims];
    output.dispose();
    return { data, dims: outputDims };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
