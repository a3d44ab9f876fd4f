// go-da blob IDs as walrus-da issues them:
//
//   [0..8)     height, u64 little-endian     walrus-da batch height (FrameCommitment.height)
//   [8..110)   commitment body v0 (102 B)    src/commitment/body.ts
//
// go-da calls an ID opaque (rollkit/go-da da.go), but every implementation and client splits it
// as an 8-byte little-endian height followed by the commitment: go-da test/dummy.go,
// celestia-node nodebuilder/da/service.go (`MakeID`/`SplitID`), and Rollkit v0.13, which sets its
// DA height from `binary.LittleEndian.Uint64(ids[0])` after Submit (rollkit/rollkit da/da.go).
import { BODY_V0_LENGTH, decodeBody, encodeBody, type CommitmentBody } from '../../commitment/index.ts';
import { InvalidInputError } from '../../core/index.ts';

export const HEIGHT_LENGTH = 8;
export const ID_LENGTH = HEIGHT_LENGTH + BODY_V0_LENGTH;
const MAX_U64 = (1n << 64n) - 1n;

export interface GoDaId {
  readonly height: bigint;
  readonly body: CommitmentBody;
  /** The 102 body bytes as they appear in the ID. */
  readonly bodyBytes: Uint8Array;
}

/** Builds the ID of a committed frame: `u64 LE height ‖ body`. */
export function encodeId(height: number | bigint, body: CommitmentBody): Uint8Array {
  const value = BigInt(height);
  if (value < 0n || value > MAX_U64) throw new RangeError(`height ${value} does not fit in a u64`);
  const id = new Uint8Array(ID_LENGTH);
  new DataView(id.buffer).setBigUint64(0, value, true);
  id.set(encodeBody(body), HEIGHT_LENGTH);
  return id;
}

/**
 * Parses an ID from untrusted bytes. Throws InvalidInputError (with the CommitmentError as
 * `cause` when the body is at fault) and nothing else, whatever the input.
 */
export function decodeId(id: Uint8Array): GoDaId {
  if (id.length !== ID_LENGTH) {
    throw new InvalidInputError(
      `invalid go-da id: expected ${ID_LENGTH} bytes (8-byte little-endian height ‖ ${BODY_V0_LENGTH}-byte commitment body), got ${id.length}`,
    );
  }
  const height = new DataView(id.buffer, id.byteOffset, id.byteLength).getBigUint64(0, true);
  const bodyBytes = id.slice(HEIGHT_LENGTH);
  try {
    return { height, body: decodeBody(bodyBytes), bodyBytes };
  } catch (error) {
    throw new InvalidInputError(`invalid go-da id: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
