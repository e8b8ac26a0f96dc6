import { contextBridge, ipcRenderer } from 'electron';
import { buildZoeApi, channelOf, eventChannelOf, type EventName, type MethodName } from '../shared/api';
import type { Result } from '../shared/errors';

/** `window.zoe`: exactly the ZoeApi, over `ipcRenderer.invoke`; event objects never reach the page. */
const zoe = buildZoeApi({
  invoke: (method: MethodName, request: unknown) => ipcRenderer.invoke(channelOf(method), request) as Promise<Result<unknown>>,
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
