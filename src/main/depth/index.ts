/**
 * The depth engine's public surface (issue 3): what the model manager, the depth cache, the CLI
 * and the IPC handlers use.
 */
export { DepthEngine } from './engine';
export type { EstimateOptions, InstalledModel } from './engine';
export type { LoadedModelInfo, LoadProgress } from './session-host';
export { decodePhoto } from './decode';
export type { DecodedPhoto } from './decode';
export { inferManifestFromModel, manifestFromSignature } from './infer-manifest';
export type { ManifestHints } from './infer-manifest';
export { loadCatalog } from './catalog';
export { attachModelOutput, modelOutputOf } from './model-output';
export type { ModelDepthOutput } from './model-output';
export type { ModelSignature, TensorDescription } from './worker/protocol';
