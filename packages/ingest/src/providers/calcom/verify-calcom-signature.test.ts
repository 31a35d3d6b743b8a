import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyCalcomSignature } from './verify-calcom-signature';

const dir = new URL('../../../../domain/src/providers/calcom/fixtures/', import.meta.url);
const bytes = (name: string) => readFileSync(new URL(name, dir));
interface Vector {
  description: string;
  body?: string;
  body_file?: string;
  body_transform?: string;
  'x-cal-signature-256': string;
  expected: 'accept' | 'reject';
}
const vectors = JSON.parse(bytes('signature-vectors.json').toString('utf8')) as { secret: string; vectors: Vector[] };

function bodyOf(v: Vector): Buffer {
  const raw = v.body !== undefined ? Buffer.from(v.body, 'utf8') : bytes(v.body_file!);
  return v.body_transform
    ? Buffer.from(raw.toString('utf8').replace('"status":"ACCEPTED"', '"status":"CANCELLED"'), 'utf8')
    : raw;
}

describe('x-cal-signature-256 (HMAC-SHA256 of the raw body)', () => {
  for (const v of vectors.vectors) {
    it(`${v.expected}: ${v.description.slice(0, 90)}`, () => {
      const r = verifyCalcomSignature({ header: v['x-cal-signature-256'], rawBody: bodyOf(v), secret: vectors.secret });
      expect(r.ok).toBe(v.expected === 'accept');
    });
  }

  it('the literal no-secret-provided and an absent header are a missing signature; a wrong key or a non-hex value is invalid', () => {
    const body = bytes('webhook-booking-created.compact.json');
    const good = vectors.vectors[0]!['x-cal-signature-256'];
    expect(verifyCalcomSignature({ header: 'no-secret-provided', rawBody: body, secret: vectors.secret })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_MISSING',
    });
    expect(verifyCalcomSignature({ header: undefined, rawBody: body, secret: vectors.secret })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_MISSING',
    });
    expect(verifyCalcomSignature({ header: good, rawBody: body, secret: 'another-secret' })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect(verifyCalcomSignature({ header: `sha256=${good}`, rawBody: body, secret: vectors.secret })).toEqual({
      ok: false,
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect(verifyCalcomSignature({ header: [good.toUpperCase()], rawBody: body, secret: vectors.secret })).toEqual({
      ok: true,
    });
  });

  it('re-serialised JSON is not what was signed: the pretty and compact files carry different signatures', () => {
    const compact = vectors.vectors[0]!['x-cal-signature-256'];
    expect(
      verifyCalcomSignature({ header: compact, rawBody: bytes('webhook-booking-created.json'), secret: vectors.secret })
        .ok,
    ).toBe(false);
    const reserialised = JSON.stringify(JSON.parse(bytes('webhook-booking-created.json').toString('utf8')), null, 1);
    expect(verifyCalcomSignature({ header: compact, rawBody: reserialised, secret: vectors.secret }).ok).toBe(false);
  });
});
