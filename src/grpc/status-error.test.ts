import { describe, expect, it } from 'vitest';
import { GrpcStatusError, STATUS_DETAILS_KEY } from './status-error.ts';

describe('GrpcStatusError', () => {
  it('is what grpc-js expects from a failed handler, and sets details only when given', () => {
    const plain = new GrpcStatusError(5, 'not here');
    expect(plain).toBeInstanceOf(Error);
    expect(plain).toMatchObject({ code: 5, details: 'not here', message: 'not here' });
    expect(plain.metadata.get(STATUS_DETAILS_KEY)).toEqual([]);
  });
});
