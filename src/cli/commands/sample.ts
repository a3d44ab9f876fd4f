// `walrus-da sample [quilt-or-commitment...]`: one or more availability-sampling rounds
// (docs/sampling.md). Each target is a quilt blob id (43 base64url characters) or a commitment in
// any form `verify` takes; without targets, --sample-quilts-per-round random quilts among the 100
// most recently committed in Redis that are still stored. Prints the report as JSON (per quilt,
// per node, and the detection confidence per round and over --rounds), warns on stderr naming each
// quilt and node that failed a sample, and exits 0 when every sample was ok, 1 otherwise.
// Endpoints: --sui-rpc-url with the network's objects, or the embedded walrus-local that
// `walrus-da serve` recorded in --data-dir.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { BatchState } from '../../batching/batch-state.ts';
import { connectOrExplain, requestConnection } from '../../batching/redis-connections.ts';
import { commitmentBytesFromHex, inspectCommitment } from '../../commitment/index.ts';
import { SAMPLE_OPTION_KEYS, loadSampleConfig, type SampleConfig } from '../../config/sample-config.ts';
import { createLogger } from '../../observability/logger.ts';
import { pickItems, runSamplingRound, summarize, warnFailures, type QuiltSampleReport, type RoundReport, type SampleTarget } from '../../sampling/index.ts';
import { EncoderPool, blobIdFromText } from '../../walrus/codec/index.ts';
import { WALRUS_LOCAL_INFO_FILE, committeeSource, readEndpoints, type ReadEndpoints } from '../compose.ts';
import { CliError, EXIT_FAILURE, integerOption, printJson } from '../io.ts';
import { openNodeSampler } from '../sampling.ts';
import { addSettingFlags, loadSettingFlags } from '../settings-flags.ts';
import { createSuiClient } from '../sui-client.ts';

/** How many of the newest committed quilts a target-less run chooses from (serve's default too). */
const RECENT_WINDOW = 100;

interface SampleFlags extends Record<string, unknown> {
  readonly rounds?: number;
  readonly nodeUrlScheme?: 'http' | 'https';
}

export function registerSampleCommand(program: Command): void {
  const sample = program
    .command('sample')
    .description('availability sampling: fetch random slivers of quilts from the storage nodes and verify them (JSON report; exit 1 if a sample failed)')
    .argument('[targets...]', 'quilt blob ids or commitments (hex); none: random recent quilts from Redis')
    .addOption(new Option('--rounds <n>', 'sampling rounds per quilt, each with fresh random slivers').default(1).argParser(integerOption('--rounds', 1, 10_000)))
    .addOption(new Option('--node-url-scheme <scheme>', 'how storage nodes are reached (default: http for walrus-local and --network custom, else https)').choices(['http', 'https']));
  addSettingFlags(sample, SAMPLE_OPTION_KEYS);
  sample.action(async (args: string[], flags: SampleFlags) => {
    const config = loadSettingFlags(loadSampleConfig, flags);
    const explicit = args.map((arg) => parseTarget(arg, config.daByte));
    const endpoints = await resolveEndpoints(config);
    const encoder = new EncoderPool({ threads: 1 });
    const sui = createSuiClient(config.suiTransport, endpoints.suiRpcUrl, endpoints.network);
    const node = openNodeSampler({ committee: committeeSource(endpoints, sui, flags.nodeUrlScheme), encoder, samplesPerQuilt: config.samplesPerQuilt });
    try {
      const targets = explicit.length > 0 ? explicit : await recentTargets(config, node.sampler);
      const rounds = flags.rounds ?? 1;
      const quilts: QuiltSampleReport[] = [];
      let last: RoundReport | undefined;
      for (let round = 0; round < rounds; round++) {
        last = await runSamplingRound(node.sampler, targets);
        quilts.push(...last.quilts);
      }
      if (!last) throw new CliError('nothing sampled');
      const report = { ...summarize(last.epoch, last.nShards, last.samplesPerQuilt, quilts, rounds), rounds };
      const logger = createLogger({ level: 'warn' });
      warnFailures(logger, quilts);
      logger.flush();
      printJson(report);
      if (!report.ok) process.exitCode = EXIT_FAILURE;
    } finally {
      node.close();
      await encoder.close();
    }
  });
}

/** A quilt blob id, or the quilt of a commitment (any form `walrus-da verify` accepts). */
function parseTarget(text: string, daByte: number): SampleTarget {
  if (/^[A-Za-z0-9_-]{43}$/.test(text)) return { quiltId: blobIdFromText(text) };
  const inspected = inspectCommitment(commitmentBytesFromHex(text), { daByte });
  if (!('body' in inspected)) throw new CliError(`${text.slice(0, 20)}… names only a frame hash, not a quilt: give the generic commitment or the quilt id`);
  return { quiltId: inspected.body.quiltId };
}

async function recentTargets(config: SampleConfig, sampler: { committee(): Promise<{ readonly epoch: number }> }): Promise<SampleTarget[]> {
  const redis = requestConnection(config.redisUrl);
  redis.on('error', () => undefined);
  try {
    await connectOrExplain(redis, config.redisUrl);
    const recent = await new BatchState(redis, { prefix: config.redisPrefix }).recentQuilts(RECENT_WINDOW);
    const { epoch } = await sampler.committee();
    const stored = recent.filter((q) => q.endEpoch > epoch);
    if (stored.length === 0) {
      throw new CliError(`no stored quilt among the ${RECENT_WINDOW} newest committed under prefix ${config.redisPrefix}: give quilt ids or commitments`, EXIT_FAILURE);
    }
    return pickItems(stored, config.sampleQuiltsPerRound).map((q) => ({ quiltId: q.quiltId, height: q.height }));
  } finally {
    redis.disconnect();
  }
}

async function resolveEndpoints(config: SampleConfig): Promise<ReadEndpoints> {
  if (config.suiRpcUrl !== undefined) return readEndpoints(config);
  const file = join(config.dataDir, WALRUS_LOCAL_INFO_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`give --sui-rpc-url, or --data-dir of a serve with an embedded walrus-local (no ${file})`);
  }
  const info = JSON.parse(text) as { aggregatorUrl: string; suiRpcUrl: string; systemObjectId: string; stakingObjectId: string };
  return { aggregatorUrls: [info.aggregatorUrl], suiRpcUrl: info.suiRpcUrl, systemObjectId: info.systemObjectId, stakingObjectId: info.stakingObjectId, network: 'localnet' };
}
