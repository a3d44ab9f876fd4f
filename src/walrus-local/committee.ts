// The storage committee: which node holds which shards, and the weight arithmetic Walrus uses
// everywhere (walrus contracts/walrus/sources/system/bls_aggregate.move, crates/walrus-core/src/bft.rs).
// Weight is the number of shards a node holds, never the node count:
//   quorum             3·w ≥ 2·n_shards + 1      (certificates)
//   validity           3·w ≥ n_shards + 1        (at least one honest node, e.g. a status report)
export interface ShardRange {
  /** First shard (inclusive). */
  readonly start: number;
  /** One past the last shard. */
  readonly end: number;
}

export interface CommitteeMember {
  /** Position in the committee; the bit index in a signers bitmap. */
  readonly index: number;
  /** The node's id on Sui (its staking pool id). */
  readonly nodeId: string;
  /** BLS12-381 min-pk public key, 48 bytes compressed G1. */
  readonly publicKey: Uint8Array;
  readonly shards: ShardRange;
}

/** Splits n shards into contiguous ranges as evenly as possible; earlier nodes take the remainder. */
export function splitShards(nShards: number, nodes: number): ShardRange[] {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > nShards) {
    throw new RangeError(`node count must be an integer in [1, ${nShards}] (every node needs a shard), got ${nodes}`);
  }
  const base = Math.floor(nShards / nodes);
  const extra = nShards % nodes;
  const ranges: ShardRange[] = [];
  let start = 0;
  for (let i = 0; i < nodes; i++) {
    const end = start + base + (i < extra ? 1 : 0);
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}

export function isQuorum(weight: number, nShards: number): boolean {
  return 3 * weight >= 2 * nShards + 1;
}

export function isAboveValidity(weight: number, nShards: number): boolean {
  return 3 * weight >= nShards + 1;
}

export class Committee {
  readonly nShards: number;
  readonly members: readonly CommitteeMember[];
  readonly #ownerOfShard: Uint16Array;

  constructor(nShards: number, members: readonly CommitteeMember[]) {
    this.nShards = nShards;
    this.members = members;
    this.#ownerOfShard = new Uint16Array(nShards);
    let covered = 0;
    for (const member of members) {
      for (let shard = member.shards.start; shard < member.shards.end; shard++) this.#ownerOfShard[shard] = member.index;
      covered += member.shards.end - member.shards.start;
    }
    if (covered !== nShards) throw new RangeError(`committee shard ranges cover ${covered} shards, expected ${nShards}`);
  }

  ownerOfShard(shard: number): CommitteeMember {
    const member = this.members[this.#ownerOfShard[shard] ?? -1];
    if (!member) throw new RangeError(`shard ${shard} is outside [0, ${this.nShards})`);
    return member;
  }

  weightOf(index: number): number {
    const member = this.members[index];
    return member ? member.shards.end - member.shards.start : 0;
  }

  weightOfAll(indices: Iterable<number>): number {
    let weight = 0;
    for (const index of new Set(indices)) weight += this.weightOf(index);
    return weight;
  }

  /** Signers bitmap as `certify_blob` takes it: bit b of byte i (LSB first) = member 8i + b signed. */
  signersToBitmap(indices: Iterable<number>): Uint8Array {
    const bitmap = new Uint8Array(Math.ceil(this.members.length / 8));
    for (const index of indices) {
      if (!Number.isInteger(index) || index < 0 || index >= this.members.length) throw new RangeError(`no committee member ${index}`);
      bitmap[index >> 3] = (bitmap[index >> 3] ?? 0) | (1 << (index & 7));
    }
    return bitmap;
  }
}
