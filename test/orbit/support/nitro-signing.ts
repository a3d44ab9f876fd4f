// The "signatures" a Nitro v3.10 node puts on its chunked-store calls, written from Nitro's own
// definition rather than from walrus-da's receiver, so that tests sending them check the receiver
// against Nitro instead of against itself. Source: OffchainLabs/nitro v3.10.0
// (b1cf6db81afbc1f67c898ac9add5d37391ebd87b; unchanged at 6dce8d13902649a1acdfd3f2504129f1f5612358):
//   - arbnode/node.go builds the external DA client with data_streaming.PayloadCommiter(), which
//     signs nothing: it returns keccak256(flattenDataForSigning(bytes, extras...));
//   - daprovider/data_streaming/signing.go flattenDataForSigning: the bytes, then every extra
//     field appended as a big-endian uint64;
//   - daprovider/data_streaming/sender.go fixes which bytes and fields each call signs, and in
//     what order (startStream, sendChunk, finalizeStream).
import { keccak_256 } from '@noble/hashes/sha3.js';

const UINT64_LIMIT = 1n << 64n;

/** flattenDataForSigning: `bytes ‖ BE_u64(extras[0]) ‖ BE_u64(extras[1]) ‖ …`. */
export function nitroSigningBytes(bytes: Uint8Array, ...extras: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(bytes.length + 8 * extras.length);
  out.set(bytes);
  extras.forEach((extra, index) => {
    // The fields are Go uint64s: a value outside that range is a bug in the test, not a vector.
    if (extra < 0n || extra >= UINT64_LIMIT) throw new RangeError(`${extra} is not a uint64`);
    let rest = extra;
    for (let byte = 7; byte >= 0; byte--) {
      out[bytes.length + 8 * index + byte] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  });
  return out;
}

/** PayloadCommiter's signPayload: keccak256 of the flattened bytes. */
export function nitroPayloadCommitment(bytes: Uint8Array, ...extras: readonly bigint[]): Uint8Array {
  return keccak_256(nitroSigningBytes(bytes, ...extras));
}

/** sender.go startStream: no bytes; timestamp, nChunks, chunkSize, dataLen, timeout. */
export function nitroStartSignature(fields: { timestamp: bigint; nChunks: bigint; chunkSize: bigint; totalSize: bigint; timeout: bigint }): Uint8Array {
  return nitroPayloadCommitment(new Uint8Array(), fields.timestamp, fields.nChunks, fields.chunkSize, fields.totalSize, fields.timeout);
}

/** sender.go sendChunk: the chunk's bytes; messageId, chunkId. */
export function nitroChunkSignature(messageId: bigint, chunkId: bigint, chunk: Uint8Array): Uint8Array {
  return nitroPayloadCommitment(chunk, messageId, chunkId);
}

/** sender.go finalizeStream (daprovider_commitChunkedStore): no bytes; messageId. */
export function nitroCommitSignature(messageId: bigint): Uint8Array {
  return nitroPayloadCommitment(new Uint8Array(), messageId);
}
