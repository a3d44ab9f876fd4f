// The go-da DaError → gRPC status mapping, and its error details byte for byte: what go-da's own
// server sends (rollkit/go-da errors.go `getGRPCStatus`: status.New(code, msg).WithDetails(
// &ErrorDetails{Code})) and what its client decodes (proxy/grpc/errors.go `tryToMapError`).
import { fromBinary } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  BackpressureError,
  UnauthenticatedError,
  CancelledError,
  DA_ERROR_CODES,
  IntegrityError,
  InternalError,
  InvalidCommitmentError,
  InvalidInputError,
  NotFoundError,
  TimeoutError,
  TooLargeError,
  RetryableDaError,
  UnavailableError,
  type DaErrorCode,
} from '../../core/index.ts';
import { ErrorCode, ErrorDetailsSchema } from '../gen/da/da_pb.ts';
import { StatusSchema } from '../gen/google/rpc/status_pb.ts';
import { STATUS_DETAILS_KEY, type GrpcStatusError } from '../status-error.ts';
import { FutureHeightError, GO_DA_ERRORS, goDaStatus, goDaTypedError } from './wire-errors.ts';
import { oneErrorOfEachCode } from '../../../test/support/da-error-samples.ts';

function trailer(failure: GrpcStatusError): Buffer | undefined {
  const [value] = failure.metadata.get(STATUS_DETAILS_KEY);
  return value instanceof Buffer ? value : undefined;
}

/** go-da's client: exactly one detail, its value read as ErrorDetails whatever the type URL. */
function clientCode(failure: GrpcStatusError): number | undefined {
  const bytes = trailer(failure);
  if (!bytes) return undefined;
  const detailed = fromBinary(StatusSchema, bytes);
  expect(detailed.code).toBe(failure.code);
  expect(detailed.message).toBe(failure.details);
  if (detailed.details.length !== 1) return undefined;
  return fromBinary(ErrorDetailsSchema, detailed.details[0]?.value ?? new Uint8Array()).code;
}

describe('goDaStatus', () => {
  it.each([
    ['NOT_FOUND', new NotFoundError('no frame'), status.NOT_FOUND, ErrorCode.BLOB_NOT_FOUND, 'blob: not found'],
    ['TOO_LARGE', new TooLargeError(5_000_000, 4_193_280), status.RESOURCE_EXHAUSTED, ErrorCode.BLOB_SIZE_OVER_LIMIT, 'blob: over size limit'],
    ['TIMEOUT', new TimeoutError('not certified'), status.DEADLINE_EXCEEDED, ErrorCode.TX_TIMED_OUT, 'timed out waiting for tx to be included in a block'],
    ['CANCELLED', new CancelledError('caller left'), status.DEADLINE_EXCEEDED, ErrorCode.CONTEXT_DEADLINE, 'context deadline'],
    ['future height', new FutureHeightError('height 9 > 3'), status.OUT_OF_RANGE, ErrorCode.FUTURE_HEIGHT, 'given height is from the future'],
  ])('maps %s to a go-da typed error with its exact message', (_label, error, code, detailCode, message) => {
    const failure = goDaStatus(error);
    expect(failure.code).toBe(code);
    expect(failure.details).toBe(message);
    expect(clientCode(failure)).toBe(detailCode);
  });

  it.each([
    ['BACKPRESSURE', new BackpressureError('busy'), status.RESOURCE_EXHAUSTED],
    ['UNAUTHENTICATED', new UnauthenticatedError('no credentials for chain alpha'), status.UNAUTHENTICATED],
    ['INVALID_INPUT', new InvalidInputError('empty frame'), status.INVALID_ARGUMENT],
    ['INVALID_COMMITMENT', new InvalidCommitmentError('bad body'), status.INVALID_ARGUMENT],
    ['UNAVAILABLE', new UnavailableError('publisher down'), status.UNAVAILABLE],
    ['INTEGRITY', new IntegrityError('keccak mismatch'), status.UNAVAILABLE],
    ['INTERNAL', new InternalError('bug'), status.INTERNAL],
  ])('maps %s to a plain status without details, which go-da passes through', (_label, error, code) => {
    const failure = goDaStatus(error);
    expect(failure.code).toBe(code);
    expect(failure.details).toBe(error.shortMessage);
    expect(trailer(failure)).toBeUndefined();
  });

  it('never claims "blob: over size limit" for backpressure (Rollkit would shrink its blobs)', () => {
    expect(goDaStatus(new BackpressureError('busy')).details).not.toContain('over size limit');
  });

  it('encodes the trailer exactly as grpc-go does for go-da', () => {
    const typeUrl = 'type.googleapis.com/da.ErrorDetails';
    const message = 'blob: not found';
    const expected = Buffer.concat([
      Buffer.from([0x08, 0x05]), // code = NOT_FOUND
      Buffer.from([0x12, message.length]),
      Buffer.from(message),
      Buffer.from([0x1a, 2 + typeUrl.length + 2 + 4]), // details[0]: Any
      Buffer.from([0x0a, typeUrl.length]),
      Buffer.from(typeUrl),
      Buffer.from([0x12, 0x04, 0x08, 0x81, 0xfa, 0x01]), // value: ErrorDetails{code: 32001}
    ]);
    expect(trailer(goDaTypedError('blobNotFound'))?.toString('hex')).toBe(expected.toString('hex'));
  });

  it('covers every go-da typed error with its wire code', () => {
    const codes = Object.values(GO_DA_ERRORS).map((e) => e.code);
    expect(codes).toEqual([32001, 32002, 32003, 32004, 32005, 32006, 32007, 32008]);
    for (const name of Object.keys(GO_DA_ERRORS) as (keyof typeof GO_DA_ERRORS)[]) {
      expect(clientCode(goDaTypedError(name))).toBe(GO_DA_ERRORS[name].code);
    }
  });
});

