// One DaError of each code, for the table tests of the wire mappings (one per door) and of the
// core's retryability contract. A Record over the code union: a new code fails to compile here
// until it has a sample, and then every table test fails until its door maps it.
import {
  BackpressureError,
  CancelledError,
  IntegrityError,
  InternalError,
  InvalidCommitmentError,
  InvalidInputError,
  NotFoundError,
  ProvenInvalidError,
  TimeoutError,
  TooLargeError,
  UnauthenticatedError,
  UnavailableError,
  type DaError,
  type DaErrorCode,
} from '../../src/core/index.ts';

export function oneErrorOfEachCode(): Record<DaErrorCode, DaError> {
  return {
    INVALID_INPUT: new InvalidInputError('empty frame'),
    INVALID_COMMITMENT: new InvalidCommitmentError('bad body'),
    NOT_FOUND: new NotFoundError('no frame with keccak 0xab is known'),
    TOO_LARGE: new TooLargeError(11, 10),
    UNAVAILABLE: new UnavailableError('publisher unreachable', { cause: new Error('ECONNREFUSED') }),
    TIMEOUT: new TimeoutError('not certified in time'),
    // 1200 ms: OP Stack rounds it up to Retry-After: 2.
    BACKPRESSURE: new BackpressureError('queue full', { retryAfterMs: 1200 }),
    UNAUTHENTICATED: new UnauthenticatedError('no credentials for chain alpha'),
    INTEGRITY: new IntegrityError('keccak mismatch'),
    CANCELLED: new CancelledError('the caller went away'),
    INTERNAL: new InternalError('invariant broken'),
    // `other-patch`: a ground Orbit turns into an empty batch (the others halt it).
    PROVEN_INVALID: new ProvenInvalidError('other-patch', 'the certified quilt holds patch ab at columns [1, 2), not cd'),
  };
}
