/**
 * The projections' lag in GET …/stats is the same answer for every workspace and every caller:
 * computed at most once per `ttlMs` per process, and by one caller at a time (the others share
 * that computation), instead of a chain of event-store reads per request. A failed computation is
 * not kept. Callers that passed a minPosition (read-your-writes) ask for a fresh one.
 */
export interface ProjectionLagMemo<T> {
  get(fresh: boolean): Promise<T>;
}

export function projectionLagMemo<T>(
  compute: () => Promise<T>,
  ttlMs = 1_000,
  now: () => number = () => performance.now(),
): ProjectionLagMemo<T> {
  let last: { readonly at: number; readonly value: Promise<T> } | null = null;
  const start = (): Promise<T> => {
    const value = compute();
    const entry = { at: now(), value };
    last = entry;
    value.catch(() => {
      if (last === entry) last = null;
    });
    return value;
  };
  return {
    get: (fresh) => (fresh || last === null || now() - last.at >= ttlMs ? start() : last.value),
  };
}
