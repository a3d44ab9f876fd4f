// The one error hierarchy of walrus-da. Every failure that reaches a front door is a DaError with a
// stable `code`, and it gets there by one road: `toDaError`. Each door then maps codes to its wire
// (HTTP status, JSON-RPC message, gRPC status) in exactly one file, `wire-errors.ts` in the door's
// folder, each tested over every code of DA_ERROR_CODES (docs/wire/grpc.md "Status mapping",
// docs/wire/opstack.md "Status codes", docs/wire/orbit.md "Errors"). Shaped after viem's
// BaseError: a short message, optional detail lines, and the original error as `cause`.
//
// Retryability is part of the type (as in @mysten/walrus's RetryableWalrusClientError): an error
// is retryable exactly when it extends RetryableDaError. Batch workers rethrow those so BullMQ
// backs off, and fail the rest at once; the doors' failover answers (503, Orbit's "fallback to
// next writer", gRPC UNAVAILABLE) are all retryable codes.
import { CommitmentError } from '../commitment/index.ts';
import type { CoreLogger } from './logger.ts';

/** Every DaError code. Each door's wire mapping is tested over this list, so a new code fails until mapped. */
export const DA_ERROR_CODES = [
  'INVALID_INPUT',
  'INVALID_COMMITMENT',
  'NOT_FOUND',
  'TOO_LARGE',
  'UNAVAILABLE',
  'TIMEOUT',
  'BACKPRESSURE',
  'UNAUTHENTICATED',
  'INTEGRITY',
  'CANCELLED',
  'INTERNAL',
  'PROVEN_INVALID',
] as const;

export type DaErrorCode = (typeof DA_ERROR_CODES)[number];

export interface DaErrorOptions {
  readonly cause?: unknown;
  /** Extra lines for operators (e.g. "Expected: …", "Got: …"). */
  readonly metaMessages?: readonly string[];
  /**
   * Leave the cause's text out of `details`: set by `toDaError` when the cause is what this error
   * translates (its text is already the message, or must not reach a client).
   */
  readonly omitCauseFromDetails?: boolean;
}

export abstract class DaError extends Error {
  abstract readonly code: DaErrorCode;
  readonly shortMessage: string;
  readonly metaMessages: readonly string[];
  readonly #omitCauseFromDetails: boolean;

