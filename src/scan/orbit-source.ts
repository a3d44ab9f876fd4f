// Orbit batches on L1: SequencerBatchDelivered logs of the SequencerInbox, then each batch's data
// where the log says it is (orbit-inbox.ts cites Nitro's reader): the emitting transaction's
// calldata (TxInput) or the SequencerBatchData log of the same batch in that block.
import { getAbiItem, type Hex, type PublicClient } from 'viem';
import { mapWithLimit } from './map-limit.ts';
import { SEQUENCER_INBOX_ABI } from './orbit-abi.ts';
import {
  OrbitDecodeError,
  batchDataFromCalldata,
  classifyOrbitBatch,
  decodeBatchDataLog,
  decodeBatchDelivered,
  type BatchDelivered,
  type OrbitBatchPosition,
} from './orbit-inbox.ts';
import type { BatchSource } from './scanner.ts';
import type { FoundBatch } from './types.ts';

const BATCH_DELIVERED = getAbiItem({ abi: SEQUENCER_INBOX_ABI, name: 'SequencerBatchDelivered' });
const BATCH_DATA = getAbiItem({ abi: SEQUENCER_INBOX_ABI, name: 'SequencerBatchData' });

export interface OrbitSourceOptions {
  readonly client: PublicClient;
  /** The SequencerInbox address. */
  readonly inbox: `0x${string}`;
  /** @default 0x57 */
  readonly daByte?: number;
  /** Transactions / logs requested at once. @default 8 */
  readonly requestConcurrency?: number;
}

interface DeliveredLog {
  readonly position: OrbitBatchPosition;
  readonly blockHash: Hex;
  readonly topics: readonly Hex[];
  readonly data: Hex;
}

export class OrbitSource implements BatchSource {
  readonly #o: OrbitSourceOptions;

  constructor(options: OrbitSourceOptions) {
    this.#o = options;
  }

  async batches(from: bigint, to: bigint): Promise<readonly FoundBatch[]> {
    const logs = await this.#o.client.getLogs({ address: this.#o.inbox, event: BATCH_DELIVERED, fromBlock: from, toBlock: to });
    const delivered: DeliveredLog[] = [];
    for (const log of logs) {
      // Pending logs have no position; a range of mined blocks never returns them.
      if (log.blockNumber === null || log.transactionHash === null || log.transactionIndex === null || log.logIndex === null || log.blockHash === null) continue;
      delivered.push({
        position: { l1Block: log.blockNumber, txHash: log.transactionHash, txIndex: log.transactionIndex, logIndex: log.logIndex },
        blockHash: log.blockHash,
        topics: log.topics,
        data: log.data,
      });
    }
    return mapWithLimit(delivered, this.#o.requestConcurrency ?? 8, (log) => this.#batch(log));
  }

  async #batch(log: DeliveredLog): Promise<FoundBatch> {
    const options = this.#o.daByte === undefined ? {} : { daByte: this.#o.daByte };
    let batch: BatchDelivered;
    try {
      batch = decodeBatchDelivered(log);
    } catch (error) {
      if (!(error instanceof OrbitDecodeError)) throw error;
      return { chain: 'orbit', ...log.position, kind: 'orbit-other', commitment: new Uint8Array(), check: { type: 'decided', verdict: 'invalid', reason: error.message } };
    }
    let found: { method: string; data: Uint8Array | undefined };
    try {
      found = await this.#data(log, batch);
    } catch (error) {
      if (!(error instanceof OrbitDecodeError)) throw error;
      const position = { chain: 'orbit', ...log.position, batchNumber: batch.batchNumber, kind: 'orbit-other', commitment: new Uint8Array() } as const;
      return { ...position, check: { type: 'decided', verdict: 'invalid', reason: `cannot read the batch data: ${error.message}` } };
    }
    return classifyOrbitBatch(log.position, batch, found, options);
  }

  async #data(log: DeliveredLog, batch: BatchDelivered): Promise<{ method: string; data: Uint8Array | undefined }> {
    switch (batch.dataLocation) {
      case 'TxInput': {
        const tx = await this.#o.client.getTransaction({ hash: log.position.txHash });
        return batchDataFromCalldata(tx.input);
      }
      case 'SeparateBatchEvent': {
        const logs = await this.#o.client.getLogs({ address: this.#o.inbox, event: BATCH_DATA, args: { batchSequenceNumber: batch.batchNumber }, blockHash: log.blockHash });
        if (logs.length !== 1) throw new OrbitDecodeError(`expected one SequencerBatchData log for batch ${batch.batchNumber} in block ${log.position.l1Block}, found ${logs.length}`);
        const [dataLog] = logs as [(typeof logs)[number]];
        return { method: 'SequencerBatchData', data: decodeBatchDataLog(dataLog).data };
      }
      case 'NoData':
        return { method: 'none', data: undefined };
      case 'Blob':
        return { method: 'blobs', data: undefined };
    }
  }
}
