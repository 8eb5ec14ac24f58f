/** Loading state of an asynchronous read, with a reload. */
import { useCallback, useEffect, useState } from 'preact/hooks';

/** What a page shows while reading. */
export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

/** Run `load` now and whenever `deps` change; a stale answer is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => {
        if (live) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (live) setState({ error, loading: false });
      },
    );
    return () => {
      live = false;
    };
    // The caller names what the load depends on (like useEffect); `tick` forces a reload.
  }, [...deps, tick]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
