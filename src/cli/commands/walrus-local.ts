// `walrus-da walrus-local`: runs the embedded Walrus devnet until SIGINT/SIGTERM. Prints exactly one
// JSON line on stdout (URLs, ids and the committee, for scripts to parse) and logs JSON on stderr.
// Fault flags start it degraded, for trying failover by hand.
import type { Command } from 'commander';
import { isLoopbackHost } from '../../config/bind-guard.ts';
import { createLogger, type LogLevel } from '../../observability/logger.ts';
import { MAX_SHARDS, MIN_SHARDS } from '../../walrus/codec/index.ts';
import { MAX_MAX_EPOCHS_AHEAD, startWalrusLocal } from '../../walrus-local/index.ts';
import { CliError, EXIT_FAILURE, integerOption, shutdownSignal } from '../io.ts';
import { loadPublisherJwtKey } from '../secrets.ts';

interface WalrusLocalFlags {
  nodes: number;
  shards: number;
  dataDir: string;
  port: number;
  host: string;
  epochDurationMs: number;
  maxEpochsAhead: number;
  maxBlobBytes: number;
  confirmationTimeoutMs: number;
  nodeLatencyMs: number;
  corruptNode: number[];
  stopNode: number[];
  logLevel: LogLevel;
  publisherJwtSecretFile?: string;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function registerWalrusLocalCommand(program: Command): void {
  const nodeIndex = integerOption('node index', 0, 65_535);
  program
    .command('walrus-local')
    .description('run an embedded Walrus devnet (storage nodes, publisher + aggregator, Sui JSON-RPC) until SIGINT/SIGTERM')
    .option('--nodes <n>', 'storage nodes', integerOption('--nodes', 1, MAX_SHARDS), 4)
    .option('--shards <n>', 'shards, split evenly over the nodes', integerOption('--shards', MIN_SHARDS, MAX_SHARDS), 1000)
    .option('--data-dir <dir>', 'state directory (blobs, ledger, node keys); reused on restart', './.walrus-local')
    .option('--port <port>', 'daemon port; Sui RPC = port + 1, node i = port + 2 + i; 0 = random ports', integerOption('--port', 0, 65_535), 31_415)
    .option('--host <host>', 'interface to bind (the publisher and nodes take writes: keep it loopback unless the publisher requires a JWT)', '127.0.0.1')
    .option('--publisher-jwt-secret-file <file>', "make the publisher an authenticated one: stores need an HS256 JWT signed with this secret (0x-hex or raw text, like walrus's --jwt-decode-secret)")
    .option('--epoch-duration-ms <ms>', 'length of a Walrus epoch', integerOption('--epoch-duration-ms', 1, Number.MAX_SAFE_INTEGER), 86_400_000)
    .option('--max-epochs-ahead <n>', 'largest epochs a store may ask for', integerOption('--max-epochs-ahead', 1, MAX_MAX_EPOCHS_AHEAD), 53)
    .option('--max-blob-bytes <n>', 'largest PUT /v1/blobs body', integerOption('--max-blob-bytes', 1, Number.MAX_SAFE_INTEGER), 128 * 1024 * 1024)
    .option('--confirmation-timeout-ms <ms>', 'how long a store waits for a quorum before 504', integerOption('--confirmation-timeout-ms', 1, 2_147_483_647), 60_000)
    .option('--node-latency-ms <ms>', 'fault: delay every storage-node answer', integerOption('--node-latency-ms', 0, 600_000), 0)
    .option('--corrupt-node <i>', 'fault: node i serves corrupted slivers (repeatable)', (v: string, all: number[]) => [...all, nodeIndex(v)], [])
    .option('--stop-node <i>', 'fault: start with node i stopped (repeatable)', (v: string, all: number[]) => [...all, nodeIndex(v)], [])
    .option('--log-level <level>', `log level on stderr (${LOG_LEVELS.join(', ')})`, 'info')
    .action(async (flags: WalrusLocalFlags) => {
      if (!LOG_LEVELS.includes(flags.logLevel)) throw new CliError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(flags.logLevel)}`);
      const logger = createLogger({ level: flags.logLevel, name: 'walrus-local' });
      const publisherJwtSecret = flags.publisherJwtSecretFile === undefined ? undefined : loadPublisherJwtKey(flags.publisherJwtSecretFile);
      if (publisherJwtSecret === undefined && !isLoopbackHost(flags.host)) {
        logger.warn({ host: flags.host }, 'walrus-local takes unauthenticated stores on a non-loopback address; give --publisher-jwt-secret-file unless this network is private');
      }
      let local;
      try {
        local = await startWalrusLocal({
          dataDir: flags.dataDir,
          nodes: flags.nodes,
          shards: flags.shards,
          host: flags.host,
          port: flags.port,
          epochDurationMs: flags.epochDurationMs,
          maxEpochsAhead: flags.maxEpochsAhead,
          maxBlobBodyBytes: flags.maxBlobBytes,
          confirmationTimeoutMs: flags.confirmationTimeoutMs,
          ...(publisherJwtSecret ? { publisherJwtSecret } : {}),
          logger,
        });
      } catch (error) {
        throw new CliError(`cannot start walrus-local: ${error instanceof Error ? error.message : String(error)}`, EXIT_FAILURE, { cause: error });
      }
      try {
        const faulty = new Set([...flags.corruptNode, ...(flags.nodeLatencyMs > 0 ? local.committee.map((m) => m.index) : [])]);
        for (const i of faulty) local.setNodeFault(i, { corruptSlivers: flags.corruptNode.includes(i), latencyMs: flags.nodeLatencyMs });
        for (const i of flags.stopNode) await local.stopNode(i);
      } catch (error) {
        await local.close();
        throw new CliError(`bad fault flag: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
      }
      process.stdout.write(`${JSON.stringify(local.info())}\n`);
      const signal = await shutdownSignal();
      logger.info({ signal }, 'shutting down walrus-local');
      await local.close();
      logger.info({}, 'walrus-local stopped');
      logger.flush();
    });
}
