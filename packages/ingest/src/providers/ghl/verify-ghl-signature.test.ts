import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GHL_WEBHOOK_ED25519_PUBLIC_KEY, GHL_WEBHOOK_RSA_PUBLIC_KEY, verifyGhlSignature } from './verify-ghl-signature';

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const raw = readFileSync(path.resolve(repoRoot, '../shared/fixtures/ghl/webhook-appointment-create.json'));
const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const edPem = ed.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const edSign = (body: Buffer) => sign(null, body, ed.privateKey).toString('base64');
const rsaSign = (body: Buffer) => sign('sha256', body, rsa.privateKey).toString('base64');
const keys = { ed25519PublicKey: edPem, rsaPublicKey: rsaPem };

describe('verifyGhlSignature', () => {
  it('documented PEMs parse as Ed25519 and 4096-bit RSA', () => {
    expect(createPublicKey(GHL_WEBHOOK_ED25519_PUBLIC_KEY).asymmetricKeyType).toBe('ed25519');
    const k = createPublicKey(GHL_WEBHOOK_RSA_PUBLIC_KEY);
    expect(k.asymmetricKeyType).toBe('rsa');
    expect(k.asymmetricKeyDetails?.modulusLength).toBe(4096);
  });

  it('accepts an Ed25519 signature over the raw body', () => {
    expect(verifyGhlSignature({ ...keys, rawBody: raw, headers: { 'x-ghl-signature': edSign(raw) } })).toEqual({
      ok: true,
    });
  });

  it('accepts an Ed25519 signature over the re-serialized body (GHL SDK style)', () => {
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
    expect(verifyGhlSignature({ ...keys, rawBody: raw, headers: { 'x-ghl-signature': edSign(reserialized) } })).toEqual(
      { ok: true },
    );
  });

  it('falls back to RSA x-wh-signature only when x-ghl-signature is absent', () => {
    expect(verifyGhlSignature({ ...keys, rawBody: raw, headers: { 'x-wh-signature': rsaSign(raw) } })).toEqual({
      ok: true,
    });
    // a bad Ed25519 header is not rescued by a good RSA one
    expect(
      verifyGhlSignature({
        ...keys,
        rawBody: raw,
        headers: { 'x-ghl-signature': rsaSign(raw), 'x-wh-signature': rsaSign(raw) },
      }),
    ).toEqual({ ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' });
    expect(
      verifyGhlSignature({ ...keys, allowLegacyRsa: false, rawBody: raw, headers: { 'x-wh-signature': rsaSign(raw) } }),
    ).toEqual({ ok: false, code: 'WEBHOOK_SIGNATURE_MISSING' });
  });

  it('rejects a tampered body, a wrong key, garbage and a missing header with codes', () => {
    const sig = edSign(raw);
    const tampered = Buffer.from(raw.toString('utf8').replace('confirmed', 'cancelled'));
    expect(verifyGhlSignature({ ...keys, rawBody: tampered, headers: { 'x-ghl-signature': sig } })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect(verifyGhlSignature({ rawBody: raw, headers: { 'x-ghl-signature': sig } })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect(verifyGhlSignature({ ...keys, rawBody: raw, headers: { 'x-ghl-signature': '!!!' } })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect(
      verifyGhlSignature({
        ...keys,
        rsaPublicKey: 'not a pem',
        rawBody: raw,
        headers: { 'x-wh-signature': rsaSign(raw) },
      }),
    ).toEqual({ ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' });
    expect(verifyGhlSignature({ ...keys, rawBody: raw, headers: {} })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_MISSING',
    });
  });
});
