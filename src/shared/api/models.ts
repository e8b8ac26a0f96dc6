/** The models screen's part of the contract: which models exist, installing, importing, loading. */
import { z } from 'zod';
import type { DevicePreference } from '../depth';
import type { ZoeErrorValue } from '../errors';
import type { FidelityFacts, PhotoShapeHandling } from '../model-fidelity';

/** A request naming one model by id (`zoed-n`, or the id of an imported model). */
export const modelIdRequest = z.strictObject({ id: z.string().min(1).max(64) });

/**
 * Where a model stands: not on this computer, ready, being downloaded, or present but damaged
 * (`problem` says why; remove and install it again).
 */
export type ModelState = 'not-installed' | 'installed' | 'downloading' | 'corrupt';

/** One model of the models screen. Never a file path. */
export interface ModelSummary extends FidelityFacts {
  id: string;
  title: string;
  description?: string;
  /** The original network, e.g. `ZoeD_M12_N`. */
  architecture?: string;
  /** From the bundled catalog, or imported by the photographer. */
  origin: 'catalog' | 'imported';
  state: ModelState;
  /** What scenes it was trained for: `auto` routes each photo to an indoor or outdoor head. */
  domain: 'indoor' | 'outdoor' | 'auto';
  /** The depth range it can give, in metres. */
  depthRange: { min: number; max: number };
  licence: { name: string; url?: string };
  /** Size on disk when installed, else the published download size (null when unknown). */
  sizeBytes: number | null;
  /** Bytes of an interrupted download that installing again resumes from. */
  partialBytes: number | null;
  /** Why the model is `corrupt`. */
  problem?: string;
  /** The model jobs use (the settings' choice). */
  selected: boolean;
  /** The download in progress, while `state` is `downloading`. */
  download: ModelDownloadProgress | null;
  /** The loaded session, when this model is loaded in the depth engine. */
  loaded: LoadedModelSummary | null;
  /** Whether it sees each photo in the photo's own shape, as the original does, or squashes it to one size. */
  photoShape: PhotoShapeHandling;
  /** How it departs from the original ZoeDepth, one sentence each; empty when it does what the original does. */
  differencesFromOriginal: string[];
  /** Full precision, or a quick fp16/int8 copy of the model `variantOf`. */
  precision: 'fp32' | 'fp16' | 'int8';
  variantOf?: string;
  /** The most faithful model that can be downloaded: the one a new user is advised to install. */
  recommended: boolean;
}

/** What `models.list` returns. */
export interface ModelsOverview {
  models: ModelSummary[];
  /** The settings' model, or null when none is chosen. */
  selectedModelId: string | null;
}

/**
 * Progress of a model download (event `models.progress`), at most a few per second while
 * `downloading`, and one last time with the outcome: `installed`, `failed` (with `error`) or `cancelled`.
 */
export interface ModelDownloadProgress {
  id: string;
  state: 'downloading' | 'installed' | 'failed' | 'cancelled';
  /** The file being fetched (a model may have a weights file beside it). */
  fileName: string;
  /** Bytes on disk so far, a resumed prefix included. */
  receivedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number;
  /** This transfer continues an interrupted one. */
  resumed: boolean;
  error?: ZoeErrorValue;
}

/**
 * Progress of loading a model into the depth engine (event `models.loadProgress`): the first load
 * of a large model optimises it for this computer, which takes a while; later loads are quick.
 */
export interface ModelLoadProgress {
  id: string;
  stage: 'reading' | 'optimising' | 'creating-session' | 'ready' | 'failed';
  /** 0..1 */
  fraction: number;
  /** A sentence for the photographer, e.g. “Optimising the model for this computer (cpu)”. */
  message: string;
  error?: ZoeErrorValue;
}

/** A model loaded in the depth engine, and where it runs. */
export interface LoadedModelSummary {
  modelId: string;
  /** The execution provider, e.g. `cpu`, `cuda`, `webgpu`. */
  provider: string;
  /** Why a GPU provider was not used although the device setting allowed one. */
  providerFallbackReason?: string;
  loadMs: number;
  /** The optimised graph saved by an earlier load was used. */
  fromOptimisedCache: boolean;
}

/** A tensor of a model file, as `models.verify` reports it. */
export interface ModelTensorSummary {
  name: string;
  type: string;
  shape: (number | string)[];
}

/** What `models.verify` found. */
export interface ModelVerification {
  id: string;
  ok: boolean;
  sizeBytes: number;
  sha256: string;
  /** The catalog publishes a checksum that was compared. */
  checksumKnown: boolean;
  inputs: ModelTensorSummary[];
  outputs: ModelTensorSummary[];
  /** Sentences for the photographer; empty when `ok`. */
  problems: string[];
}

/**
 * What the depth engine will use and where it runs (method `depth.status`, event `depth.status`),
 * so the interface can always show GPU or CPU.
 */
export interface DepthStatus {
  /** The model jobs use: the settings' choice, else the first installed model; null when none is installed. */
  modelId: string | null;
  modelInstalled: boolean;
  /** The device setting. */
  device: DevicePreference;
  /** The provider that ran (or loaded) the model last; null until the model is loaded. */
  provider: string | null;
  providerFallbackReason?: string;
  /** A model is being loaded right now. */
  loading: boolean;
}
