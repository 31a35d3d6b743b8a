/** parseJson: one parse; text PostgreSQL cannot store is refused whatever the escape looks like. */
import { describe, expect, it } from 'vitest';
import { parseJson } from './raw-body';

const parse = (text: string) => parseJson(Buffer.from(text, 'utf8'));

describe('parseJson', () => {
  it('parses ordinary JSON, with characters outside the BMP written raw or as an escaped pair', () => {
    expect(parse('{"a":"x","b":[1,{"c":"😀"}]}')).toEqual({ ok: true, value: { a: 'x', b: [1, { c: '😀' }] } });
    expect(parse(String.raw`{"a":"\uD83D\uDE00 \u00e9"}`)).toEqual({ ok: true, value: { a: '😀 é' } });
    expect(parse(String.raw`{"a":"\\u0000 is text"}`)).toEqual({ ok: true, value: { a: String.raw`\u0000 is text` } });
  });

  it('refuses malformed JSON', () => {
    expect(parse('{"a":')).toEqual({ ok: false });
    expect(parse('{"a":"\u0000"}')).toEqual({ ok: false }); // a raw control character is invalid JSON
  });

  it('refuses NUL and lone surrogates, in values and keys, in any case', () => {
    for (const text of [
      String.raw`{"a":"x\u0000"}`,
      String.raw`{"a":["ok",{"b":"\ud800"}]}`,
      String.raw`{"a":"\uDC00"}`,
      String.raw`{"k\u0000":1}`,
      String.raw`{"a":"\uDBFF x"}`,
    ])
      expect(parse(text)).toEqual({ ok: false });
  });

  it('never yields a lone surrogate from invalid UTF-8 (it decodes to U+FFFD)', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    expect(parseJson(bytes)).toEqual({ ok: true, value: { a: '\ufffd\ufffd\ufffd' } });
  });
});
