import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BytesError } from './errors.ts';
import { bytesToHex, hexToBytes } from './hex.ts';

describe('hex helpers', () => {
  it('accept either case and an optional prefix', () => {
    expect(hexToBytes('0xABcd')).toEqual(Uint8Array.of(0xab, 0xcd));
    expect(hexToBytes('abCD')).toEqual(Uint8Array.of(0xab, 0xcd));
    expect(hexToBytes('0X01')).toEqual(Uint8Array.of(1));
    expect(hexToBytes('0x')).toEqual(new Uint8Array());
    expect(bytesToHex(Uint8Array.of(0xab, 0x01))).toBe('0xab01');
  });

  it('reject what Buffer.from would silently truncate', () => {
    expect(() => hexToBytes('0x12zz')).toThrowError(new BytesError('hex', 'invalid hex: non-hex character at position 4'));
    expect(() => hexToBytes('123')).toThrowError('odd number of digits (3)');
    expect(() => hexToBytes('12', { prefix: 'required' })).toThrowError('missing 0x prefix');
  });

  it('round-trip any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(hexToBytes(bytesToHex(bytes))).toEqual(bytes);
      }),
    );
  });
});
