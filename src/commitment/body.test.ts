import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BODY_V0_LENGTH, bodyQuiltPatchId, decodeBody, encodeBody, type CommitmentBody } from './body.ts';
import { CommitmentError } from './errors.ts';
import { bytesToBareHex, hexToBytes } from '../bytes/index.ts';
import { encodeQuiltPatchId, quiltPatchIdFromText, quiltPatchIdToText } from './quilt-patch-id.ts';

// The quilt and patch of the 1000-shard vector in test/vectors/walrus-vectors.json:
// patch "2e33…66f0" occupies columns [1, 9) of quilt W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTU.
const QUILT_ID = Buffer.from('W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTU', 'base64url');
const OBJECT_ID = hexToBytes('0x' + '11'.repeat(31) + '22');
const KECCAK = hexToBytes('0x2e33b5960573959e98d21583a43f8320957e246b8a3660663794d0f1125866f0');
const BODY: CommitmentBody = { quiltId: QUILT_ID, startColumn: 1, endColumn: 9, objectId: OBJECT_ID, frameKeccak: KECCAK };

const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const arbitraryBody = fc
  .record({ quiltId: hash32, objectId: hash32, frameKeccak: hash32, start: fc.integer({ min: 1, max: 0xfffe }), width: fc.integer({ min: 1, max: 0xfffe }) })
  .map(({ start, width, ...rest }) => ({ ...rest, startColumn: start, endColumn: Math.min(0xffff, start + width) }));

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CommitmentError) return `${error.reason}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a CommitmentError');
}

describe('body v0', () => {
  it('encodes the layout of docs/architecture.md "Commitment layout" byte for byte', () => {
    const bytes = encodeBody(BODY);
    expect(bytes.length).toBe(BODY_V0_LENGTH);
    expect(bytesToBareHex(bytes)).toBe(
      '00' +
        bytesToBareHex(QUILT_ID) +
        '01' + '0100' + '0900' +
        '11'.repeat(31) + '22' +
        '2e33b5960573959e98d21583a43f8320957e246b8a3660663794d0f1125866f0',
    );
  });

  it('embeds exactly the Walrus QuiltPatchId of the vector file', () => {
    const text = quiltPatchIdToText(bodyQuiltPatchId(BODY));
    expect(text).toBe('W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTUBAQAJAA');
    expect(text).toHaveLength(50);
    expect(encodeBody(BODY).subarray(1, 38)).toEqual(encodeQuiltPatchId(BODY));
    expect(quiltPatchIdToText({ quiltId: QUILT_ID, startColumn: 192, endColumn: 372 })).toBe(
      'W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTUBwAB0AQ',
    );
    expect(quiltPatchIdFromText('W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTUBwAB0AQ')).toEqual({
      quiltId: Uint8Array.from(QUILT_ID),
      startColumn: 192,
      endColumn: 372,
    });
  });

  it('round-trips any valid body', () => {
    fc.assert(
      fc.property(arbitraryBody, (body) => {
        const decoded = decodeBody(encodeBody(body));
        expect(decoded).toEqual(body);
        expect(encodeBody(decoded)).toEqual(encodeBody(body));
      }),
    );
  });

  it('names what is wrong with malformed bodies', () => {
    const good = encodeBody(BODY);
    const withByte = (index: number, value: number) => {
      const copy = good.slice();
      copy[index] = value;
      return copy;
    };
    expect(reasonOf(() => decodeBody(new Uint8Array()))).toMatchInlineSnapshot(
      `"length: invalid commitment body length: expected 102 bytes, got 0"`,
    );
    expect(reasonOf(() => decodeBody(good.subarray(0, 101)))).toMatchInlineSnapshot(
      `"length: invalid commitment body length: expected 102 bytes, got 101"`,
    );
    expect(reasonOf(() => decodeBody(withByte(0, 1)))).toMatchInlineSnapshot(
      `"version: unknown commitment body version 0x01 (supported: 0x00)"`,
    );
    expect(reasonOf(() => decodeBody(withByte(33, 2)))).toMatchInlineSnapshot(
      `"patch-id-version: unknown quilt patch id version 0x02 (supported: 0x01)"`,
    );
    expect(reasonOf(() => decodeBody(withByte(34, 9)))).toMatchInlineSnapshot(
      `"column-range: invalid quilt patch column range [9, 9): need 1 ≤ start < end ≤ 65535 (column 0 holds the quilt index)"`,
    );
    expect(reasonOf(() => decodeBody(withByte(34, 0)))).toMatch(/^column-range: .*\[0, 9\)/);
  });

  it('never throws anything but CommitmentError on arbitrary bytes, and accepted bytes re-encode identically', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 102, maxLength: 102 })), (bytes) => {
        let body: CommitmentBody;
        try {
          body = decodeBody(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(CommitmentError);
          return;
        }
        expect(encodeBody(body)).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses to encode fields of the wrong size', () => {
    expect(reasonOf(() => encodeBody({ ...BODY, objectId: new Uint8Array(31) }))).toMatchInlineSnapshot(
      `"length: invalid objectId length: expected 32 bytes, got 31"`,
    );
    expect(reasonOf(() => encodeBody({ ...BODY, endColumn: 0x10000 }))).toMatch(/^column-range/);
  });
});

describe('quilt patch id', () => {
  it('round-trips text and rejects malformed ids precisely', () => {
    fc.assert(
      fc.property(arbitraryBody, (body) => {
        const id = bodyQuiltPatchId(body);
        expect(quiltPatchIdFromText(quiltPatchIdToText(id))).toEqual(id);
      }),
    );
    expect(reasonOf(() => quiltPatchIdFromText('W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTU'))).toMatch(/^encoding: .*expected 50 base64url/);
    expect(reasonOf(() => quiltPatchIdFromText('W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTUBwAB0AR'))).toMatch(/^encoding: .*non-canonical/);
    expect(reasonOf(() => quiltPatchIdFromText('W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTUCwAB0AQ'))).toMatch(/^patch-id-version/);
    expect(reasonOf(() => quiltPatchIdFromText('W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTUBwAAwAA'))).toMatch(/^column-range/);
  });
});
