// Body v0 of the walrus-da commitment: the one structure behind every framing
// (docs/architecture.md "Commitment layout"). All integers little-endian.
//
//   offset  size  field
//   [0]       1   0x00                      body version
//   [1..33)  32   quilt blob id             Walrus blob id of the quilt holding the frame
//   [33]      1   0x01                      QuiltPatchId internal version (V1)
//   [34..36)  2   start column  u16 LE      first secondary-sliver column of the patch
//   [36..38)  2   end column    u16 LE      one past the last column
//   [38..70) 32   Sui object id             certified walrus::blob::Blob object of the quilt
//   [70..102)32   keccak256(frame)          the exact bytes the caller stored
//
// Bytes [1..38) are exactly Walrus's QuiltPatchId (`quilt_id ‖ QuiltPatchInternalIdV1::to_bytes`,
// walrus crates/walrus-core/src/lib.rs and metadata.rs), so any aggregator serves the frame at
// GET /v1/blobs/by-quilt-patch-id/<base64url of those 37 bytes>.
import { CommitmentError, byteText } from './errors.ts';
import { QUILT_PATCH_ID_VERSION_V1, validateColumns, type QuiltPatchId } from './quilt-patch-id.ts';

export const BODY_VERSION_V0 = 0x00;
export const BODY_V0_LENGTH = 102;

const QUILT_ID_OFFSET = 1;
const PATCH_ID_OFFSET = 33;
const OBJECT_ID_OFFSET = 38;
const KECCAK_OFFSET = 70;
const HASH_LENGTH = 32;

/** The decoded fields of a body v0 commitment. Byte arrays are 32 bytes long. */
export interface CommitmentBody {
  /** Walrus blob id of the quilt (raw 32 bytes). */
  readonly quiltId: Uint8Array;
  /** First column (secondary sliver index) of the patch, ≥ 1 because column 0 holds the quilt index. */
  readonly startColumn: number;
  /** One past the patch's last column; `startColumn < endColumn ≤ 65535`. */
  readonly endColumn: number;
  /** Sui object id of the quilt's certified `Blob` object (raw 32 bytes). */
  readonly objectId: Uint8Array;
  /** keccak256 of the frame bytes. */
  readonly frameKeccak: Uint8Array;
}

/**
 * Serializes a body v0 commitment (102 bytes).
 * @example encodeBody({ quiltId, startColumn: 1, endColumn: 9, objectId, frameKeccak })
 */
export function encodeBody(body: CommitmentBody): Uint8Array {
  validateFields(body);
  const out = new Uint8Array(BODY_V0_LENGTH);
  const view = new DataView(out.buffer);
  out[0] = BODY_VERSION_V0;
  out.set(body.quiltId, QUILT_ID_OFFSET);
  out[PATCH_ID_OFFSET] = QUILT_PATCH_ID_VERSION_V1;
  view.setUint16(PATCH_ID_OFFSET + 1, body.startColumn, true);
  view.setUint16(PATCH_ID_OFFSET + 3, body.endColumn, true);
  out.set(body.objectId, OBJECT_ID_OFFSET);
  out.set(body.frameKeccak, KECCAK_OFFSET);
  return out;
}

/** Parses a body v0 commitment from untrusted bytes; throws `CommitmentError` naming the fault. */
export function decodeBody(bytes: Uint8Array): CommitmentBody {
  if (bytes.length === 0) {
    throw new CommitmentError('length', `invalid commitment body length: expected ${BODY_V0_LENGTH} bytes, got 0`);
  }
  if (bytes[0] !== BODY_VERSION_V0) {
    throw new CommitmentError('version', `unknown commitment body version ${byteText(bytes[0] ?? 0)} (supported: 0x00)`);
  }
  if (bytes.length !== BODY_V0_LENGTH) {
    throw new CommitmentError(
      'length',
      `invalid commitment body length: expected ${BODY_V0_LENGTH} bytes, got ${bytes.length}`,
    );
  }
  const patchVersion = bytes[PATCH_ID_OFFSET] ?? 0;
  if (patchVersion !== QUILT_PATCH_ID_VERSION_V1) {
    throw new CommitmentError(
      'patch-id-version',
      `unknown quilt patch id version ${byteText(patchVersion)} (supported: 0x01)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const body: CommitmentBody = {
    quiltId: bytes.slice(QUILT_ID_OFFSET, QUILT_ID_OFFSET + HASH_LENGTH),
    startColumn: view.getUint16(PATCH_ID_OFFSET + 1, true),
    endColumn: view.getUint16(PATCH_ID_OFFSET + 3, true),
    objectId: bytes.slice(OBJECT_ID_OFFSET, OBJECT_ID_OFFSET + HASH_LENGTH),
    frameKeccak: bytes.slice(KECCAK_OFFSET, KECCAK_OFFSET + HASH_LENGTH),
  };
  validateColumns(body.startColumn, body.endColumn);
  return body;
}

/** The 37-byte Walrus QuiltPatchId embedded in the body at bytes [1..38). */
export function bodyQuiltPatchId(body: CommitmentBody): QuiltPatchId {
  return { quiltId: body.quiltId, startColumn: body.startColumn, endColumn: body.endColumn };
}

function validateFields(body: CommitmentBody): void {
  for (const [name, value] of [
    ['quiltId', body.quiltId],
    ['objectId', body.objectId],
    ['frameKeccak', body.frameKeccak],
  ] as const) {
    if (value.length !== HASH_LENGTH) {
      throw new CommitmentError('length', `invalid ${name} length: expected 32 bytes, got ${value.length}`);
    }
  }
  validateColumns(body.startColumn, body.endColumn);
}
