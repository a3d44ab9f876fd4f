// PutStream assembly: exactly one header first, chunks adding up to its total_size, the frame
// limit checked before any data is buffered.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, TooLargeError } from '../../core/index.ts';
import { CommitmentFraming, PutStreamRequestSchema } from '../gen/walrusda/v1/da_pb.ts';
import { receiveFrame } from './put.ts';

/** Messages as they arrive from the network: one per turn of the event loop. */
async function* stream(...parts: MessageInitShape<typeof PutStreamRequestSchema>[]) {
  for (const part of parts) {
    await Promise.resolve();
    yield create(PutStreamRequestSchema, part);
  }
}

const header = (totalSize: bigint, framing: CommitmentFraming = CommitmentFraming.UNSPECIFIED) => ({ part: { case: 'header' as const, value: { totalSize, framing } } });
const chunk = (...bytes: number[]) => ({ part: { case: 'chunk' as const, value: Uint8Array.from(bytes) } });

describe('receiveFrame', () => {
  it('assembles the chunks in order, empty chunks included', async () => {
    const { frame, framing } = await receiveFrame(stream(header(5n, CommitmentFraming.ORBIT), chunk(1, 2), chunk(), chunk(3, 4, 5)), 10);
    expect([...frame]).toEqual([1, 2, 3, 4, 5]);
    expect(framing).toBe('orbit');
  });

  it('checks the announced size against the frame limit before any data', async () => {
    let pulled = 0;
    async function* counting() {
      yield* stream(header(11n));
      pulled++;
      yield* stream(chunk(1));
    }
    await expect(receiveFrame(counting(), 10)).rejects.toBeInstanceOf(TooLargeError);
    expect(pulled).toBe(0);
  });

  it.each([
    ['no messages', [], /without a header/],
    ['data first', [chunk(1), header(1n)], /data before the header/],
    ['two headers', [header(1n), header(1n)], /second header/],
    ['a zero size', [header(0n)], /at least 1 byte/],
    ['too much data', [header(2n), chunk(1, 2, 3)], /more data than the 2 bytes/],
    ['too little data', [header(3n), chunk(1)], /after 1 of the 3 bytes/],
    ['an empty message', [{}], /neither header nor chunk/],
    ['an unknown framing', [header(1n, 7 as CommitmentFraming)], /unknown commitment framing 7/],
  ])('rejects %s with InvalidInputError', async (_label, parts, message) => {
    const run = receiveFrame(stream(...parts), 10);
    await expect(run).rejects.toBeInstanceOf(InvalidInputError);
    await expect(run).rejects.toThrow(message);
  });
});
