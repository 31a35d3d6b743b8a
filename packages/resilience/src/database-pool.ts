/**
 * Every PostgreSQL pool recon opens comes from here, so every connection is bounded in time and no
 * connection failure can crash the process:
 * - connect timeout, TCP keep-alive on our side, and server-side keep-alive settings
 *   (`tcp_keepalives_*`), so a half-open connection (a dead peer, a failed-over primary) is
 *   noticed in seconds and its session, with any advisory lock it holds, is ended by the server;
 * - `statement_timeout` (request paths answer 503 instead of hanging; long jobs such as a rebuild
 *   turn it off for their own session) and `idle_in_transaction_session_timeout` (a stuck
 *   transaction of ours cannot hold the event store's transaction fence for long);
 * - an `'error'` listener on the pool (idle clients) AND on every client from the moment it
 *   connects: pg-pool guards only idle clients, and a client checked out for a long time (a
 *   projection's lock connection) whose session is ended would otherwise raise an unhandled
 *   `'error'` event and end the process.
 */
import pg from 'pg';
import { describeFailure } from './connection-failure';
import type { RateLimitedLog } from './rate-limited-log';

export interface DatabaseConnectionSettings {
  /** Time to establish a connection, ms (RECON_DB_CONNECT_TIMEOUT_MS, default 5 000). */
  readonly connectTimeoutMs: number;
  /** Server-side limit of one statement, ms; 0 = none (RECON_DB_STATEMENT_TIMEOUT_MS, default 30 000). */
  readonly statementTimeoutMs: number;
  /** Server ends a session idle inside a transaction this long, ms (RECON_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS, default 60 000). */
  readonly idleInTransactionTimeoutMs: number;
  /** TCP keep-alive: first probe after this much silence, ms, on both sides (RECON_DB_KEEPALIVE_MS, default 10 000). */
  readonly keepAliveMs: number;
}

export const DEFAULT_CONNECTION_SETTINGS: DatabaseConnectionSettings = {
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 60_000,
  keepAliveMs: 10_000,
};

export interface DatabasePoolOptions {
  readonly connectionString: string;
  readonly max?: number;
  readonly settings?: Partial<DatabaseConnectionSettings>;
  /** Shown in pg_stat_activity (default "recon"). */
  readonly applicationName?: string;
  /** Where connection failures are reported (rate-limited); default: counted only. */
  readonly failures?: RateLimitedLog;
}

/** The pg client configuration for `settings` (also used for recon's dedicated LISTEN clients). */
export function clientConfigFor(
  connectionString: string,
  settings: DatabaseConnectionSettings,
  applicationName = 'recon',
): pg.ClientConfig {
  const keepAliveS = Math.max(1, Math.round(settings.keepAliveMs / 1000));
  const serverKeepAlive = [
    `-c tcp_keepalives_idle=${keepAliveS}`,
    `-c tcp_keepalives_interval=${Math.max(1, Math.round(keepAliveS / 2))}`,
    '-c tcp_keepalives_count=3',
  ].join(' ');
  return {
    connectionString,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: settings.keepAliveMs,
    // false (not 0) leaves the server default in place when turned off.
    statement_timeout: settings.statementTimeoutMs > 0 ? settings.statementTimeoutMs : false,
    idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
    application_name: applicationName,
    options: serverKeepAlive,
  };
}

export function createDatabasePool(options: DatabasePoolOptions): pg.Pool {
  const settings = { ...DEFAULT_CONNECTION_SETTINGS, ...options.settings };
  const pool = new pg.Pool({
    ...clientConfigFor(options.connectionString, settings, options.applicationName),
    max: options.max ?? 10,
  });
  const onClientError = (error: Error): void => {
    // Expected while we close: the server (or our own end()) ends the sessions.
    if (pool.ending) return;
    options.failures?.failure(
      'DATABASE_CONNECTION_LOST',
      { cause: describeFailure(error) },
      'database connection lost',
      'warn',
    );
  };
  // Idle clients: pg-pool removes them and emits here. Without a listener this would throw.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', onClientError);
  });
  return pool;
}
