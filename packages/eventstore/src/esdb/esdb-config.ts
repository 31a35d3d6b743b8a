/**
 * Reads the EventStoreDB configuration from the environment: `EVENTSTORE_URL`, an `esdb://`
 * (or `esdb+discover://`) connection string. Unset means "use the PostgreSQL adapter".
 */
import { z } from 'zod';

const EventStoreUrl = z.string().regex(/^esdb(\+discover)?:\/\/\S+$/);

export type EsdbConfigResult =
  | { readonly ok: true; readonly value: { readonly connectionString: string } | null }
  | { readonly ok: false; readonly code: 'EVENTSTORE_URL_INVALID' };

export function readEsdbConfig(env: Readonly<Record<string, string | undefined>>): EsdbConfigResult {
  const raw = env['EVENTSTORE_URL'];
  if (raw === undefined || raw.trim() === '') return { ok: true, value: null };
  const parsed = EventStoreUrl.safeParse(raw.trim());
  return parsed.success
    ? { ok: true, value: { connectionString: parsed.data } }
    : { ok: false, code: 'EVENTSTORE_URL_INVALID' };
}
