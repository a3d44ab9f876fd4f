// The one DaError → gRPC status mapping of go-da's da.DAService (docs/wire/grpc.md "go-da").
//
// go-da's typed errors travel as a gRPC status whose details hold exactly one da.ErrorDetails
// (rollkit/go-da errors.go `getGRPCStatus`). Its client takes `status.Proto().Details`, requires
// exactly one, unmarshals `details[0].Value` as ErrorDetails without looking at the type URL and
// turns the code back into the typed error (rollkit/go-da proxy/grpc/errors.go
// `tryToMapError`); anything else reaches the caller as the plain gRPC error. Rollkit then
// classifies Submit failures by those errors' messages (rollkit/rollkit block/manager.go
// `submitBlocksToDA`): "timed out waiting for tx…" → wait a mempool TTL and retry,
// "blob: over size limit" → shrink the batch to a quarter and retry, anything else → back off and
// retry. The messages below are go-da's, byte for byte.
import { create } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { status } from '@grpc/grpc-js';
import { RetryableDaError, type DaError, type DaErrorCode } from '../../core/index.ts';
import { ErrorCode, ErrorDetailsSchema } from '../gen/da/da_pb.ts';
import { GrpcStatusError } from '../status-error.ts';

/** go-da's typed errors: gRPC code, ErrorDetails code and exact message (rollkit/go-da errors.go). */
export const GO_DA_ERRORS = {
  blobNotFound: { grpc: status.NOT_FOUND, code: ErrorCode.BLOB_NOT_FOUND, message: 'blob: not found' },
  blobSizeOverLimit: { grpc: status.RESOURCE_EXHAUSTED, code: ErrorCode.BLOB_SIZE_OVER_LIMIT, message: 'blob: over size limit' },
  txTimedOut: { grpc: status.DEADLINE_EXCEEDED, code: ErrorCode.TX_TIMED_OUT, message: 'timed out waiting for tx to be included in a block' },
  txAlreadyInMempool: { grpc: status.ALREADY_EXISTS, code: ErrorCode.TX_ALREADY_IN_MEMPOOL, message: 'tx already in mempool' },
  txIncorrectAccountSequence: { grpc: status.INVALID_ARGUMENT, code: ErrorCode.TX_INCORRECT_ACCOUNT_SEQUENCE, message: 'incorrect account sequence' },
  txTooLarge: { grpc: status.RESOURCE_EXHAUSTED, code: ErrorCode.TX_TOO_LARGE, message: 'tx too large' },
  contextDeadline: { grpc: status.DEADLINE_EXCEEDED, code: ErrorCode.CONTEXT_DEADLINE, message: 'context deadline' },
  futureHeight: { grpc: status.OUT_OF_RANGE, code: ErrorCode.FUTURE_HEIGHT, message: 'given height is from the future' },
} as const;

export type GoDaErrorName = keyof typeof GO_DA_ERRORS;

/**
 * Thrown by GetIds for a height above the newest batch: go-da's ErrFutureHeight. NOT_FOUND for
 * metrics and for walrusda.v1, but retryable: the height will exist once batches get there.
 */
export class FutureHeightError extends RetryableDaError {
  readonly code: DaErrorCode = 'NOT_FOUND';
}

/** What a DaError code becomes on go-da's wire: one of go-da's typed errors, or a plain status. */
export type GoDaWireError = { readonly typed: GoDaErrorName } | { readonly plain: status };

/**
 * Which go-da error each DaError code becomes; `plain` means a gRPC status without details (go-da
 * has no typed error for it, and a made-up one would misdirect Rollkit's retry logic). Decisions:
 * - NOT_FOUND → ErrBlobNotFound: also for malformed ids, as go-da's own conformance suite
 *   expects `Get([]byte("invalid blob id"))` to fail with ErrBlobNotFound (test/test_suite.go).
 * - PROVEN_INVALID → ErrBlobNotFound: the blob the id names does not exist, for good
 *   (docs/verdicts.md); anything short of that proof stays UNAVAILABLE.
 * - TOO_LARGE → ErrBlobSizeOverLimit: Rollkit answers it by shrinking its batches.
 * - TIMEOUT (not certified within putTimeoutMs; the frame stays queued) → ErrTxTimedOut: the exact
 *   analogue of a tx not yet included, and Rollkit retries it after a mempool TTL.
 * - CANCELLED (the caller's context ended) → ErrContextDeadline, what go-da reports when the
 *   context of a call runs out.
 * - BACKPRESSURE → plain RESOURCE_EXHAUSTED, *not* ErrBlobSizeOverLimit: a saturated server must
 *   not make Rollkit shrink its blobs, only back off.
 * - INVALID_INPUT / INVALID_COMMITMENT → plain INVALID_ARGUMENT (ErrTxIncorrectAccountSequence
 *   would be a lie).
 * - UNAVAILABLE / INTEGRITY → plain UNAVAILABLE (retryable; go-da has nothing closer).
 * - INTERNAL → plain INTERNAL; UNAUTHENTICATED → plain UNAUTHENTICATED (no chain credentials).
 * FutureHeightError (code NOT_FOUND) is the one error mapped by class: ErrFutureHeight.
 */
export const GO_DA_WIRE_ERROR_BY_DA_CODE: Readonly<Record<DaErrorCode, GoDaWireError>> = {
  INVALID_INPUT: { plain: status.INVALID_ARGUMENT },
  INVALID_COMMITMENT: { plain: status.INVALID_ARGUMENT },
  NOT_FOUND: { typed: 'blobNotFound' },
  PROVEN_INVALID: { typed: 'blobNotFound' },
  TOO_LARGE: { typed: 'blobSizeOverLimit' },
  UNAVAILABLE: { plain: status.UNAVAILABLE },
  TIMEOUT: { typed: 'txTimedOut' },
  BACKPRESSURE: { plain: status.RESOURCE_EXHAUSTED },
  UNAUTHENTICATED: { plain: status.UNAUTHENTICATED },
  INTEGRITY: { plain: status.UNAVAILABLE },
  CANCELLED: { typed: 'contextDeadline' },
  INTERNAL: { plain: status.INTERNAL },
};

/** The gRPC failure da.DAService answers for a DaError. */
export function goDaStatus(error: DaError): GrpcStatusError {
  const wire: GoDaWireError = error instanceof FutureHeightError ? { typed: 'futureHeight' } : GO_DA_WIRE_ERROR_BY_DA_CODE[error.code];
  return 'typed' in wire ? goDaTypedError(wire.typed) : new GrpcStatusError(wire.plain, error.shortMessage);
}

/** A go-da typed error exactly as go-da's own server sends it: its message and one ErrorDetails. */
export function goDaTypedError(name: GoDaErrorName): GrpcStatusError {
  const { grpc, code, message } = GO_DA_ERRORS[name];
  return new GrpcStatusError(grpc, message, [anyPack(ErrorDetailsSchema, create(ErrorDetailsSchema, { code }))]);
}
