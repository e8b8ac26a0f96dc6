/**
 * An in-memory transport for `buildZoeApi`: calls are validated against the real `zoeMethods`
 * schemas (as the main process does) and answered by the handlers a test installs; events are
 * delivered to subscribers synchronously. It is a transport, not a stub of a feature: the stores
 * under test go through the very `ZoeApi` object the app uses.
 */
import { buildZoeApi, zoeMethods, type EventName, type MethodName, type ParsedRequestOf, type ResultOf, type ZoeApi, type ZoeEvents } from '../../src/shared/api';
import { ZoeError, toErrorValue, type Result } from '../../src/shared/errors';

type Handlers = { [M in MethodName]?: (request: ParsedRequestOf<M>) => ResultOf<M> | Promise<ResultOf<M>> };

export interface RecordedCall {
  method: MethodName;
  request: unknown;
}

export class MemoryBackend {
  handlers: Handlers = {};
  readonly calls: RecordedCall[] = [];
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  readonly api: ZoeApi;

  constructor() {
    this.api = buildZoeApi({
      invoke: (method, request) => this.invoke(method, request),
      subscribe: (event, listener) => {
        const set = this.listeners.get(event) ?? new Set();
        set.add(listener);
        this.listeners.set(event, set);
        return () => set.delete(listener);
      }
    });
  }

  reset(): void {
    this.handlers = {};
    this.calls.length = 0;
  }

  /** Installs the handler of one method. */
  on<M extends MethodName>(method: M, handler: (request: ParsedRequestOf<M>) => ResultOf<M> | Promise<ResultOf<M>>): void {
    (this.handlers as Record<string, unknown>)[method] = handler;
  }

  callsOf(method: MethodName): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  emit<E extends EventName>(event: E, payload: ZoeEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  private async invoke(method: MethodName, request: unknown): Promise<Result<unknown>> {
    this.calls.push({ method, request });
    const parsed = zoeMethods[method].request.safeParse(request);
    if (!parsed.success) return { ok: false, error: { code: 'INVALID_ARGUMENT', message: `Invalid request to ${method}.` } };
    const handler = this.handlers[method] as ((request: unknown) => unknown) | undefined;
    if (handler === undefined) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `No handler for ${method} in this test.` } };
    try {
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      return { ok: false, error: error instanceof ZoeError ? error.toValue() : toErrorValue(error) };
    }
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 5; round += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}
