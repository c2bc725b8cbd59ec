/**
 * The error of a form as a whole (what no single field explains: a duplicate, a conflict, an internal error).
 * @module
 */
import type { BackendError } from '../../../../src-preload/api.js';
import { fieldMessages } from '../../errors.js';

/** Shows `error`'s form-level message, if it has one. */
export function FormError({ error }: { error: BackendError | null }) {
  const message = error ? fieldMessages(error)[''] : undefined;
  if (!message) return null;
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}
