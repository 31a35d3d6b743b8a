/**
 * The reconciliation pieces `recon start`, `recon backfill` and `recon demo` call, looked up on
 * @recon/ingest's front door by name. They are typed here by the shape the CLI needs; where the
 * installed ingest package does not export one yet, the lookup answers `null` and the caller
 * fails (or skips) with a clear message instead of crashing at import time.
 */
import * as ingest from '@recon/ingest';

function exported<T>(name: string): T | null {
  const value = (ingest as Record<string, unknown>)[name];
  return typeof value === 'function' ? (value as T) : null;
}

export const ingestSeams = {
  runBackfill: () => exported<(...args: unknown[]) => Promise<unknown>>('runBackfill'),
};
