// Runs the real `walrus-da` CLI (src/cli/main.ts under Node's type stripping) as a child process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bytesToHex } from '../../src/bytes/index.ts';
import { encodeFramed, type CommitmentBody } from '../../src/commitment/index.ts';
import type { VerificationReport } from '../../src/core/index.ts';
import type { WalrusLocal } from '../../src/walrus-local/index.ts';

export const CLI_ENTRY = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], options: { stdin?: Uint8Array | string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** Runs the CLI and parses its stdout as JSON, failing loudly with stderr when it did not exit 0. */
export async function runCliJson<T = Record<string, unknown>>(args: readonly string[], options: { stdin?: Uint8Array | string } = {}): Promise<T> {
  const result = await runCli(args, options);
  if (result.code !== 0) throw new Error(`walrus-da ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * `walrus-da verify` of one commitment (framed, 0x-hex) against walrus-local's aggregator and Sui
 * JSON-RPC; stdout is the JSON report whatever the exit code.
 */
export async function runVerifyCli(
  walrusLocal: WalrusLocal,
  target: CommitmentBody,
  options: { full?: boolean } = {},
): Promise<{ code: number | null; report: VerificationReport }> {
  const result = await runCli([
    'verify',
    bytesToHex(encodeFramed(target)),
    '--aggregator-url', walrusLocal.aggregatorUrl,
    '--sui-rpc-url', walrusLocal.suiRpcUrl,
    '--network', 'custom',
    '--walrus-system-object', walrusLocal.systemObjectId,
    '--walrus-staking-object', walrusLocal.stakingObjectId,
    ...(options.full === true ? ['--full'] : []),
  ]);
  return { code: result.code, report: JSON.parse(result.stdout) as VerificationReport };
}

/** The steps of a verification report that did not pass, in report order. */
export const failingSteps = (report: VerificationReport): string[] => report.steps.filter((s) => !s.ok).map((s) => s.step);
