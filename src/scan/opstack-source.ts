// OP Stack batches on L1: the batch inbox is an address without code, so there is no log to
// filter; every block in the range is read with its transactions and those sent to the inbox are
// classified (opstack-inbox.ts).
import { hexToBytes } from '../bytes/index.ts';
import type { PublicClient } from 'viem';
import { mapWithLimit } from './map-limit.ts';
import { classifyOpStackTransaction, type OpStackInboxConfig } from './opstack-inbox.ts';
import type { BatchSource } from './scanner.ts';
import type { FoundBatch } from './types.ts';

export interface OpStackSourceOptions extends OpStackInboxConfig {
  readonly client: PublicClient;
  /** The batch inbox address. */
  readonly inbox: string;
  /** Blocks requested at once. @default 8 */
  readonly blockConcurrency?: number;
}

export class OpStackSource implements BatchSource {
  readonly #o: OpStackSourceOptions;

  constructor(options: OpStackSourceOptions) {
    this.#o = options;
  }

  async batches(from: bigint, to: bigint): Promise<readonly FoundBatch[]> {
    const numbers: bigint[] = [];
    for (let n = from; n <= to; n++) numbers.push(n);
    const inbox = this.#o.inbox.toLowerCase();
    const perBlock = await mapWithLimit(numbers, this.#o.blockConcurrency ?? 8, async (blockNumber) => {
      const block = await this.#o.client.getBlock({ blockNumber, includeTransactions: true });
      return block.transactions
        .filter((tx) => tx.to?.toLowerCase() === inbox)
        .map((tx) =>
          classifyOpStackTransaction(
            {
              blockNumber,
              hash: tx.hash,
              index: tx.transactionIndex ?? 0,
              from: tx.from,
              type: tx.type,
              input: hexToBytes(tx.input),
              blobCount: tx.blobVersionedHashes?.length ?? 0,
            },
            this.#o,
          ),
        );
    });
    return perBlock.flat();
  }
}
