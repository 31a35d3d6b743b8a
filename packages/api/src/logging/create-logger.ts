/**
 * pino options for recon: redaction of secrets and PII paths, so a log line never carries an
 * authorization header, a token, an email or a name even when an object is logged whole.
 * The request id comes from Fastify's child logger (`reqId` on every line of a request).
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/** Field names whose values must never be logged, at any depth we log objects. */
export const REDACTED_KEYS = [
  'authorization',
  'cookie',
  'calendly-webhook-signature',
  'x-ghl-signature',
  'x-wh-signature',
  'accessToken',
  'webhookSigningKey',
  'notifySecret',
  'key',
  'token',
  'secret',
  'password',
  'email',
  'alternateEmails',
  'emails',
  'name',
  'first_name',
  'last_name',
  'phone',
  'text_reminder_number',
  'body',
] as const;

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of REDACTED_KEYS) {
    const k = key.includes('-') ? `["${key}"]` : `.${key}`;
    paths.push(key.includes('-') ? `["${key}"]` : key, `*${k}`, `*.*${k}`, `req.headers${k}`);
  }
  return paths;
}

/**
 * Errors are logged by class, code and stack only. Extra properties (a PostgreSQL error's
 * `detail`, `where`, the query) are dropped, and so is a database error's message: both can quote
 * row or input values, which may be PII. recon's own error messages are kept.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const type = error.constructor.name;
  const code = (error as { code?: unknown }).code;
  const fromDatabase = type === 'DatabaseError';
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return {
    type,
    ...(typeof code === 'string' ? { code } : {}),
    ...(fromDatabase ? {} : { message: error.message }),
    stack: frames.join('\n'),
  };
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths(), censor: '[redacted]' },
    serializers: {
      err: serializeError,
      // Never log the full URL query (it may carry tokens); method, route and ids only.
      req: (req: { method?: string; url?: string; id?: string; routeOptions?: { url?: string } }) => ({
        method: req.method,
        route: req.routeOptions?.url,
        id: req.id,
      }),
    },
  };
}

/** A pino logger with recon's redaction; `destination` lets tests capture every line. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const opts = loggerOptions(options.level ?? 'info');
  return options.destination === undefined ? pino(opts) : pino(opts, options.destination);
}
