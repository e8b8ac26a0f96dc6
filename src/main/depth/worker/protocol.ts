/**
 * Messages between the engine (main thread) and a depth worker thread. Both ends are this code
 * base; requests carry an id and get exactly one `done` or `error` reply (plus `progress` for loads).
 */
import type { DepthOptions } from '../../../shared/depth';
import type { ZoeErrorValue } from '../../../shared/errors';
import type { ModelManifest } from '../../../shared/manifest';
import type { PixelSize } from '../geometry';
import type { ModelDepthOutput } from '../model-output';
import type { WorkerDepthResult } from '../pipeline';
import type { LoadedModelInfo, LoadProgress, SessionLoadRequest } from '../session-host';

/** What the engine asks a worker to do. */
export type WorkerRequest =
  | { id: number; kind: 'load'; load: SessionLoadRequest; manifest: ModelManifest }
  | { id: number; kind: 'estimate'; photo: string | Uint8Array; options: DepthOptions }
  | { id: number; kind: 'upsample'; output: ModelDepthOutput; grid: PixelSize }
  | { id: number; kind: 'inspect'; modelPath: string }
  | { id: number; kind: 'dispose' };

/** A tensor's description in a model file: element type and shape (symbolic dimensions as names). */
export interface TensorDescription {
  name: string;
  type: string;
  shape: (number | string)[];
}

/** The inputs and outputs of a model file, read by opening it without optimisation. */
export interface ModelSignature {
  inputs: TensorDescription[];
  outputs: TensorDescription[];
}

/** An estimate's reply: the depth and which provider ran it (it can change after a first-run fallback). */
export interface EstimateReply extends WorkerDepthResult {
  provider: string;
  providerFallbackReason?: string;
}

/** Replies by request kind. */
export interface WorkerReplies {
  load: LoadedModelInfo;
  estimate: EstimateReply;
  upsample: Float32Array;
  inspect: ModelSignature;
  dispose: null;
}

/** What a worker sends back. */
export type WorkerReply =
  | { id: number; kind: 'progress'; progress: LoadProgress }
  | { id: number; kind: 'done'; value: WorkerReplies[keyof WorkerReplies] }
  | { id: number; kind: 'error'; error: ZoeErrorValue };
