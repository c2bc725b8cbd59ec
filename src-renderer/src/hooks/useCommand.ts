/**
 * Sends commands from a form or a button: tracks "saving", keeps the last error, and gives each logical action
 * one idempotency key, so a double click or a retry after a lost answer changes the data once.
 * @module
 */
import { useCallback, useRef, useState } from 'react';
import type { BackendError, BackendResult } from '../../../src-preload/api.js';
import { useTransport } from './useTransport.js';

/** What {@link useCommand} returns. */
export interface CommandState {
  /** Runs `command` with `input`; resolves to its result (never rejects). */
  run(command: string, input: unknown, options?: { expectedVersion?: number }): Promise<BackendResult>;
  /** True while a command is in flight. */
  busy: boolean;
  /** The last failure, cleared by the next success or by {@link CommandState.reset}. */
  error: BackendError | null;
  /** Forgets the error and starts a new logical action (a new idempotency key). */
  reset(): void;
}

/**
 * A command sender. The idempotency key stays the same until a command succeeds or `reset()` is called, so
 * re-submitting a form after a failure that did in fact commit does not create a second record.
 */
export function useCommand(): CommandState {
  const transport = useTransport();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);
  const key = useRef<string>(crypto.randomUUID());

  const run = useCallback(
    async (command: string, input: unknown, options: { expectedVersion?: number } = {}) => {
      setBusy(true);
      const result = await transport.api.execute({
        command,
        input,
        commandId: `${command}:${key.current}`,
        ...(options.expectedVersion !== undefined ? { expectedVersion: options.expectedVersion } : {}),
      });
      setBusy(false);
      if (result.ok) {
        setError(null);
        key.current = crypto.randomUUID();
      } else setError(result.error);
      return result;
    },
    [transport],
  );

  const reset = useCallback(() => {
    setError(null);
    key.current = crypto.randomUUID();
  }, []);

  return { run, busy, error, reset };
}
