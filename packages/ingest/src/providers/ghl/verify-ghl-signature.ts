/**
 * Verifies a GHL webhook: `x-ghl-signature` (base64 Ed25519) first, and only when that header is
 * absent the legacy `x-wh-signature` (base64 RSA-SHA256), as GHL's official SDK does. GHL's
 * samples sign `JSON.stringify(parsedBody)`; whether that equals the raw bytes is unverified, so
 * the raw body is tried first, then its re-serialization (ghl.md §6). Public keys are passed in
 * (configuration); the documented ones are exported below.
 */
import { type KeyObject, createPublicKey, verify } from 'node:crypto';
import type { SignatureResult } from '../../webhooks/signature-result';

/** GHL's legacy RSA key, verbatim from docs/oauth/WebhookAuthentication.md (highlevel-api-docs @0af86a4). */
export const GHL_WEBHOOK_RSA_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAokvo/r9tVgcfZ5DysOSC
Frm602qYV0MaAiNnX9O8KxMbiyRKWeL9JpCpVpt4XHIcBOK4u3cLSqJGOLaPuXw6
dO0t6Q/ZVdAV5Phz+ZtzPL16iCGeK9po6D6JHBpbi989mmzMryUnQJezlYJ3DVfB
csedpinheNnyYeFXolrJvcsjDtfAeRx5ByHQmTnSdFUzuAnC9/GepgLT9SM4nCpv
uxmZMxrJt5Rw+VUaQ9B8JSvbMPpez4peKaJPZHBbU3OdeCVx5klVXXZQGNHOs8gF
3kvoV5rTnXV0IknLBXlcKKAQLZcY/Q9rG6Ifi9c+5vqlvHPCUJFT5XUGG5RKgOKU
J062fRtN+rLYZUV+BjafxQauvC8wSWeYja63VSUruvmNj8xkx2zE/Juc+yjLjTXp
IocmaiFeAO6fUtNjDeFVkhf5LNb59vECyrHD2SQIrhgXpO4Q3dVNA5rw576PwTzN
h/AMfHKIjE4xQA1SZuYJmNnmVZLIZBlQAF9Ntd03rfadZ+yDiOXCCs9FkHibELhC
HULgCsnuDJHcrGNd5/Ddm5hxGQ0ASitgHeMZ0kcIOwKDOzOU53lDza6/Y09T7sYJ
PQe7z0cvj7aE4B+Ax1ZoZGPzpJlZtGXCsu9aTEGEnKzmsFqwcSsnw3JB31IGKAyk
T1hhTiaCeIY/OwwwNUY2yvcCAwEAAQ==
-----END PUBLIC KEY-----
`;

/**
 * GHL's Ed25519 key as reported by third parties (≥ 8 public repositories agree; the official
 * marketplace page could not be read). Confirm before production use; load it from configuration.
 */
export const GHL_WEBHOOK_ED25519_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=
-----END PUBLIC KEY-----
`;

export interface VerifyGhlSignatureInput {
  readonly headers: {
    readonly 'x-ghl-signature'?: string | readonly string[] | undefined;
    readonly 'x-wh-signature'?: string | readonly string[] | undefined;
  };
  readonly rawBody: Buffer | string;
  /** PEM or KeyObject; default the documented keys. */
  readonly ed25519PublicKey?: string | KeyObject;
  readonly rsaPublicKey?: string | KeyObject;
  /** Accept the legacy RSA header when the Ed25519 one is absent (default true). */
  readonly allowLegacyRsa?: boolean;
}

const keyCache = new Map<string, KeyObject>();
function toKey(key: string | KeyObject): KeyObject | null {
  if (typeof key !== 'string') return key;
  const cached = keyCache.get(key);
  if (cached) return cached;
  try {
    const k = createPublicKey(key);
    keyCache.set(key, k);
    return k;
  } catch {
    return null;
  }
}

function first(h: string | readonly string[] | undefined): string | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The raw bytes, then `JSON.stringify(JSON.parse(raw))` when that differs. */
function candidates(rawBody: Buffer | string): Buffer[] {
  const raw = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const out = [raw];
  try {
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))), 'utf8');
    if (!reserialized.equals(raw)) out.push(reserialized);
  } catch {
    // not JSON: only the raw bytes can match
  }
  return out;
}

function verifyWith(algorithm: 'sha256' | null, key: KeyObject | null, signature: string, bodies: Buffer[]): boolean {
  if (!key || !/^[A-Za-z0-9+/=_-]+$/.test(signature)) return false;
  const sig = Buffer.from(signature, 'base64');
  if (sig.length === 0) return false;
  return bodies.some((body) => {
    try {
      return verify(algorithm, body, key, sig);
    } catch {
      return false;
    }
  });
}

export function verifyGhlSignature(input: VerifyGhlSignatureInput): SignatureResult {
  const ed = first(input.headers['x-ghl-signature']);
  const rsa = first(input.headers['x-wh-signature']);
  if (ed !== undefined) {
    const key = toKey(input.ed25519PublicKey ?? GHL_WEBHOOK_ED25519_PUBLIC_KEY);
    return verifyWith(null, key, ed, candidates(input.rawBody))
      ? { ok: true }
      : { ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' };
  }
  if (rsa !== undefined && input.allowLegacyRsa !== false) {
    const key = toKey(input.rsaPublicKey ?? GHL_WEBHOOK_RSA_PUBLIC_KEY);
    return verifyWith('sha256', key, rsa, candidates(input.rawBody))
      ? { ok: true }
      : { ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' };
  }
  return { ok: false, code: 'WEBHOOK_SIGNATURE_MISSING' };
}
