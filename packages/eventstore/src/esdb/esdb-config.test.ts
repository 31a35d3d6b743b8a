import { describe, expect, it } from 'vitest';
import { readEsdbConfig } from './esdb-config';

describe('readEsdbConfig', () => {
  it('is "not configured" without EVENTSTORE_URL (recon then uses PostgreSQL)', () => {
    expect(readEsdbConfig({})).toEqual({ ok: true, value: null });
    expect(readEsdbConfig({ EVENTSTORE_URL: ' ' })).toEqual({ ok: true, value: null });
  });

  it('accepts esdb:// and esdb+discover:// connection strings', () => {
    expect(readEsdbConfig({ EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' })).toEqual({
      ok: true,
      value: { connectionString: 'esdb://localhost:2113?tls=false' },
    });
    expect(readEsdbConfig({ EVENTSTORE_URL: 'esdb+discover://cluster.local:2113' }).ok).toBe(true);
  });

  it('rejects anything else with a coded error', () => {
    expect(readEsdbConfig({ EVENTSTORE_URL: 'http://localhost:2113' })).toEqual({
      ok: false,
      code: 'EVENTSTORE_URL_INVALID',
    });
  });
});
