// `walrus-da verify <commitment> [--full]`: runs the verifier against Walrus aggregators and Sui,
// prints the report as JSON, exits 0 when every step passes, 1 when one fails, 2 when the input
// is not a commitment or a setting is invalid. Its settings (DA byte, aggregators, Sui node,
// network objects, data directory) are rows of serve's option table, read from flags, WALRUS_DA_*
// variables and --config exactly as serve reads them. Without both an aggregator and a Sui node
// it uses the embedded walrus-local that `walrus-da serve` recorded in the data directory.
// `walrus-da scan` builds its verifier through the same two functions.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { commitmentBytesFromHex, inspectCommitment, type CommitmentBody } from '../../commitment/index.ts';
import { VERIFY_OPTION_KEYS, loadVerifyConfig, type VerifyConfig } from '../../config/verify-config.ts';
import type { BlobStore } from '../../core/index.ts';
import { silentLogger } from '../../observability/logger.ts';
import { SuiAvailability } from '../../sui/sui-availability.ts';
import { SuiCertificates } from '../../sui/sui-certificates.ts';
import { WalrusCommitmentVerifier } from '../../verify/commitment-verifier.ts';
import { EncoderPool } from '../../walrus/codec/index.ts';
import { PublisherBlobStore } from '../../walrus/publisher-blob-store.ts';
import { WALRUS_LOCAL_INFO_FILE, committeeSource, readEndpoints, storageNodePatchSource, type ReadEndpoints } from '../compose.ts';
import { CliError, EXIT_FAILURE, EXIT_INVALID_INPUT, printJson, readTextArgument } from '../io.ts';
import { addSettingFlags, loadSettingFlags } from '../settings-flags.ts';
import { createSuiClient } from '../sui-client.ts';

export function registerVerifyCommand(program: Command): void {
  const verify = program
    .command('verify')
    .description('verify a commitment against Walrus and Sui, step by step (JSON report; exit 1 if a step fails)')
    .argument('<commitment>', 'hex: commitment, Orbit certificate, body, OP L1 calldata or Nitro sequencer message; - for stdin')
    .option('--full', 'trust no aggregator: fetch the whole quilt and recompute its blob id');
  addVerifierOptions(verify);
  verify.action(async (input: string, flags: Record<string, unknown> & { full?: boolean }) => {
    const config = loadVerifierConfig(flags);
    let body: CommitmentBody;
    try {
      const inspected = inspectCommitment(commitmentBytesFromHex(await readTextArgument(input)), { daByte: config.daByte });
      if (!('body' in inspected)) throw new CliError('a keccak commitment names only a hash: verify the generic commitment the server returned instead');
      body = inspected.body;
    } catch (error) {
      if (error instanceof CliError) throw error;
      printJson({ ok: false, full: Boolean(flags.full), steps: [{ step: 'decode', ok: false, reason: error instanceof Error ? error.message : String(error) }] });
      process.exitCode = EXIT_INVALID_INPUT;
      return;
    }
    const opened = await openVerifier(config, { certificate: true });
    try {
      const report = await opened.verifier.verify(body, { full: Boolean(flags.full) });
      printJson(report);
      if (!report.ok) process.exitCode = EXIT_FAILURE;
    } finally {
      await opened.close();
    }
  });
}

/** Adds the verifier's settings (rows of serve's option table) and --config to a command (`verify`, `scan`). */
export function addVerifierOptions(command: Command): Command {
  return addSettingFlags(command, VERIFY_OPTION_KEYS);
}

/** Loads the verifier's settings from a command's parsed flags, WALRUS_DA_* and --config; bad settings exit 2. */
export function loadVerifierConfig(flags: Readonly<Record<string, unknown>>): VerifyConfig {
  return loadSettingFlags(loadVerifyConfig, flags);
}

export interface OpenedVerifier {
  readonly verifier: WalrusCommitmentVerifier;
  /** Stops the verifier's encoder thread. */
  close(): Promise<void>;
}

/**
 * Builds the verifier `verify` runs; `scan` reuses it. `wrapBlobStore` lets a caller observe the
 * aggregator reads (scan keeps the frames it verified); `certificate` adds the certificate step
 * (`verify` does; scan does not, since a certificate of an earlier epoch cannot be checked).
 */
export async function openVerifier(
  config: VerifyConfig,
  options: { readonly wrapBlobStore?: (store: BlobStore) => BlobStore; readonly certificate?: boolean } = {},
): Promise<OpenedVerifier> {
  const endpoints = await resolveEndpoints(config);
  const encoder = new EncoderPool({ threads: 1 });
  try {
    const publisher = new PublisherBlobStore({ aggregatorUrls: endpoints.aggregatorUrls, nShards: 0 });
    const blobStore = options.wrapBlobStore ? options.wrapBlobStore(publisher) : publisher;
    const client = createSuiClient(config.suiTransport, endpoints.suiRpcUrl, endpoints.network);
    const availability = new SuiAvailability({ client, systemObjectId: endpoints.systemObjectId, stakingObjectId: endpoints.stakingObjectId });
    const certificates = options.certificate ? { certificates: new SuiCertificates({ client, systemObjectId: endpoints.systemObjectId }) } : {};
    const nodes = storageNodePatchSource(committeeSource(endpoints, client), encoder, silentLogger());
    return {
      verifier: new WalrusCommitmentVerifier({ blobStore, availability, encoder, nodes, ...certificates }),
      close: async () => {
        nodes.close();
        await encoder.close();
      },
    };
  } catch (error) {
    await encoder.close();
    throw error;
  }
}

async function resolveEndpoints(config: VerifyConfig): Promise<ReadEndpoints> {
  if (config.suiRpcUrl !== undefined && config.aggregatorUrl?.length) return readEndpoints(config);
  const file = join(config.dataDir, WALRUS_LOCAL_INFO_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`give --aggregator-url and --sui-rpc-url, or --data-dir of a serve with an embedded walrus-local (no ${file})`);
  }
  const info = JSON.parse(text) as { aggregatorUrl: string; suiRpcUrl: string; systemObjectId: string; stakingObjectId: string };
  return { aggregatorUrls: [info.aggregatorUrl], suiRpcUrl: info.suiRpcUrl, systemObjectId: info.systemObjectId, stakingObjectId: info.stakingObjectId, network: 'localnet' };
}
