/**
 * Resumable model downloads: streamed into `<final>.partial`, hashed while streaming (and over the
 * prefix already on disk when resuming with an HTTP Range request), checked, and only then renamed
 * to the final name. A server that ignores Range gets a fresh start; a web page is refused.
 */
import { createHash, type Hash } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { ZoeError } from '../../shared/errors';
import { commitFile } from '../fs/atomic';
import { hashFileInto } from '../fs/hash';
import { describeNonOnnxStart, describeOnnxFileProblem } from './onnx-file';

/** Progress of one file's download. */
export interface DownloadProgress {
  /** The file being fetched, e.g. `model.onnx`. */
  fileName: string;
  /** Bytes on disk so far, including a resumed prefix. */
  bytes: number;
  /** Expected size in bytes, when the catalog or the server says. */
  totalBytes: number | null;
  /** Average transfer rate of this attempt, bytes per second. */
  bytesPerSecond: number;
  /** True when this attempt continued an earlier interrupted transfer. */
  resumed: boolean;
}

/** What to fetch and how to check it. */
export interface DownloadRequest {
  urls: readonly string[];
  finalPath: string;
  fileName: string;
  expectedSizeBytes?: number;
  expectedSha256?: string;
  /** The body must be an ONNX model (checked on the first bytes and, at the end, on the whole file). */
  expectOnnx: boolean;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Attempts per URL when the connection drops; each later attempt resumes. Default 4. */
  attempts?: number;
  /** An attempt that receives nothing for this long is abandoned (and resumed). Default 60 s. */
  idleTimeoutMs?: number;
}

/** Aborts when the caller does, or when `touch()` has not been called for `idleMs`. */
class IdleWatch {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  readonly signal: AbortSignal;

