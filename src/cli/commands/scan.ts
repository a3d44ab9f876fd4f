// `walrus-da scan`: checks every batch a rollup posted on L1 between two blocks (or from a block
// on, with --follow). One JSON line per batch on stdout, then a summary line; exit 1 when a batch
// is invalid or unavailable. Walrus commitments go through the verifier `walrus-da verify` builds,
// from the same flags.
import { createPublicClient, getAddress, http, isAddress } from 'viem';
import type { Command } from 'commander';
import {
  BatchChecker,
  CheckpointError,
  FrameRecorder,
  OpStackSource,
  OrbitSource,
  ScanRangeError,
  readCheckpoint,
  runScan,
  writeCheckpoint,
  type BatchRecord,
  type BatchSource,
  type ScanSummary,
  type Verdict,
} from '../../scan/index.ts';
import { CliError, EXIT_FAILURE, integerOption, shutdownSignal } from '../io.ts';
import { addVerifierOptions, loadVerifierConfig, openVerifier } from './verify.ts';

/** Scan's own flags; the verifier's settings (DA byte, Walrus, Sui) come through the option table. */
interface ScanFlags extends Readonly<Record<string, unknown>> {
  readonly l1RpcUrl: string;
  readonly fromBlock?: number;
  readonly toBlock?: number;
  readonly follow?: boolean;
  readonly confirmations: number;
  readonly batchInbox?: string;
  readonly batcher?: string;
  readonly sequencerInbox?: string;
  readonly daServer?: string;
  readonly full?: boolean;
  readonly out?: string;
  readonly checkpoint?: string;
  readonly chunkBlocks: number;
  readonly concurrency: number;
  readonly pollIntervalMs: number;
}

const block = (name: string) => integerOption(name, 0, Number.MAX_SAFE_INTEGER);

export function registerScanCommand(program: Command): void {
  const command = program
    .command('scan')
    .description('check every batch an OP Stack or Orbit chain posted on L1 in a block range (JSON lines; exit 1 if a batch fails)')
    .requiredOption('--l1-rpc-url <url>', 'L1 (parent chain) JSON-RPC endpoint')
    .option('--from-block <n>', 'first L1 block (optional with a --checkpoint to resume from)', block('--from-block'))
    .option('--to-block <n>', 'last L1 block (default: the head when the scan starts)', block('--to-block'))
    .option('--follow', 'keep scanning new blocks until interrupted (or until --to-block)')
    .option('--confirmations <n>', 'stay this many blocks behind the head', integerOption('--confirmations', 0, 10_000), 0)
    .option('--batch-inbox <address>', 'OP Stack: the batch inbox address')
    .option('--batcher <address>', 'OP Stack: the batcher address (transactions from others are ignored)')
    .option('--sequencer-inbox <address>', 'Orbit: the SequencerInbox contract')
    .option('--da-server <url>', 'OP Stack: DA server to fetch keccak commitments from (GET /get/0x00<keccak>)')
    .option('--full', 'trust no aggregator: fetch whole quilts and recompute their blob ids')
    .option('--out <dir>', 'write each verified frame to DIR, named by its hex keccak256')
    .option('--checkpoint <file>', 'resume after the last fully scanned block recorded here, and record it')
    .option('--chunk-blocks <n>', 'L1 blocks read per request round', integerOption('--chunk-blocks', 1, 10_000), 100)
    .option('--concurrency <n>', 'batches verified at once', integerOption('--concurrency', 1, 256), 8)
    .option('--poll-interval-ms <n>', 'with --follow: how often to look for new blocks', integerOption('--poll-interval-ms', 100, 3_600_000), 4000);
  addVerifierOptions(command).action(async (flags: ScanFlags) => {
    const summary = await scan(flags);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    // A range cut short by a signal was not fully checked; an endless --follow only ends that way.
    if (!summary.ok || summary.interrupted) process.exitCode = EXIT_FAILURE;
  });
}

