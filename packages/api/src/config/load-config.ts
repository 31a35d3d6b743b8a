/**
 * recon's configuration, read from the environment once at start and validated with zod. A bad
 * value fails start with one clear message naming the variables (never their values: they may be
 * secrets).
 */
import { DEFAULT_CONNECTION_SETTINGS, type DatabaseConnectionSettings } from '@recon/resilience';
import { z } from 'zod';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from '../limits/rate-limit-settings';
import { DEFAULT_SERVER_TIMEOUTS, type ServerTimeouts } from '../limits/server-timeouts';

const milliseconds = (fallback: number) => z.coerce.number().int().min(0).max(86_400_000).default(fallback);

const requestsPerWindow = (fallback: number) => z.coerce.number().int().min(0).max(10_000_000).default(fallback);

/** RECON_TRUST_PROXY: a number of proxy hops, or a comma list of proxy addresses / CIDRs. */
const trustProxy = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
  .pipe(
    z
      .union([
        z.string().regex(/^\d{1,2}$/, 'must be a number of hops or a comma list of addresses'),
        z.string().regex(/^[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*$/, 'must be a number of hops or addresses'),
      ])
      .optional(),
  )
  .transform((v): number | readonly string[] | undefined =>
    v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : v.split(',').map((a) => a.trim()),
  );

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

export const ConfigSchema = z.object({
  /** Unset → embedded PostgreSQL under RECON_DATA_DIR (started by `recon start`). */
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  /** Unset → the PostgreSQL event store in DATABASE_URL's database. */
  EVENTSTORE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^(esdb|esdb\+discover):\/\//, 'must be an esdb:// URL')
      .optional(),
  ),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Unset → `recon start` generates one under RECON_DATA_DIR. */
  RECON_ADMIN_TOKEN: optionalText.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  /** Unset → `recon start` generates one under RECON_DATA_DIR. */
  RECON_SECRET_KEY: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  /** During a key rotation: the key RECON_SECRET_KEY replaced; what it sealed still opens (docs/operations.md). */
  RECON_SECRET_KEY_PREVIOUS: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  CRON_SECRET: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** Longest range one backfill request may cover, days. */
  RECON_BACKFILL_MAX_DAYS: z.coerce.number().int().min(1).max(36_500).default(730),
  /** Sent notifications, finished backfill jobs and dead letters older than this are deleted; 0 keeps them. */
  RECON_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RECON_DATA_DIR: z.string().min(1).default('./.recon'),
  RECON_DB_CONNECT_TIMEOUT_MS: milliseconds(DEFAULT_CONNECTION_SETTINGS.connectTimeoutMs),
  RECON_DB_STATEMENT_TIMEOUT_MS: milliseconds(DEFAULT_CONNECTION_SETTINGS.statementTimeoutMs),
  RECON_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: milliseconds(DEFAULT_CONNECTION_SETTINGS.idleInTransactionTimeoutMs),
  RECON_DB_KEEPALIVE_MS: milliseconds(DEFAULT_CONNECTION_SETTINGS.keepAliveMs),
  /** A transaction open longer than this on the server is named by /readyz and /metrics. */
  RECON_LONG_TRANSACTION_SECONDS: z.coerce.number().min(1).max(86_400).default(10),
  /**
   * `1` (or `true`) lifts the outbound URL rule (https only, no private, loopback, link-local or
   * metadata address) for provider API base URLs and notify URLs: self-hosted simulators, the
   * demo, tests. Off by default; `recon start` logs a warning when it is on.
   */
  RECON_ALLOW_PRIVATE_URLS: z
    .enum(['', '0', '1', 'false', 'true'], { message: 'must be 1, true, 0 or false' })
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  /** HTTP server timeouts (0 turns one off): whole request, headers, idle keep-alive, idle socket. */
  RECON_REQUEST_TIMEOUT_MS: milliseconds(DEFAULT_SERVER_TIMEOUTS.requestTimeoutMs),
  RECON_HEADERS_TIMEOUT_MS: milliseconds(DEFAULT_SERVER_TIMEOUTS.headersTimeoutMs),
  RECON_KEEP_ALIVE_TIMEOUT_MS: milliseconds(DEFAULT_SERVER_TIMEOUTS.keepAliveTimeoutMs),
  RECON_CONNECTION_TIMEOUT_MS: milliseconds(DEFAULT_SERVER_TIMEOUTS.connectionTimeoutMs),
  /** Rate limits: requests per window (0 turns a class off); one window length for all. */
  RECON_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(60_000),
  RECON_RATE_LIMIT_WEBHOOK_MAX: requestsPerWindow(DEFAULT_RATE_LIMITS.webhook.max),
  RECON_RATE_LIMIT_API_MAX: requestsPerWindow(DEFAULT_RATE_LIMITS.api.max),
  RECON_RATE_LIMIT_IP_MAX: requestsPerWindow(DEFAULT_RATE_LIMITS.ip.max),
  /** Unset → /metrics is public. */
  RECON_METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** Unset → the client address is the socket's (X-Forwarded-For ignored). */
  RECON_TRUST_PROXY: trustProxy,
});