  constructor(
    private readonly idleMs: number,
    outer: AbortSignal | undefined
  ) {
    this.signal = outer === undefined ? this.controller.signal : AbortSignal.any([outer, this.controller.signal]);
    this.touch();
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new Error(`no data for ${Math.round(this.idleMs / 1000)} s`)), this.idleMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** The `.partial` file a download streams into; it survives an interruption so the next try can resume. */
export function partialPathOf(finalPath: string): string {
  return `${finalPath}.partial`;
}

async function sizeOnDisk(filePath: string): Promise<number> {
  try {
    return (await stat(filePath)).size;
  } catch {
    return 0;
  }
}

function downloadFailed(message: string, detail?: string, cause?: unknown): ZoeError {
  return new ZoeError('DOWNLOAD_FAILED', message, { ...(detail === undefined ? {} : { detail }), cause });
}

/** A mistake in what the server sent: retrying the same URL will not help, and the partial file is dropped. */
class BadBodyError extends Error {}

/** Parses `Content-Range: bytes START-END/TOTAL`. */
function contentRangeStart(header: string | null): { start: number; total: number | null } | null {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (match === null) return null;
  return { start: Number(match[1]), total: match[2] === '*' ? null : Number(match[2]) };
}

/**
 * One HTTP attempt: continues the partial file when the server honours Range, else starts over.
 * Resolves to the sha256 of the whole partial file (streamed bytes plus the resumed prefix), or
 * `null` when the server had nothing more to send.
 */
async function attemptDownload(url: string, request: DownloadRequest, partialPath: string): Promise<string | null> {
  const watch = new IdleWatch(request.idleTimeoutMs ?? 60_000, request.signal);
  try {
    return await attemptWatched(url, request, partialPath, watch);
  } finally {
    watch.stop();
  }
}

async function attemptWatched(url: string, request: DownloadRequest, partialPath: string, watch: IdleWatch): Promise<string | null> {
  let offset = await sizeOnDisk(partialPath);
  if (request.expectedSizeBytes !== undefined && offset > request.expectedSizeBytes) {
    await rm(partialPath, { force: true });
    offset = 0;
  }
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  const response = await fetch(url, { headers, redirect: 'follow', signal: watch.signal });

  if (response.status === 416 && offset > 0) {
    // Nothing left to send: the partial file may already be whole; the final checks decide.
    await response.body?.cancel();
    return null;
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw new BadBodyError(`the server answered ${response.status} ${response.statusText}`.trim());
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (request.expectOnnx && /text\/html|application\/xhtml/i.test(contentType)) {
    await response.body?.cancel();
    throw new BadBodyError('the server sent a web page (HTML), not a model');
  }
  let resumed = false;
  let totalBytes = request.expectedSizeBytes ?? null;
  if (response.status === 206) {
    const range = contentRangeStart(response.headers.get('content-range'));
    if (range === null || range.start !== offset) {
      await response.body?.cancel();
      await rm(partialPath, { force: true });
      throw new Error(`the server resumed at the wrong place (${response.headers.get('content-range') ?? 'no Content-Range'})`);
    }
    resumed = true;
    totalBytes ??= range.total;
  } else {
    offset = 0; // 200: the server ignored Range (or none was asked); start over.
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    if (totalBytes === null && Number.isFinite(length)) totalBytes = length;
  }
  if (response.body === null) throw new BadBodyError('the server sent an empty answer');

  const hash = createHash('sha256');
  if (resumed) await hashFileInto(hash, partialPath, offset);
  await streamInto(response.body, partialPath, { hash, offset, resumed, totalBytes, watch }, request);
  return hash.digest('hex');
}

interface StreamState {
  hash: Hash;
  offset: number;
  resumed: boolean;
  totalBytes: number | null;
  watch: IdleWatch;
}

/**
 * Streams a body to the partial file, counting, hashing and (from byte 0) sniffing it on the way.
 * Each chunk is on disk before the next is read, so after a dropped connection the partial file
 * holds exactly the bytes received, ready to resume.
 */
async function streamInto(body: ReadableStream<Uint8Array>, partialPath: string, state: StreamState, request: DownloadRequest): Promise<void> {
  const started = performance.now();
  let bytes = state.offset;
  let lastReport = 0;
  let head: Buffer | null = state.offset === 0 && request.expectOnnx ? Buffer.alloc(0) : null;
  let trailing: NodeJS.Timeout | undefined;
  const report = (force: boolean): void => {
    const now = performance.now();
    if (!force && now - lastReport < 100) {
      // The latest count still goes out when the transfer then stalls (else the screen shows an older one).
      trailing ??= setTimeout(() => report(true), 100 - (now - lastReport));
      return;
    }
    clearTimeout(trailing);
    trailing = undefined;
    lastReport = now;
    const seconds = Math.max((now - started) / 1000, 1e-3);
    request.onProgress?.({
      fileName: request.fileName,
      bytes,
      totalBytes: state.totalBytes,
      bytesPerSecond: (bytes - state.offset) / seconds,
      resumed: state.resumed
    });
  };
  const sniff = (final: boolean): void => {
    if (head === null || (!final && head.length < 16)) return;
    const problem = describeNonOnnxStart(head);
    head = null;
    if (problem !== null) throw new BadBodyError(problem);
  };
  const file = await open(partialPath, state.offset === 0 ? 'w' : 'a');
  try {
    report(true);
    for await (const chunk of body) {
      state.watch.touch();
      if (head !== null) head = Buffer.concat([head, chunk.subarray(0, 64)]);
      sniff(false);
      if (state.totalBytes !== null && bytes + chunk.length > state.totalBytes) {
        throw new BadBodyError(`the server sent more than the expected ${state.totalBytes} bytes`);
      }
      await file.write(chunk);
      state.hash.update(chunk);
      bytes += chunk.length;
      report(false);
    }
    sniff(true);
    report(true);
  } finally {
    clearTimeout(trailing);
    await file.close();
  }
}

/**
 * Checks a complete partial file: size, sha256 (the one computed while streaming, when there is
 * one) and ONNX structure. Returns the problem or `null`.
 */
async function checkComplete(partialPath: string, request: DownloadRequest, streamedSha256: string | null): Promise<string | null> {
  const size = await sizeOnDisk(partialPath);
  if (request.expectedSizeBytes !== undefined && size !== request.expectedSizeBytes) {
    return `it has ${size} bytes instead of ${request.expectedSizeBytes}`;
  }
  if (request.expectedSha256 !== undefined) {
    let actual = streamedSha256;
    if (actual === null) {
      const hash = createHash('sha256');
      await hashFileInto(hash, partialPath);
      actual = hash.digest('hex');
    }
    if (actual !== request.expectedSha256) return `its checksum (sha256 ${actual}) is not the published one (${request.expectedSha256})`;
  }
  if (request.expectOnnx) return describeOnnxFileProblem(partialPath);
  return null;
}

/**
 * Downloads `request.urls` (first that works) to `request.finalPath`. Interrupted transfers are
 * retried with Range up to `attempts` times per URL, and the `.partial` file is kept for a later
 * call to resume; a wrong body (web page, bad checksum, not ONNX) removes it. Nothing ever appears
 * under the final name unless every check passed.
 */
export async function downloadVerified(request: DownloadRequest): Promise<void> {
  const partialPath = partialPathOf(request.finalPath);
  const attempts = request.attempts ?? 4;
  const reasons: string[] = [];
  for (const url of request.urls) {
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (request.signal?.aborted) throw new ZoeError('CANCELLED', `The download of ${request.fileName} was stopped; it will resume where it left off.`);
      let streamedSha256: string | null;
      try {
        streamedSha256 = await attemptDownload(url, request, partialPath);
      } catch (error) {
        if (request.signal?.aborted) {
          throw new ZoeError('CANCELLED', `The download of ${request.fileName} was stopped; it will resume where it left off.`, { cause: error });
        }
        if (error instanceof BadBodyError) {
          await rm(partialPath, { force: true });
          reasons.push(`${url}: ${error.message}`);
          break;
        }
        reasons.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
        continue; // the connection dropped: try again, resuming
      }
      const problem = await checkComplete(partialPath, request, streamedSha256);
      if (problem === null) {
        await commitFile(partialPath, request.finalPath);
        return;
      }
      await rm(partialPath, { force: true });
      throw downloadFailed(
        `The download of ${request.fileName} is damaged: ${problem}. Nothing was installed; try again later or import the file by hand.`,
        url
      );
    }
  }
  const last = reasons.at(-1) ?? 'no address to download from';
  throw downloadFailed(`Zoe Studio could not download ${request.fileName}: ${last.replace(/^\S+: /, '')}.`, reasons.join('\n'));
}
