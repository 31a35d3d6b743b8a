/**
 * Verifies Cal.com's `x-cal-signature-256` header: lowercase hex HMAC-SHA256 of the exact request
 * body bytes, keyed with the subscription's secret (no timestamp, no `sha256=` prefix; calcom.md
 * §7). Compared in constant time over the raw bytes as received (re-serialized JSON does not
 * reproduce them). A subscription without a secret sends the literal `no-secret-provided`: recon
 * requires a secret, so that is a missing signature. There is no timestamp, hence no replay window:
 * duplicates are decided away by the appointment streams.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureResult } from '../../webhooks/signature-result';

export const CALCOM_SIGNATURE_HEADER = 'x-cal-signature-256';
export const CALCOM_NO_SECRET = 'no-secret-provided';

export interface VerifyCalcomSignatureInput {
  /** The header value (string, or the array Node gives for repeated headers); undefined when absent. */
  readonly header: string | readonly string[] | undefined;
  readonly rawBody: Buffer | string;
  readonly secret: string;
}

export function verifyCalcomSignature(input: VerifyCalcomSignatureInput): SignatureResult {
  const raw = Array.isArray(input.header) ? input.header[0] : input.header;
  const value = typeof raw === 'string' ? raw.trim() : '';
  if (value === '' || value === CALCOM_NO_SECRET) return { ok: false, code: 'WEBHOOK_SIGNATURE_MISSING' };
  if (!/^[0-9a-f]{64}$/i.test(value) || input.secret.length === 0)
    return { ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' };
  const body = typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
  const expected = createHmac('sha256', input.secret).update(body).digest();
  const given = Buffer.from(value, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { ok: true }
    : { ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' };
}
