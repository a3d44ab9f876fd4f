// Reads Orbit batches from SequencerInbox logs and calldata, from L1 data alone, the way Nitro's
// inbox reader does (OffchainLabs/nitro v3.10.0, b1cf6db81afbc1f67c898ac9add5d37391ebd87b):
//
// - arbnode/sequencer_inbox.go `LookupBatchesInRange`: batches are SequencerBatchDelivered logs;
//   `SerializeSequencerInboxBatch`: the sequencer message is a 40-byte header (minTimestamp,
//   maxTimestamp, minBlockNumber, maxBlockNumber, afterDelayedMessagesRead; big-endian u64) ‖ data;
//   `getSequencerDataFromBatch`: TxInput data is the `data` argument of the emitting transaction's
//   calldata, decoded with the addSequencerL2BatchFromOrigin inputs whatever the selector;
//   SeparateBatchEvent data is the SequencerBatchData log of the same batch number in that block.
// - daprovider/util.go: `DACertificateMessageHeaderFlag` = 0x01, matched by equality; 0x80 is
//   AnyTrust (0x08 tree), 0x50 blob hashes, 0x00 brotli, 0x20 zeroheavy: data on L1 or AnyTrust.
import { AbiFunctionSignatureNotFoundError, decodeAbiParameters, decodeEventLog, decodeFunctionData, type Hex } from 'viem';
import { hexToBytes } from '../bytes/index.ts';
import {
  CommitmentError,
  DEFAULT_DA_BYTE,
  FRAMED_LENGTH,
  ORBIT_DA_CERTIFICATE_HEADER,
  ORBIT_SEQUENCER_HEADER_LENGTH,
  decodeFramed,
  inspectCommitment,
  type CommitmentBody,
} from '../commitment/index.ts';
import { BATCH_DATA_LOCATIONS, SEQUENCER_INBOX_ABI, type BatchDataLocation } from './orbit-abi.ts';
import { byteHex, decodeFailure } from './decode-failure.ts';
import type { FoundBatch } from './types.ts';

/** Raised when L1 data claimed to be a SequencerInbox log or call does not decode. */
export class OrbitDecodeError extends Error {
  override readonly name = 'OrbitDecodeError';
}

/** The fields of a SequencerBatchDelivered log that locate and frame the batch data. */
export interface BatchDelivered {
  readonly batchNumber: bigint;
  readonly afterDelayedMessagesRead: bigint;
  readonly timeBounds: {
    readonly minTimestamp: bigint;
    readonly maxTimestamp: bigint;
    readonly minBlockNumber: bigint;
    readonly maxBlockNumber: bigint;
  };
  readonly dataLocation: BatchDataLocation;
}

const U64_MAX = 2n ** 64n - 1n;

/** Decodes a raw SequencerBatchDelivered log; throws OrbitDecodeError. */
export function decodeBatchDelivered(log: { readonly topics: readonly Hex[]; readonly data: Hex }): BatchDelivered {
  let args;
  try {
    ({ args } = decodeEventLog({ abi: SEQUENCER_INBOX_ABI, eventName: 'SequencerBatchDelivered', topics: log.topics as [Hex, ...Hex[]], data: log.data, strict: true }));
  } catch (error) {
    throw new OrbitDecodeError(`not a SequencerBatchDelivered log: ${shortMessage(error)}`, { cause: error });
  }
  const dataLocation = BATCH_DATA_LOCATIONS[args.dataLocation];
  if (dataLocation === undefined) throw new OrbitDecodeError(`unknown batch data location ${args.dataLocation}`);
  // Nitro refuses these too: both become u64 fields of the sequencer message header.
  if (args.batchSequenceNumber > U64_MAX) throw new OrbitDecodeError(`batch number ${args.batchSequenceNumber} is not a u64`);
  if (args.afterDelayedMessagesRead > U64_MAX) throw new OrbitDecodeError(`afterDelayedMessagesRead ${args.afterDelayedMessagesRead} is not a u64`);
  return { batchNumber: args.batchSequenceNumber, afterDelayedMessagesRead: args.afterDelayedMessagesRead, timeBounds: args.timeBounds, dataLocation };
}

/** Decodes a raw SequencerBatchData log's `data`; throws OrbitDecodeError. */
export function decodeBatchDataLog(log: { readonly topics: readonly Hex[]; readonly data: Hex }): { readonly batchNumber: bigint; readonly data: Uint8Array } {
  try {
    const { args } = decodeEventLog({ abi: SEQUENCER_INBOX_ABI, eventName: 'SequencerBatchData', topics: log.topics as [Hex, ...Hex[]], data: log.data, strict: true });
    return { batchNumber: args.batchSequenceNumber, data: hexToBytes(args.data) };
  } catch (error) {
    throw new OrbitDecodeError(`not a SequencerBatchData log: ${shortMessage(error)}`, { cause: error });
  }
}

/**
 * The batch data a SequencerInbox call carries, and the function's name. A selector outside the
 * ABI is read as Nitro reads every call, by the leading (uint256, bytes) arguments. Throws
 * OrbitDecodeError for calldata that carries no data argument or does not decode.
 */
