// The one DaError → gRPC status mapping of walrusda.v1 (docs/wire/grpc.md "Status mapping").
// Every failed call also carries a
// google.rpc.ErrorInfo detail (domain "walrus-da", reason = the DaError code, metadata.retryable)
// so that clients can tell apart what shares a gRPC code (TOO_LARGE vs BACKPRESSURE, both
// RESOURCE_EXHAUSTED) without parsing messages. A shed put also carries a google.rpc.RetryInfo
// with the delay after which a retry may be admitted (what Retry-After says on the HTTP door).
import { create } from '@bufbuild/protobuf';
import { anyPack, durationFromMs } from '@bufbuild/protobuf/wkt';
import { status } from '@grpc/grpc-js';
import { CommitmentError } from '../../commitment/index.ts';
import { BackpressureError, TooLargeError, type DaError, type DaErrorCode } from '../../core/index.ts';
import { ErrorInfoSchema, RetryInfoSchema } from '../gen/google/rpc/error_details_pb.ts';
import { GrpcStatusError } from '../status-error.ts';

/** `ErrorInfo.domain` of walrus-da's errors. */
export const ERROR_DOMAIN = 'walrus-da';

/**
 * gRPC code per DaError code, with the reason for each (gRPC codes as defined in grpc/grpc
 * doc/statuscodes.md). A Record over the union, so a new DaError code fails to compile here.
 */
export const GRPC_CODE_BY_DA_CODE: Readonly<Record<DaErrorCode, status>> = {
  // Malformed request, frame or commitment: wrong regardless of the server's state.
  INVALID_INPUT: status.INVALID_ARGUMENT,
  INVALID_COMMITMENT: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  // Proven invalid (docs/verdicts.md): the data the commitment names does not exist, for good.
  // ErrorInfo.reason PROVEN_INVALID tells it apart from an unknown key.
  PROVEN_INVALID: status.NOT_FOUND,
  // Missing or wrong `authorization: Bearer` for the chain named in `x-walrus-da-chain`.
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  // Over max_frame_bytes: the code grpc itself uses for an oversize message, so a frame that is
  // too large gets the same code whether grpc-js or walrus-da notices first.
  TOO_LARGE: status.RESOURCE_EXHAUSTED,
  // Walrus, Sui or Redis unreachable: UNAVAILABLE is the code clients retry with backoff, and the
  // signal that lets a batcher fall back to L1.
  UNAVAILABLE: status.UNAVAILABLE,
  // Put not certified within putTimeoutMs. The frame stays queued and a repeated put returns its
  // commitment, which is what DEADLINE_EXCEEDED means for a state-changing call ("may be
  // returned even if the operation has completed successfully").
  TIMEOUT: status.DEADLINE_EXCEEDED,
  // The server sheds load: RESOURCE_EXHAUSTED, retryable (ErrorInfo says so).
  BACKPRESSURE: status.RESOURCE_EXHAUSTED,
  // Data that did not match its commitment (a lying aggregator or corrupt cache). Retryable:
  // another source may serve the right bytes, so UNAVAILABLE rather than DATA_LOSS, which
  // clients treat as final.
  INTEGRITY: status.UNAVAILABLE,
  CANCELLED: status.CANCELLED,
  INTERNAL: status.INTERNAL,
};

/** The gRPC failure walrusda.v1 answers for a DaError. */
export function walrusDaStatus(error: DaError): GrpcStatusError {
  const metadata: Record<string, string> = { retryable: String(error.retryable) };
  if (error instanceof TooLargeError) {
    metadata['size'] = String(error.size);
    if (error.limit !== undefined) metadata['limit'] = String(error.limit);
  }
  if (error.cause instanceof CommitmentError) metadata['commitment_error'] = error.cause.reason;
  const info = create(ErrorInfoSchema, { reason: error.code, domain: ERROR_DOMAIN, metadata });
  const details = [anyPack(ErrorInfoSchema, info)];
  if (error instanceof BackpressureError && error.retryAfterMs !== undefined) {
    details.push(anyPack(RetryInfoSchema, create(RetryInfoSchema, { retryDelay: durationFromMs(Math.max(0, Math.ceil(error.retryAfterMs))) })));
  }
  return new GrpcStatusError(GRPC_CODE_BY_DA_CODE[error.code], error.shortMessage, details);
}