describe('goDaStatus over every DaError code', () => {
  const samples = oneErrorOfEachCode();
  /** gRPC code, and the go-da ErrorDetails code (undefined: a plain status with our own message). */
  const wire: Record<DaErrorCode, readonly [status, ErrorCode | undefined]> = {
    INVALID_INPUT: [status.INVALID_ARGUMENT, undefined],
    INVALID_COMMITMENT: [status.INVALID_ARGUMENT, undefined],
    NOT_FOUND: [status.NOT_FOUND, ErrorCode.BLOB_NOT_FOUND],
    TOO_LARGE: [status.RESOURCE_EXHAUSTED, ErrorCode.BLOB_SIZE_OVER_LIMIT],
    UNAVAILABLE: [status.UNAVAILABLE, undefined],
    TIMEOUT: [status.DEADLINE_EXCEEDED, ErrorCode.TX_TIMED_OUT],
    BACKPRESSURE: [status.RESOURCE_EXHAUSTED, undefined],
    UNAUTHENTICATED: [status.UNAUTHENTICATED, undefined],
    INTEGRITY: [status.UNAVAILABLE, undefined],
    CANCELLED: [status.DEADLINE_EXCEEDED, ErrorCode.CONTEXT_DEADLINE],
    INTERNAL: [status.INTERNAL, undefined],
    PROVEN_INVALID: [status.NOT_FOUND, ErrorCode.BLOB_NOT_FOUND],
  };

  it.each(DA_ERROR_CODES)('maps %s', (code) => {
    const error = samples[code];
    const [grpcCode, detailCode] = wire[code];
    const failure = goDaStatus(error);
    expect(failure.code).toBe(grpcCode);
    expect(clientCode(failure)).toBe(detailCode);
    if (detailCode === undefined) expect(failure.details).toBe(error.shortMessage);
    else expect(Object.values(GO_DA_ERRORS).find((e) => e.code === detailCode)?.message).toBe(failure.details);
  });

  it('keeps FutureHeightError retryable, as a RetryableDaError', () => {
    const error = new FutureHeightError('height 9 > 3');
    expect(error.retryable).toBe(true);
    expect(error).toBeInstanceOf(RetryableDaError);
  });
});
