/**
 * The one IPC contract between the renderer and the main process.
 *
 * Every renderer→main call is a method `namespace.name` in {@link ZoeMethods}: its request schema
 * (validated at run time by the main process before any handler runs) and its result type.
 * Every main→renderer event is an entry of {@link ZoeEvents}. The preload, the main handler table,
 * the WebSocket test host and its renderer bridge are all derived from these two declarations, so
 * a missing or misspelt method is a compile error everywhere.
 */
import { z } from 'zod';
import type { Result, ZoeErrorValue } from './errors';
import type { ListedMethodName } from './api-bridge';
import { settingsPatchSchema, type Settings } from './settings';
import {
  previewRequest,
  thumbnailsRequest,
  type CacheInfo,
  type ImageResource,
  type ThumbnailOutcome
} from './thumbnails';
import type { DepthMap } from './depth';
import {
  cancelJobsRequest,
  enqueueJobsRequest,
  photoDepthRequest,
  prioritiseJobRequest,
  type DepthJob,
  type DepthReady,
  type EnqueuedJobs,
  type JobsChange,
  type JobsSnapshot
} from './api/jobs';
import {
  modelIdRequest,
  type DepthStatus,
  type LoadedModelSummary,
  type ModelDownloadProgress,
  type ModelLoadProgress,
  type ModelsOverview,
  type ModelSummary,
  type ModelVerification
} from './api/models';
import {
  exportBatchRequest,
  exportCancelRequest,
  exportPreviewRequest,
  type ExportBatchStarted,
  type ExportPlan,
  type ExportPreview,
  type ExportProgress,
  type OutputFolder
} from './api/export';
import {
  measureComputeRequest,
  measureDeleteRequest,
  measureExportAnnotatedRequest,
  measureExportRequest,
  measureIntrinsicsRequest,
  measurePhotoRequest,
  measureRenameRequest,
  measureSaveRequest,
  measureSetCalibrationRequest,
  type AnnotatedExport,
  type MeasureComputation,
  type MeasurementExport,
  type PhotoCalibration,
  type PhotoCamera,
  type PhotoMeasurements,
  type SavedMeasurement
} from './api/measure';
import {
  photoMetadataRequest,
  photoSummariesRequest,
  photoTagsRequest,
  type PhotoMetadata,
  type PhotoSummary,
  type PhotoTagsOutcome
} from './api/photos';

export * from './api/jobs';
export * from './api/models';
export * from './api/export';
export * from './api/measure';
export * from './api/photos';

/** An execution provider as onnxruntime-node reports it. */
export interface ExecutionProviderInfo {
  name: string;
  /** Shipped inside the onnxruntime-node package (true) or installed separately, e.g. CUDA (false). */
  bundled: boolean;
}

/** What `app.getInfo()` returns. */
export interface AppInfo {
  appName: string;
  appVersion: string;
  /** Which host serves the API: the Electron app, or the WebSocket test host. */
  host: 'electron' | 'test-host';
  versions: { node: string; electron: string | null; chrome: string | null; onnxruntime: string; sharp: string };
  platform: string;
  arch: string;
  executionProviders: ExecutionProviderInfo[];
}

/** One photo of an open folder, as the renderer sees it: an id, never a path it could choose. */
export interface PhotoEntry {
  id: string;
  /** File name, for display. */
  name: string;
  /** Path relative to the opened folder, with `/` separators, for display. */
  relativePath: string;
  sizeBytes: number;
  modifiedMs: number;
  /** `raw` files are shown through their embedded JPEG preview. */
  kind: 'image' | 'raw';
}

/** An opened folder. `displayPath` is for showing only; the renderer never sends paths back. */
export interface FolderListing {
  folderId: string;
  name: string;
  displayPath: string;
  recursive: boolean;
  photos: PhotoEntry[];
  /** Subfolders that could not be read (relative paths, for display); their photos are missing. */
  unreadableFolders: string[];
}

/** A folder opened before, reopened by its id (never by a path the renderer sends). */
export interface RecentFolder {
  folderId: string;
  name: string;
  /** For display only. */
  displayPath: string;
  recursive: boolean;
  openedMs: number;
}

