// Whether this deployment can write and whether it can read, judged from its dependency probes
// and (when known) which storage nodes answer (docs/operations.md "Health and readiness"). A put
// needs the publisher and a write quorum of shards, a get needs an aggregator or a validity quorum
// of shards; the two are reported apart because losing a write quorum leaves reads working and
// must not hide behind a green "ok". Shapes are structural: this module may not import the core.

/** One dependency probe's result (the core's DependencyHealth). */
export interface DependencyState {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** A storage node of the current committee and whether it answered its health check. */
export interface NodeShards {
  /** The node's name or host, for the report (never a URL with credentials). */
  readonly node: string;
  readonly shards: number;
  readonly up: boolean;
}

/** The committee as its nodes answered, one check per node. */
export interface CommitteeHealth {
  readonly nShards: number;
  readonly nodes: readonly NodeShards[];
}

/** Checks every storage node of the current committee (`GET /v1/health` on each). */
export interface StorageNodeHealth {
  check(options?: { readonly signal?: AbortSignal }): Promise<CommitteeHealth>;
}

export interface Capability {
  readonly ok: boolean;
  /** Why not, or what it rests on. */
  readonly detail: string;
}

export interface CapabilityReport {
  readonly writes: Capability;
  readonly reads: Capability;
  /** Shards held by nodes that answered, out of nShards; absent without a node check. */
  readonly shards?: { readonly up: number; readonly total: number; readonly writeQuorum: number; readonly validityQuorum: number };
}

/**
 * Walrus's Byzantine bounds over n shards (walrus crates/walrus-core/src/bft.rs `max_n_faulty`,
 * `min_n_correct`): f = ⌊(n − 1) / 3⌋, a write needs n − f shards (2f + 1 when n = 3f + 1) to
 * certify, a read needs f + 1 (at least one correct shard among them).
 */
export function shardQuorums(nShards: number): { readonly writeQuorum: number; readonly validityQuorum: number } {
  const f = Math.floor((nShards - 1) / 3);
  return { writeQuorum: nShards - f, validityQuorum: f + 1 };
}

/** Dependency names as the probes report them (aggregators after the first are `aggregator-<i>`). */
const isAggregator = (name: string) => name === 'aggregator' || name.startsWith('aggregator-');

export function assessCapability(dependencies: readonly DependencyState[], committee: CommitteeHealth | undefined): CapabilityReport {
  const byName = (name: string) => dependencies.find((d) => d.name === name);
  // A dependency that was not probed (the probes timed out as a whole) counts as down: unknown is
  // not capable. Redis holds the queue and every commitment; Sui certifies every batch.
  const failing = (names: readonly string[]) =>
    names.flatMap((name) => {
      const found = byName(name);
      return found === undefined ? [`${name} was not probed`] : found.ok ? [] : [`${name} is down`];
    });
  const aggregators = dependencies.filter((d) => isAggregator(d.name));
  const aggregatorUp = aggregators.some((d) => d.ok);

  let shards: CapabilityReport['shards'];
  if (committee !== undefined && committee.nShards > 0) {
    const up = committee.nodes.filter((n) => n.up).reduce((sum, n) => sum + n.shards, 0);
    shards = { up, total: committee.nShards, ...shardQuorums(committee.nShards) };
  }

  const writeReasons = failing(['redis', 'publisher', 'sui']);
  if (shards && shards.up < shards.writeQuorum) writeReasons.push(`storage nodes holding ${shards.up} of ${shards.total} shards answer; a write needs ${shards.writeQuorum}`);
  const readReasons = failing(['redis']);
  const shardsReadable = shards !== undefined && shards.up >= shards.validityQuorum;
  if (!aggregatorUp && !shardsReadable) {
    readReasons.push(
      aggregators.length === 0 ? 'no aggregator is configured' : 'no aggregator answers' + (shards ? ` and storage nodes hold ${shards.up} of ${shards.total} shards; a read needs ${shards.validityQuorum}` : ''),
    );
  }
  const quorumNote = shards ? `, storage nodes hold ${shards.up} of ${shards.total} shards` : '';
  return {
    writes: writeReasons.length === 0 ? { ok: true, detail: `publisher and Sui answer${quorumNote}` } : { ok: false, detail: writeReasons.join('; ') },
    reads: readReasons.length === 0 ? { ok: true, detail: aggregatorUp ? `an aggregator answers${quorumNote}` : `no aggregator answers, but storage nodes hold ${shards?.up} of ${shards?.total} shards` } : { ok: false, detail: readReasons.join('; ') },
    ...(shards ? { shards } : {}),
  };
}
