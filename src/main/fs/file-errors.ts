/**
 * Operating-system errors (errno codes) as typed `ZoeError`s with a message a photographer can act
 * on: which file, what went wrong, what to do. Never a stack trace or a raw `EACCES: …` line.
 */
import path from 'node:path';
import { ZoeError } from '../../shared/errors';

/** What Zoe Studio was doing with the file, for the wording of the message. */
export type FileAction = 'read' | 'write' | 'list';

/** The errno code of a Node file-system error, if it is one. */
export function errnoOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The last part of a path, shortened when it is absurdly long (an ENAMETOOLONG name). */
export function shownName(filePath: string): string {
  const name = path.basename(filePath) || filePath;
  return name.length > 80 ? `${name.slice(0, 40)}…${name.slice(-20)}` : name;
}

const VERB: Record<FileAction, string> = { read: 'read', write: 'write to', list: 'open the folder' };

/**
 * The `ZoeError` for a file-system failure on `filePath`, or `null` when `error` is no errno error
 * this function knows (the caller keeps its own wording then). `what` names the file in messages:
 * "photo", "depth file", "model file", "folder".
 */
export function fileSystemError(error: unknown, filePath: string, what: string, action: FileAction = 'read'): ZoeError | null {
  if (error instanceof ZoeError) return error;
  const code = errnoOf(error);
  if (code === undefined) return null;
  const name = shownName(filePath);
  const detail = `${code}: ${filePath}`;
  const make = (zoeCode: ZoeError['code'], message: string): ZoeError => new ZoeError(zoeCode, message, { detail, cause: error });
  const subject = action === 'list' ? `the folder “${name}”` : `“${name}”`;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return make('NOT_FOUND', `There is no ${what} “${name}”. It may have been moved, renamed or unplugged.`);
    case 'EACCES':
    case 'EPERM':
      return make(
        'PERMISSION_DENIED',
        `Zoe Studio is not allowed to ${action === 'list' ? 'open' : VERB[action]} ${subject}. Check its permissions (or choose another ${action === 'write' ? 'folder' : what}).`
      );
    case 'EROFS':
      return make('PERMISSION_DENIED', `${capitalised(subject)} is on a read-only disk; choose a folder Zoe Studio may write to.`);
    case 'ENAMETOOLONG':
      return make('NAME_TOO_LONG', `The name of ${subject} is longer than the file system allows; rename it (or choose a shorter output name) and try again.`);
    case 'ELOOP':
      return make('NOT_A_FILE', `${capitalised(subject)} is a symbolic link that leads round in a loop; it points to no real ${what}.`);
    case 'EISDIR':
      return make('NOT_A_FILE', `“${name}” is a folder, not a ${what}.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return make('IO_ERROR', `The disk is full: Zoe Studio could not ${VERB[action]} ${subject}. Free some space and try again.`);
    case 'EIO':
      return make('IO_ERROR', `The disk reported a read or write error on ${subject}; the disk or memory card may be failing or was unplugged.`);
    case 'EMFILE':
    case 'ENFILE':
      return make('IO_ERROR', `Too many files are open at once to ${VERB[action]} ${subject}; try again in a moment.`);
    case 'EEXIST':
      return make('IO_ERROR', `${capitalised(subject)} already exists.`);
    default:
      return make('IO_ERROR', `Zoe Studio could not ${VERB[action]} ${subject} (${code}).`);
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
