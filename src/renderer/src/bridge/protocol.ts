/**
 * The messages of the test host's WebSocket (`/zoe`), after {@link decodeWireMessage}:
 *
 * - page → host, a call: `{ id, method, request }`
 * - host → page, its reply: `{ id, result }`, `result` being the `Result` the handler table returned
 * - host → page, an event: `{ event, payload }`
 *
 * Both ends validate every frame with these schemas; nothing from the socket is trusted as is.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../../../shared/errors';

/** The path on the test host that upgrades to the WebSocket. */
export const ZOE_SOCKET_PATH = '/zoe';

/** A call from the page. `request` is absent for methods that take no argument. */
export const callFrame = z.strictObject({
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(200),
  request: z.unknown().optional()
});
export type CallFrame = z.infer<typeof callFrame>;

/** Just enough of a call to know whom to answer when the rest of it is malformed. */
export const callIdOnly = z.object({ id: z.number().int().nonnegative() });

const errorValue = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  detail: z.string().optional()
});

/** A `Result` as it crosses the socket. */
export const resultValue = z.union([
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: errorValue })
]);

/** The host's answer to one call. */
export const replyFrame = z.strictObject({ id: z.number().int().nonnegative(), result: resultValue });
export type ReplyFrame = z.infer<typeof replyFrame>;

/** An event pushed by the host to every connected page. */
export const eventFrame = z.strictObject({ event: z.string().min(1), payload: z.unknown() });
export type EventFrame = z.infer<typeof eventFrame>;

/** Anything the host may send. */
export const hostFrame = z.union([replyFrame, eventFrame]);
