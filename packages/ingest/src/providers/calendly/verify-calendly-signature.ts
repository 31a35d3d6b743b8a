/**
 * Verifies Calendly's `Calendly-Webhook-Signature: t=<unix s>,v1=<hex>` header: HMAC-SHA256 with the
 * workspace's signing key over `t + "." + rawBody`, compared in constant time, and the timestamp
 * within a tolerance of `now` (default 180 s, as Calendly's sample; absolute skew). Verify the raw
 * bytes as received: re-serialized JSON does not reproduce them. Several `v1` values (key
 * rotation) are accepted if any matches.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureResult } from '../../webhooks/signature-result';

export interface VerifyCalendlySignatureInput {
  /** The header value (string, or the array Node gives for repeated headers); undefined when absent. */
  readonly header: string | readonly string[] | undefined;
  readonly rawBody: Buffer | string;
  /** The signing key (or keys, during a rotation). */
  readonly signingKey: string | readonly string[];
  /** The caller's clock, epoch milliseconds. */
  readonly nowMs: number;
  /** Allowed skew in seconds; default 180. */
  readonly toleranceSeconds?: number;
}

export const CALENDLY_SIGNATURE_TOLERANCE_SECONDS = 180;

function parseHeader(header: string): { t: string; v1: string[] } | null {
  let t: string | null = null;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') t = value;
    else if (key === 'v1') v1.push(value);
  }
  return t !== null && v1.length > 0 ? { t, v1 } : null;
}

export function verifyCalendlySignature(input: VerifyCalendlySignatureInput): SignatureResult {
  const raw = Array.isArray(input.header) ? input.header[0] : input.header;
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, code: 'WEBHOOK_SIGNATURE_MISSING' };
  const parsed = parseHeader(raw);
  if (!parsed || !/^\d{1,12}$/.test(parsed.t)) return { ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' };
  const keys = typeof input.signingKey === 'string' ? [input.signingKey] : input.signingKey;
  const body = typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
  let matched = false;
  for (const key of keys) {
    if (key.length === 0) continue;
    const expected = createHmac('sha256', key).update(`${parsed.t}.`).update(body).digest();
    for (const candidate of parsed.v1) {
      const given = /^[0-9a-f]{64}$/i.test(candidate) ? Buffer.from(candidate, 'hex') : null;
      if (given && given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
    }
  }
  if (!matched) return { ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' };
  const tolerance = input.toleranceSeconds ?? CALENDLY_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(input.nowMs / 1000 - Number(parsed.t)) > tolerance)
    return { ok: false, code: 'WEBHOOK_SIGNATURE_STALE' };
  return { ok: true };
}
