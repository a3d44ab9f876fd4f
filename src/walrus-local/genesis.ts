// What a walrus-local network is made of, fixed when its data directory is first created and
// read back on every restart: the shard count, the nodes, the Sui ids of the Walrus package and
// its shared objects, and each node's BLS key (a 0600 file, like a real node's protocol key).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BLS_SECRET_KEY_LENGTH, generateSecretKey, publicKeyOf } from './bls.ts';
import { Committee, splitShards, type CommitteeMember } from './committee.ts';
import { deriveAddress, randomSeed } from './ids.ts';
import { readJsonFile, writeFileAtomic } from './state-file.ts';

const GENESIS_FILE = 'genesis.json';
const GENESIS_VERSION = 1;

export interface Genesis {
  readonly version: number;
  readonly nShards: number;
  readonly nodes: number;
  /** Hex seed every local id derives from. */
  readonly seed: string;
  readonly packageId: string;
  readonly systemObjectId: string;
  readonly stakingObjectId: string;
  /** The publisher's Sui address: the owner and sender of everything it stores. */
  readonly publisherAddress: string;
  /** Each node's id on Sui (its staking pool id), by committee index. */
  readonly nodeIds: readonly string[];
  readonly createdAtMs: number;
}

export interface LocalNetwork {
  readonly genesis: Genesis;
  readonly seed: Uint8Array;
  readonly committee: Committee;
  /** BLS secret keys by committee index (never leave the process except in their key files). */
  readonly secretKeys: readonly Uint8Array[];
}

/** Loads the network of `dataDir`, or creates it with `nShards` shards over `nodes` nodes. */
export async function openNetwork(dataDir: string, nShards: number, nodes: number): Promise<LocalNetwork> {
  const path = join(dataDir, GENESIS_FILE);
  let genesis = await readJsonFile<Genesis>(path);
  if (!genesis) {
    genesis = createGenesis(nShards, nodes);
    await writeFileAtomic(path, `${JSON.stringify(genesis, null, 2)}\n`);
  } else if (genesis.version !== GENESIS_VERSION) {
    throw new Error(`${path} has version ${genesis.version}; this walrus-local reads version ${GENESIS_VERSION}`);
  } else if (genesis.nShards !== nShards || genesis.nodes !== nodes) {
    throw new Error(
      `the data directory ${dataDir} holds a network of ${genesis.nShards} shards on ${genesis.nodes} nodes, ` +
        `not ${nShards} shards on ${nodes} nodes: pass the same sizes, or use another data directory`,
    );
  }
  const seed = Uint8Array.from(Buffer.from(genesis.seed, 'hex'));
  const secretKeys = await Promise.all(genesis.nodeIds.map((_, i) => loadOrCreateKey(join(dataDir, 'nodes', String(i), 'protocol.key'))));
  const ranges = splitShards(genesis.nShards, genesis.nodes);
  const members: CommitteeMember[] = ranges.map((shards, index) => ({
    index,
    nodeId: genesis.nodeIds[index] ?? '',
    publicKey: publicKeyOf(secretKeys[index] ?? new Uint8Array()),
    shards,
  }));
  return { genesis, seed, committee: new Committee(genesis.nShards, members), secretKeys };
}

function createGenesis(nShards: number, nodes: number): Genesis {
  splitShards(nShards, nodes); // validates the sizes before anything is written
  const seed = randomSeed();
  return {
    version: GENESIS_VERSION,
    nShards,
    nodes,
    seed: Buffer.from(seed).toString('hex'),
    packageId: deriveAddress(seed, 'package'),
    systemObjectId: deriveAddress(seed, 'system'),
    stakingObjectId: deriveAddress(seed, 'staking'),
    publisherAddress: deriveAddress(seed, 'publisher'),
    nodeIds: Array.from({ length: nodes }, (_, i) => deriveAddress(seed, 'node', i)),
    createdAtMs: Date.now(),
  };
}

async function loadOrCreateKey(path: string): Promise<Uint8Array> {
  let text: string | undefined;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text === undefined) {
    const key = generateSecretKey();
    await writeFileAtomic(path, `${Buffer.from(key).toString('hex')}\n`, 0o600);
    return key;
  }
  if (!new RegExp(`^[0-9a-f]{${2 * BLS_SECRET_KEY_LENGTH}}$`).test(text)) {
    throw new Error(`${path} does not hold a ${BLS_SECRET_KEY_LENGTH}-byte hex BLS secret key`);
  }
  return Uint8Array.from(Buffer.from(text, 'hex'));
}
