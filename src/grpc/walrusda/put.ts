// walrusda.v1 Put (one message) and PutStream (header, then chunks). Both end in DaService.put,
// which answers only once the frame's quilt is certified on Sui.
import { create } from '@bufbuild/protobuf';
import { InvalidInputError, TooLargeError, type DaService } from '../../core/index.ts';
import { clientStreaming, unary, type CallContext, type Door } from '../call.ts';
import type { Authenticators } from '../chain-auth.ts';
import { PutResponseSchema, PutStreamResponseSchema, type PutRequest, type PutStreamRequest } from '../gen/walrusda/v1/da_pb.ts';
import { commitmentMessage, framingOf, type KnownFraming } from './convert.ts';

export interface PutHandlerOptions {
  readonly service: DaService;
  readonly daByte: number;
  readonly door: Door;
  readonly auth: Authenticators<unknown>;
}

export function putHandlers(options: PutHandlerOptions) {
  const { service, daByte, door, auth } = options;

  async function store(frame: Uint8Array, framing: KnownFraming, { signal, chain }: CallContext) {
    const result = await service.put(frame, { signal, chain });
    return { commitment: commitmentMessage(result.commitment, framing, daByte), deduplicated: result.deduplicated };
  }

  return {
    put: unary(door, 'Put', auth.write, async (request: PutRequest, context) => {
      const framing = framingOf(request.framing);
      return create(PutResponseSchema, await store(request.data, framing, context));
    }),
    putStream: clientStreaming(door, 'PutStream', auth.write, async (requests: AsyncIterable<PutStreamRequest>, context) => {
      const { frame, framing } = await receiveFrame(requests, service.maxFrameBytes);
      return create(PutStreamResponseSchema, await store(frame, framing, context));
    }),
  };
}

/**
 * Assembles a PutStream: exactly one header first, then chunks adding up to its total_size.
 * The size is checked against the frame limit before any data is buffered.
 */
export async function receiveFrame(requests: AsyncIterable<PutStreamRequest>, maxFrameBytes: number): Promise<{ frame: Uint8Array; framing: KnownFraming }> {
  let frame: Uint8Array | undefined;
  let framing: KnownFraming = 'body';
  let received = 0;
  for await (const request of requests) {
    const part = request.part;
    switch (part.case) {
      case 'header': {
        if (frame) throw new InvalidInputError('PutStream: a second header; the header is the first message and only the first');
        const total = part.value.totalSize;
        if (total === 0n) throw new InvalidInputError('PutStream: total_size must be at least 1 byte');
        if (total > BigInt(maxFrameBytes)) throw new TooLargeError(Number(total), maxFrameBytes);
        framing = framingOf(part.value.framing);
        frame = new Uint8Array(Number(total));
        break;
      }
      case 'chunk': {
        if (!frame) throw new InvalidInputError('PutStream: data before the header; send a PutStreamHeader first');
        if (received + part.value.length > frame.length) {
          throw new InvalidInputError(`PutStream: more data than the ${frame.length} bytes the header announced`);
        }
        frame.set(part.value, received);
        received += part.value.length;
        break;
      }
      case undefined:
        throw new InvalidInputError('PutStream: a message with neither header nor chunk');
    }
  }
  if (!frame) throw new InvalidInputError('PutStream: the stream ended without a header');
  if (received !== frame.length) throw new InvalidInputError(`PutStream: the stream ended after ${received} of the ${frame.length} bytes announced`);
  return { frame, framing };
}
