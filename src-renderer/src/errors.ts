/**
 * Turning a backend error into what the form shows: per-field messages from validation details, else the
 * error's own sentence.
 * @module
 */
import type { BackendError } from '../../src-preload/api.js';

/** A validation issue as the router and the backend report it. */
interface FieldIssue {
  path: string;
  message: string;
}

function isFieldIssues(value: unknown): value is FieldIssue[] {
  return (
    Array.isArray(value) &&
    value.every((i) => typeof i === 'object' && i !== null && typeof (i as FieldIssue).message === 'string')
  );
}

/** The messages of `error` by field name (`''` for the form as a whole). */
export function fieldMessages(error: BackendError): Record<string, string> {
  if (error.kind === 'validation' && isFieldIssues(error.details)) {
    const out: Record<string, string> = {};
    for (const issue of error.details) {
      const field = String(issue.path ?? '');
      out[field] = out[field] ? `${out[field]} ${issue.message}` : issue.message;
    }
    return out;
  }
  return { '': error.message };
}
