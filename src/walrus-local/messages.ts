// The storage confirmation a node signs and `certify_blob` checks: BCS
// `ProtocolMessage<StorageConfirmationBody>` (walrus crates/walrus-core/src/messages.rs,
// messages/storage_confirmation.rs; contracts/walrus/sources/system/messages.move,
// contracts/walrus/docs/msg_formats.txt):
//
//   [0]       intent type      u8 = 1 (BLOB_CERT_MSG)
//   [1]       intent version   u8 = 0
//   [2]       app id           u8 = 3 (STORAGE)
//   [3..7)    epoch            u32 LE
//   [7..39)   blob id          32 raw bytes (= the BCS of the u256)
//   [39]      persistence      0x00 Permanent                               → 40 bytes
//                              0x01 Deletable ‖ object id (32 B)           → 72 bytes
//
// Move ignores bytes after the known fields (for extensibility), so the parser does too.
import { addressBytes, bytesToAddress } from './ids.ts';

export const BLOB_CERT_MSG = 1;
export const INTENT_VERSION = 0;
export const STORAGE_APP_ID = 3;

export type BlobPersistence = { readonly type: 'permanent' } | { readonly type: 'deletable'; readonly objectId: string };

export interface StorageConfirmation {
  readonly epoch: number;
  readonly blobId: Uint8Array;
  readonly persistence: BlobPersistence;
}

/** Move abort names of messages.move, so ledger errors read like the chain's. */
export type MessageAbort = 'EInvalidMsgType' | 'EIncorrectIntentVersion' | 'EIncorrectAppId' | 'EInvalidBlobPersistenceType';

export class ConfirmationMessageError extends Error {
  override readonly name = 'ConfirmationMessageError';
  readonly abort: MessageAbort;

  constructor(abort: MessageAbort, message: string) {
    super(message);
    this.abort = abort;
  }
}

export function encodeConfirmation(confirmation: StorageConfirmation): Uint8Array {
  const deletable = confirmation.persistence.type === 'deletable';
  const out = new Uint8Array(deletable ? 72 : 40);
  out.set([BLOB_CERT_MSG, INTENT_VERSION, STORAGE_APP_ID], 0);
  new DataView(out.buffer).setUint32(3, confirmation.epoch, true);
  out.set(confirmation.blobId, 7);
  if (confirmation.persistence.type === 'deletable') {
    out[39] = 1;
    out.set(addressBytes(confirmation.persistence.objectId), 40);
  }
  return out;
}

export function decodeConfirmation(message: Uint8Array): StorageConfirmation {
  if (message.length < 40) {
    throw new ConfirmationMessageError('EInvalidMsgType', `a storage confirmation has at least 40 bytes, got ${message.length}`);
  }
  if (message[0] !== BLOB_CERT_MSG) throw new ConfirmationMessageError('EInvalidMsgType', `intent type ${message[0]} is not BLOB_CERT_MSG (1)`);
  if (message[1] !== INTENT_VERSION) throw new ConfirmationMessageError('EIncorrectIntentVersion', `intent version ${message[1]} is not 0`);
  if (message[2] !== STORAGE_APP_ID) throw new ConfirmationMessageError('EIncorrectAppId', `app id ${message[2]} is not STORAGE (3)`);
  const epoch = new DataView(message.buffer, message.byteOffset, message.byteLength).getUint32(3, true);
  const blobId = message.slice(7, 39);
  const tag = message[39];
  if (tag === 0) return { epoch, blobId, persistence: { type: 'permanent' } };
  if (tag === 1 && message.length >= 72) return { epoch, blobId, persistence: { type: 'deletable', objectId: bytesToAddress(message.subarray(40, 72)) } };
  throw new ConfirmationMessageError('EInvalidBlobPersistenceType', `blob persistence tag ${tag ?? 'missing'} is not Permanent (0) or Deletable (1) with an object id`);
}
