/**
 * `ZoeApi` over the test host's WebSocket, so the real renderer runs in a real browser with the
 * very same handler table as the Electron app. Built with `buildZoeApi`, exactly like the preload.
 *
 * Calls made before the socket opens wait for it; every call resolves to a `Result`, never
 * throws, and never hangs past the socket's life: when the socket closes, every pending call
 * resolves to an IO_ERROR. There is no reconnect (a closed test host means the test is over).
 */
import { buildZoeApi, type EventName, type MethodName, type Unsubscribe, type ZoeApi } from '../../../shared/api';
import { fail, type Result } from '../../../shared/errors';
import { callFrame, hostFrame, type CallFrame } from './protocol';
import { WireFormatError, decodeWireMessage, encodeWireMessage } from './wire';

/** The part of the WHATWG `WebSocket` the bridge uses (the browser's, or the `ws` package's in Node tests). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** A `WebSocket` constructor, e.g. `window.WebSocket`. */
export type WebSocketConstructorLike = new (url: string) => WebSocketLike;

const OPEN = 1;

const CLOSED_MESSAGE = 'The connection to the Zoe Studio test host is closed. Restart the test host and reload the page.';

/**
 * One WebSocket to the test host: numbered calls, a map of pending replies, event listeners.
 * `invoke` takes any method name so tests can reach extra handler tables; the `ZoeApi` built on
 * top of it only ever sends contract methods.
 */
export class WsTransport {
  private readonly socket: WebSocketLike;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly waitingForOpen: Uint8Array[] = [];
  private nextId = 1;
  private closed = false;

  constructor(url: string, WebSocketImpl: WebSocketConstructorLike) {
    this.socket = new WebSocketImpl(url);
    this.socket.binaryType = 'arraybuffer';
    this.socket.addEventListener('open', () => {
      for (const frame of this.waitingForOpen.splice(0)) this.socket.send(frame);
    });
    this.socket.addEventListener('message', (event) => this.receive(event.data));
    this.socket.addEventListener('close', () => this.shutDown());
    this.socket.addEventListener('error', () => this.shutDown());
  }

  /** Sends one call and resolves with the host's `Result`, or an error `Result` if it cannot. */
  invoke(method: string, request: unknown): Promise<Result<unknown>> {
    if (this.closed) return Promise.resolve(fail('IO_ERROR', CLOSED_MESSAGE));
    const id = this.nextId++;
    const call: CallFrame = request === undefined ? { id, method } : { id, method, request };
    let frame: Uint8Array;
    try {
      frame = encodeWireMessage(callFrame.parse(call));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return Promise.resolve(fail('INVALID_ARGUMENT', `The request to ${method} could not be sent.`, detail));
    }
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      if (this.socket.readyState === OPEN) this.socket.send(frame);
      else this.waitingForOpen.push(frame);
    });
  }

  /** Listens for one event; the returned function stops listening. */
  subscribe(event: string, listener: (payload: unknown) => void): Unsubscribe {
    let listeners = this.listeners.get(event);
    if (listeners === undefined) {
      listeners = new Set();
      this.listeners.set(event, listeners);
    }
    const ownListeners = listeners;
    // Wrapped so that subscribing the same function twice gives two independent subscriptions.
    const subscription = (payload: unknown): void => listener(payload);
    ownListeners.add(subscription);
    return () => {
      ownListeners.delete(subscription);
    };
  }

  /** Closes the socket; pending calls resolve to IO_ERROR. */
  close(): void {
    this.socket.close();
    this.shutDown();
  }

  /** Number of calls still waiting for a reply (for tests and diagnostics). */
  get pendingCalls(): number {
    return this.pending.size;
  }

  private receive(data: unknown): void {
    let message: unknown;
    try {
      if (typeof data !== 'string' && !(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data)) {
        throw new WireFormatError('The test host sent a frame of an unknown kind.');
      }
      message = decodeWireMessage(data);
    } catch (error) {
      console.error('[zoe] Ignored a frame from the test host that could not be decoded:', error);
      return;
    }
    const parsed = hostFrame.safeParse(message);
    if (!parsed.success) {
      console.error('[zoe] Ignored a malformed frame from the test host:', parsed.error.message);
      return;
    }
    const frame = parsed.data;
    if ('id' in frame) {
      this.settle(frame.id, frame.result.ok ? { ok: true, value: frame.result.value } : { ok: false, error: frame.result.error });
      return;
    }
    for (const listener of this.listeners.get(frame.event) ?? []) {
      try {
        listener(frame.payload);
      } catch (error) {
        console.error(`[zoe] A listener of “${frame.event}” failed:`, error);
      }
    }
  }

  private settle(id: number, result: Result<unknown>): void {
    const resolve = this.pending.get(id);
    if (resolve === undefined) return;
    this.pending.delete(id);
    resolve(result);
  }

  private shutDown(): void {
    if (this.closed) return;
    this.closed = true;
    this.waitingForOpen.length = 0;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const resolve of waiting) resolve(fail('IO_ERROR', CLOSED_MESSAGE));
  }
}

/** The `ZoeApi` over a WebSocket to the test host, and its transport (to close it, or for tests). */
export function connectWsBridge(url: string, WebSocketImpl: WebSocketConstructorLike): { api: ZoeApi; transport: WsTransport } {
  const transport = new WsTransport(url, WebSocketImpl);
  const api = buildZoeApi({
    invoke: (method: MethodName, request: unknown) => transport.invoke(method, request),
    subscribe: (event: EventName, listener: (payload: unknown) => void) => transport.subscribe(event, listener)
  });
  return { api, transport };
}
