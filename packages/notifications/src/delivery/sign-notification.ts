/**
 * Signs outbound notifications the way Calendly signs its webhooks, so a CRM that already verifies
 * Calendly verifies recon the same way: `Recon-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret,
 * t + "." + body)>`. Every attempt signs afresh (a receiver may reject old timestamps); the body
 * bytes never change between attempts. `verifyNotificationSignature` is the receiver's side.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Recon-Signature';
export const IDEMPOTENCY_HEADER = 'Recon-Idempotency-Id';
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 180;

function hmacHex(secret: string, t: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

/** The header value for `body` signed with `secret` at `nowMs`. */
export function signNotification(secret: string, body: string, nowMs: number): string {
  const t = String(Math.floor(nowMs / 1000));
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

export type VerifyResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code:
        | 'NOTIFICATION_SIGNATURE_MISSING'
        | 'NOTIFICATION_SIGNATURE_INVALID'
        | 'NOTIFICATION_SIGNATURE_STALE';
    };

/** Receiver side: constant-time check of the header over the raw body, within a tolerance. */
export function verifyNotificationSignature(input: {
  readonly header: string | undefined;
  readonly rawBody: string | Buffer;
  readonly secret: string;
  readonly nowMs: number;
  readonly toleranceSeconds?: number;
}): VerifyResult {
  if (input.header === undefined || input.header.trim() === '')
    return { ok: false, code: 'NOTIFICATION_SIGNATURE_MISSING' };
  let t: string | null = null;
  const v1: string[] = [];
  for (const part of input.header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') t = value;
    else if (key === 'v1') v1.push(value);
  }
  if (t === null || !/^\d{1,12}$/.test(t) || v1.length === 0)
    return { ok: false, code: 'NOTIFICATION_SIGNATURE_INVALID' };
  const expected = Buffer.from(hmacHex(input.secret, t, input.rawBody), 'hex');
  const matched = v1.some((candidate) => {
    if (!/^[0-9a-f]{64}$/i.test(candidate)) return false;
    return timingSafeEqual(Buffer.from(candidate, 'hex'), expected);
  });
  if (!matched) return { ok: false, code: 'NOTIFICATION_SIGNATURE_INVALID' };
  const tolerance = input.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(input.nowMs / 1000 - Number(t)) > tolerance) return { ok: false, code: 'NOTIFICATION_SIGNATURE_STALE' };
  return { ok: true };
}
