import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBody, type CommitmentBody } from './body.ts';
import { CommitmentError } from './errors.ts';
import {
  DEFAULT_DA_BYTE,
  FRAMED_LENGTH,
  decodeFramed,
  decodeOpStackCommitment,
  encodeFramed,
  encodeOpStackKeccakCommitment,
} from './framing.ts';
import { bytesToHex } from '../bytes/index.ts';

const BODY: CommitmentBody = {
  quiltId: new Uint8Array(32).fill(0xaa),
  startColumn: 3,
  endColumn: 4,
  objectId: new Uint8Array(32).fill(0xbb),
  frameKeccak: new Uint8Array(32).fill(0xcc),
};

function failure(fn: () => unknown): { reason: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof CommitmentError) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected a CommitmentError');
}

describe('framings', () => {
  it('frames OP Stack commitments and Orbit certificates as 0x01 0x57 ‖ body', () => {
    const framed = encodeFramed(BODY);
    expect(framed.length).toBe(FRAMED_LENGTH);
    expect(bytesToHex(framed.subarray(0, 3))).toBe('0x015700');
    expect(framed.subarray(2)).toEqual(encodeBody(BODY));
    expect(DEFAULT_DA_BYTE).toBe(0x57);
    expect(decodeFramed(framed, 'opstack')).toEqual(BODY);
    expect(decodeFramed(framed, 'orbit')).toEqual(BODY);
  });

  it('uses the configured DA byte and rejects other DA layers as foreign', () => {
    const framed = encodeFramed(BODY, { daByte: 0x42 });
    expect(framed[1]).toBe(0x42);
    expect(decodeFramed(framed, 'opstack', { daByte: 0x42 })).toEqual(BODY);
    expect(failure(() => decodeFramed(framed, 'opstack'))).toEqual({
      reason: 'da-byte',
      message: "foreign OP Stack generic commitment: DA byte 0x42 is not this server's 0x57",
    });
    // A Celestia commitment (0x01 0x0c + 40-byte blob id) is foreign, not malformed.
    const celestia = Uint8Array.from([0x01, 0x0c, ...new Uint8Array(40)]);
    expect(failure(() => decodeFramed(celestia, 'orbit')).reason).toBe('da-byte');
  });

  it('names the wrong first byte per framing', () => {
    const framed = encodeFramed(BODY);
    framed[0] = 0x80;
    expect(failure(() => decodeFramed(framed, 'orbit')).message).toBe('unsupported certificate header byte 0x80 (expected 0x01)');
    expect(failure(() => decodeFramed(framed, 'opstack')).message).toBe('unsupported commitment type 0x80 (expected 0x01)');
  });

  it('reports an unknown body version before a length mismatch', () => {
    const future = Uint8Array.from([0x01, 0x57, 0x01, ...new Uint8Array(150)]);
    expect(failure(() => decodeFramed(future, 'orbit')).reason).toBe('version');
    expect(failure(() => decodeFramed(encodeFramed(BODY).subarray(0, 50), 'orbit'))).toEqual({
      reason: 'length',
      message: 'invalid Orbit DA certificate length: expected 104 bytes, got 50',
    });
  });

  it('decodes both OP Stack commitment types', () => {
    const keccak = new Uint8Array(32).fill(7);
    const keccakCommitment = encodeOpStackKeccakCommitment(keccak);
    expect(bytesToHex(keccakCommitment)).toBe('0x00' + '07'.repeat(32));
    expect(decodeOpStackCommitment(keccakCommitment)).toEqual({ kind: 'keccak', keccak });
    expect(decodeOpStackCommitment(encodeFramed(BODY))).toEqual({ kind: 'generic', body: BODY });
    expect(failure(() => decodeOpStackCommitment(keccakCommitment.subarray(0, 20))).reason).toBe('length');
    expect(failure(() => decodeOpStackCommitment(Uint8Array.of(9, 1, 2))).reason).toBe('commitment-type');
    expect(failure(() => decodeOpStackCommitment(new Uint8Array())).reason).toBe('length');
  });

  it('fuzz: arbitrary bytes either decode to a body that re-frames identically or raise CommitmentError', () => {
    const nearValid = fc
      .tuple(fc.constantFrom(0x00, 0x01, 0x02), fc.constantFrom(0x57, 0x00, 0x0c), fc.uint8Array({ minLength: 0, maxLength: 110 }))
      .map(([a, b, rest]) => Uint8Array.from([a, b, ...rest]));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 140 }), nearValid), (bytes) => {
        try {
          const decoded = decodeOpStackCommitment(bytes);
          const again = decoded.kind === 'keccak' ? encodeOpStackKeccakCommitment(decoded.keccak) : encodeFramed(decoded.body);
          expect(again).toEqual(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(CommitmentError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
