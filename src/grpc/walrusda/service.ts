// walrusda.v1.DataAvailabilityService: walrus-da's own API over DaService. Put/PutStream live in
// ./put.ts; this file wires the service and holds the read side (Get, GetStatus, Verify,
// GetConfig).
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { CommitmentError, type CommitmentBody } from '../../commitment/index.ts';
import { bytesToBareHex } from '../../bytes/index.ts';
import { InvalidCommitmentError, InvalidInputError, type ChainDirectory, type DaService, type GetResult, type VerificationStep } from '../../core/index.ts';
import { serverStreaming, unary, type CallContext, type Door, type Send } from '../call.ts';
import { metadataAuthenticators } from '../chain-auth.ts';
import {
  GetConfigResponseSchema,
  GetResponseSchema,
  GetStatusResponseSchema,
  VerificationStepKind,
  VerifyResponseSchema,
  type DataAvailabilityService,
  type GetRequest,
  type GetResponse,
  type GetStatusRequest,
  type VerifyRequest,
} from '../gen/walrusda/v1/da_pb.ts';
import type { ServiceImplementation } from '../service-definition.ts';
import { FRAME_STATE, STEP_KIND, commitmentMessage, decodeCommitmentInput, frameKeyOf, framingOf } from './convert.ts';
import { putHandlers } from './put.ts';

/**
 * Default and bounds of Get's chunk size. The maximum leaves 1 KiB for the message envelope, so
 * that every message fits a default gRPC client's 4 MiB receive limit.
 */
export const GET_CHUNK_BYTES = { default: 1024 * 1024, min: 16 * 1024, max: 4 * 1024 * 1024 - 1024 } as const;

type Methods = typeof DataAvailabilityService extends { method: infer M } ? M : never;

export interface WalrusDaServiceOptions {
  readonly service: DaService;
  /** DA byte of framed commitments (OP Stack / Orbit). */
  readonly daByte: number;
  /** What GetConfig answers. */
  readonly config: MessageInitShape<typeof GetConfigResponseSchema>;
  readonly door: Door;
  /** Who may call what (docs/wire/grpc.md "Chains"); without a chains file, everyone may. */
  readonly chains: ChainDirectory;
}

export function walrusDaImplementation(options: WalrusDaServiceOptions): ServiceImplementation<Methods> {
  const { service, daByte, door } = options;
  const config = create(GetConfigResponseSchema, options.config);
  const auth = metadataAuthenticators(options.chains);
  return {
    ...putHandlers({ service, daByte, door, auth }),
    get: serverStreaming(door, 'Get', auth.read, (request: GetRequest, send: Send<GetResponse>, context) => streamFrame(options, request, send, context)),
    getStatus: unary(door, 'GetStatus', auth.read, async (request: GetStatusRequest, context) => {
      const framing = framingOf(request.framing);
      const keccak = requestedKeccak(request.frame, daByte);
      const status = await service.status(bytesToBareHex(keccak), context);
      return create(GetStatusResponseSchema, {
        frameKeccak: keccak,
        state: FRAME_STATE[status.state],
        ...(status.quiltId ? { quiltId: status.quiltId } : {}),
        ...(status.objectId ? { objectId: status.objectId } : {}),
        ...(status.endEpoch === undefined ? {} : { endEpoch: status.endEpoch }),
        ...(status.commitment ? { commitment: commitmentMessage(status.commitment, framing, daByte) } : {}),
        lastError: status.lastError ?? '',
      });
    }),
    verify: unary(door, 'Verify', auth.read, (request: VerifyRequest, context) => verify(service, daByte, request, context)),
    // Deployment facts, no chain data: open to every caller, like health and reflection.
    getConfig: unary(door, 'GetConfig', auth.open, () => Promise.resolve(config)),
  };
}

async function streamFrame(options: WalrusDaServiceOptions, request: GetRequest, send: Send<GetResponse>, context: CallContext): Promise<void> {
  const { service, daByte } = options;
  let keccak: Uint8Array;
  let result: GetResult;
  switch (request.frame.case) {
    case 'commitment': {
      const body = decodeCommitmentInput(request.frame.value, daByte);
      keccak = body.frameKeccak;
      result = await service.get(body, context);
      break;
    }
    case 'frameKeccak':
      keccak = request.frame.value;
      result = await service.getByKey(frameKeyOf(keccak), context);
      break;
    case undefined:
      throw new InvalidInputError('Get needs a commitment or a frame_keccak');
  }
  const { data, source } = result;
  const chunkSize = chunkSizeOf(request.chunkSize);
  await send(create(GetResponseSchema, { part: { case: 'header', value: { totalSize: BigInt(data.length), frameKeccak: keccak, source } } }));
  for (let offset = 0; offset < data.length; offset += chunkSize) {
    await send(create(GetResponseSchema, { part: { case: 'chunk', value: data.subarray(offset, offset + chunkSize) } }));
  }
}

/** Get's chunk size: 0 → 1 MiB, otherwise clamped to [16 KiB, 4 MiB − 1 KiB]. */
export function chunkSizeOf(requested: number): number {
  if (requested === 0) return GET_CHUNK_BYTES.default;
  return Math.min(GET_CHUNK_BYTES.max, Math.max(GET_CHUNK_BYTES.min, requested));
}

function requestedKeccak(frame: GetStatusRequest['frame'], daByte: number): Uint8Array {
  switch (frame.case) {
    case 'frameKeccak':
      frameKeyOf(frame.value); // validates the length
      return frame.value;
    case 'commitment':
      return decodeCommitmentInput(frame.value, daByte).frameKeccak;
    case undefined:
      throw new InvalidInputError('GetStatus needs a frame_keccak or a commitment');
  }
}

/** Verify: a malformed commitment is a report whose decode step failed, not an error. */
async function verify(service: DaService, daByte: number, request: VerifyRequest, context: CallContext) {
  if (!request.commitment) throw new InvalidInputError('Verify needs a commitment');
  const framing = framingOf(request.commitment.framing); // an unknown framing is a bad request
  let body: CommitmentBody;
  try {
    body = decodeCommitmentInput(request.commitment, daByte);
  } catch (error) {
    if (!(error instanceof InvalidCommitmentError)) throw error;
    const reason = error.cause instanceof CommitmentError ? error.cause.reason : 'invalid';
    return create(VerifyResponseSchema, {
      ok: false,
      full: request.full,
      steps: [{ step: VerificationStepKind.DECODE, ok: false, reason: error.shortMessage, facts: { framing, error: reason } }],
    });
  }
  const report = await service.verify(body, { ...context, full: request.full });
  return create(VerifyResponseSchema, { ok: report.ok, full: report.full, steps: report.steps.map(stepMessage) });
}

function stepMessage(step: VerificationStep) {
  return { step: STEP_KIND[step.step], ok: step.ok, reason: step.reason, ...(step.facts ? { facts: { ...step.facts } } : {}) };
}
