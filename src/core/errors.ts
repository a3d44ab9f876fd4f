// The one error hierarchy of walrus-da. Every failure that reaches a front door is a DaError with a
// stable `code`; each protocol maps codes to its wire (HTTP status, JSON-RPC message, gRPC status)
// in exactly one function. Shaped after viem's BaseError: a short message, optional detail lines,
// and the original error as `cause`.
//
// Retryability is part of the type (as in @mysten/walrus's RetryableWalrusClientError): batch
// workers rethrow RetryableDaErrors so BullMQ backs off, and fail the rest at once.
import { CommitmentError } from '../commitment/index.ts';

export type DaErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_COMMITMENT'
  | 'NOT_FOUND'
  | 'TOO_LARGE'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'BACKPRESSURE'
  | 'INTEGRITY'
  | 'CANCELLED'
  | 'INTERNAL';

export interface DaErrorOptions {
  readonly cause?: unknown;
  /** Extra lines for operators (e.g. "Expected: …", "Got: …"). */
  readonly metaMessages?: readonly string[];
}

export abstract class DaError extends Error {
  abstract readonly code: DaErrorCode;
  /** Whether repeating the same call later may succeed. */
  abstract readonly retryable: boolean;
  readonly shortMessage: string;
  readonly metaMessages: readonly string[];

  constructor(shortMessage: string, options: DaErrorOptions = {}) {
    const meta = options.metaMessages ?? [];
    super([shortMessage, ...meta].join('\n'), options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    this.metaMessages = meta;
  }

  override get name(): string {
    return this.constructor.name;
  }

  /** The message of this error and of its DaError causes, for logs. */
  get details(): string {
    const cause = this.cause;
    return cause instanceof Error ? `${this.shortMessage}: ${cause instanceof DaError ? cause.details : cause.message}` : this.shortMessage;
  }
}

/** Thrown when a request is malformed: empty frame, wrong hash, bad parameter. */
export class InvalidInputError extends DaError {
  readonly code: DaErrorCode = 'INVALID_INPUT';
  readonly retryable = false;
}

/** Thrown when a commitment is malformed, of an unknown version, or from another DA layer. */
export class InvalidCommitmentError extends InvalidInputError {
  override readonly code: DaErrorCode = 'INVALID_COMMITMENT';
}

/** Thrown when the data behind a well-formed commitment or key is not known. */
export class NotFoundError extends DaError {
  readonly code: DaErrorCode = 'NOT_FOUND';
  readonly retryable = false;
}

/** Thrown when a frame or message is larger than this deployment accepts. */
export class TooLargeError extends DaError {
  readonly code: DaErrorCode = 'TOO_LARGE';
  readonly retryable = false;
  /** The limit in bytes, when known (a remote publisher's limit is not). */
  readonly limit: number | undefined;
  readonly size: number;

  constructor(size: number, limit: number | undefined, options: DaErrorOptions = {}) {
    super(limit === undefined ? `data of ${size} bytes is too large` : `data of ${size} bytes exceeds the limit of ${limit} bytes`, options);
    this.size = size;
    this.limit = limit;
  }
}

/** Thrown when the data fetched for a commitment does not match it (a lying aggregator, a corrupt cache). */
export class IntegrityError extends DaError {
  readonly code: DaErrorCode = 'INTEGRITY';
  readonly retryable = true;
}

/** Thrown when an internal invariant breaks. Never expected; always a bug. */
export class InternalError extends DaError {
  readonly code: DaErrorCode = 'INTERNAL';
  readonly retryable = false;
}

/** Base of the errors that may go away by themselves. */
export abstract class RetryableDaError extends DaError {
  readonly retryable = true;
}

/** Thrown when Walrus, Sui or Redis cannot be reached or refuse service. */
export class UnavailableError extends RetryableDaError {
  readonly code: DaErrorCode = 'UNAVAILABLE';
}

/** Thrown when an operation did not finish within its deadline (e.g. `putTimeoutMs`). */
export class TimeoutError extends RetryableDaError {
  readonly code: DaErrorCode = 'TIMEOUT';
}

/** Thrown when the server is saturated and sheds load. */
export class BackpressureError extends RetryableDaError {
  readonly code: DaErrorCode = 'BACKPRESSURE';
}

/** Thrown when the caller went away (request aborted, deadline of the client passed). */
export class CancelledError extends DaError {
  readonly code: DaErrorCode = 'CANCELLED';
  readonly retryable = true;
}

/**
 * Normalises anything thrown into a DaError: a CommitmentError (malformed untrusted bytes) becomes
 * InvalidCommitmentError with the codec's precise message; any other non-DaError is a bug.
 */
export function toDaError(error: unknown): DaError {
  if (error instanceof DaError) return error;
  if (error instanceof CommitmentError) return new InvalidCommitmentError(error.message, { cause: error });
  return new InternalError(error instanceof Error ? error.message : String(error), { cause: error });
}

/** Finds the first DaError in a cause chain (errors cross libraries wrapped). */
export function findDaError(error: unknown): DaError | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    if (current instanceof DaError) return current;
  }
  return undefined;
}
