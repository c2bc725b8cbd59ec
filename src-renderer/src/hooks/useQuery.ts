/**
 * Runs a query and keeps its result current: re-runs it when a change notification names it, and when the live
 * connection comes back (notifications may have been missed meanwhile).
 * @module
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendError } from '../../../src-preload/api.js';
import { useTransport } from './useTransport.js';

/** The state of a query. */
export interface QueryState<T> {
  data: T | undefined;
  error: BackendError | undefined;
  loading: boolean;
  /** Runs the query again now. */
  reload(): void;
}

/** Runs query `name` with `params` (compared by their JSON). */
export function useQuery<T>(name: string, params: Record<string, unknown> = {}): QueryState<T> {
  const transport = useTransport();
  const paramsKey = JSON.stringify(params);
  const [state, setState] = useState<{ data?: T; error?: BackendError; loading: boolean }>({ loading: true });
  // Only the newest request may set the state (an older, slower answer must not overwrite a newer one).
  const latest = useRef(0);

  const run = useCallback(() => {
    const id = ++latest.current;
    void transport.api.query({ query: name, params: JSON.parse(paramsKey) as unknown }).then((result) => {
      if (id !== latest.current) return;
      setState(
        result.ok ? { data: result.value as T, loading: false } : { error: result.error, loading: false },
      );
    });
  }, [transport, name, paramsKey]);

  useEffect(() => {
    run();
    const unsubscribe = transport.api.subscribe((n) => {
      if (n.changed.includes(name)) run();
    });
    let first = true;
    const unwatch = transport.watchStatus((status) => {
      if (status === 'live' && !first) run();
      first = false;
    });
    return () => {
      unsubscribe();
      unwatch();
    };
  }, [transport, name, run]);

  return { data: state.data, error: state.error, loading: state.loading, reload: run };
}
