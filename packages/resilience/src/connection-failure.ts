/**
 * Tells a failure of the connection to PostgreSQL (the server is down, restarting, refusing
 * connections, ended our session, or too slow) from a bug or a bad statement. The first kind is
 * "try again later": HTTP answers 503 with Retry-After and background loops back off; the second
 * stays a 500 / a logged failure. Only codes and class names are looked at, never messages that
 * could quote data, except pg's own fixed connection texts.
 */

/** SQLSTATEs that mean "the database is unavailable or overloaded right now". */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, fast shutdown, failover
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, or ALLOW_CONNECTIONS false
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '57014', // query_canceled: our statement_timeout fired
  '25P03', // idle_in_transaction_session_timeout
  '55P03', // lock_not_available (lock_timeout)
  '40P01', // deadlock_detected: retry
  '53100', // disk_full
  '53200', // out_of_memory
]);

/** Node socket errors on the way to the server. */
const NETWORK_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/** node-postgres' own fixed messages for a lost or refused connection (they quote no data). */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'Query read timeout',
  'connection timeout',
];

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isOwnUnavailable(error: unknown): boolean {
  // FATAL ends the session: refused connections (e.g. 55000 "not currently accepting connections"
  // under ALLOW_CONNECTIONS false) and sessions ended by the server.
  const severity = (error as { severity?: unknown } | null)?.severity;
  if (severity === 'FATAL' || severity === 'PANIC') return true;
  const code = codeOf(error);
  if (code !== undefined) {
    if (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || NETWORK_ERRNOS.has(code)) return true;
  }
  if (error instanceof AggregateError) return error.errors.some(isOwnUnavailable);
  const message = error instanceof Error ? error.message : '';
  return PG_CONNECTION_MESSAGES.some((m) => message.includes(m));
}

/** gRPC failures of the EventStoreDB client that mean "the server cannot serve us now". */
const GRPC_UNAVAILABLE_TYPES = new Set(['unavailable', 'deadline-exceeded', 'not-leader', 'cancelled']);

/**
 * Which store an "unavailable" failure is about, or null when it is not one: PostgreSQL
 * (the read models, workspaces, and the embedded event store) or the event store (EventStoreDB,
 * or an adapter's coded EVENT_STORE_UNAVAILABLE).
 */
export function unavailableDependency(error: unknown): 'DATABASE_UNAVAILABLE' | 'EVENT_STORE_UNAVAILABLE' | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    if (codeOf(current) === 'EVENT_STORE_UNAVAILABLE') return 'EVENT_STORE_UNAVAILABLE';
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string' && GRPC_UNAVAILABLE_TYPES.has(type)) return 'EVENT_STORE_UNAVAILABLE';
    current = (current as { cause?: unknown }).cause;
  }
  return isDatabaseUnavailable(error) ? 'DATABASE_UNAVAILABLE' : null;
}

/** True when `error` (or an error in its `cause` chain) says the database cannot serve us now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    if (isOwnUnavailable(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * A short, data-free description for logs: the error's class and its SQLSTATE / errno, e.g.
 * `DatabaseError:57P01` or `Error:ECONNREFUSED`.
 */
export function describeFailure(error: unknown): string {
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const code = codeOf(error);
  return code === undefined ? name : `${name}:${code}`;
}
