// The walrusda.v1 DaError → gRPC status mapping, one case per DaError code, and the ErrorInfo
// detail every failure carries in `grpc-status-details-bin`.
import { fromBinary } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CommitmentError } from '../../commitment/index.ts';
import {
  BackpressureError,
  CancelledError,
  DA_ERROR_CODES,
  IntegrityError,
  InternalError,
  InvalidCommitmentError,
  InvalidInputError,
  NotFoundError,
  RetryableDaError,
  TimeoutError,
  TooLargeError,
  UnavailableError,
  toDaError,
  type DaError,
  type DaErrorCode,
} from '../../core/index.ts';
import { ErrorInfoSchema, RetryInfoSchema } from '../gen/google/rpc/error_details_pb.ts';
import { StatusSchema } from '../gen/google/rpc/status_pb.ts';
import { STATUS_DETAILS_KEY } from '../status-error.ts';
import { GRPC_CODE_BY_DA_CODE, walrusDaStatus } from './wire-errors.ts';
import { oneErrorOfEachCode } from '../../../test/support/da-error-samples.ts';

function detailsOf(error: DaError) {
  const failure = walrusDaStatus(error);
  const trailer = failure.metadata.get(STATUS_DETAILS_KEY)[0];
  if (!(trailer instanceof Buffer)) throw new Error('no grpc-status-details-bin');
  const detailed = fromBinary(StatusSchema, trailer);
  // Exactly one ErrorInfo; a shed put also carries a RetryInfo (tested on its own below).
  const infos = detailed.details.filter((d) => d.typeUrl.endsWith('google.rpc.ErrorInfo'));
  const [any] = infos;
  if (!any || infos.length !== 1) throw new Error('expected exactly one ErrorInfo');
  return { failure, detailed, typeUrl: any.typeUrl, info: fromBinary(ErrorInfoSchema, any.value) };
}

/** walrusda.v1's status per DaError code (README "Errors (walrusda.v1)"). */
const expectedCode: Record<DaErrorCode, status> = {
  INVALID_INPUT: status.INVALID_ARGUMENT,
  INVALID_COMMITMENT: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  TOO_LARGE: status.RESOURCE_EXHAUSTED,
  UNAVAILABLE: status.UNAVAILABLE,
  TIMEOUT: status.DEADLINE_EXCEEDED,
  BACKPRESSURE: status.RESOURCE_EXHAUSTED,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  INTEGRITY: status.UNAVAILABLE,
  CANCELLED: status.CANCELLED,
  INTERNAL: status.INTERNAL,
  PROVEN_INVALID: status.NOT_FOUND,
};

const samples = oneErrorOfEachCode();

describe('walrusDaStatus', () => {
  it.each(DA_ERROR_CODES)('maps every DaError code: %s', (code) => {
    expect(GRPC_CODE_BY_DA_CODE[code]).toBe(expectedCode[code]);
    const { failure, info } = detailsOf(samples[code]);
    expect(failure.code).toBe(expectedCode[code]);
    expect(failure.details).toBe(samples[code].shortMessage);
    expect(info.reason).toBe(code);
    expect(info.metadata['retryable']).toBe(String(samples[code] instanceof RetryableDaError));
  });

  it.each([
    ['invalid input', new InvalidInputError('empty frame'), status.INVALID_ARGUMENT],
    ['invalid commitment', new InvalidCommitmentError('bad body'), status.INVALID_ARGUMENT],
    ['not found', new NotFoundError('no such frame'), status.NOT_FOUND],
    ['too large', new TooLargeError(10, 5), status.RESOURCE_EXHAUSTED],
    ['unavailable', new UnavailableError('publisher down'), status.UNAVAILABLE],
    ['timeout', new TimeoutError('not certified in time'), status.DEADLINE_EXCEEDED],
    ['backpressure', new BackpressureError('queue full'), status.RESOURCE_EXHAUSTED],
    ['integrity', new IntegrityError('keccak mismatch'), status.UNAVAILABLE],
    ['cancelled', new CancelledError('client left'), status.CANCELLED],
    ['internal', new InternalError('bug'), status.INTERNAL],
  ])('maps %s to its gRPC code with an ErrorInfo naming the DaError code', (_label, error, code) => {
    const { failure, detailed, typeUrl, info } = detailsOf(error);
    expect(failure.code).toBe(code);
    expect(failure.details).toBe(error.shortMessage);
    // grpc-go builds the client status from the trailer: it must agree with grpc-status/-message.
    expect(detailed.code).toBe(code);
    expect(detailed.message).toBe(failure.details);
    expect(typeUrl).toBe('type.googleapis.com/google.rpc.ErrorInfo');
    expect(info.domain).toBe('walrus-da');
    expect(info.reason).toBe(error.code);
    expect(info.metadata['retryable']).toBe(String(error.retryable));
  });

  it('tells TOO_LARGE from BACKPRESSURE, which share RESOURCE_EXHAUSTED', () => {
    const tooLarge = detailsOf(new TooLargeError(70_000_000, 67_108_864));
    expect(tooLarge.info.reason).toBe('TOO_LARGE');
    expect(tooLarge.info.metadata).toEqual({ retryable: 'false', size: '70000000', limit: '67108864' });
    const busy = detailsOf(new BackpressureError('queue full'));
    expect(busy.info.reason).toBe('BACKPRESSURE');
    expect(busy.info.metadata).toEqual({ retryable: 'true' });
  });

  it('adds a RetryInfo with the retry delay to a shed put', () => {
    const trailer = walrusDaStatus(new BackpressureError('chain alpha is over its limit', { retryAfterMs: 1500.2 })).metadata.get(STATUS_DETAILS_KEY)[0];
    if (!(trailer instanceof Buffer)) throw new Error('no grpc-status-details-bin');
    const detailed = fromBinary(StatusSchema, trailer);
    expect(detailed.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(detailed.details.map((d) => d.typeUrl)).toEqual(['type.googleapis.com/google.rpc.ErrorInfo', 'type.googleapis.com/google.rpc.RetryInfo']);
    const retry = fromBinary(RetryInfoSchema, detailed.details[1]?.value ?? new Uint8Array());
    expect(retry.retryDelay).toMatchObject({ seconds: 1n, nanos: 501_000_000 });
  });

  it('maps a CommitmentError to INVALID_ARGUMENT, naming the codec reason', () => {
    const error = toDaError(new CommitmentError('da-byte', 'foreign commitment'));
    const { failure, info } = detailsOf(error);
    expect(failure.code).toBe(status.INVALID_ARGUMENT);
    expect(failure.details).toBe('foreign commitment');
    expect(info.reason).toBe('INVALID_COMMITMENT');
    expect(info.metadata['commitment_error']).toBe('da-byte');
  });
});
