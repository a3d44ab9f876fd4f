// `walrus-da verify <commitment> [--full]`: runs the verifier against Walrus aggregators and Sui,
// prints the report as JSON, exits 0 when every step passes, 1 when one fails, 2 when the input
// is not a commitment. Endpoints come from flags, or from the embedded walrus-local recorded in
// the data directory by `walrus-da serve`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAINNET_WALRUS_PACKAGE_CONFIG, TESTNET_WALRUS_PACKAGE_CONFIG } from '@mysten/walrus';
import type { Command } from 'commander';
import { DEFAULT_DA_BYTE, commitmentBytesFromHex, inspectCommitment, type CommitmentBody } from '../../commitment/index.ts';
import type { BlobStore } from '../../core/index.ts';
import { SuiAvailability } from '../../sui/sui-availability.ts';
import { WalrusCommitmentVerifier } from '../../verify/commitment-verifier.ts';
import { EncoderPool } from '../../walrus/codec/index.ts';
import { PublisherBlobStore } from '../../walrus/publisher-blob-store.ts';
import { WALRUS_LOCAL_INFO_FILE } from '../compose.ts';
import { CliError, EXIT_FAILURE, EXIT_INVALID_INPUT, integerOption, printJson, readTextArgument } from '../io.ts';
import { createSuiClient, type SuiTransport } from '../sui-client.ts';

/** The flags `verify` and `scan` share: the DA byte and where Walrus and Sui are. */
export interface VerifierFlags {
  readonly daByte: number;
  readonly aggregatorUrl?: string;
  readonly suiRpcUrl?: string;
  readonly suiTransport: SuiTransport;
  readonly network: 'mainnet' | 'testnet' | 'custom';
  readonly walrusSystemObject?: string;
  readonly walrusStakingObject?: string;
  readonly dataDir: string;
}

type VerifyFlags = VerifierFlags & { readonly full?: boolean };

export function registerVerifyCommand(program: Command): void {
  const command = program
    .command('verify')
    .description('verify a commitment against Walrus and Sui, step by step (JSON report; exit 1 if a step fails)')
    .argument('<commitment>', 'hex: commitment, Orbit certificate, body, OP L1 calldata or Nitro sequencer message; - for stdin')
    .option('--full', 'trust no aggregator: fetch the whole quilt and recompute its blob id');
  addVerifierOptions(command)
    .action(async (input: string, flags: VerifyFlags) => {
      let body: CommitmentBody;
      try {
        const inspected = inspectCommitment(commitmentBytesFromHex(await readTextArgument(input)), { daByte: flags.daByte });
        if (!('body' in inspected)) throw new CliError('a keccak commitment names only a hash: verify the generic commitment the server returned instead');
        body = inspected.body;
      } catch (error) {
        if (error instanceof CliError) throw error;
        printJson({ ok: false, full: Boolean(flags.full), steps: [{ step: 'decode', ok: false, reason: error instanceof Error ? error.message : String(error) }] });
        process.exitCode = EXIT_INVALID_INPUT;
        return;
      }
      const opened = await openVerifier(flags);
      try {
        const report = await opened.verifier.verify(body, { full: Boolean(flags.full) });
        printJson(report);
        if (!report.ok) process.exitCode = EXIT_FAILURE;
      } finally {
        await opened.close();
      }
    });
}

/** Adds the flags of `VerifierFlags` to a command (`verify`, `scan`). */
export function addVerifierOptions(command: Command): Command {
  return command
    .option('--da-byte <byte>', 'DA byte of this deployment', integerOption('--da-byte', 0, 255), DEFAULT_DA_BYTE)
    .option('--aggregator-url <urls>', 'Walrus aggregator(s), comma-separated, tried in order')
    .option('--sui-rpc-url <url>', 'Sui full node')
    .option('--sui-transport <transport>', 'jsonrpc | grpc | graphql', 'jsonrpc')
    .option('--network <network>', 'mainnet | testnet | custom (Walrus system and staking objects)', 'testnet')
    .option('--walrus-system-object <id>', 'Walrus System object id')
    .option('--walrus-staking-object <id>', 'Walrus Staking object id')
    .option('--data-dir <dir>', 'data directory of a `walrus-da serve` with an embedded walrus-local', './.walrus-da');
}

export interface OpenedVerifier {
  readonly verifier: WalrusCommitmentVerifier;
  /** Stops the verifier's encoder thread. */
  close(): Promise<void>;
}

/**
 * Builds the verifier `verify` runs, from the same flags; `scan` reuses it. `wrapBlobStore` lets a
 * caller observe the aggregator reads (scan keeps the frames it verified).
 */
export async function openVerifier(flags: VerifierFlags, options: { readonly wrapBlobStore?: (store: BlobStore) => BlobStore } = {}): Promise<OpenedVerifier> {
  const endpoints = await resolveEndpoints(flags);
  const encoder = new EncoderPool({ threads: 1 });
  try {
    const publisherStore = new PublisherBlobStore({ aggregatorUrls: endpoints.aggregatorUrls, nShards: 0 });
    const blobStore = options.wrapBlobStore ? options.wrapBlobStore(publisherStore) : publisherStore;
    const availability = new SuiAvailability({
      client: createSuiClient(flags.suiTransport, endpoints.suiRpcUrl, endpoints.network),
      systemObjectId: endpoints.systemObjectId,
      stakingObjectId: endpoints.stakingObjectId,
    });
    return { verifier: new WalrusCommitmentVerifier({ blobStore, availability, encoder }), close: () => encoder.close() };
  } catch (error) {
    await encoder.close();
    throw error;
  }
}

interface Endpoints {
  readonly aggregatorUrls: readonly string[];
  readonly suiRpcUrl: string;
  readonly systemObjectId: string;
  readonly stakingObjectId: string;
  readonly network: string;
}

async function resolveEndpoints(flags: VerifierFlags): Promise<Endpoints> {
  if (flags.suiRpcUrl && flags.aggregatorUrl) {
    const preset = flags.network === 'mainnet' ? MAINNET_WALRUS_PACKAGE_CONFIG : TESTNET_WALRUS_PACKAGE_CONFIG;
    const systemObjectId = flags.walrusSystemObject ?? (flags.network === 'custom' ? undefined : preset.systemObjectId);
    const stakingObjectId = flags.walrusStakingObject ?? (flags.network === 'custom' ? undefined : preset.stakingPoolId);
    if (!systemObjectId || !stakingObjectId) throw new CliError('--network custom needs --walrus-system-object and --walrus-staking-object');
    return {
      aggregatorUrls: flags.aggregatorUrl.split(',').map((u) => u.trim()).filter(Boolean),
      suiRpcUrl: flags.suiRpcUrl,
      systemObjectId,
      stakingObjectId,
      network: flags.network === 'custom' ? 'localnet' : flags.network,
    };
  }
  const file = join(flags.dataDir, WALRUS_LOCAL_INFO_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`give --aggregator-url and --sui-rpc-url, or --data-dir of a serve with an embedded walrus-local (no ${file})`);
  }
  const info = JSON.parse(text) as { aggregatorUrl: string; suiRpcUrl: string; systemObjectId: string; stakingObjectId: string };
  return { aggregatorUrls: [info.aggregatorUrl], suiRpcUrl: info.suiRpcUrl, systemObjectId: info.systemObjectId, stakingObjectId: info.stakingObjectId, network: 'localnet' };
}
