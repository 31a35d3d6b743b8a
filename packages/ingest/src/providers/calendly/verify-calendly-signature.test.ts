import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyCalendlySignature } from './verify-calendly-signature';

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const dir = path.resolve(repoRoot, '../shared/fixtures/calendly');
interface Vector {
  signing_key: string;
  t: number;
  header: string;
  body?: string;
  body_file?: string;
  expected: string;
}
const vectors = (JSON.parse(readFileSync(path.join(dir, 'signature-vectors.json'), 'utf8')) as { vectors: Vector[] })
  .vectors;
const bodyOf = (v: Vector): Buffer =>
  v.body_file ? readFileSync(path.join(dir, v.body_file)) : Buffer.from(v.body ?? '', 'utf8');

describe('verifyCalendlySignature', () => {
  it.each(vectors.map((v) => [v.expected, v] as const))('fixture vector: %s', (_d, v) => {
    const result = verifyCalendlySignature({
      header: v.header,
      rawBody: bodyOf(v),
      signingKey: v.signing_key,
      nowMs: v.t * 1000 + 30_000,
    });
    expect(result.ok).toBe(v.expected !== 'reject');
    if (!result.ok) expect(result.code).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  const v = vectors[0] as Vector;
  const base = { rawBody: bodyOf(v), signingKey: v.signing_key, nowMs: v.t * 1000 };

  it('rejects a missing or empty header as MISSING', () => {
    expect(verifyCalendlySignature({ ...base, header: undefined })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_MISSING',
    });
    expect(verifyCalendlySignature({ ...base, header: ' ' })).toEqual({ ok: false, code: 'WEBHOOK_SIGNATURE_MISSING' });
  });

  it.each(['garbage', 't=abc,v1=00', `t=${v.t}`, `v1=${'0'.repeat(64)}`, `t=${v.t},v1=zz`])(
    'rejects a malformed header %s as INVALID',
    (header) => {
      expect(verifyCalendlySignature({ ...base, header })).toEqual({ ok: false, code: 'WEBHOOK_SIGNATURE_INVALID' });
    },
  );

  it('rejects the wrong key', () => {
    expect(verifyCalendlySignature({ ...base, header: v.header, signingKey: 'other' })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
  });

  it('accepts any of several keys (rotation) and a header array', () => {
    expect(verifyCalendlySignature({ ...base, header: [v.header], signingKey: ['old', v.signing_key] })).toEqual({
      ok: true,
    });
  });

  it('is STALE beyond the tolerance either way, and the tolerance is configurable', () => {
    expect(verifyCalendlySignature({ ...base, header: v.header, nowMs: (v.t + 180) * 1000 })).toEqual({ ok: true });
    expect(verifyCalendlySignature({ ...base, header: v.header, nowMs: (v.t + 181) * 1000 })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_STALE',
    });
    expect(verifyCalendlySignature({ ...base, header: v.header, nowMs: (v.t - 181) * 1000 })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_STALE',
    });
    expect(
      verifyCalendlySignature({ ...base, header: v.header, nowMs: (v.t + 600) * 1000, toleranceSeconds: 900 }),
    ).toEqual({ ok: true });
  });

  it('a forged timestamp with the old signature is INVALID, not STALE', () => {
    const v1 = v.header.split('v1=')[1];
    expect(verifyCalendlySignature({ ...base, header: `t=${v.t + 1},v1=${v1}` })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
  });

  it('verifies raw bytes: the re-serialized body of a signed fixture fails', () => {
    const vf = vectors.find((x) => x.body_file) as Vector;
    const raw = bodyOf(vf);
    const now = vf.t * 1000;
    expect(
      verifyCalendlySignature({ header: vf.header, rawBody: raw, signingKey: vf.signing_key, nowMs: now }).ok,
    ).toBe(true);
    const reserialized = JSON.stringify(JSON.parse(raw.toString('utf8')));
    expect(
      verifyCalendlySignature({ header: vf.header, rawBody: reserialized, signingKey: vf.signing_key, nowMs: now }).ok,
    ).toBe(false);
  });

  it('agrees with an independent HMAC for a fresh signature', () => {
    const t = 1_800_000_000;
    const sig = createHmac('sha256', 'k').update(`${t}.{"a":1}`).digest('hex');
    expect(
      verifyCalendlySignature({ header: `t=${t},v1=${sig}`, rawBody: '{"a":1}', signingKey: 'k', nowMs: t * 1000 }),
    ).toEqual({ ok: true });
  });
});
