// An embedded Walrus network: the composition of the ledger (our stand-in for Sui), n storage
// nodes, the daemon (publisher + aggregator) and the Sui JSON-RPC endpoint, with the controls
// tests need to break it on purpose. Each part is a real loopback HTTP server.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EncoderPool } from '../walrus/codec/index.ts';
import { silentLogger } from '../observability/logger.ts';
import { Daemon } from './daemon/daemon.ts';
import { openNetwork, type LocalNetwork } from './genesis.ts';
import { Ledger } from './ledger/ledger.ts';
import { resolveOptions, type ResolvedOptions, type WalrusLocalOptions } from './options.ts';
import { StorageNode, type NodeFault } from './storage-node/storage-node.ts';
import { SuiRpc } from './sui-rpc/sui-rpc.ts';

export interface CommitteeMemberInfo {
  readonly index: number;
  readonly url: string;
  /** BLS12-381 min-pk public key: 48-byte compressed G1 point, lowercase hex without 0x. */
  readonly publicKey: string;
  /** Shard ranges held, each [start, end) (end exclusive). */
  readonly shards: readonly (readonly [number, number])[];
}

export interface WalrusLocalInfo {
  readonly publisherUrl: string;
  readonly aggregatorUrl: string;
  readonly suiRpcUrl: string;
  readonly walrusPackageId: string;
  readonly systemObjectId: string;
  readonly stakingObjectId: string;
  readonly nShards: number;
  readonly epoch: number;
  readonly epochDurationMs: number;
  readonly maxEpochsAhead: number;
  readonly dataDir: string;
  readonly committee: readonly CommitteeMemberInfo[];
}

export interface WalrusLocal {
  /** Publisher and aggregator share the daemon's URL, as the real `walrus daemon` does. */
  readonly publisherUrl: string;
  readonly aggregatorUrl: string;
  readonly suiRpcUrl: string;
  readonly walrusPackageId: string;
  readonly systemObjectId: string;
  readonly stakingObjectId: string;
  readonly nShards: number;
  readonly committee: readonly CommitteeMemberInfo[];
  /** What `walrus-da walrus-local` prints: URLs, ids and the committee. */
  info(): WalrusLocalInfo;
  currentEpoch(): number;
  /** Moves the epoch clock forward by `count` epochs (persisted). */
  advanceEpochs(count: number): Promise<void>;
  /** Closes node i's server (clients get connection refused); its data stays. */
  stopNode(index: number): Promise<void>;
  /** Serves node i again on the same URL. */
  startNode(index: number): Promise<void>;
  /** Replaces node i's fault settings (no argument fields = healthy). */
  setNodeFault(index: number, fault: NodeFault): void;
  stopDaemon(): Promise<void>;
  startDaemon(): Promise<void>;
  stopSuiRpc(): Promise<void>;
  startSuiRpc(): Promise<void>;
  /** Stops everything, flushes state and releases the data directory. */
  close(): Promise<void>;
}

export type { NodeFault, WalrusLocalOptions };

const LOCK_FILE = 'walrus-local.lock';

/**
 * Starts (or resumes, from `options.dataDir`) a local Walrus network and resolves once every
 * server listens. Close it with `close()`; only one instance may use a data directory at a time.
 *
 * @example
 * const local = await startWalrusLocal({ dataDir: './.walrus-local', shards: 10 });
 * await fetch(`${local.publisherUrl}/v1/blobs?epochs=1&permanent=true`, { method: 'PUT', body });
 */
