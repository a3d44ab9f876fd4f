// The size arithmetic that keeps go-da responses within a Go client's 4 MiB receive limit.
import { create, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { GetResponseSchema } from '../gen/da/da_pb.ts';
import { GO_CLIENT_MAX_RECEIVE_BYTES, encodedBlobBytes, goDaMaxBlobSize } from './service.ts';

describe('go-da response sizes', () => {
  it.each([0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 4 * 1024 * 1024])('encodedBlobBytes(%i) is exact', (length) => {
    const one = toBinary(GetResponseSchema, create(GetResponseSchema, { blobs: [{ value: new Uint8Array(length) }] }));
    expect(encodedBlobBytes(length)).toBe(one.length);
  });

  it('MaxBlobSize leaves room for the envelope of one blob', () => {
    const max = goDaMaxBlobSize(64 * 1024 * 1024);
    expect(max).toBe(GO_CLIENT_MAX_RECEIVE_BYTES - 1024);
    expect(encodedBlobBytes(max)).toBeLessThanOrEqual(GO_CLIENT_MAX_RECEIVE_BYTES);
    expect(goDaMaxBlobSize(1000)).toBe(1000);
  });
});
