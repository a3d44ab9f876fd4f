// Every setting of `walrus-da serve` in one table: its flag, its WALRUS_DA_* environment twin, its
// type and default, and the line of help it prints. The zod schema, the CLI flags and the README's
// table are all generated from it, so they cannot drift apart.
import { z } from 'zod';

const MiB = 1024 * 1024;
const DAY_MS = 86_400_000;

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const port = int(0, 65_535);
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v))]);
const url = z.url();
const urlList = z.union([z.array(url), z.string().transform((s) => s.split(',').map((u) => u.trim()).filter(Boolean))]).pipe(z.array(url));
const byte = z.union([z.number(), z.string().transform((s) => Number(s))]).pipe(z.number().int().min(0).max(255));

export interface OptionSpec {
  readonly schema: z.ZodType;
  readonly help: string;
  /** Shown in help and docs; the schema holds the real default. */
  readonly default?: string;
  /** A secret: redacted wherever the config is logged. */
  readonly secret?: boolean;
}

export const SERVE_OPTIONS = {
  host: { schema: z.string().min(1).default('127.0.0.1'), default: '127.0.0.1', help: 'address every front door binds to' },
  allowUnauthenticatedWrites: { schema: bool.default(false), default: 'false', help: 'let --host be a non-loopback address although a door takes writes without credentials (no --chains-file; Orbit without a JWT)' },
  httpPort: { schema: port.default(3100), default: '3100', help: 'OP Stack Alt-DA HTTP port (also /health and /metrics)' },
  grpcPort: { schema: port.default(3101), default: '3101', help: 'gRPC port (walrusda.v1, da.DAService, health, reflection)' },
  orbitPort: { schema: port.default(3102), default: '3102', help: 'Arbitrum Orbit (Nitro custom DA) JSON-RPC port' },
  grpc: { schema: bool.default(true), default: 'true', help: 'serve gRPC' },
  orbit: { schema: bool.default(true), default: 'true', help: 'serve the Orbit JSON-RPC door' },
  dataDir: { schema: z.string().min(1).default('./.walrus-da'), default: './.walrus-da', help: 'state directory (walrus-local keeps its blobs under it)' },
  redisUrl: { schema: url.default('redis://127.0.0.1:6379'), default: 'redis://127.0.0.1:6379', help: 'Redis (≥ 6.2, maxmemory-policy noeviction)', secret: true },
  redisPrefix: { schema: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/).default('walrus-da'), default: 'walrus-da', help: 'key prefix, so several deployments can share one Redis' },
  workers: { schema: bool.default(true), default: 'true', help: 'run batch workers on this replica (false: serve only)' },
  batchLingerMs: { schema: int(0, 600_000).default(0), default: '0', help: 'group commit: once a store slot is free, wait this long for companions before sealing (0: seal at once, lowest latency)' },
  batchMaxWaitMs: { schema: int(0, 600_000).default(1000), default: '1000', help: 'upper bound: seal a batch this long after its first frame even while every store slot is busy' },
  batchMaxBytes: { schema: int(1, 1024 * MiB).default(32 * MiB), default: '33554432', help: 'flush a batch before its frames exceed this many bytes' },
  batchMaxFrames: { schema: int(1, 65_534).default(600), default: '600', help: 'flush a batch at this many frames (capped at the quilt limit, 666 at 1000 shards)' },
  batchMaxInFlight: { schema: int(1, 64).default(2), default: '2', help: 'store slots: batches stored concurrently; group commit seals the next batch when one is free' },
  putTimeoutMs: { schema: int(1).default(120_000), default: '120000', help: 'a put not certified by then fails (503 / fallback); the frame stays queued' },
  // op-node (--altda.get-timeout) and Nitro (…external-provider.rpc.timeout) wait forever by
  // default, so the bound is ours; docs/verdicts.md "Read deadline" says why 30 s.
  readTimeoutMs: { schema: int(1).default(30_000), default: '30000', help: 'a get not answered by then fails retryably (503 / retry / UNAVAILABLE-class); the client reads again' },
  maxFrameBytes: { schema: int(1, 1024 * MiB).default(16 * MiB), default: '16777216', help: 'largest frame accepted (HTTP body limit of the OP Stack door)' },
  chainsFile: { schema: z.string().min(1).optional(), help: 'chains served (JSON or YAML: names, secrets, limits); unset: one implicit chain, no auth', secret: true },
  chainsAuthReads: { schema: bool.default(false), default: 'false', help: 'with --chains-file: reads need chain credentials too (default: reads are open)' },
  maxQueuedBytes: { schema: int(1).default(1024 * MiB), default: '1073741824', help: 'shed puts (429 / fallback / RESOURCE_EXHAUSTED) while this replica has this many bytes accepted and not yet committed' },
  cacheTtlSeconds: { schema: int(0).default(3600), default: '3600', help: 'keep committed frames in Redis this long for fast reads (0: no cache)' },
  availabilityWindowDays: { schema: z.coerce.number().positive().default(30), default: '30', help: 'quilts stay stored on Walrus at least this many days' },
  retentionMarginDays: { schema: z.coerce.number().min(0).default(1), default: '1', help: 'commitments, batch records and go-da heights expire from Redis this many days after the availability window' },
  allowEvictingRedis: { schema: bool.default(false), default: 'false', help: 'start even if Redis maxmemory-policy is not noeviction (an evicting Redis loses queued frames and jobs)' },
  orphanSweepMs: { schema: int(100, 3_600_000).default(30_000), default: '30000', help: 'how often (and after how long) a replica with workers batches frames a crash left without a job' },
  verifyOnRead: { schema: bool.default(false), default: 'false', help: 'check the quilt on Sui before serving a frame not in the cache' },
  daByte: { schema: byte.default(0x57), default: '0x57', help: 'DA-layer byte (OP Stack) / provider byte (Orbit) after 0x01' },
  publisherUrl: { schema: url.optional(), help: 'Walrus publisher; unset: run an embedded walrus-local' },
  aggregatorUrl: { schema: urlList.optional(), help: 'Walrus aggregators, comma-separated, tried in order' },
  suiRpcUrl: { schema: url.optional(), help: 'Sui full node (with --publisher-url)' },
  publisherJwtSecretFile: { schema: z.string().min(1).optional(), help: "authenticated publisher: file with its --jwt-decode-secret (0x-hex or raw text); each store sends a fresh HS256 JWT (jti, exp, epochs, max_size). Without --publisher-url the embedded walrus-local requires it", secret: true },
  publisherTokenFile: { schema: z.string().min(1).optional(), help: 'authenticated publisher: file with a JWT issued to you, sent as the Bearer token of every store (a publisher accepts each token once)', secret: true },
  publisherJwtTtlSeconds: { schema: int(1, 86_400).default(600), default: '600', help: "lifetime (exp − iat) of the JWTs signed with --publisher-jwt-secret-file; must equal the publisher's --jwt-expiring-sec when it sets one" },
  suiTransport: { schema: z.enum(['jsonrpc', 'grpc', 'graphql']).default('jsonrpc'), default: 'jsonrpc', help: 'how @mysten/sui talks to --sui-rpc-url' },
  network: { schema: z.enum(['mainnet', 'testnet', 'custom']).default('testnet'), default: 'testnet', help: 'Walrus network preset for the system and staking objects' },
  walrusSystemObject: { schema: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/).optional(), help: 'Walrus System object id (overrides --network)' },
  walrusStakingObject: { schema: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/).optional(), help: 'Walrus Staking object id (overrides --network)' },
  walrusLocalShards: { schema: int(4, 65_535).default(1000), default: '1000', help: 'shards of the embedded walrus-local' },
  walrusLocalNodes: { schema: int(1, 64).default(4), default: '4', help: 'storage nodes of the embedded walrus-local' },
  walrusLocalPort: { schema: port.default(31415), default: '31415', help: 'first port of the embedded walrus-local (0: random)' },
  walrusLocalHost: { schema: z.string().min(1).default('127.0.0.1'), default: '127.0.0.1', help: 'address the embedded walrus-local binds to (its publisher and storage nodes take writes; keep it loopback)' },
  walrusLocalEpochDurationMs: { schema: int(1).default(DAY_MS), default: '86400000', help: 'epoch length of the embedded walrus-local' },
  orbitMaxMessageSize: { schema: int(1, 1024 * MiB).default(10 * MiB), default: '10485760', help: 'daprovider_getMaxMessageSize (≤ --max-frame-bytes)' },
  orbitJwtSecretFile: { schema: z.string().optional(), help: 'Nitro JWT secret file (32-byte hex); unset: no auth', secret: true },
  grpcMaxMessageBytes: { schema: int(1024, 2 ** 31 - 1).default(64 * MiB), default: '67108864', help: 'largest gRPC message received or sent' },
  encoderThreads: { schema: int(1, 256).optional(), help: 'Walrus encoder worker threads (default: one per core)' },
  sampleIntervalMs: { schema: int(0).default(0), default: '0', help: 'availability sampling: every this many ms, fetch random slivers of random recent quilts from the storage nodes and verify them (0: off)' },
  samplesPerQuilt: { schema: int(1, 131_070).default(16), default: '16', help: 'availability sampling: distinct slivers per quilt per round (16 miss a third withheld with p ≈ 0.0015)' },
  sampleQuiltsPerRound: { schema: int(1, 100).default(2), default: '2', help: 'availability sampling: recent quilts sampled per round' },
  // Bounded requests and clean restarts (docs/lifecycle.md).
  httpHeadersTimeoutMs: { schema: int(100, 600_000).default(10_000), default: '10000', help: 'HTTP doors: a request whose headers have not all arrived by then gets 408 and a close' },
  httpRequestTimeoutMs: { schema: int(100, 3_600_000).default(20_000), default: '20000', help: 'HTTP doors: a request whose body has not all arrived by then gets 408 and a close (16 MiB in 20 s: 0.8 MiB/s)' },
  httpMaxConnections: { schema: int(1, 1_000_000).default(1024), default: '1024', help: 'HTTP doors: connections held open at once per door; more are closed as they connect' },
  shutdownGraceMs: { schema: int(0, 600_000).default(2000), default: '2000', help: 'on SIGTERM/SIGINT: calls running get this long to finish, then a put answers 503 / UNAVAILABLE (its frame stays queued)' },
  shutdownTimeoutMs: { schema: int(100, 600_000).default(4500), default: '4500', help: 'on SIGTERM/SIGINT: the process exits by then, closing whatever is still open' },
  logLevel: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), default: 'info', help: 'log level (JSON logs on stderr)' },
} as const satisfies Record<string, OptionSpec>;

export type ServeOptionKey = keyof typeof SERVE_OPTIONS;

/** Every key of the table, in table order. */
export const SERVE_OPTION_KEYS = Object.keys(SERVE_OPTIONS) as ServeOptionKey[];

/** `batchMaxWaitMs` → `--batch-max-wait-ms`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** `batchMaxWaitMs` → `WALRUS_DA_BATCH_MAX_WAIT_MS`. */
export function envName(key: string): string {
  return `WALRUS_DA_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
