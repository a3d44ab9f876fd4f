import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goBytes, goQuote } from './go-json.ts';

describe('goQuote', () => {
  it('escapes like Go encoding/json', () => {
    expect(goQuote('incomplete message(7): got 1/2 chunks')).toBe('"incomplete message(7): got 1/2 chunks"');
    expect(goQuote('a<b>c&d')).toBe('"a\\u003cb\\u003ec\\u0026d"');
    expect(goQuote('q"\\\n\r\t\b\f\u0001\u001f\u007f')).toBe('"q\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u001f\u007f"');
    expect(goQuote('\u2028\u2029')).toBe('"\\u2028\\u2029"');
    expect(goQuote('hex string "0x"')).toBe('"hex string \\"0x\\""');
    expect(goQuote('lone \ud800 surrogate')).toBe('"lone \ufffd surrogate"');
    expect(goQuote('pair \ud83d\ude00')).toBe('"pair \ud83d\ude00"');
  });

  it('always produces JSON that decodes to the (well-formed) input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), (value) => {
        expect(JSON.parse(goQuote(value))).toBe(value);
      }),
    );
  });
});

describe('goBytes', () => {
  it('is standard padded base64, null for nil', () => {
    expect(goBytes(undefined)).toBe('null');
    expect(goBytes(new Uint8Array())).toBe('""');
    expect(goBytes(Uint8Array.of(0))).toBe('"AA=="');
    expect(goBytes(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('"+/+/"'); // not the URL alphabet
    expect(goBytes(new Uint8Array([9, 0, 1, 2]).subarray(1))).toBe('"AAEC"');
  });
});