export const openRecentRequest = z.strictObject({
  folderId: z.string().min(1).max(64),
  /** Overrides the recursive choice remembered with the folder. */
  recursive: z.boolean().optional()
});

export const openFolderRequest = z
  .strictObject({
    /** Include photos in subfolders. */
    recursive: z.boolean().optional()
  })
  .optional();

/**
 * Every renderer→main call: `request` is the zod schema of its single argument, `result` a phantom
 * type of what a successful call returns.
 */
export const zoeMethods = {
  'app.getInfo': { request: z.undefined(), result: as<AppInfo>() },
  /** Shows the host's folder chooser; `null` when the photographer cancels. */
  'library.openFolder': { request: openFolderRequest, result: as<FolderListing | null>() },
  /** Folders opened before, most recent first. */
  'library.recentFolders': { request: z.undefined(), result: as<RecentFolder[]>() },
  /** Reopens a recent folder by id. */
  'library.openRecent': { request: openRecentRequest, result: as<FolderListing>() },
  /** Thumbnails of some photos of the open folder: a URL each, or the reason there is none. */
  'thumbnails.get': { request: thumbnailsRequest, result: as<ThumbnailOutcome[]>() },
  /** The viewer's large upright preview of one photo. */
  'thumbnails.preview': { request: previewRequest, result: as<ImageResource>() },
  /** Size of the thumbnail cache. */
  'thumbnails.cacheInfo': { request: z.undefined(), result: as<CacheInfo>() },
  /** Empties the thumbnail cache; thumbnails are made again when next shown. */
  'thumbnails.clearCache': { request: z.undefined(), result: as<CacheInfo>() },
  'settings.get': { request: z.undefined(), result: as<Settings>() },
  /** Changes some settings and returns all of them. */
  'settings.set': { request: settingsPatchSchema, result: as<Settings>() },
  /** Catalog and imported models with their state, the selected one, downloads and loaded sessions. */
  'models.list': { request: z.undefined(), result: as<ModelsOverview>() },
  /**
   * Starts downloading a catalog model and returns at once (with the model as it stands then);
   * follow it with `models.progress`. The first model installed becomes the selected one.
   */
  'models.install': { request: modelIdRequest, result: as<ModelSummary>() },
  /** Stops a download; the part already fetched is kept so that installing again resumes. False when none ran. */
  'models.cancelInstall': { request: modelIdRequest, result: as<boolean>() },
  /**
   * Shows the host's file chooser for an `.onnx` file and imports it (its description is the
   * `<name>.json` beside it, else inferred from its input shape). `null` when the photographer cancels.
   */
  'models.import': { request: z.undefined(), result: as<ModelSummary | null>() },
  /** Re-reads an installed model completely: size, checksum, and a real ONNX Runtime session. */
  'models.verify': { request: modelIdRequest, result: as<ModelVerification>() },
  /** Deletes an installed model; its queued and running jobs are cancelled. */
  'models.remove': { request: modelIdRequest, result: as<ModelsOverview>() },
  /** Loads a model into the depth engine now (with the device setting); follow it with `models.loadProgress`. */
  'models.load': { request: modelIdRequest, result: as<LoadedModelSummary>() },
  /** The model jobs use and the execution provider it runs on (GPU or CPU, with the reason for a fallback). */
  'depth.status': { request: z.undefined(), result: as<DepthStatus>() },
  /**
   * The photo's depth at display resolution for the current model and options, from the depth
   * cache; `null` when it has not been estimated (this never runs the model: use `jobs.enqueue`).
   */
  'depth.get': { request: photoDepthRequest, result: as<DepthMap | null>() },
  /** Size of the depth cache. */
  'depth.cacheInfo': { request: z.undefined(), result: as<CacheInfo>() },
  /** Empties the depth cache; depth is estimated again when asked for. */
  'depth.clearCache': { request: z.undefined(), result: as<CacheInfo>() },
  /**
   * Size of the optimised-model cache: each model's graph as ONNX Runtime optimised it on its first
   * load, so later loads are faster. Read only: it is remade on the next load.
   */
  'depth.optimisedCacheInfo': { request: z.undefined(), result: as<CacheInfo>() },
  /** Queues depth estimation for photos; one job id per photo (a photo already queued keeps its job). */
  'jobs.enqueue': { request: enqueueJobsRequest, result: as<EnqueuedJobs>() },
  /** Cancels queued jobs and stops the running one; returns the jobs that were cancelled. */
  'jobs.cancel': { request: cancelJobsRequest, result: as<DepthJob[]>() },
  /** Every job still remembered (the most recent finished ones and all unfinished), with the summary. */
  'jobs.list': { request: z.undefined(), result: as<JobsSnapshot>() },
  /** Puts the queued job of the photo on screen at the head of the queue; `null` when it has none queued. */
  'jobs.prioritise': { request: prioritiseJobRequest, result: as<DepthJob | null>() },
  /** Shows the host's folder chooser (with "new folder") for export output; `null` when the photographer cancels. */
  'export.chooseFolder': { request: z.undefined(), result: as<OutputFolder | null>() },
  /**
   * What a batch would write: every file name from the naming template, the names already taken
   * (so the dialog can ask before `export.start`), and the expected size per format. Writes nothing.
   */
  'export.plan': { request: exportBatchRequest, result: as<ExportPlan>() },
  /**
   * Starts a batch and returns at once; `export.progress` follows it. Depth is taken from the cache
   * or estimated on the depth queue; each photo's files appear under their final names only when
   * all of them are written; a photo that cannot be read fails alone.
   */
  'export.start': { request: exportBatchRequest, result: as<ExportBatchStarted>() },
  /** Stops a batch; the photo being written leaves nothing behind. False when the batch had already ended. */
  'export.cancel': { request: exportCancelRequest, result: as<boolean>() },
  /** A small colourised PNG of a photo's depth with a colour map and range (estimating the depth first if needed). */
  'export.preview': { request: exportPreviewRequest, result: as<ExportPreview>() },
  /** The camera a photo is measured with; an override given is kept for the photo (`null` returns to EXIF). */
  'measure.intrinsics': { request: measureIntrinsicsRequest, result: as<PhotoCamera>() },
  /** The measurements, calibration and camera override kept for a photo. */
  'measure.list': { request: measurePhotoRequest, result: as<PhotoMeasurements>() },
  /** Keeps a measurement with the photo (replacing the saved one with the same id). */
  'measure.save': { request: measureSaveRequest, result: as<SavedMeasurement>() },
  'measure.rename': { request: measureRenameRequest, result: as<SavedMeasurement>() },
  /** False when there was no such measurement. */
  'measure.delete': { request: measureDeleteRequest, result: as<boolean>() },
  /** Calibrates the photo's depth with a known length, or resets it with `null` (then returns `null`). */
  'measure.setCalibration': { request: measureSetCalibrationRequest, result: as<PhotoCalibration | null>() },
  /** Values in metres with uncertainty from the cached depth (MODEL_NOT_INSTALLED, or NOT_FOUND before the photo's depth is made). */
  'measure.compute': { request: measureComputeRequest, result: as<MeasureComputation>() },
  /** The saved measurements as CSV or JSON, returned and optionally written into a chosen folder; `null` when the chooser is cancelled. */
  'measure.export': { request: measureExportRequest, result: as<MeasurementExport | null>() },
  /** The upright photo with the saved measurements drawn on it, written into a chosen folder; `null` when the chooser is cancelled. */
  'measure.exportAnnotated': { request: measureExportAnnotatedRequest, result: as<AnnotatedExport | null>() },
  /** The info panel's metadata of a photo: camera, lens, focal length and the source measurements use, exposure, date, GPS, file. */
  'photos.metadata': { request: photoMetadataRequest, result: as<PhotoMetadata>() },
  /** Date taken, whether EXIF gives a focal length, and the rating, flag and label (photo XMP, then side-cars), for sorting and filters. */
  'photos.summaries': { request: photoSummariesRequest, result: as<PhotoSummary[]>() },
  /** Sets stars, pick/reject or a colour label, written into the photos' XMP side-cars (never into the photos); one outcome per photo. */
  'photos.setTags': { request: photoTagsRequest, result: as<PhotoTagsOutcome[]>() }
} as const satisfies Record<string, MethodSpec>;