export function batchDataFromCalldata(input: Hex): { readonly method: string; readonly data: Uint8Array } {
  let call;
  try {
    call = decodeFunctionData({ abi: SEQUENCER_INBOX_ABI, data: input });
  } catch (error) {
    const method = error instanceof AbiFunctionSignatureNotFoundError ? `unknown selector ${input.slice(0, 10)}` : `malformed call ${input.slice(0, 10)}`;
    return { method, data: leadingDataArgument(input, error) };
  }
  switch (call.functionName) {
    case 'addSequencerL2BatchFromOrigin':
    case 'addSequencerL2Batch':
    case 'addSequencerL2BatchFromOriginDelayProof':
    case 'addSequencerL2BatchDelayProof':
      return { method: call.functionName, data: hexToBytes(call.args[1]) };
    case 'addSequencerL2BatchFromBlobs':
    case 'addSequencerL2BatchFromBlobsDelayProof':
      throw new OrbitDecodeError(`${call.functionName} carries its data in blobs, not in calldata`);
  }
}

/** Nitro's 40-byte sequencer message header for a batch. */
export function sequencerHeader(batch: BatchDelivered): Uint8Array {
  const header = new Uint8Array(ORBIT_SEQUENCER_HEADER_LENGTH);
  const view = new DataView(header.buffer);
  const { minTimestamp, maxTimestamp, minBlockNumber, maxBlockNumber } = batch.timeBounds;
  [minTimestamp, maxTimestamp, minBlockNumber, maxBlockNumber, batch.afterDelayedMessagesRead].forEach((value, i) => view.setBigUint64(i * 8, value));
  return header;
}

export interface OrbitBatchPosition {
  readonly l1Block: bigint;
  readonly txHash: `0x${string}`;
  readonly txIndex: number;
  readonly logIndex: number;
}

/**
 * Classifies an Orbit batch from its log and its data (undefined: the location holds none we read,
 * i.e. NoData or Blob). Never throws.
 */
export function classifyOrbitBatch(
  position: OrbitBatchPosition,
  batch: BatchDelivered,
  found: { readonly method: string; readonly data: Uint8Array | undefined },
  options: { readonly daByte?: number } = {},
): FoundBatch {
  const daByte = options.daByte ?? DEFAULT_DA_BYTE;
  const data = found.data ?? new Uint8Array();
  const base = { chain: 'orbit', ...position, batchNumber: batch.batchNumber, method: found.method, commitment: data } as const;
  const other = (verdict: 'skipped' | 'foreign', reason: string): FoundBatch => ({ ...base, kind: 'orbit-other', check: { type: 'decided', verdict, reason } });
  const certificate = (check: FoundBatch['check']): FoundBatch => ({ ...base, kind: 'orbit-certificate', check });

  if (batch.dataLocation === 'Blob') return other('skipped', 'blob batch: the data is in EIP-4844 blobs, not behind a DA certificate');
  if (batch.dataLocation === 'NoData' || data.length === 0) return other('skipped', 'no batch data (delayed messages only)');
  const header = data[0] ?? 0;
  if (header !== ORBIT_DA_CERTIFICATE_HEADER) return other('skipped', `${describeHeader(header)}: not a DA certificate`);
  const provider = data[1];
  if (provider !== undefined && provider !== daByte) {
    return certificate({ type: 'decided', verdict: 'foreign', reason: `DA certificate of provider ${byteHex(provider)}, not this deployment's ${byteHex(daByte)}` });
  }
  try {
    // The exact bytes Nitro hands a DA provider (recoverPayload's sequencerMsg); other lengths go
    // straight to the certificate decoder, which names the fault (length or body version).
    const body =
      data.length === FRAMED_LENGTH
        ? inspectBody(concat(sequencerHeader(batch), data), daByte)
        : decodeFramed(data, 'orbit', { daByte });
    return certificate({ type: 'walrus', body });
  } catch (error) {
    if (!(error instanceof CommitmentError)) throw error;
    return certificate(decodeFailure(error));
  }
}

function inspectBody(message: Uint8Array, daByte: number): CommitmentBody {
  const inspected = inspectCommitment(message, { daByte });
  if (!('body' in inspected)) throw new CommitmentError('length', `a ${message.length}-byte sequencer message is not a DA certificate`);
  return inspected.body;
}

function describeHeader(header: number): string {
  if (header === 0x00) return 'brotli batch data on L1 (header 0x00)';
  if (header === 0x50) return 'blob hashes (header 0x50)';
  if ((header & 0x80) !== 0) return `AnyTrust certificate (header ${byteHex(header)})`;
  if ((header & 0x20) !== 0) return `zeroheavy batch data on L1 (header ${byteHex(header)})`;
  return `unknown batch header ${byteHex(header)}`;
}

function leadingDataArgument(input: Hex, cause: unknown): Uint8Array {
  try {
    if (input.length < 10) throw new Error('shorter than a selector');
    const [, data] = decodeAbiParameters([{ type: 'uint256' }, { type: 'bytes' }], `0x${input.slice(10)}`);
    return hexToBytes(data);
  } catch (error) {
    throw new OrbitDecodeError(`calldata ${input.slice(0, 10)}… is not a SequencerInbox batch call: ${shortMessage(cause)}; as (uint256, bytes): ${shortMessage(error)}`, { cause: error });
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function shortMessage(error: unknown): string {
  if (error instanceof Error) return ('shortMessage' in error && typeof error.shortMessage === 'string' ? error.shortMessage : error.message).split('\n')[0] ?? '';
  return String(error);
}
