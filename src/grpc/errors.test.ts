import { describe, expect, it } from 'vitest';
import { CommitmentError } from '../commitment/index.ts';
import { CancelledError, InternalError, InvalidCommitmentError, NotFoundError, UnavailableError } from '../core/index.ts';
import { GrpcStatusError, STATUS_DETAILS_KEY, normalizeError } from './errors.ts';

describe('normalizeError', () => {
  it('keeps DaErrors, also when wrapped by a library', () => {
    const error = new NotFoundError('gone');
    expect(normalizeError(error)).toBe(error);
    const inner = new UnavailableError('redis down');
    expect(normalizeError(new Error('wrapper', { cause: inner }))).toBe(inner);
  });

  it('turns a CommitmentError into InvalidCommitmentError with the codec message', () => {
    const cause = new CommitmentError('length', 'invalid commitment body length: expected 102 bytes, got 3');
    const error = normalizeError(cause);
    expect(error).toBeInstanceOf(InvalidCommitmentError);
    expect(error.shortMessage).toBe(cause.message);
    expect(error.cause).toBe(cause);
  });

  it('turns an AbortError into CancelledError', () => {
    expect(normalizeError(new DOMException('aborted', 'AbortError'))).toBeInstanceOf(CancelledError);
  });

  it('hides the message of anything else behind a generic InternalError', () => {
    const cause = new TypeError('cannot read properties of undefined (secret path /srv/x)');
    const error = normalizeError(cause);
    expect(error).toBeInstanceOf(InternalError);
    expect(error.shortMessage).not.toContain('secret');
    expect(error.cause).toBe(cause);
    expect(normalizeError('a string')).toBeInstanceOf(InternalError);
  });
});

describe('GrpcStatusError', () => {
  it('is what grpc-js expects from a failed handler, and sets details only when given', () => {
    const plain = new GrpcStatusError(5, 'not here');
    expect(plain).toBeInstanceOf(Error);
    expect(plain).toMatchObject({ code: 5, details: 'not here', message: 'not here' });
    expect(plain.metadata.get(STATUS_DETAILS_KEY)).toEqual([]);
  });
});
