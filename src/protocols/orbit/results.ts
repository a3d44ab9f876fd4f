// The JSON results of Nitro v3.10's DA provider API, byte for byte as Go's encoding/json writes
// the result types (nitro daprovider/server_api/types.go, daprovider/reader.go,
// daprovider/data_streaming/receiver.go):
//
//   getSupportedHeaderBytes     {"headerBytes":"0x01"}                     hexutil.Bytes, omitempty
//   getMaxMessageSize           {"maxSize":104857600}                      int
//   store, commitChunkedStore   {"serialized-da-cert":"0x0157…"}           hexutil.Bytes, omitempty
//   startChunkedStore           {"BatchId":"0x1f"}                         hexutil.Uint64, omitempty
//   recoverPayload              {"Payload":"AAEC…"}                        []byte → base64, nil → null
//   collectPreimages            {"Preimages":{"3":{"0x<keccak>":"AAEC…"}}} map[PreimageType]map[Hash][]byte
//   recoverPayloadAndPreimages  {"Payload":"…","Preimages":{…}}
//
// Payload and preimage values are plain Go `[]byte`, hence base64, not hex: a hex string such
// as "0x12" is also valid base64 and would decode to garbage on the node.
import { goBytes } from './geth-rpc/go-json.ts';
import { encodeHexBytes, encodeHexUint64 } from './geth-rpc/hexutil.ts';

/** arbutil.DACertificatePreimageType: the preimage type of a custom DA certificate's payload. */
export const DA_CERTIFICATE_PREIMAGE_TYPE = 3;

export function headerBytesResult(headerBytes: Uint8Array): string {
  return headerBytes.length === 0 ? '{}' : `{"headerBytes":"${encodeHexBytes(headerBytes)}"}`;
}

export function maxSizeResult(maxSize: number): string {
  return `{"maxSize":${maxSize}}`;
}

export function storeResult(certificate: Uint8Array): string {
  return certificate.length === 0 ? '{}' : `{"serialized-da-cert":"${encodeHexBytes(certificate)}"}`;
}

export function startStreamingResult(messageId: bigint): string {
  return messageId === 0n ? '{}' : `{"BatchId":"${encodeHexUint64(messageId)}"}`;
}

export function payloadResult(payload: Uint8Array): string {
  return `{"Payload":${goBytes(payload)}}`;
}

/** `certificateHash` is keccak256 of the certificate (sequencerMsg[40:]). */
export function preimagesResult(certificateHash: Uint8Array, payload: Uint8Array): string {
  return `{"Preimages":${preimagesMap(certificateHash, payload)}}`;
}

export function payloadAndPreimagesResult(certificateHash: Uint8Array, payload: Uint8Array): string {
  return `{"Payload":${goBytes(payload)},"Preimages":${preimagesMap(certificateHash, payload)}}`;
}

function preimagesMap(certificateHash: Uint8Array, payload: Uint8Array): string {
  if (certificateHash.length !== 32) throw new RangeError(`a preimage key is 32 bytes, got ${certificateHash.length}`);
  return `{"${DA_CERTIFICATE_PREIMAGE_TYPE}":{"${encodeHexBytes(certificateHash)}":${goBytes(payload)}}}`;
}
