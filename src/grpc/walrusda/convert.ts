// Domain ⇄ walrusda.v1 message conversions. The wire never reaches DaService: commitments are
// decoded here (CommitmentError → INVALID_ARGUMENT), domain results are turned into messages.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { BODY_V0_LENGTH, CommitmentError, FRAMED_LENGTH, bodyQuiltPatchId, decodeBody, decodeFramed, encodeBody, encodeFramed, quiltPatchIdToText, type CommitmentBody } from '../../commitment/index.ts';
import { bytesToBareHex } from '../../bytes/index.ts';
import { InvalidCommitmentError, InvalidInputError, type FrameCommitment, type FrameKey, type FrameState as DomainFrameState, type VerificationStepName } from '../../core/index.ts';
import {
  CommitmentFraming,
  CommitmentSchema,
  FrameState,
  VerificationStepKind,
  type Commitment,
  type CommitmentInput,
} from '../gen/walrusda/v1/da_pb.ts';

/** A framing the server knows; UNSPECIFIED is read as BODY. */
export type KnownFraming = 'body' | 'opstack' | 'orbit';

export function framingOf(value: CommitmentFraming): KnownFraming {
  switch (value) {
    case CommitmentFraming.UNSPECIFIED:
    case CommitmentFraming.BODY:
      return 'body';
    case CommitmentFraming.OP_STACK:
      return 'opstack';
    case CommitmentFraming.ORBIT:
      return 'orbit';
    default:
      throw new InvalidInputError(`unknown commitment framing ${value} (expected 0-3, see walrusda.v1.CommitmentFraming)`);
  }
}

/** Decodes a client's commitment; throws InvalidCommitmentError with a hint when the framing looks wrong. */
export function decodeCommitmentInput(input: CommitmentInput | undefined, daByte: number): CommitmentBody {
  if (!input) throw new InvalidInputError('commitment is required');
  const framing = framingOf(input.framing);
  try {
    return framing === 'body' ? decodeBody(input.value) : decodeFramed(input.value, framing, { daByte });
  } catch (error) {
    if (!(error instanceof CommitmentError)) throw error;
    throw new InvalidCommitmentError(`${error.message}${framingHint(input.value, framing)}`, { cause: error });
  }
}

function framingHint(value: Uint8Array, framing: KnownFraming): string {
  if (framing === 'body' && value.length === FRAMED_LENGTH) {
    return ` (this looks like a ${FRAMED_LENGTH}-byte framed commitment: set framing to COMMITMENT_FRAMING_OP_STACK or COMMITMENT_FRAMING_ORBIT)`;
  }
  if (framing !== 'body' && value.length === BODY_V0_LENGTH) {
    return ` (this looks like a raw ${BODY_V0_LENGTH}-byte body: set framing to COMMITMENT_FRAMING_BODY)`;
  }
  return '';
}

/** A frame key from 32 raw keccak bytes. */
export function frameKeyOf(keccak: Uint8Array): FrameKey {
  if (keccak.length !== 32) throw new InvalidInputError(`frame_keccak must be 32 bytes, got ${keccak.length}`);
  return bytesToBareHex(keccak);
}

/** The message form of an issued commitment, framed as the caller asked. */
export function commitmentMessage(commitment: FrameCommitment, framing: KnownFraming, daByte: number): Commitment {
  const body = encodeBody(commitment.body);
  const init: MessageInitShape<typeof CommitmentSchema> = {
    body,
    framed: framing === 'body' ? body : encodeFramed(commitment.body, { daByte }),
    quiltId: commitment.body.quiltId,
    quiltPatchId: quiltPatchIdToText(bodyQuiltPatchId(commitment.body)),
    objectId: commitment.body.objectId,
    frameKeccak: commitment.body.frameKeccak,
    height: BigInt(commitment.height),
    certifiedEpoch: commitment.certifiedEpoch,
    endEpoch: commitment.endEpoch,
    committedAt: timestampFromMs(commitment.committedAtMs),
  };
  return create(CommitmentSchema, init);
}

export const FRAME_STATE: Readonly<Record<DomainFrameState, FrameState>> = {
  unknown: FrameState.UNKNOWN,
  queued: FrameState.QUEUED,
  batched: FrameState.BATCHED,
  stored: FrameState.STORED,
  certified: FrameState.CERTIFIED,
};

export const STEP_KIND: Readonly<Record<VerificationStepName, VerificationStepKind>> = {
  decode: VerificationStepKind.DECODE,
  data: VerificationStepKind.DATA,
  availability: VerificationStepKind.AVAILABILITY,
  full: VerificationStepKind.FULL,
  certificate: VerificationStepKind.CERTIFICATE,
};
