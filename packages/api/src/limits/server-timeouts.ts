/**
 * How long recon's HTTP server waits for a client (issue 15, finding 5: Fastify's defaults are 0,
 * so a client that dribbles a body holds a connection for minutes):
 * - `headersTimeoutMs`: the request line and headers must arrive within it (Node's headersTimeout);
 * - `requestTimeoutMs`: the whole request, body included (Fastify's requestTimeout). A slow
 *   handler is not cut by either: they bound only what the client sends;
 * - `keepAliveTimeoutMs`: an idle keep-alive connection is closed after it (above the 60 s idle
 *   timeout of common load balancers, as Fastify's default);
 * - `connectionTimeoutMs`: a socket with no traffic in either direction for this long is closed
 *   (Fastify's connectionTimeout; above the longest handler — the cron route raises it for its own
 *   time budget).
 * 0 turns one off. A timed-out request is answered 408 REQUEST_TIMEOUT (uniform body) and closed.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody, ERROR_STATUS, type ErrorCode } from '@recon/http';

export interface ServerTimeouts {
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly connectionTimeoutMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 15_000,
  keepAliveTimeoutMs: 72_000,
  connectionTimeoutMs: 120_000,
};

/** The Fastify server options that carry the timeouts (and the 408 / 431 / 400 writer). */
export interface TimeoutServerOptions {
  readonly requestTimeout: number;
  readonly connectionTimeout: number;
  readonly keepAliveTimeout: number;
  readonly http: { readonly headersTimeout: number; readonly connectionsCheckingInterval: number };
  readonly clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => void;
}

export function serverTimeoutOptions(overrides: Partial<ServerTimeouts> = {}): TimeoutServerOptions {
  const t = { ...DEFAULT_SERVER_TIMEOUTS, ...overrides };
  // Node refuses a headers timeout above the request timeout; 0 means "off" for both.
  const headersTimeout =
    t.requestTimeoutMs > 0 && (t.headersTimeoutMs === 0 || t.headersTimeoutMs > t.requestTimeoutMs)
      ? t.requestTimeoutMs
      : t.headersTimeoutMs;
  const bounds = [headersTimeout, t.requestTimeoutMs].filter((ms) => ms > 0);
  // Node checks the header and request deadlines on this interval (its default, 30 s, would let a
  // 1 s timeout fire up to 30 s late).
  const checkEvery = Math.max(25, Math.min(1_000, Math.floor(Math.min(...bounds, 4_000) / 4)));
  return {
    // Fastify treats 0 as "its default"; its defaults are 0 for these two, 72 s for keep-alive.
    requestTimeout: t.requestTimeoutMs,
    connectionTimeout: t.connectionTimeoutMs,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    http: { headersTimeout, connectionsCheckingInterval: checkEvery },
    clientErrorHandler: writeClientError,
  };
}

function clientErrorOf(code: string | undefined): { code: ErrorCode; message: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { code: 'REQUEST_TIMEOUT', message: 'The request did not arrive in time' };
  if (code === 'HPE_HEADER_OVERFLOW') return { code: 'HEADERS_TOO_LARGE', message: 'Request headers are too large' };
  return { code: 'BAD_REQUEST', message: 'Bad request' };
}

/** Errors Node raises before a request reaches Fastify: the uniform body, then the socket is closed. */
export function writeClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { code, message } = clientErrorOf(error.code);
    const status = ERROR_STATUS[code];
    const body = JSON.stringify(errorBody(code, message));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n` +
        'Content-Type: application/json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
