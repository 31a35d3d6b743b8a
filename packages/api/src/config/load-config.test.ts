import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const result = loadConfig({});
    expect(result).toEqual({
      ok: true,
      value: {
        databaseUrl: undefined,
        eventStoreUrl: undefined,
        port: 3000,
        host: '127.0.0.1',
        adminToken: undefined,
        secretKey: undefined,
        previousSecretKey: undefined,
        cronSecret: undefined,
        backfillMaxDays: 730,
        retentionDays: 30,
        logLevel: 'info',
        dataDir: './.recon',
        database: {
          connectTimeoutMs: 5_000,
          statementTimeoutMs: 30_000,
          idleInTransactionTimeoutMs: 60_000,
          keepAliveMs: 10_000,
        },
        longTransactionSeconds: 10,
        allowPrivateUrls: false,
        http: {
          timeouts: {
            requestTimeoutMs: 30_000,
            headersTimeoutMs: 15_000,
            keepAliveTimeoutMs: 72_000,
            connectionTimeoutMs: 120_000,
          },
          rateLimits: {
            webhook: { max: 3_000, windowMs: 60_000 },
            api: { max: 3_000, windowMs: 60_000 },
            ip: { max: 600, windowMs: 60_000 },
          },
          metricsToken: undefined,
          trustProxy: undefined,
        },
      },
    });
  });

  it('reads the database time bounds', () => {
    const result = loadConfig({
      RECON_DB_CONNECT_TIMEOUT_MS: '2000',
      RECON_DB_STATEMENT_TIMEOUT_MS: '0',
      RECON_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '15000',
      RECON_DB_KEEPALIVE_MS: '4000',
      RECON_LONG_TRANSACTION_SECONDS: '30',
    });
    expect(result.ok && result.value).toMatchObject({
      database: {
        connectTimeoutMs: 2_000,
        statementTimeoutMs: 0,
        idleInTransactionTimeoutMs: 15_000,
        keepAliveMs: 4_000,
      },
      longTransactionSeconds: 30,
    });
    expect(loadConfig({ RECON_DB_CONNECT_TIMEOUT_MS: '-1' }).ok).toBe(false);
  });

  it('reads every variable', () => {
    const result = loadConfig({
      DATABASE_URL: 'postgres://u@h:5432/db',
      EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
      PORT: '8080',
      HOST: '0.0.0.0',
      RECON_ADMIN_TOKEN: 'a'.repeat(32),
      RECON_SECRET_KEY: 's'.repeat(40),
      CRON_SECRET: 'c'.repeat(20),
      LOG_LEVEL: 'warn',
      RECON_DATA_DIR: '/var/lib/recon',
    });
    expect(result.ok && result.value).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'warn',
      eventStoreUrl: 'esdb://localhost:2113?tls=false',
    });
  });

  it('fails with one message naming each bad variable, never its value', () => {
    const result = loadConfig({
      PORT: 'eighty',
      RECON_SECRET_KEY: 'short-secret-value',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('CONFIG_INVALID');
    for (const name of ['PORT', 'RECON_SECRET_KEY', 'DATABASE_URL', 'LOG_LEVEL'])
      expect(result.message).toContain(name);
    expect(result.message).not.toContain('short-secret-value');
    expect(result.message).not.toContain('mysql://x');
  });

  describe('HTTP bounds', () => {
    const cases: readonly { env: Record<string, string>; expected: Record<string, unknown> }[] = [
      {
        env: {
          RECON_REQUEST_TIMEOUT_MS: '5000',
          RECON_HEADERS_TIMEOUT_MS: '2000',
          RECON_KEEP_ALIVE_TIMEOUT_MS: '0',
          RECON_CONNECTION_TIMEOUT_MS: '600000',
        },
        expected: {
          timeouts: {
            requestTimeoutMs: 5_000,
            headersTimeoutMs: 2_000,
            keepAliveTimeoutMs: 0,
            connectionTimeoutMs: 600_000,
          },
        },
      },
      {
        env: {
          RECON_RATE_LIMIT_WINDOW_MS: '10000',
          RECON_RATE_LIMIT_WEBHOOK_MAX: '50',
          RECON_RATE_LIMIT_API_MAX: '0',
          RECON_RATE_LIMIT_IP_MAX: '20',
        },
        expected: {
          rateLimits: {
            webhook: { max: 50, windowMs: 10_000 },
            api: { max: 0, windowMs: 10_000 },
            ip: { max: 20, windowMs: 10_000 },
          },
        },
      },
      { env: { RECON_METRICS_TOKEN: 'm'.repeat(20) }, expected: { metricsToken: 'm'.repeat(20) } },
      { env: { RECON_TRUST_PROXY: '1' }, expected: { trustProxy: 1 } },
      {
        env: { RECON_TRUST_PROXY: '10.0.0.1, 10.1.0.0/16' },
        expected: { trustProxy: ['10.0.0.1', '10.1.0.0/16'] },
      },
      { env: { RECON_TRUST_PROXY: ' ' }, expected: { trustProxy: undefined } },
    ];
    it.each(cases)('reads $env', ({ env, expected }) => {
      const result = loadConfig(env);
      expect(result.ok && result.value.http).toMatchObject(expected);
    });

    const refused: readonly [string, string][] = [
      ['RECON_REQUEST_TIMEOUT_MS', '-1'],
      ['RECON_HEADERS_TIMEOUT_MS', 'soon'],
      ['RECON_RATE_LIMIT_WINDOW_MS', '10'],
      ['RECON_RATE_LIMIT_API_MAX', '1.5'],
      ['RECON_METRICS_TOKEN', 'short-token'],
      ['RECON_TRUST_PROXY', 'true'],
    ];
    it.each(refused)('refuses %s=%s, naming the variable but not the value', (name, value) => {
      const result = loadConfig({ [name]: value });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.message).toContain(name);
      if (name === 'RECON_METRICS_TOKEN') expect(result.message).not.toContain(value);
    });
  });

  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['false', false],
    ['1', true],
    ['true', true],
  ])('RECON_ALLOW_PRIVATE_URLS=%s → allowPrivateUrls %s (off by default)', (value, expected) => {
    const result = loadConfig(value === undefined ? {} : { RECON_ALLOW_PRIVATE_URLS: value });
    expect(result.ok && result.value.allowPrivateUrls).toBe(expected);
  });

  it('refuses an unclear RECON_ALLOW_PRIVATE_URLS rather than guessing', () => {
    const result = loadConfig({ RECON_ALLOW_PRIVATE_URLS: 'yes' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('RECON_ALLOW_PRIVATE_URLS');
  });

  it('treats empty strings as unset', () => {
    const result = loadConfig({ DATABASE_URL: '', RECON_ADMIN_TOKEN: '  ' });
    expect(result.ok && result.value.databaseUrl).toBeUndefined();
  });
});
