// Options of an embedded walrus-local, with their defaults and validation.
import { MAX_SHARDS, MIN_SHARDS, type EncoderPool } from '../walrus/codec/index.ts';
import type { Logger } from '../observability/logger.ts';

/** `MAX_MAX_EPOCHS_AHEAD` of contracts/walrus/sources/system/system_state_inner.move. */
export const MAX_MAX_EPOCHS_AHEAD = 1000;

export interface WalrusLocalOptions {
  /** Directory holding all state (genesis, keys, ledger, slivers); created if missing. */
  readonly dataDir: string;
  /** Storage nodes. @default 4 */
  readonly nodes?: number;
  /** Shards, split into contiguous ranges over the nodes. @default 1000 (like mainnet and testnet) */
  readonly shards?: number;
  /** Interface every server binds to. @default '127.0.0.1' */
  readonly host?: string;
  /**
   * Port of the daemon (publisher + aggregator); the Sui RPC gets port + 1 and node i port + 2 + i.
   * 0 picks free ports for everything. @default 0
   */
  readonly port?: number;
  /** Length of a Walrus epoch. @default 86_400_000 (one day, like testnet) */
  readonly epochDurationMs?: number;
  /** Largest `epochs` a store may ask for. @default 53 */
  readonly maxEpochsAhead?: number;
  /**
   * Largest `PUT /v1/blobs` body. A public publisher allows 10 MiB; our batches go up to 32 MiB.
   * @default 134_217_728 (128 MiB)
   */
  readonly maxBlobBodyBytes?: number;
  /** How long a store waits for a quorum of confirmations before answering 504. @default 60_000 */
  readonly confirmationTimeoutMs?: number;
  /**
   * Memory the aggregator keeps verified blobs in, so later reads of a quilt skip the encode that
   * verifies it; 0 reads from the nodes every time (fault tests). @default 268_435_456 (256 MiB)
   */
  readonly aggregatorCacheBytes?: number;
  /**
   * Makes the publisher an authenticated one: every store needs `Authorization: Bearer <JWT>`
   * signed (HS256) with these bytes, like `walrus publisher --jwt-decode-secret`. @default none
   */
  readonly publisherJwtSecret?: Uint8Array;
  /** Wasm encoder pool to share (not closed by walrus-local); one is created when absent. */
  readonly encoder?: EncoderPool;
  /** @default a silent logger */
  readonly logger?: Logger;
}

export interface ResolvedOptions {
  readonly dataDir: string;
  readonly nodes: number;
  readonly shards: number;
  readonly host: string;
  readonly port: number;
  readonly epochDurationMs: number;
  readonly maxEpochsAhead: number;
  readonly maxBlobBodyBytes: number;
  readonly confirmationTimeoutMs: number;
  readonly aggregatorCacheBytes: number;
}

export function resolveOptions(options: WalrusLocalOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    dataDir: options.dataDir,
    nodes: options.nodes ?? 4,
    shards: options.shards ?? 1000,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    epochDurationMs: options.epochDurationMs ?? 86_400_000,
    maxEpochsAhead: options.maxEpochsAhead ?? 53,
    maxBlobBodyBytes: options.maxBlobBodyBytes ?? 128 * 1024 * 1024,
    confirmationTimeoutMs: options.confirmationTimeoutMs ?? 60_000,
    aggregatorCacheBytes: options.aggregatorCacheBytes ?? 256 * 1024 * 1024,
  };
  if (typeof resolved.dataDir !== 'string' || resolved.dataDir.length === 0) throw new RangeError('walrus-local needs a data directory');
  integer('shards', resolved.shards, MIN_SHARDS, MAX_SHARDS);
  integer('nodes', resolved.nodes, 1, resolved.shards);
  integer('port', resolved.port, 0, 65_535 - 2 - resolved.nodes);
  integer('epochDurationMs', resolved.epochDurationMs, 1, Number.MAX_SAFE_INTEGER);
  integer('maxEpochsAhead', resolved.maxEpochsAhead, 1, MAX_MAX_EPOCHS_AHEAD);
  integer('maxBlobBodyBytes', resolved.maxBlobBodyBytes, 1, Number.MAX_SAFE_INTEGER);
  integer('confirmationTimeoutMs', resolved.confirmationTimeoutMs, 1, 2_147_483_647);
  integer('aggregatorCacheBytes', resolved.aggregatorCacheBytes, 0, Number.MAX_SAFE_INTEGER);
  return resolved;
}

function integer(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`walrus-local option ${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}