/** Every main→renderer event and its payload. Sent only for progress and changes, never as replies. */
export interface ZoeEvents {
  /** Photos appeared in, vanished from, or changed in an open folder. */
  'library.changed': { folderId: string; added: PhotoEntry[]; removed: string[] };
  /** A folder the photographer dropped on the window was opened: show it as `library.openFolder` would. */
  'library.opened': FolderListing;
  /** A dropped item could not be opened (not a folder, gone, unreadable): say why. */
  'library.openFailed': ZoeErrorValue;
  /** A model download moved on, or ended (`installed`, `failed`, `cancelled`). */
  'models.progress': ModelDownloadProgress;
  /** Loading a model into the depth engine moved on, or ended (`ready`, `failed`). */
  'models.loadProgress': ModelLoadProgress;
  /** A model was installed, imported or removed, or the selection changed: ask `models.list` again if shown. */
  'models.changed': ModelsOverview;
  /** The model in use or its execution provider changed. */
  'depth.status': DepthStatus;
  /** A photo's depth is ready: `depth.get` returns it. */
  'depth.ready': DepthReady;
  /** Jobs changed state or progress. */
  'jobs.changed': JobsChange;
  /** An export batch moved on, or ended (`done`, `cancelled`, `failed`). */
  'export.progress': ExportProgress;
}

