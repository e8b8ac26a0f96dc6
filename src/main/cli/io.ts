/** What the `zoe` command line talks to: injectable so that tests run it in-process. */

/** A text output: the process's stdout or stderr, or a test's collector. */
export interface CliOutput {
  write(text: string): unknown;
  /** True when a person is watching a terminal: progress bars are drawn only then. */
  isTTY?: boolean;
  /** Terminal width, for progress bars. */
  columns?: number;
}

/** The outside world of one `zoe` run. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Environment variables (ZOE_DATA_DIR, XDG_CONFIG_HOME, APPDATA, HOME…). */
  env: Readonly<Record<string, string | undefined>>;
  /** Folder relative paths are resolved against. */
  cwd: string;
  /** Folder holding `models/catalog.json`; found beside the build (or the sources) when absent. */
  resourcesDir?: string;
  /** The terminal progress bars are drawn on; absent when nobody watches (pipes, files, tests). */
  terminal?: NodeJS.WritableStream;
}

/** The real process's io. */
export function processIo(): CliIo {
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
  if (process.stderr.isTTY) io.terminal = process.stderr;
  return io;
}

/** Exit codes of `zoe`. */
export const EXIT_OK = 0;
/** At least one photo (or model operation) failed. */
export const EXIT_FAILED = 1;
/** The command line itself was wrong. */
export const EXIT_USAGE = 2;
