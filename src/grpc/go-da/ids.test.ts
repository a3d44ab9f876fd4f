// go-da IDs: `u64 LE height ‖ 102-byte body`, and a parser that survives any bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBody, type CommitmentBody } from '../../commitment/index.ts';
import { InvalidInputError } from '../../core/index.ts';
import { ID_LENGTH, decodeId, encodeId } from './ids.ts';

const body: CommitmentBody = {
  quiltId: new Uint8Array(32).fill(0x11),
  startColumn: 1,
  endColumn: 9,
  objectId: new Uint8Array(32).fill(0x22),
  frameKeccak: new Uint8Array(32).fill(0x33),
};

const bodies = fc.record({
  quiltId: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  startColumn: fc.integer({ min: 1, max: 65_534 }),
  objectId: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  frameKeccak: fc.uint8Array({ minLength: 32, maxLength: 32 }),
}).chain((b) => fc.integer({ min: b.startColumn + 1, max: 65_535 }).map((endColumn): CommitmentBody => ({ ...b, endColumn })));

describe('go-da ids', () => {
  it('lays out height little-endian, then the body', () => {
    const id = encodeId(0x0102030405060708n, body);
    expect(id).toHaveLength(ID_LENGTH);
    expect(Buffer.from(id.subarray(0, 8)).toString('hex')).toBe('0807060504030201');
    expect(Buffer.from(id.subarray(8)).equals(Buffer.from(encodeBody(body)))).toBe(true);
    // As Rollkit reads its DA height: binary.LittleEndian.Uint64(ids[0]).
    expect(Buffer.from(encodeId(42, body)).readBigUInt64LE(0)).toBe(42n);
  });

  it('round-trips any height and body', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), bodies, (height, b) => {
        const decoded = decodeId(encodeId(height, b));
        expect(decoded.height).toBe(height);
        expect(decoded.body).toEqual(b);
        expect(Buffer.from(decoded.bodyBytes).equals(Buffer.from(encodeBody(b)))).toBe(true);
      }),
    );
  });

  it('rejects heights that are not a u64', () => {
    expect(() => encodeId(-1, body)).toThrow(RangeError);
    expect(() => encodeId(1n << 64n, body)).toThrow(RangeError);
  });

  it.each([
    ['empty', new Uint8Array()],
    ['go-da suite garbage', new TextEncoder().encode('invalid blob id')],
    ['one byte short', encodeId(1, body).subarray(1)],
    ['bad body version', Uint8Array.from(encodeId(1, body), (b, i) => (i === 8 ? 7 : b))],
  ])('rejects %s with InvalidInputError', (_label, bytes) => {
    expect(() => decodeId(bytes)).toThrow(InvalidInputError);
  });

  it('never throws anything but InvalidInputError on garbage', () => {
    const garbage = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ minLength: ID_LENGTH, maxLength: ID_LENGTH }),
      // Valid ids with one byte changed, to reach the deeper checks.
      fc.tuple(bodies, fc.nat(ID_LENGTH - 1), fc.integer({ min: 0, max: 255 })).map(([b, at, value]) => {
        const id = encodeId(7, b);
        id[at] = value;
        return id;
      }),
    );
    fc.assert(
      fc.property(garbage, (bytes) => {
        try {
          const decoded = decodeId(bytes);
          expect(decoded.bodyBytes).toHaveLength(102);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
