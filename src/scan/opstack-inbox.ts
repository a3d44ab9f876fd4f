// Classifies a transaction sent to an OP Stack batch inbox, from L1 data alone, the way op-node's
// derivation reads it (ethereum-optimism/optimism d317e96c2add4a4e7fae72d6637ad241457f16c7):
//
// - op-node/rollup/derive/data_source.go `isValidBatchTx`: only transactions to the inbox signed
//   by the batcher count; anything else sent there is ignored.
// - op-node/rollup/derive/blob_data_source.go: a blob (type 3) transaction's data is its blobs and
//   its calldata is ignored, so it never carries an alt-DA commitment.
// - op-node/rollup/derive/altda_data_source.go: calldata whose first byte is not TxDataVersion1
//   (0x01, op-alt-da/params.go) is L1 data (frames), passed on; the rest goes to
//   `DecodeCommitmentData(data[1:])`.
// - op-alt-da/commitment.go: commitment type 0x00 = keccak256 (exactly 32 more bytes), 0x01 =
//   generic (non-empty, first byte the DA layer's); any other type is invalid.
import { CommitmentError, DEFAULT_DA_BYTE, OP_TX_DATA_VERSION_1, decodeOpStackCommitment } from '../commitment/index.ts';
import { byteHex, decodeFailure } from './decode-failure.ts';
import type { FoundBatch } from './types.ts';

/** The fields of an L1 transaction the classification needs. */
export interface InboxTransaction {
  readonly blockNumber: bigint;
  readonly hash: `0x${string}`;
  readonly index: number;
  /** Sender as the L1 node reports it (recovered from the signature). */
  readonly from: string;
  /** viem's transaction type: `legacy`, `eip2930`, `eip1559`, `eip4844`, `eip7702`, … */
  readonly type: string;
  readonly input: Uint8Array;
  /** Number of blob versioned hashes (type 3). */
  readonly blobCount: number;
}

export interface OpStackInboxConfig {
  /** The batcher address (any case). */
  readonly batcher: string;
  /** @default 0x57 */
  readonly daByte?: number;
}

const DERIVATION_VERSION_0 = 0x00;
const KECCAK_TYPE = 0x00;
const GENERIC_TYPE = 0x01;

/** Classifies a transaction already known to be addressed to the batch inbox. Never throws. */
export function classifyOpStackTransaction(tx: InboxTransaction, config: OpStackInboxConfig): FoundBatch {
  const daByte = config.daByte ?? DEFAULT_DA_BYTE;
  const where = { chain: 'opstack', l1Block: tx.blockNumber, txHash: tx.hash, txIndex: tx.index } as const;
  const commitment = tx.input.length > 0 && tx.input[0] === OP_TX_DATA_VERSION_1 ? tx.input.subarray(1) : tx.input;
  const decided = (kind: FoundBatch['kind'], verdict: 'skipped' | 'foreign' | 'invalid', reason: string): FoundBatch => ({
    ...where,
    kind,
    commitment,
    check: { type: 'decided', verdict, reason },
  });

  if (tx.from.toLowerCase() !== config.batcher.toLowerCase()) {
    return decided('opstack-unauthorized', 'skipped', `sent by ${tx.from}, not the batcher ${config.batcher}: op-node ignores it`);
  }
  if (tx.type === 'eip4844' || tx.blobCount > 0) {
    return decided('opstack-blobs', 'skipped', `blob transaction with ${tx.blobCount} blobs: its frames are in the blobs, not behind an alt-DA commitment`);
  }
  const version = tx.input[0];
  if (version === undefined) return decided('opstack-calldata', 'skipped', 'empty calldata: op-node skips it');
  if (version === DERIVATION_VERSION_0) {
    return decided('opstack-calldata', 'skipped', `frames posted on L1 itself (derivation version 0x00, ${tx.input.length} bytes)`);
  }
  if (version !== OP_TX_DATA_VERSION_1) {
    return decided('opstack-calldata', 'foreign', `unknown derivation version ${byteHex(version)}: not an alt-DA commitment`);
  }

  const type = commitment[0];
  if (type === undefined) return decided('opstack-generic', 'invalid', 'alt-DA calldata without a commitment: op-node rejects it');
  if (type !== KECCAK_TYPE && type !== GENERIC_TYPE) {
    return decided('opstack-calldata', 'foreign', `unknown commitment type ${byteHex(type)}: op-node rejects it`);
  }
  const kind = type === KECCAK_TYPE ? 'opstack-keccak' : 'opstack-generic';
  const layer = commitment[1];
  if (type === GENERIC_TYPE && layer !== undefined && layer !== daByte) {
    return decided(kind, 'foreign', `generic commitment of DA layer ${byteHex(layer)}, not this deployment's ${byteHex(daByte)}`);
  }
  try {
    const decoded = decodeOpStackCommitment(commitment, { daByte });
    return decoded.kind === 'keccak'
      ? { ...where, kind, commitment, check: { type: 'keccak', keccak: decoded.keccak } }
      : { ...where, kind, commitment, check: { type: 'walrus', body: decoded.body } };
  } catch (error) {
    if (!(error instanceof CommitmentError)) throw error;
    return { ...where, kind, commitment, check: decodeFailure(error) };
  }
}
