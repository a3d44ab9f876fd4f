import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParamDecodeError, encodeHexBytes, encodeHexUint64, goString, hash, hexBytes, hexUint64, type RpcParamType } from './hexutil.ts';
import { scanFirstValue } from './json-scan.ts';

/** Decodes one JSON value as a param of `type`. */
function decode<T>(type: RpcParamType<T>, json: string): T {
  const span = scanFirstValue(json);
  if (!span) throw new Error('no value');
  return type.decode(json, span);
}

function decodeError(type: RpcParamType<unknown>, json: string): string {
  try {
    decode(type, json);
  } catch (error) {
    expect(error).toBeInstanceOf(ParamDecodeError);
    return (error as Error).message;
  }
  throw new Error(`${json} decoded`);
}

describe('hexutil.Bytes', () => {
  it('decodes canonical and tolerated forms', () => {
    expect(decode(hexBytes, '"0x"')).toEqual(new Uint8Array());
    expect(decode(hexBytes, '""')).toEqual(new Uint8Array());
    expect(decode(hexBytes, '"0x00ff"')).toEqual(Uint8Array.of(0, 255));
    expect(decode(hexBytes, '"0XABcd"')).toEqual(Uint8Array.of(0xab, 0xcd));
  });

  it('rejects bad input with go-ethereum’s exact messages', () => {
    const t = 'into Go value of type hexutil.Bytes';
    expect(decodeError(hexBytes, '"00ff"')).toBe(`json: cannot unmarshal hex string without 0x prefix ${t}`);
    expect(decodeError(hexBytes, '"0x0"')).toBe(`json: cannot unmarshal hex string of odd length ${t}`);
    expect(decodeError(hexBytes, '"0xzz"')).toBe(`json: cannot unmarshal invalid hex string ${t}`);
    expect(decodeError(hexBytes, '"0x\\u0030\\u0030"')).toBe(`json: cannot unmarshal invalid hex string ${t}`); // escapes are not decoded
    expect(decodeError(hexBytes, '"0xé"')).toBe(`json: cannot unmarshal invalid hex string ${t}`); // 2 UTF-8 bytes: even, then not hex
    for (const json of ['12', 'null', 'true', '[]', '{}']) expect(decodeError(hexBytes, json)).toBe(`json: cannot unmarshal non-string ${t}`);
  });

  it('round-trips every byte string through its canonical encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expect(decode(hexBytes, `"${encodeHexBytes(bytes)}"`)).toEqual(bytes);
      }),
    );
  });
});

describe('hexutil.Uint64', () => {
  it('decodes canonical numbers and the empty string', () => {
    expect(decode(hexUint64, '"0x0"')).toBe(0n);
    expect(decode(hexUint64, '""')).toBe(0n);
    expect(decode(hexUint64, '"0x1f"')).toBe(31n);
    expect(decode(hexUint64, '"0xFFFFFFFFFFFFFFFF"')).toBe((1n << 64n) - 1n);
  });

  it('rejects non-canonical and out-of-range numbers with go-ethereum’s exact messages', () => {
    const t = 'into Go value of type hexutil.Uint64';
    expect(decodeError(hexUint64, '"0x01"')).toBe(`json: cannot unmarshal hex number with leading zero digits ${t}`);
    expect(decodeError(hexUint64, '"0x"')).toBe(`json: cannot unmarshal hex string "0x" ${t}`);
    expect(decodeError(hexUint64, '"1"')).toBe(`json: cannot unmarshal hex string without 0x prefix ${t}`);
    expect(decodeError(hexUint64, '"0x10000000000000000"')).toBe(`json: cannot unmarshal hex number > 64 bits ${t}`);
    expect(decodeError(hexUint64, '"0xg"')).toBe(`json: cannot unmarshal invalid hex string ${t}`);
    expect(decodeError(hexUint64, '1')).toBe(`json: cannot unmarshal non-string ${t}`);
    expect(decodeError(hexUint64, 'null')).toBe(`json: cannot unmarshal non-string ${t}`);
  });

  it('encodes canonically and round-trips every uint64', () => {
    expect(encodeHexUint64(0n)).toBe('0x0');
    expect(encodeHexUint64(255)).toBe('0xff');
    expect(() => encodeHexUint64(-1)).toThrow(RangeError);
    expect(() => encodeHexUint64(1n << 64n)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (value) => {
        expect(decode(hexUint64, `"${encodeHexUint64(value)}"`)).toBe(value);
      }),
    );
  });
});

describe('common.Hash', () => {
  const zero = `0x${'00'.repeat(32)}`;

  it('decodes exactly 32 bytes', () => {
    expect(decode(hash, `"${zero}"`)).toEqual(new Uint8Array(32));
    expect(decode(hash, `"0x${'Ab'.repeat(32)}"`)).toEqual(new Uint8Array(32).fill(0xab));
  });

  it('rejects bad input with go-ethereum’s exact messages (the length error is not wrapped)', () => {
    const t = 'into Go value of type common.Hash';
    expect(decodeError(hash, '"0x00"')).toBe('hex string has length 2, want 64 for common.Hash');
    expect(decodeError(hash, '""')).toBe('hex string has length 0, want 64 for common.Hash');
    expect(decodeError(hash, `"${'00'.repeat(32)}"`)).toBe(`json: cannot unmarshal hex string without 0x prefix ${t}`);
    expect(decodeError(hash, '"0x000"')).toBe(`json: cannot unmarshal hex string of odd length ${t}`);
    expect(decodeError(hash, `"0x${'zz'.repeat(32)}"`)).toBe(`json: cannot unmarshal invalid hex string ${t}`);
    expect(decodeError(hash, '0')).toBe(`json: cannot unmarshal non-string ${t}`);
  });
});

describe('Go strings', () => {
  it('decodes strings and null, and names the JSON kind otherwise', () => {
    const id = goString('rpc.ID');
    expect(decode(id, '"a\\"b"')).toBe('a"b');
    expect(decode(id, 'null')).toBe('');
    expect(decodeError(id, '1')).toBe('json: cannot unmarshal number into Go value of type rpc.ID');
    expect(decodeError(id, 'false')).toBe('json: cannot unmarshal bool into Go value of type rpc.ID');
    expect(decodeError(id, '{}')).toBe('json: cannot unmarshal object into Go value of type rpc.ID');
  });
});

describe('fuzzing the decoders', () => {
  it('either decodes or throws ParamDecodeError for any JSON value', () => {
    const values = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string().map((s) => JSON.stringify(s)),
      fc.stringMatching(/^(0[xX])?[0-9a-fA-Fg]{0,70}$/).map((s) => `"${s}"`),
    );
    fc.assert(
      fc.property(values, (json) => {
        for (const type of [hexBytes, hexUint64, hash, goString('rpc.ID')] as RpcParamType<unknown>[]) {
          try {
            decode(type, json);
          } catch (error) {
            expect(error).toBeInstanceOf(ParamDecodeError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts a Uint64 exactly when it is canonical', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^0x[0-9a-f]{0,17}$/), (text) => {
        const canonical = /^0x(0|[1-9a-f][0-9a-f]{0,15})$/.test(text);
        if (canonical) expect(encodeHexUint64(decode(hexUint64, `"${text}"`))).toBe(text);
        else expect(() => decode(hexUint64, `"${text}"`)).toThrow(ParamDecodeError);
      }),
    );
  });
});
