// The one road to a DaError (toDaError) and the retryability contract of every DaError code.
import { describe, expect, it } from 'vitest';
import { BytesError } from '../bytes/index.ts';
import { CommitmentError } from '../commitment/index.ts';
import {
  CancelledError,
  DA_ERROR_CODES,
  InternalError,
  InvalidCommitmentError,
  InvalidInputError,
  NotFoundError,
  RetryableDaError,
  TimeoutError,
  TooLargeError,
  UnavailableError,
  toDaError,
  type DaErrorCode,
} from './errors.ts';
import type { CoreLogger } from './logger.ts';
import { oneErrorOfEachCode } from '../../test/support/da-error-samples.ts';

const samples = oneErrorOfEachCode();

/** Whether repeating the call may succeed, per code: the failover codes and nothing else. */
const retryable: Record<DaErrorCode, boolean> = {
  INVALID_INPUT: false,
  INVALID_COMMITMENT: false,
  NOT_FOUND: false,
  TOO_LARGE: false,
  UNAVAILABLE: true,
  TIMEOUT: true,
  BACKPRESSURE: true,
  UNAUTHENTICATED: false,
  INTEGRITY: true,
  CANCELLED: true,
  INTERNAL: false,
  PROVEN_INVALID: false,
};

function recordingLogger(): CoreLogger & { readonly errors: Record<string, unknown>[] } {
  const errors: Record<string, unknown>[] = [];
  const ignore = () => undefined;
  return { errors, debug: ignore, info: ignore, warn: ignore, error: (fields) => void errors.push(fields) };
}

describe('DA_ERROR_CODES', () => {
  it.each(DA_ERROR_CODES)('%s has an error class whose retryable flag is its RetryableDaError-ness', (code) => {
    const error = samples[code];
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable[code]);
    expect(error.retryable).toBe(error instanceof RetryableDaError);
  });

  it('lists each code once', () => {
    expect(new Set(DA_ERROR_CODES).size).toBe(DA_ERROR_CODES.length);
    expect(Object.keys(samples).sort()).toEqual([...DA_ERROR_CODES].sort());
  });
});

describe('toDaError', () => {
  it('keeps DaErrors, also when wrapped by a library', () => {
    const error = new NotFoundError('gone');
    expect(toDaError(error)).toBe(error);
    const inner = new UnavailableError('redis down');
    expect(toDaError(new Error('wrapper', { cause: inner }))).toBe(inner);
  });

  it('lets the outermost DaError of a cause chain win', () => {
    const outer = new NotFoundError('no blob has this id', { cause: new InvalidInputError('invalid go-da id') });
    expect(toDaError(new Error('wrapper', { cause: outer }))).toBe(outer);
  });

  it('turns a CommitmentError into InvalidCommitmentError with the codec message', () => {
    const cause = new CommitmentError('length', 'invalid commitment body length: expected 102 bytes, got 3');
    const error = toDaError(cause);
    expect(error).toBeInstanceOf(InvalidCommitmentError);
    expect(error.shortMessage).toBe(cause.message);
    expect(error.cause).toBe(cause);
    expect(error.details).toBe(cause.message);
  });

  it('turns an AbortError into CancelledError', () => {
    expect(toDaError(new DOMException('aborted', 'AbortError'))).toBeInstanceOf(CancelledError);
  });

  it('hides the message of anything else behind a generic InternalError', () => {
    const cause = new TypeError('cannot read properties of undefined (secret path /srv/x)');
    const error = toDaError(cause);
    expect(error).toBeInstanceOf(InternalError);
    expect(error.shortMessage).not.toContain('secret');
    expect(error.cause).toBe(cause);
    expect(toDaError('a string')).toBeInstanceOf(InternalError);
  });

  it('never quotes the hidden original in the text doors send (message, details)', () => {
    const error = toDaError(new Error('ECONNRESET at /srv/secret'));
    expect(error.shortMessage).toBe('internal error (details in the server log)');
    expect(error.message).toBe(error.shortMessage);
    expect(error.details).toBe(error.shortMessage);
    const wrapped = new UnavailableError('publisher down', { cause: error });
    expect(wrapped.details).toBe('publisher down: internal error (details in the server log)');
  });

  it('treats a BytesError as a bug: the byte helpers fail only on our own state', () => {
    const error = toDaError(new BytesError('hex', 'odd-length hex'));
    expect(error).toBeInstanceOf(InternalError);
    expect(error.shortMessage).not.toContain('odd-length');
  });

  it('logs INTERNAL results with the error (stack and causes) when given a logger, and nothing else', () => {
    const logger = recordingLogger();
    const cause = new TypeError('x is undefined');
    const internal = toDaError(cause, logger);
    expect(logger.errors).toEqual([{ code: 'INTERNAL', err: internal }]);
    expect((logger.errors[0]?.['err'] as Error).cause).toBe(cause);

    toDaError('a string', logger);
    expect(logger.errors[1]).toMatchObject({ code: 'INTERNAL', thrown: 'a string' });

    const explicit = new InternalError('corrupt record in Redis');
    expect(toDaError(explicit, logger)).toBe(explicit);
    expect(logger.errors[2]).toEqual({ code: 'INTERNAL', err: explicit });

    for (const error of Object.values(samples).filter((e) => e.code !== 'INTERNAL')) toDaError(error, logger);
    toDaError(new CommitmentError('hex', 'bad hex'), logger);
    expect(logger.errors).toHaveLength(3);
  });
});

describe('DaError', () => {
  it('quotes the messages of its causes in details', () => {
    const error = new UnavailableError('publisher unreachable', { cause: new Error('ECONNREFUSED 127.0.0.1:31415') });
    expect(error.details).toBe('publisher unreachable: ECONNREFUSED 127.0.0.1:31415');
    expect(new TimeoutError('late', { cause: error }).details).toBe('late: publisher unreachable: ECONNREFUSED 127.0.0.1:31415');
  });

  it('is named after its class', () => {
    expect(new TooLargeError(2, 1).name).toBe('TooLargeError');
  });
});