  constructor(shortMessage: string, options: DaErrorOptions = {}) {
    const meta = options.metaMessages ?? [];
    super([shortMessage, ...meta].join('\n'), options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    this.metaMessages = meta;
    this.#omitCauseFromDetails = options.omitCauseFromDetails ?? false;
  }

  override get name(): string {
    return this.constructor.name;
  }

  /** Whether repeating the same call later may succeed: exactly the RetryableDaErrors. */
  get retryable(): boolean {
    return this instanceof RetryableDaError;
  }

  /** This error's short message followed by the messages of its causes (what Orbit's answers quote). */
  get details(): string {
    const cause = this.cause;
    if (this.#omitCauseFromDetails || !(cause instanceof Error)) return this.shortMessage;
    return `${this.shortMessage}: ${cause instanceof DaError ? cause.details : cause.message}`;
  }
}

/** Base of the errors that may go away by themselves; the only errors that are `retryable`. */
export abstract class RetryableDaError extends DaError {}

/** Thrown when a request is malformed: empty frame, wrong hash, bad parameter. */
export class InvalidInputError extends DaError {
  readonly code: DaErrorCode = 'INVALID_INPUT';
}

/** Thrown when a commitment is malformed, of an unknown version, or from another DA layer. */
export class InvalidCommitmentError extends InvalidInputError {
  override readonly code: DaErrorCode = 'INVALID_COMMITMENT';
}

/** Thrown when the data behind a well-formed commitment or key is not known. */
export class NotFoundError extends DaError {
  readonly code: DaErrorCode = 'NOT_FOUND';
}

/**
 * Which fact proves a well-formed commitment invalid (docs/verdicts.md):
 * - `object`: the Sui object the body names exists and is not this quilt's Blob (another type,
 *   or a Blob of another quilt);
 * - `no-patch`: the certified quilt's authenticated content has no patch starting at the
 *   committed columns;
 * - `other-patch`: a patch starts there, named other than the committed keccak;
 * - `wrong-data`: the patch there is named by the committed keccak but its data hashes otherwise.
 */
export type ProofGround = 'object' | 'no-patch' | 'other-patch' | 'wrong-data';

/**
 * Thrown when a well-formed commitment is *proven* invalid: a fact every honest node reads the
 * same, forever (docs/verdicts.md). Not retryable, and distinct from InvalidCommitmentError
 * (bytes that do not decode) and NotFoundError (nothing known under a key): anything short of a
 * proof stays a RetryableDaError.
 */
export class ProvenInvalidError extends DaError {
  readonly code: DaErrorCode = 'PROVEN_INVALID';
  readonly ground: ProofGround;

  constructor(ground: ProofGround, shortMessage: string, options: DaErrorOptions = {}) {
    super(shortMessage, options);
    this.ground = ground;
  }
}

/** Thrown when a frame or message is larger than this deployment accepts. */
export class TooLargeError extends DaError {
  readonly code: DaErrorCode = 'TOO_LARGE';
  /** The limit in bytes, when known (a remote publisher's limit is not). */
  readonly limit: number | undefined;
  readonly size: number;

  constructor(size: number, limit: number | undefined, options: DaErrorOptions = {}) {
    super(limit === undefined ? `data of ${size} bytes is too large` : `data of ${size} bytes exceeds the limit of ${limit} bytes`, options);
    this.size = size;
    this.limit = limit;
  }
}

/** Thrown when an internal invariant breaks. Never expected; always a bug. */
export class InternalError extends DaError {
  readonly code: DaErrorCode = 'INTERNAL';
}

/** Thrown when Walrus, Sui or Redis cannot be reached or refuse service. */
export class UnavailableError extends RetryableDaError {
  readonly code: DaErrorCode = 'UNAVAILABLE';
}

/** Thrown when an operation did not finish within its deadline (e.g. `putTimeoutMs`). */
export class TimeoutError extends RetryableDaError {
  readonly code: DaErrorCode = 'TIMEOUT';
}

/**
 * Thrown when a put is refused before anything is queued: a chain over its put rate or queued
 * bytes, or the server over its global queued bytes. `retryAfterMs` is when a retry may succeed
 * (OP Stack sends it as Retry-After).
 */
export class BackpressureError extends RetryableDaError {
  readonly code: DaErrorCode = 'BACKPRESSURE';
  readonly retryAfterMs: number | undefined;

  constructor(shortMessage: string, options: DaErrorOptions & { readonly retryAfterMs?: number } = {}) {
    super(shortMessage, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Thrown when a call needs a chain's credentials and has none or wrong ones. The message never
 * contains what was presented.
 */
export class UnauthenticatedError extends DaError {
  readonly code: DaErrorCode = 'UNAUTHENTICATED';
}

/**
 * Thrown when the data fetched for a commitment does not match it (a lying aggregator, a corrupt
 * cache). Retryable: another source, or a later try, may serve the right bytes.
 */
export class IntegrityError extends RetryableDaError {
  readonly code: DaErrorCode = 'INTEGRITY';
}

/** Thrown when the caller went away (request aborted, deadline of the client passed). */
export class CancelledError extends RetryableDaError {
  readonly code: DaErrorCode = 'CANCELLED';
}

/** The message every client reads for a failure nobody anticipated; the original goes to the log. */
export const INTERNAL_ERROR_MESSAGE = 'internal error (details in the server log)';

/** Errors cross libraries wrapped (`new Error(…, { cause })`); a DaError that deep is still ours. */
const MAX_CAUSE_DEPTH = 10;

/**
 * The one road from anything thrown to a DaError; every front door calls it once per failure:
 * - a DaError anywhere in the cause chain is used as is (the outermost one wins);
 * - a CommitmentError (malformed commitment bytes or hex from a client) becomes
 *   InvalidCommitmentError with the codec's precise message;
 * - an AbortError (an aborted wait on a call's signal) becomes CancelledError;
 * - anything else is a bug: InternalError with a generic message, the original only as `cause`,
 *   so no internal detail reaches a client. A BytesError is one of those: the byte helpers only
 *   fail on our own state, client hex goes through the commitment codec.
 *
 * With a `logger`, an INTERNAL result is logged at error level with its stack and causes; doors
 * pass theirs (a child carrying the call's context) at their one catch site, so every bug is
 * logged exactly once whichever door it surfaced at.
 */
export function toDaError(error: unknown, logger?: CoreLogger): DaError {
  const daError = classify(error);
  if (logger && daError.code === 'INTERNAL') {
    // pino serializes `err` with its stack and every Error cause; a thrown non-Error has neither.
    const thrown = daError.cause === undefined || daError.cause instanceof Error ? {} : { thrown: daError.cause };
    logger.error({ code: daError.code, err: daError, ...thrown }, 'internal error');
  }
  return daError;
}

function classify(error: unknown): DaError {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < MAX_CAUSE_DEPTH; current = current.cause, depth++) {
    if (current instanceof DaError) return current;
  }
  if (error instanceof CommitmentError) return new InvalidCommitmentError(error.message, { cause: error, omitCauseFromDetails: true });
  if (error instanceof Error && error.name === 'AbortError') {
    return new CancelledError('the call was cancelled or its deadline passed', { cause: error, omitCauseFromDetails: true });
  }
  return new InternalError(INTERNAL_ERROR_MESSAGE, { cause: error, omitCauseFromDetails: true });
}
