import { zoeMethods, type MethodName } from '../../shared/api';
import { ZoeError, toErrorValue, type Result } from '../../shared/errors';
import type { HandlerTable } from './handlers';

/** Turns a zod issue list into one readable line. */
function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(zoeMethods, name);
}

/**
 * The one way a call reaches a handler: unknown methods are refused, the argument is validated
 * against the method's schema before the handler runs, and every outcome (including a thrown
 * error) comes back as a `Result` value. Sender checks happen in the transport before this.
 */
export async function dispatch(table: HandlerTable, method: string, request: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `There is no method called “${method}”.` } };
  }
  const parsed = zoeMethods[method].request.safeParse(request);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: `The request to ${method} was not valid.`,
        detail: describeIssues(parsed.error.issues)
      }
    };
  }
  try {
    const handler = table[method] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (!(error instanceof ZoeError)) console.error(`[zoe] ${method} failed:`, error);
    return { ok: false, error: toErrorValue(error) };
  }
}
