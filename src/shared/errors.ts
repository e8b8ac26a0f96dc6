/**
 * Errors cross every boundary (IPC, WebSocket, CLI) as values with a stable code the UI can act on
 * and a message a photographer understands.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'FORBIDDEN_SENDER',
  'UNKNOWN_METHOD',
  'NOT_FOUND',
  'UNSUPPORTED_IMAGE',
  /** The image's data is incomplete or corrupt (a truncated or damaged file), as opposed to a format we do not read. */
  'DAMAGED_IMAGE',
  /** The image is larger (in pixels or bytes) than Zoe Studio handles. */
  'TOO_LARGE',
  /** The path is a folder, a device, a pipe or a socket where a file was expected. */
  'NOT_A_FILE',
  /** The file changed (was rewritten, truncated or replaced) while Zoe Studio read it. */
  'FILE_CHANGED',
  /** The operating system refused access (EACCES, EPERM, read-only folder). */
  'PERMISSION_DENIED',
  /** A file name or path is longer than the file system allows (ENAMETOOLONG). */
  'NAME_TOO_LONG',
  /** A network problem: offline, host not found, connection refused. */
  'NETWORK_ERROR',
  'MODEL_NOT_INSTALLED',
  'MODEL_INVALID',
  'DOWNLOAD_FAILED',
  'OUT_OF_MEMORY',
  'CANCELLED',
  'IO_ERROR',
  'INTERNAL'
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as it travels to the renderer or is printed by the CLI. */
export interface ZoeErrorValue {
  code: ErrorCode;
  /** One or two sentences for a photographer: what went wrong and what to do. */
  message: string;
  /** Technical detail for logs and bug reports; never needed to understand the message. */
  detail?: string;
}

/** The outcome of every `ZoeApi` call: a value, or an error as a value. Never a thrown exception. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ZoeErrorValue };

/** Thrown inside the main process by handlers and engine code; turned into a `Result` at the boundary. */
export class ZoeError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { detail?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ZoeError';
    this.code = code;
    this.detail = options?.detail;
  }

  toValue(): ZoeErrorValue {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string, detail?: string): Result<T> {
  return { ok: false, error: detail === undefined ? { code, message } : { code, message, detail } };
}

/** Any thrown value as an error value; unknown errors become INTERNAL with their text as detail. */
export function toErrorValue(error: unknown): ZoeErrorValue {
  if (error instanceof ZoeError) return error.toValue();
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { code: 'INTERNAL', message: 'Something went wrong inside Zoe Studio.', detail };
}