// ---------------------------------------------------------------------------------------------
// Derived types: do not edit below to add a method; add it to `zoeMethods` above.

interface MethodSpec {
  request: z.ZodType;
  result: Phantom<unknown>;
}

/** A type carried at compile time only. */
export interface Phantom<T> {
  readonly __type?: T;
}

function as<T>(): Phantom<T> {
  return {};
}

export type ZoeMethods = typeof zoeMethods;
export type MethodName = keyof ZoeMethods;
export type EventName = keyof ZoeEvents;

export { METHOD_NAMES, FOLDER_DROP_CHANNEL, buildZoeApi, channelOf, eventChannelOf, type ZoeTransport } from './api-bridge';

/** True when `METHOD_NAMES` (api-bridge.ts) lists exactly the methods of `zoeMethods`, no more, no fewer. */
type MethodListIsExact = [MethodName] extends [ListedMethodName] ? ([ListedMethodName] extends [MethodName] ? true : false) : false;
type CompileTimeCheck<T extends true> = T;
/** Fails to compile when a method is added to `zoeMethods` but not to `METHOD_NAMES`, or the other way round. */
export type MethodListCheck = CompileTimeCheck<MethodListIsExact>;

/** The argument a method takes, as the caller writes it. */
export type RequestOf<M extends MethodName> = z.input<ZoeMethods[M]['request']>;
/** The argument a handler receives, after validation. */
export type ParsedRequestOf<M extends MethodName> = z.output<ZoeMethods[M]['request']>;
export type ResultOf<M extends MethodName> = ZoeMethods[M]['result'] extends Phantom<infer T> ? T : never;

type NamespaceOf<M> = M extends `${infer N}.${string}` ? N : never;
type MemberOf<M, N extends string> = M extends `${N}.${infer Member}` ? Member : never;
export type Namespace = NamespaceOf<MethodName>;

type Call<M extends MethodName> =
  undefined extends RequestOf<M>
    ? (request?: RequestOf<M>) => Promise<Result<ResultOf<M>>>
    : (request: RequestOf<M>) => Promise<Result<ResultOf<M>>>;

/** Unsubscribes an event listener. */
export type Unsubscribe = () => void;

/**
 * What the renderer sees as `window.zoe`: one async function per method, grouped by namespace
 * (`zoe.app.getInfo()`), and `zoe.on(event, listener)` which returns an unsubscribe function.
 */
export type ZoeApi = {
  readonly [N in Namespace]: { readonly [K in MemberOf<MethodName, N>]: Call<`${N}.${K}` & MethodName> };
} & {
  on<E extends EventName>(event: E, listener: (payload: ZoeEvents[E]) => void): Unsubscribe;
};
