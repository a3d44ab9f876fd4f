// How go-da's Go client sees a failed call, re-enacted step by step on a grpc-js ServiceError:
// 1. grpc-go builds the client status from `grpc-status-details-bin` when present
//    (grpc/grpc-go internal/transport/http2_client.go), so its code and message must equal the
//    plain grpc-status / grpc-message;
// 2. go-da's `tryToMapError` (rollkit/go-da proxy/grpc/errors.go) takes the status details,
//    requires exactly one, unmarshals `details[0].Value` as da.ErrorDetails without looking at the
//    type URL, and turns the code into a typed error (rollkit/go-da errors.go); any other shape
//    reaches the caller as the plain status error.
import { fromBinary } from '@bufbuild/protobuf';
import type { ServiceError } from '@grpc/grpc-js';
import { status as grpcStatus } from '@grpc/grpc-js';
import { ErrorCode, ErrorDetailsSchema } from '../../../src/grpc/gen/da/da_pb.ts';
import { StatusSchema } from '../../../src/grpc/gen/google/rpc/status_pb.ts';

/** go-da's typed errors by ErrorDetails code: the Go type and its Error() text (rollkit/go-da errors.go). */
const TYPED: ReadonlyMap<number, { readonly type: string; readonly message: string }> = new Map([
  [ErrorCode.BLOB_NOT_FOUND, { type: 'ErrBlobNotFound', message: 'blob: not found' }],
  [ErrorCode.BLOB_SIZE_OVER_LIMIT, { type: 'ErrBlobSizeOverLimit', message: 'blob: over size limit' }],
  [ErrorCode.TX_TIMED_OUT, { type: 'ErrTxTimedOut', message: 'timed out waiting for tx to be included in a block' }],
  [ErrorCode.TX_ALREADY_IN_MEMPOOL, { type: 'ErrTxAlreadyInMempool', message: 'tx already in mempool' }],
  [ErrorCode.TX_INCORRECT_ACCOUNT_SEQUENCE, { type: 'ErrTxIncorrectAccountSequence', message: 'incorrect account sequence' }],
  [ErrorCode.TX_TOO_LARGE, { type: 'ErrTxTooLarge', message: 'tx too large' }],
  [ErrorCode.CONTEXT_DEADLINE, { type: 'ErrContextDeadline', message: 'context deadline' }],
  [ErrorCode.FUTURE_HEIGHT, { type: 'ErrFutureHeight', message: 'given height is from the future' }],
]);

export interface GoDaClientError {
  /** The Go type the client returns (`ErrBlobNotFound`, …), or `status` for a plain gRPC error. */
  readonly type: string;
  /** `err.Error()` in Go. */
  readonly message: string;
  readonly grpcCode: grpcStatus;
}

export function goDaClientError(error: ServiceError): GoDaClientError {
  const trailer = error.metadata.get('grpc-status-details-bin')[0];
  const plain = { type: 'status', message: `rpc error: code = ${grpcStatus[error.code]} desc = ${error.details}`, grpcCode: error.code };
  if (!(trailer instanceof Buffer)) return plain;
  const status = fromBinary(StatusSchema, trailer);
  if (status.code !== Number(error.code) || status.message !== error.details) {
    throw new Error(`status trailer (${status.code} ${JSON.stringify(status.message)}) disagrees with grpc-status (${error.code} ${JSON.stringify(error.details)})`);
  }
  if (status.details.length !== 1) return plain;
  const detail = status.details[0];
  if (!detail) return plain;
  let code: number;
  try {
    code = fromBinary(ErrorDetailsSchema, detail.value).code;
  } catch {
    return plain;
  }
  const typed = TYPED.get(code);
  return typed ? { ...typed, grpcCode: error.code } : { type: 'unknown', message: 'unknown error code', grpcCode: error.code };
}
