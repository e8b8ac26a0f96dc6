/**
 * The requests a worker thread has not answered yet, by id: the one piece of request/reply logic
 * every worker client shares. A reply settles its request (an error value becomes a `ZoeError`
 * again); when the thread ends, every request still waiting fails with the client's reason.
 */
import { ZoeError, type ZoeErrorValue } from '../../shared/errors';

/** The reply of a worker thread that ends a request. */
export type FinalReply<T> = { id: number; kind: 'done'; value: T } | { id: number; kind: 'error'; error: ZoeErrorValue };

interface Waiting<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

/** Requests sent to one thread and waiting for their replies; `Extra` is kept with each (e.g. a progress callback). */
export class PendingRequests<T, Extra extends object = object> {
  private readonly waiting = new Map<number, Waiting<T> & Extra>();
  private nextId = 1;

  /** How many requests are waiting. */
  get size(): number {
    return this.waiting.size;
  }

  /**
   * A new request: `send` posts it to the thread with its new id; the promise settles with its
   * reply (or rejects at once when `send` throws, e.g. on a value the thread cannot receive).
   */
  open(extra: Extra, send: (id: number) => void): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { ...extra, resolve, reject });
      send(id);
    });
  }

  /** What was kept with the waiting request `id`, if it still waits. */
  extra(id: number): Extra | undefined {
    return this.waiting.get(id);
  }

  /** Settles the request a final reply answers; false when no request with its id waits. */
  settle(reply: FinalReply<T>): boolean {
    const waiting = this.waiting.get(reply.id);
    if (waiting === undefined) return false;
    this.waiting.delete(reply.id);
    if (reply.kind === 'done') waiting.resolve(reply.value);
    else {
      const { code, message, detail } = reply.error;
      waiting.reject(new ZoeError(code, message, detail === undefined ? undefined : { detail }));
    }
    return true;
  }

  /** Fails every waiting request with `error` (the thread ended or broke). */
  failAll(error: ZoeError): void {
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
