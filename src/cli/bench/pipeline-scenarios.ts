// The scenarios of `npm run bench` (pipeline), at the settings real batchers use. Upstream
// op-batcher sends one DA request at a time (`--altda.max-concurrent-da-requests` defaults to 1;
// more reorders commitments on L1 since Holocene) and Nitro stores one batch at a time, so the
// load that matters is one request at a time per chain — a rollup-as-a-service deployment serves
// many such chains. Every scenario runs against the same embedded walrus-local settings, in one
// invocation, so the ratios between them are comparable on a noisy machine.

export interface Scenario {
  /** Short id, used by --scenarios. */
  readonly id: string;
  readonly label: string;
  /** Chains, each with `clientsPerChain` clients sending one request at a time. */
  readonly chains: number;
  readonly clientsPerChain: number;
  readonly frameBytes: number;
  /** `--batch-max-frames`; 1 stores one frame per Walrus blob (the baseline). */
  readonly batchMaxFrames: number;
  /** `--batch-linger-ms`. */
  readonly lingerMs: number;
  /** Declare the chains in a chains file and send Basic credentials, as op-batcher would. */
  readonly withChainsFile: boolean;
}

const OP_BATCHER_FRAME = 120_000; // op-batcher's default --max-l1-tx-size-bytes frame
const OP_NODE_MAX_FRAME = 1_000_000; // op-node's MaxFrameLen

export function scenarios(options: { readonly concurrency: number }): readonly Scenario[] {
  const base = { clientsPerChain: 1, frameBytes: OP_BATCHER_FRAME, batchMaxFrames: 600, lingerMs: 0, withChainsFile: false };
  return [
    { ...base, id: 'a', label: 'one chain, one request at a time, 120,000-byte frames (upstream op-batcher defaults)', chains: 1 },
    { ...base, id: 'a-linger', label: 'as (a) with --batch-linger-ms 1000 (the fixed wait group commit removes)', chains: 1, lingerMs: 1000 },
    { ...base, id: 'b', label: 'one chain, one request at a time, 1,000,000-byte frames (op-node MaxFrameLen)', chains: 1, frameBytes: OP_NODE_MAX_FRAME },
    { ...base, id: 'c8', label: '8 chains, each one request at a time (chains file, Basic auth)', chains: 8, withChainsFile: true },
    { ...base, id: 'c32', label: '32 chains, each one request at a time (chains file, Basic auth)', chains: 32, withChainsFile: true },
    { ...base, id: 'd', label: 'one frame per Walrus blob (baseline), one request at a time', chains: 1, batchMaxFrames: 1 },
    { ...base, id: 'concurrent', label: `${options.concurrency} concurrent clients of one chain (only for batchers that keep commitments in order)`, chains: 1, clientsPerChain: options.concurrency },
  ];
}

/** The comparisons the README quotes, from the scenarios that ran. */
export function comparisons(results: ReadonlyMap<string, ScenarioSummary>): Record<string, unknown> {
  const a = results.get('a');
  const linger = results.get('a-linger');
  const c32 = results.get('c32');
  const d = results.get('d');
  const ratio = (x: number | null | undefined, y: number | null | undefined, digits = 3) => (x === null || x === undefined || y === null || y === undefined || y === 0 ? null : Number((x / y).toFixed(digits)));
  return {
    loneFramePutP50OverMaxOfBlobIdAndStoreMs: a?.breakdown ? a.breakdown.overheadOverMaxOfBlobIdAndStoreP50Ms : null,
    lingerMinusGroupCommitPutP50Ms: a && linger && a.putLatencyMs.p50 !== null && linger.putLatencyMs.p50 !== null ? Number((linger.putLatencyMs.p50 - a.putLatencyMs.p50).toFixed(1)) : null,
    c32FramesPerQuilt: c32?.framesPerQuilt ?? null,
    c32EncodedRatioOverBaseline: ratio(c32?.encodedBytesPerPayloadByte, d?.encodedBytesPerPayloadByte),
    note: 'c32EncodedRatioOverBaseline = encoded bytes per payload byte of (c32) ÷ that of (d); lower is cheaper',
  };
}

export interface Breakdown {
  /** Lone frames only (quilts of one frame), medians in ms. */
  readonly frames: number;
  /** From the put's arrival until its quilt job existed: queueing, accumulator, hand-off. */
  readonly sealMs: number | null;
  /** Quilt job waiting for a quilt worker. */
  readonly pickupMs: number | null;
  readonly readMs: number | null;
  readonly buildMs: number | null;
  /** Runs concurrently with storeMs. */
  readonly blobIdMs: number | null;
  readonly storeMs: number | null;
  readonly certifyMs: number | null;
  readonly commitMs: number | null;
  /** From the commitments being recorded until the client had its answer. */
  readonly answerMs: number | null;
  readonly putP50Ms: number | null;
  /** put p50 − p50 of max(blobIdMs, storeMs): what is not the two unavoidable encodes. */
  readonly overheadOverMaxOfBlobIdAndStoreP50Ms: number | null;
}

export interface ScenarioSummary {
  readonly id: string;
  readonly scenario: string;
  readonly chains: number;
  readonly clients: number;
  readonly frameBytes: number;
  readonly lingerMs: number;
  readonly frames: number;
  readonly failedPuts: number;
  /** Failed puts by reason (HTTP status, or the client's error: timeout, reset, …). */
  readonly failedPutReasons: Readonly<Record<string, number>>;
  readonly quilts: number;
  readonly framesPerQuilt: number;
  /** How many quilts held 1, 2, 3 and 4+ frames. */
  readonly quiltSizes: { readonly '1': number; readonly '2': number; readonly '3': number; readonly '4+': number };
  readonly throughput: { readonly megabytesPerSecond: number; readonly framesPerSecond: number; readonly elapsedS: number };
  /** CPU time of the whole process (server, walrus-local, encoder threads, clients) per wall second. */
  readonly coresUsed: number;
  readonly putLatencyMs: { readonly p50: number | null; readonly p99: number | null; readonly max: number | null };
  readonly getLatencyMs: unknown;
  readonly encodedBytesPerPayloadByte: number;
  readonly suiTransactionsPerMegabyte: number;
  readonly breakdown?: Breakdown;
}
