import { describe, expect, it } from 'vitest';
import { DEFAULT_DA_BYTE, encodeBody, encodeFramed, type CommitmentBody } from '../../commitment/index.ts';
import { InvalidCommitmentError, InvalidInputError, type FrameCommitment } from '../../core/index.ts';
import { CommitmentFraming } from '../gen/walrusda/v1/da_pb.ts';
import { commitmentMessage, decodeCommitmentInput, frameKeyOf } from './convert.ts';
import { chunkSizeOf } from './service.ts';

const body: CommitmentBody = {
  quiltId: new Uint8Array(32).fill(1),
  startColumn: 3,
  endColumn: 5,
  objectId: new Uint8Array(32).fill(2),
  frameKeccak: new Uint8Array(32).fill(3),
};
const raw = encodeBody(body);
const framed = encodeFramed(body, { daByte: DEFAULT_DA_BYTE });

function input(value: Uint8Array, framing: CommitmentFraming) {
  return { $typeName: 'walrusda.v1.CommitmentInput' as const, value, framing };
}

describe('decodeCommitmentInput', () => {
  it('reads each framing', () => {
    expect(decodeCommitmentInput(input(raw, CommitmentFraming.UNSPECIFIED), DEFAULT_DA_BYTE)).toEqual(body);
    expect(decodeCommitmentInput(input(raw, CommitmentFraming.BODY), DEFAULT_DA_BYTE)).toEqual(body);
    expect(decodeCommitmentInput(input(framed, CommitmentFraming.OP_STACK), DEFAULT_DA_BYTE)).toEqual(body);
    expect(decodeCommitmentInput(input(framed, CommitmentFraming.ORBIT), DEFAULT_DA_BYTE)).toEqual(body);
  });

  it('hints at the right framing when the bytes look like the other one', () => {
    expect(() => decodeCommitmentInput(input(framed, CommitmentFraming.BODY), DEFAULT_DA_BYTE)).toThrow(/set framing to COMMITMENT_FRAMING_OP_STACK/);
    expect(() => decodeCommitmentInput(input(raw, CommitmentFraming.OP_STACK), DEFAULT_DA_BYTE)).toThrow(/set framing to COMMITMENT_FRAMING_BODY/);
    expect(() => decodeCommitmentInput(input(raw, CommitmentFraming.OP_STACK), DEFAULT_DA_BYTE)).toThrow(InvalidCommitmentError);
  });

  it('rejects a foreign DA byte, a missing commitment and an unknown framing', () => {
    expect(() => decodeCommitmentInput(input(framed, CommitmentFraming.OP_STACK), 0x42)).toThrow(/foreign/);
    expect(() => decodeCommitmentInput(undefined, DEFAULT_DA_BYTE)).toThrow(InvalidInputError);
    expect(() => decodeCommitmentInput(input(raw, 9 as CommitmentFraming), DEFAULT_DA_BYTE)).toThrow(/unknown commitment framing 9/);
  });
});

describe('commitmentMessage', () => {
  const commitment: FrameCommitment = { body, height: 12, certifiedEpoch: 3, endEpoch: 55, committedAtMs: 1_700_000_000_123 };

  it('carries the body, its framing and the decoded fields', () => {
    const message = commitmentMessage(commitment, 'opstack', DEFAULT_DA_BYTE);
    expect(Buffer.from(message.body).equals(Buffer.from(raw))).toBe(true);
    expect(Buffer.from(message.framed).equals(Buffer.from(framed))).toBe(true);
    expect(message.quiltPatchId).toHaveLength(50);
    expect(message).toMatchObject({ height: 12n, certifiedEpoch: 3, endEpoch: 55, committedAt: { seconds: 1_700_000_000n, nanos: 123_000_000 } });
    expect(commitmentMessage(commitment, 'body', DEFAULT_DA_BYTE).framed).toEqual(message.body);
  });
});

describe('small parsers', () => {
  it('frameKeyOf wants 32 bytes', () => {
    expect(frameKeyOf(new Uint8Array(32).fill(0xab))).toBe('ab'.repeat(32));
    expect(() => frameKeyOf(new Uint8Array(31))).toThrow(InvalidInputError);
  });

  it('chunkSizeOf defaults to 1 MiB and clamps below 4 MiB', () => {
    expect(chunkSizeOf(0)).toBe(1024 * 1024);
    expect(chunkSizeOf(1)).toBe(16 * 1024);
    expect(chunkSizeOf(100_000)).toBe(100_000);
    expect(chunkSizeOf(0xffffffff)).toBe(4 * 1024 * 1024 - 1024);
  });
});