export async function startWalrusLocal(options: WalrusLocalOptions): Promise<WalrusLocal> {
  const resolved = resolveOptions(options);
  const dataDir = resolve(resolved.dataDir);
  await mkdir(dataDir, { recursive: true });
  await acquireLock(dataDir);
  const cleanups: (() => Promise<void>)[] = [() => rm(join(dataDir, LOCK_FILE), { force: true })];
  const runCleanups = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const logger = options.logger ?? silentLogger();
    const network = await openNetwork(dataDir, resolved.shards, resolved.nodes);
    const ledger = await Ledger.open(network, dataDir, { epochDurationMs: resolved.epochDurationMs, maxEpochsAhead: resolved.maxEpochsAhead });
    cleanups.push(() => ledger.close());
    const encoder = options.encoder ?? new EncoderPool();
    if (!options.encoder) cleanups.push(() => encoder.close());
    const port = (offset: number) => (resolved.port === 0 ? 0 : resolved.port + offset);
    const chain = {
      nShards: network.committee.nShards,
      currentEpoch: () => ledger.currentEpoch(),
      blobStatus: (id: string) => ledger.blobStatus(id),
      blobObject: (id: string) => ledger.blobObject(id),
    };
    const nodes = network.committee.members.map(
      (member) =>
        new StorageNode({
          member,
          secretKey: network.secretKeys[member.index] ?? new Uint8Array(),
          chain,
          dir: join(dataDir, 'nodes', String(member.index)),
          host: resolved.host,
          port: port(2 + member.index),
          logger: logger.child({ node: member.index }),
          encoder,
        }),
    );
    cleanups.push(async () => {
      await Promise.all(nodes.map((node) => node.close()));
    });
    await Promise.all(nodes.map((node) => node.start()));
    // Nodes keep their port across stop/start, so the addresses their StakingPools advertise hold.
    const nodeAddresses = nodes.map((node) => new URL(node.url).host);
    const suiRpc = new SuiRpc({ ledger, nodeAddresses, host: resolved.host, port: port(1), logger });
    cleanups.push(() => suiRpc.stop());
    await suiRpc.start();
    const daemon = new Daemon({
      ledger,
      committee: network.committee,
      nodeUrls: nodes.map((node) => node.url),
      encoder,
      host: resolved.host,
      port: port(0),
      maxBlobBodyBytes: resolved.maxBlobBodyBytes,
      confirmationTimeoutMs: resolved.confirmationTimeoutMs,
      aggregatorCacheBytes: resolved.aggregatorCacheBytes,
      publisherAddress: network.genesis.publisherAddress,
      logger,
    });
    cleanups.push(() => daemon.close());
    await daemon.start();
    const local = new RunningWalrusLocal({ resolved, dataDir, network, ledger, nodes, suiRpc, daemon, close: runCleanups });
    logger.info({ publisher: local.publisherUrl, sui: local.suiRpcUrl, shards: local.nShards, nodes: nodes.length, epoch: ledger.currentEpoch() }, 'walrus-local running');
    return local;
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

interface Parts {
  readonly resolved: ResolvedOptions;
  readonly dataDir: string;
  readonly network: LocalNetwork;
  readonly ledger: Ledger;
  readonly nodes: readonly StorageNode[];
  readonly suiRpc: SuiRpc;
  readonly daemon: Daemon;
  readonly close: () => Promise<void>;
}

class RunningWalrusLocal implements WalrusLocal {
  readonly publisherUrl: string;
  readonly aggregatorUrl: string;
  readonly suiRpcUrl: string;
  readonly walrusPackageId: string;
  readonly systemObjectId: string;
  readonly stakingObjectId: string;
  readonly nShards: number;
  readonly committee: readonly CommitteeMemberInfo[];
  readonly #parts: Parts;
  #closing: Promise<void> | undefined;

  constructor(parts: Parts) {
    this.#parts = parts;
    const { genesis, committee } = parts.network;
    this.publisherUrl = parts.daemon.url;
    this.aggregatorUrl = parts.daemon.url;
    this.suiRpcUrl = parts.suiRpc.url;
    this.walrusPackageId = genesis.packageId;
    this.systemObjectId = genesis.systemObjectId;
    this.stakingObjectId = genesis.stakingObjectId;
    this.nShards = committee.nShards;
    this.committee = committee.members.map((member) => ({
      index: member.index,
      url: parts.nodes[member.index]?.url ?? '',
      publicKey: Buffer.from(member.publicKey).toString('hex'),
      shards: [[member.shards.start, member.shards.end] as const],
    }));
  }

  info(): WalrusLocalInfo {
    return {
      publisherUrl: this.publisherUrl,
      aggregatorUrl: this.aggregatorUrl,
      suiRpcUrl: this.suiRpcUrl,
      walrusPackageId: this.walrusPackageId,
      systemObjectId: this.systemObjectId,
      stakingObjectId: this.stakingObjectId,
      nShards: this.nShards,
      epoch: this.currentEpoch(),
      epochDurationMs: this.#parts.resolved.epochDurationMs,
      maxEpochsAhead: this.#parts.resolved.maxEpochsAhead,
      dataDir: this.#parts.dataDir,
      committee: this.committee,
    };
  }

  currentEpoch(): number {
    return this.#parts.ledger.currentEpoch();
  }

  advanceEpochs(count: number): Promise<void> {
    return this.#parts.ledger.advanceEpochs(count);
  }

  stopNode(index: number): Promise<void> {
    return this.#node(index).stop();
  }

  startNode(index: number): Promise<void> {
    return this.#node(index).start();
  }

  setNodeFault(index: number, fault: NodeFault): void {
    this.#node(index).setFault(fault);
  }

  stopDaemon(): Promise<void> {
    return this.#parts.daemon.stop();
  }

  startDaemon(): Promise<void> {
    return this.#parts.daemon.start();
  }

  stopSuiRpc(): Promise<void> {
    return this.#parts.suiRpc.stop();
  }

  startSuiRpc(): Promise<void> {
    return this.#parts.suiRpc.start();
  }

  close(): Promise<void> {
    this.#closing ??= this.#parts.close();
    return this.#closing;
  }

  #node(index: number): StorageNode {
    const node = this.#parts.nodes[index];
    if (!node) throw new RangeError(`walrus-local has nodes 0..${this.#parts.nodes.length - 1}, not ${index}`);
    return node;
  }
}

/** One walrus-local per data directory: a second one would corrupt the first one's state. */
async function acquireLock(dataDir: string): Promise<void> {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(`${dataDir} is in use by another walrus-local (pid ${pid}); stop it or use another data directory`, { cause: error });
      }
      if (pid === process.pid) throw new Error(`${dataDir} is already used by a walrus-local in this process; close it first`, { cause: error });
      await rm(path, { force: true }); // stale lock of a process that is gone
    }
  }
  throw new Error(`cannot lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
