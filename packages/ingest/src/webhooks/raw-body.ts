/**
 * Webhook routes keep the request body as the raw bytes: signatures are computed over exactly what
 * the provider sent, and re-serialized JSON does not reproduce it. Scoped to the webhook plugin's
 * encapsulation context; the rest of the app keeps Fastify's JSON parser.
 */
import type { FastifyInstance } from 'fastify';
import { findUnstorableText } from '../unstorable-text';

export function keepRawBodies(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
}

/**
 * A `\u` escape of NUL or of a UTF-16 surrogate (`\u0000`, `\uD800`–`\uDFFF`, any case). Parsed
 * JSON can only hold such characters through these escapes: raw control characters are invalid
 * JSON, and decoding UTF-8 never yields a lone surrogate (invalid bytes become U+FFFD).
 */
const RISKY_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/**
 * JSON.parse as a value: malformed input is a client error, not an exception. Text PostgreSQL
 * cannot store (NUL, lone surrogates) counts as malformed: it can never be ingested. The parse is
 * the one walk of the body: the parsed value is searched for such text only when the body holds
 * an escape that can produce it (almost never).
 */
export function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  const text = raw.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return { ok: false };
  }
  if (!RISKY_ESCAPE.test(text)) return { ok: true, value };
  return findUnstorableText(value) === null ? { ok: true, value } : { ok: false };
}
