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
 * JSON.parse as a value: malformed input is a client error, not an exception. Text PostgreSQL
 * cannot store (NUL, lone surrogates) counts as malformed: it can never be ingested.
 */
export function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return { ok: false };
  }
  return findUnstorableText(value) === null ? { ok: true, value } : { ok: false };
}
