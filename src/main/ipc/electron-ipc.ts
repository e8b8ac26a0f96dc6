import { ipcMain } from 'electron';
import { FOLDER_DROP_CHANNEL, METHOD_NAMES, channelOf } from '../../shared/api';
import { toErrorValue, type Result } from '../../shared/errors';
import { dispatch } from './dispatch';
import type { HandlerTable } from './handlers';

/** The part of Electron's `WebFrameMain` the sender check reads. */
export interface CallingFrame {
  readonly url: string;
}

/** What the sender check reads from an IPC event: the frame that sent it (`null` once it is gone). */
export interface InvokeOrigin {
  readonly senderFrame: CallingFrame | null;
}

/** Who may call: the main frame of the app's own window, showing a page of the app. */
export interface TrustedRenderer {
  /** The main frame of the app's window as it is now (compared by identity); `null` while there is no window. */
  mainFrame(): CallingFrame | null;
  /** The URL prefix of the app's pages (`zoe://app/`). */
  urlPrefix: string;
}

/** Why a sender is refused, or `null` when it is the app's own main frame showing an app page. */
export function senderRefusal(event: InvokeOrigin, trusted: TrustedRenderer): string | null {
  const frame = event.senderFrame;
  if (frame === null) return 'the calling frame is gone';
  const mainFrame = trusted.mainFrame();
  if (mainFrame === null || frame !== mainFrame) return 'the call did not come from the main frame of the app window';
  if (!frame.url.startsWith(trusted.urlPrefix)) return `the calling page is not an app page (${frame.url})`;
  return null;
}

/**
 * The one wrapper every IPC call goes through: the sender is checked, then `dispatch` validates
 * the argument and runs the handler. Whatever happens, the answer is a `Result` value; nothing
 * is thrown across IPC.
 */
export async function answerInvoke(
  table: HandlerTable,
  method: string,
  event: InvokeOrigin,
  request: unknown,
  trusted: TrustedRenderer
): Promise<Result<unknown>> {
  try {
    const refusal = senderRefusal(event, trusted);
    if (refusal !== null) {
      console.warn(`[zoe] refused ${method}: ${refusal}`);
      return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'This call was refused because it did not come from Zoe Studio’s own window.', detail: refusal } };
    }
    return await dispatch(table, method, request);
  } catch (error) {
    return { ok: false, error: toErrorValue(error) };
  }
}

/**
 * Registers one `ipcMain.handle` per method of the contract, each through {@link answerInvoke}.
 * Returns a function that removes them again.
 */
export function registerIpcHandlers(table: HandlerTable, trusted: TrustedRenderer): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(channelOf(method), (event, request: unknown) => answerInvoke(table, method, event, request, trusted));
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(channelOf(method));
  };
}

/**
 * Listens on the preload-only channel where the app window reports a folder dropped on it. The
 * sender is checked as for every call (a subframe or another page is refused and logged); the
 * path goes to `openDropped`, which treats it as the photographer's own choice and answers with
 * events. Returns a function that stops listening.
 */
export function registerFolderDrop(openDropped: (dropped: unknown) => Promise<void>, trusted: TrustedRenderer): () => void {
  const listener = (event: InvokeOrigin, dropped: unknown): void => {
    const refusal = senderRefusal(event, trusted);
    if (refusal !== null) {
      console.warn(`[zoe] refused a dropped folder: ${refusal}`);
      return;
    }
    void openDropped(dropped).catch((error: unknown) => console.error('[zoe] opening a dropped folder failed:', error));
  };
  ipcMain.on(FOLDER_DROP_CHANNEL, listener);
  return () => {
    ipcMain.removeListener(FOLDER_DROP_CHANNEL, listener);
  };
}
