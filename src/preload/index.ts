import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { EventName, MethodName } from '../shared/api';
import { FOLDER_DROP_CHANNEL, buildZoeApi, channelOf, eventChannelOf } from '../shared/api-bridge';
import type { Result } from '../shared/errors';
import { watchFolderDrops, type DropTarget } from './drop';

/**
 * A call that never reached a handler (an argument that cannot be copied across IPC, such as a
 * function, or a main process without that channel) still answers with a `Result`, never a throw.
 */
function undeliveredCall(method: MethodName, error: unknown): Result<unknown> {
  const detail = error instanceof Error ? error.message : String(error);
  if (/could not be cloned/i.test(detail)) {
    return { ok: false, error: { code: 'INVALID_ARGUMENT', message: `The request to ${method} could not be sent.`, detail } };
  }
  return { ok: false, error: { code: 'INTERNAL', message: 'Zoe Studio’s window lost contact with the app.', detail } };
}

/** `window.zoe`: exactly the ZoeApi, over `ipcRenderer.invoke`; event objects never reach the page. */
const zoe = buildZoeApi({
  invoke: (method: MethodName, request: unknown) =>
    (ipcRenderer.invoke(channelOf(method), request) as Promise<Result<unknown>>).catch((error: unknown) =>
      undeliveredCall(method, error)
    ),
  subscribe: (event: EventName, listener: (payload: unknown) => void) => {
    const channel = eventChannelOf(event);
    const forward = (_event: Electron.IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  }
});

contextBridge.exposeInMainWorld('zoe', zoe);

// A folder dropped on the window is reported on a channel of its own, not through window.zoe.
const page: DropTarget | undefined = (globalThis as { document?: DropTarget }).document;
if (page !== undefined) {
  watchFolderDrops(page, (file) => webUtils.getPathForFile(file), (dropped) => {
    ipcRenderer.send(FOLDER_DROP_CHANNEL, dropped);
  });
}
