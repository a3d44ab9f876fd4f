import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBody, type CommitmentBody } from './body.ts';
import { CommitmentError } from './errors.ts';
import { encodeFramed, encodeOpStackKeccakCommitment } from './framing.ts';
import { commitmentBytesFromHex } from './hex-text.ts';
import { inspectCommitment } from './inspect.ts';

const BODY: CommitmentBody = {
  quiltId: new Uint8Array(32).fill(1),
  startColumn: 2,
  endColumn: 5,
  objectId: new Uint8Array(32).fill(2),
  frameKeccak: new Uint8Array(32).fill(3),
};

describe('inspectCommitment', () => {
  it('recognises every form an operator may hold', () => {
    const framed = encodeFramed(BODY);
    expect(inspectCommitment(encodeBody(BODY))).toEqual({ form: 'body-v0', body: BODY });
    expect(inspectCommitment(framed)).toEqual({ form: 'framed', body: BODY });
    expect(inspectCommitment(Uint8Array.from([0x01, ...framed]))).toEqual({ form: 'opstack-l1-calldata', body: BODY });

    const header = new Uint8Array(40);
    const view = new DataView(header.buffer);
    view.setBigUint64(0, 1_700_000_000n);
    view.setBigUint64(8, 1_700_000_100n);
    view.setBigUint64(16, 10n);
    view.setBigUint64(24, 12n);
    view.setBigUint64(32, 7n);
    expect(inspectCommitment(Uint8Array.from([...header, ...framed]))).toEqual({
      form: 'orbit-sequencer-message',
      body: BODY,
      header: { minTimestamp: 1_700_000_000n, maxTimestamp: 1_700_000_100n, minL1Block: 10n, maxL1Block: 12n, afterDelayedMessages: 7n },
    });

    const keccak = new Uint8Array(32).fill(9);
    expect(inspectCommitment(encodeOpStackKeccakCommitment(keccak))).toEqual({ form: 'opstack-keccak', keccak });
    expect(inspectCommitment(Uint8Array.from([0x01, 0x00, ...keccak]))).toEqual({ form: 'opstack-keccak-l1-calldata', keccak });
  });

  it('rejects other lengths with the list of accepted ones', () => {
    expect(() => inspectCommitment(new Uint8Array(7))).toThrowErrorMatchingInlineSnapshot(
      `[CommitmentError: unrecognised commitment length 7: expected 102 (body), 104 (commitment/certificate), 105 (OP L1 calldata), 144 (Orbit sequencer message) or 33 (keccak) bytes]`,
    );
  });

  it('fuzz: only CommitmentError escapes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 160 }), fc.constantFrom(33, 34, 102, 104, 105, 144).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))), (bytes) => {
        try {
          inspectCommitment(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(CommitmentError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('commitment hex text', () => {
  it('turns text that is not hex into CommitmentError(hex), with the precise reason', () => {
    expect(() => commitmentBytesFromHex('0x12zz')).toThrowError(new CommitmentError('hex', 'invalid hex: non-hex character at position 4'));
    expect(commitmentBytesFromHex('0xABcd')).toEqual(Uint8Array.of(0xab, 0xcd));
  });
});
