// What every gRPC door shares about failures: turning whatever a handler threw into one DaError,
// and the wire shape of a failed call. Each service then maps DaErrors to its own statuses in
// exactly one function (walrusda.v1: ./walrusda/status.ts, go-da: ./go-da/errors.ts).
//
// A failed call carries its gRPC code and message in `grpc-status` / `grpc-message`, and typed
// details as a serialized google.rpc.Status in the `grpc-status-details-bin` trailer. grpc-go
// builds the client-side status from that trailer when present (grpc/grpc-go
// internal/transport/http2_client.go), so its code and message must equal the plain ones.
import { create, toBinary } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { Metadata, type status as GrpcStatus } from '@grpc/grpc-js';
import { CommitmentError } from '../commitment/index.ts';
import { CancelledError, InternalError, InvalidCommitmentError, findDaError, type DaError } from '../core/index.ts';
import { StatusSchema } from './gen/google/rpc/status_pb.ts';

/** Trailer that carries the serialized google.rpc.Status of a failed call. */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

/** A failed call as grpc-js sends it (`ServerErrorResponse`): code, message and trailers. */
export class GrpcStatusError extends Error {
  readonly code: GrpcStatus;
  /** The `grpc-message` text. */
  readonly details: string;
  readonly metadata: Metadata;

  constructor(code: GrpcStatus, details: string, anyDetails: readonly Any[] = []) {
    super(details);
    this.code = code;
    this.details = details;
    this.metadata = new Metadata();
    if (anyDetails.length > 0) {
      const status = create(StatusSchema, { code, message: details, details: [...anyDetails] });
      this.metadata.set(STATUS_DETAILS_KEY, Buffer.from(toBinary(StatusSchema, status)));
    }
  }

  override get name(): string {
    return 'GrpcStatusError';
  }
}

/**
 * Normalises anything a handler threw into one DaError, so that metrics label it by code and the
 * status mappings only ever see DaErrors:
 * - a DaError anywhere in the cause chain is used as is;
 * - CommitmentError (malformed commitment bytes) becomes InvalidCommitmentError;
 * - an AbortError (an aborted wait on the call's signal) becomes CancelledError;
 * - anything else is a bug: InternalError with a generic message (the original goes to the log
 *   as `cause`, never to the client, so no internal detail leaks).
 */
export function normalizeError(error: unknown): DaError {
  const found = findDaError(error);
  if (found) return found;
  if (error instanceof CommitmentError) return new InvalidCommitmentError(error.message, { cause: error });
  if (error instanceof Error && error.name === 'AbortError') {
    return new CancelledError('the call was cancelled or its deadline passed', { cause: error });
  }
  return new InternalError('internal error (details in the server log)', { cause: error });
}