export interface ReconConfig {
  readonly databaseUrl: string | undefined;
  readonly eventStoreUrl: string | undefined;
  readonly port: number;
  readonly host: string;
  readonly adminToken: string | undefined;
  readonly secretKey: string | undefined;
  readonly previousSecretKey: string | undefined;
  readonly cronSecret: string | undefined;
  readonly backfillMaxDays: number;
  /** Days sent notifications, finished backfill jobs and dead letters are kept (0: forever). */
  readonly retentionDays: number;
  readonly logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  readonly dataDir: string;
  /** Time bounds of every database connection recon opens. */
  readonly database: DatabaseConnectionSettings;
  readonly longTransactionSeconds: number;
  /** RECON_ALLOW_PRIVATE_URLS: outbound calls may go to http and private addresses (never in production). */
  readonly allowPrivateUrls: boolean;
  /** The HTTP server's bounds: timeouts, rate limits, the /metrics token, trusted proxies. */
  readonly http: HttpBounds;
}

export interface HttpBounds {
  readonly timeouts: ServerTimeouts;
  readonly rateLimits: RateLimitSettings;
  readonly metricsToken: string | undefined;
  /** Proxy hops, or proxy addresses, whose X-Forwarded-For names the client (rate limits per address). */
  readonly trustProxy: number | readonly string[] | undefined;
}

export type LoadConfigResult =
  | { readonly ok: true; readonly value: ReconConfig }
  | { readonly ok: false; readonly code: 'CONFIG_INVALID'; readonly message: string };

/** Parses the environment. The failure message names each bad variable and why, never a value. */
export function loadConfig(env: Record<string, string | undefined>): LoadConfigResult {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    return { ok: false, code: 'CONFIG_INVALID', message: `Invalid recon configuration:\n${lines.join('\n')}` };
  }
  const c = parsed.data;
  return {
    ok: true,
    value: {
      databaseUrl: c.DATABASE_URL,
      eventStoreUrl: c.EVENTSTORE_URL,
      port: c.PORT,
      host: c.HOST,
      adminToken: c.RECON_ADMIN_TOKEN,
      secretKey: c.RECON_SECRET_KEY,
      previousSecretKey: c.RECON_SECRET_KEY_PREVIOUS,
      cronSecret: c.CRON_SECRET,
      backfillMaxDays: c.RECON_BACKFILL_MAX_DAYS,
      retentionDays: c.RECON_RETENTION_DAYS,
      logLevel: c.LOG_LEVEL,
      dataDir: c.RECON_DATA_DIR,
      database: {
        connectTimeoutMs: c.RECON_DB_CONNECT_TIMEOUT_MS,
        statementTimeoutMs: c.RECON_DB_STATEMENT_TIMEOUT_MS,
        idleInTransactionTimeoutMs: c.RECON_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
        keepAliveMs: c.RECON_DB_KEEPALIVE_MS,
      },
      longTransactionSeconds: c.RECON_LONG_TRANSACTION_SECONDS,
      allowPrivateUrls: c.RECON_ALLOW_PRIVATE_URLS,
      http: {
        timeouts: {
          requestTimeoutMs: c.RECON_REQUEST_TIMEOUT_MS,
          headersTimeoutMs: c.RECON_HEADERS_TIMEOUT_MS,
          keepAliveTimeoutMs: c.RECON_KEEP_ALIVE_TIMEOUT_MS,
          connectionTimeoutMs: c.RECON_CONNECTION_TIMEOUT_MS,
        },
        rateLimits: {
          webhook: { max: c.RECON_RATE_LIMIT_WEBHOOK_MAX, windowMs: c.RECON_RATE_LIMIT_WINDOW_MS },
          api: { max: c.RECON_RATE_LIMIT_API_MAX, windowMs: c.RECON_RATE_LIMIT_WINDOW_MS },
          ip: { max: c.RECON_RATE_LIMIT_IP_MAX, windowMs: c.RECON_RATE_LIMIT_WINDOW_MS },
        },
        metricsToken: c.RECON_METRICS_TOKEN,
        trustProxy: c.RECON_TRUST_PROXY,
      },
    },
  };
}
