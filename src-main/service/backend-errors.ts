/**
 * Building and recognising {@link BackendError}s: what crosses IPC and HTTP when a request fails.
 * Internal details (stacks, paths) never cross; they go to the logger.
 * @module
 */
import type { ZodIssue } from 'zod';
import type { BackendError, BackendErrorKind, BackendResult } from '../../core/crm/backend.js';

export { isBackendResult } from '../../src-preload/api.js';

/** A failed {@link BackendResult} with the given error. */
export function failure(
  kind: BackendErrorKind,
  code: string,
  message: string,
  details?: unknown,
): BackendResult<never> {
  const error: BackendError = { kind, code, message };
  if (details !== undefined) error.details = details;
  return { ok: false, error };
}

/** A validation failure listing zod's issues as `{ path, message }`. */
export function invalidInput(code: string, what: string, issues: readonly ZodIssue[]): BackendResult<never> {
  const details = issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  return failure('validation', code, `${what} is invalid: ${summary}`, details);
}

/** The result of a call that threw: an `internal` error with no detail beyond a sentence for the user. */
export function internalFailure(): BackendResult<never> {
  return failure(
    'internal',
    'INTERNAL',
    'Something went wrong in the app; details are in its log. Try again.',
  );
}

/** The HTTP status that goes with a result in browser mode. */
export function httpStatusOf(result: BackendResult): number {
  if (result.ok) return 200;
  switch (result.error.kind) {
    case 'validation':
      return 400;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'domain':
      return 422;
    case 'internal':
      return 500;
  }
}
