import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

  it('refuses the legacy RSA x-wh-signature unless enabled, then accepts it only when x-ghl-signature is absent', () => {
    // default: off, with its own code (nothing else is tried)
    expect(verifyGhlSignature({ ...keys, rawBody: raw, headers: { 'x-wh-signature': rsaSign(raw) } })).toEqual({
      ok: false,
      code: 'GHL_LEGACY_SIGNATURE_DISABLED',
    });
    expect(
      verifyGhlSignature({ ...keys, allowLegacyRsa: false, rawBody: raw, headers: { 'x-wh-signature': rsaSign(raw) } }),
    ).toEqual({ ok: false, code: 'GHL_LEGACY_SIGNATURE_DISABLED' });
    const legacy = { ...keys, allowLegacyRsa: true };
    expect(verifyGhlSignature({ ...legacy, rawBody: raw, headers: { 'x-wh-signature': rsaSign(raw) } })).toEqual({
      ok: true,
    });
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
    expect(
      verifyGhlSignature({ ...legacy, rawBody: raw, headers: { 'x-wh-signature': rsaSign(reserialized) } }),
    ).toEqual({ ok: true });
    expect(verifyGhlSignature({ ...legacy, rawBody: raw, headers: { 'x-wh-signature': edSign(raw) } })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    // a bad Ed25519 header is not rescued by a good RSA one
    expect(
      verifyGhlSignature({
        ...legacy,
        rawBody: raw,
        headers: { 'x-ghl-signature': rsaSign(raw), 'x-wh-signature': rsaSign(raw) },
      }),
    ).toEqual({ ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' });
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
        allowLegacyRsa: true,
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

describe('verifyGhlSignature reads nothing but the header before it has a well-formed signature', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  // 256 KiB of malformed JSON: parsing it would throw, so any parse shows up as a call below.
  const big = Buffer.concat([Buffer.from('{"type":"AppointmentCreate","x":"'), Buffer.alloc(256 * 1024, 'a')]);

  it.each([
    ['no header', {}, 'WEBHOOK_SIGNATURE_MISSING'],
    ['an empty header', { 'x-ghl-signature': ' ' }, 'WEBHOOK_SIGNATURE_MISSING'],
    ['a non-base64 header', { 'x-ghl-signature': '!'.repeat(88) }, 'WEBHOOK_SIGNATURE_INVALID'],
    [
      'a too short signature',
      { 'x-ghl-signature': Buffer.alloc(32, 1).toString('base64') },
      'WEBHOOK_SIGNATURE_INVALID',
    ],
    [
      'a too long signature',
      { 'x-ghl-signature': Buffer.alloc(65, 1).toString('base64') },
      'WEBHOOK_SIGNATURE_INVALID',
    ],
    ['a huge header', { 'x-ghl-signature': 'A'.repeat(100_000) }, 'WEBHOOK_SIGNATURE_INVALID'],
    ['an RSA-length signature on the Ed25519 header', { 'x-ghl-signature': rsaSign(raw) }, 'WEBHOOK_SIGNATURE_INVALID'],
    ['a legacy header while legacy is off', { 'x-wh-signature': rsaSign(raw) }, 'GHL_LEGACY_SIGNATURE_DISABLED'],
  ] as const)('%s → refused without parsing the body', (_name, headers, code) => {
    const parse = vi.spyOn(JSON, 'parse');
    const stringify = vi.spyOn(JSON, 'stringify');
    expect(verifyGhlSignature({ ...keys, rawBody: big, headers })).toEqual({ ok: false, code });
    expect(parse).not.toHaveBeenCalled();
    expect(stringify).not.toHaveBeenCalled();
  });

  it('a valid signature over the raw bytes is accepted without parsing; the re-serialisation is the last resort', () => {
    const parse = vi.spyOn(JSON, 'parse');
    expect(verifyGhlSignature({ ...keys, rawBody: raw, headers: { 'x-ghl-signature': edSign(raw) } })).toEqual({
      ok: true,
    });
    expect(parse).not.toHaveBeenCalled();
    // a well-formed 64-byte signature that does not verify over the raw bytes: then (only then) the
    // body is re-serialised once (malformed JSON: nothing more to try)
    const wellFormed = Buffer.alloc(64, 7).toString('base64');
    expect(verifyGhlSignature({ ...keys, rawBody: big, headers: { 'x-ghl-signature': wellFormed } })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('accepts unpadded and URL-safe base64 of the right length', () => {
    const sig = edSign(raw);
    const urlSafe = sig.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(verifyGhlSignature({ ...keys, rawBody: raw, headers: { 'x-ghl-signature': urlSafe } })).toEqual({
      ok: true,
    });
  });
});
