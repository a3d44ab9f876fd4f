// The wire shape of a failed gRPC call, shared by both gRPC doors. Whatever a handler threw has
// become one DaError through core's toDaError (./call.ts); each service then maps DaErrors to its
// own statuses in exactly one file (walrusda.v1: ./walrusda/wire-errors.ts, go-da:
// ./go-da/wire-errors.ts; docs/wire/grpc.md "Status mapping").
//
// A failed call carries its gRPC code and message in `grpc-status` / `grpc-message`, and typed
// details as a serialized google.rpc.Status in the `grpc-status-details-bin` trailer. grpc-go
// builds the client-side status from that trailer when present (grpc/grpc-go
// internal/transport/http2_client.go), so its code and message must equal the plain ones.
import { create, toBinary } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { Metadata, type status as GrpcStatus } from '@grpc/grpc-js';
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