async function scan(flags: ScanFlags): Promise<ScanSummary> {
  const config = loadVerifierConfig(flags);
  const targets = scanTargets(flags);
  for (const [name, value] of [['--l1-rpc-url', flags.l1RpcUrl], ['--da-server', flags.daServer]] as const) {
    if (value !== undefined && !URL.canParse(value)) throw new CliError(`${name} is not a URL: ${JSON.stringify(value)}`);
  }
  const client = createPublicClient({ transport: http(flags.l1RpcUrl, { retryCount: 3, timeout: 60_000 }) });
  const sources: BatchSource[] = [];
  if (targets.opstack) sources.push(new OpStackSource({ client, ...targets.opstack, daByte: config.daByte }));
  if (targets.orbit) sources.push(new OrbitSource({ client, inbox: targets.orbit, daByte: config.daByte }));

  const checkpoint = flags.checkpoint ? await readCheckpoint(flags.checkpoint, targets.scope).catch(rethrowAsCli) : undefined;
  const resumeAt = checkpoint ? checkpoint.lastScannedBlock + 1n : undefined;
  const requested = flags.fromBlock === undefined ? undefined : BigInt(flags.fromBlock);
  const fromBlock = resumeAt !== undefined && (requested === undefined || resumeAt > requested) ? resumeAt : requested;
  if (fromBlock === undefined) throw new CliError('give --from-block (or a --checkpoint file to resume from)');
  if (flags.toBlock !== undefined && requested !== undefined && BigInt(flags.toBlock) < requested) {
    throw new CliError(`--to-block ${flags.toBlock} is before --from-block ${flags.fromBlock}`);
  }

  const recorder = flags.out ? new FrameRecorder() : undefined;
  const opened = await openVerifier(config, recorder ? { wrapBlobStore: (store) => recorder.wrap(store) } : {});
  const checker = new BatchChecker({
    verifier: opened.verifier,
    full: Boolean(flags.full),
    ...(flags.daServer ? { daServerUrl: flags.daServer } : {}),
    ...(flags.out && recorder ? { out: { dir: flags.out, recorder } } : {}),
  });
  const controller = new AbortController();
  void shutdownSignal().then(() => controller.abort());
  const progress = new Progress(process.stderr.isTTY);
  try {
    return await runScan({
      sources,
      check: (batch, options) => checker.check(batch, options),
      head: () => client.getBlockNumber({ cacheTime: 0 }),
      fromBlock,
      ...(flags.toBlock === undefined ? {} : { toBlock: BigInt(flags.toBlock) }),
      follow: Boolean(flags.follow),
      confirmations: BigInt(flags.confirmations),
      chunkBlocks: flags.chunkBlocks,
      concurrency: flags.concurrency,
      pollIntervalMs: flags.pollIntervalMs,
      signal: controller.signal,
      onRecord: (record) => {
        process.stdout.write(`${JSON.stringify(record)}\n`);
        progress.record(record);
      },
      onScanned: async (last, target) => {
        if (flags.checkpoint) await writeCheckpoint(flags.checkpoint, { scope: targets.scope, lastScannedBlock: last });
        progress.scanned(last, target);
      },
    });
  } catch (error) {
    if (error instanceof ScanRangeError) throw new CliError(error.message);
    throw error;
  } finally {
    progress.end();
    await opened.close();
  }
}

interface ScanTargets {
  readonly opstack?: { readonly inbox: `0x${string}`; readonly batcher: `0x${string}` };
  readonly orbit?: `0x${string}`;
  /** Names the scanned chain(s) in the checkpoint file. */
  readonly scope: string;
}

function scanTargets(flags: ScanFlags): ScanTargets {
  if ((flags.batchInbox === undefined) !== (flags.batcher === undefined)) throw new CliError('OP Stack needs both --batch-inbox and --batcher');
  if (flags.batchInbox === undefined && flags.sequencerInbox === undefined) {
    throw new CliError('give --batch-inbox and --batcher (OP Stack), --sequencer-inbox (Orbit), or both');
  }
  const opstack = flags.batchInbox && flags.batcher ? { inbox: address('--batch-inbox', flags.batchInbox), batcher: address('--batcher', flags.batcher) } : undefined;
  const orbit = flags.sequencerInbox === undefined ? undefined : address('--sequencer-inbox', flags.sequencerInbox);
  const scope = [opstack ? `opstack:${opstack.inbox}:${opstack.batcher}` : '', orbit ? `orbit:${orbit}` : ''].filter(Boolean).join(' ').toLowerCase();
  return { ...(opstack ? { opstack } : {}), ...(orbit ? { orbit } : {}), scope };
}

function address(name: string, value: string): `0x${string}` {
  if (!isAddress(value, { strict: false })) throw new CliError(`${name} is not an address: ${JSON.stringify(value)}`);
  return getAddress(value);
}

function rethrowAsCli(error: unknown): never {
  if (error instanceof CheckpointError) throw new CliError(error.message);
  throw error;
}

/** One self-overwriting line on a terminal's stderr; silent when stderr is a file or pipe. */
class Progress {
  readonly #enabled: boolean;
  readonly #counts: Record<Verdict, number> = { valid: 0, invalid: 0, unavailable: 0, skipped: 0, foreign: 0 };
  #block = '';
  #shown = false;

  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  record(record: BatchRecord): void {
    this.#counts[record.verdict]++;
    this.#block = `block ${record.l1Block}`;
    this.#show();
  }

  scanned(last: bigint, target: bigint): void {
    this.#block = `block ${last}/${target}`;
    this.#show();
  }

  end(): void {
    if (this.#shown) process.stderr.write('\n');
  }

  #show(): void {
    if (!this.#enabled) return;
    const c = this.#counts;
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    process.stderr.write(`\r\x1b[Kscan: ${this.#block}, ${total} batches: ${c.valid} valid, ${c.invalid} invalid, ${c.unavailable} unavailable, ${c.skipped} skipped, ${c.foreign} foreign`);
    this.#shown = true;
  }
}
