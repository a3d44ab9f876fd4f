// CLI plumbing: JSON results on stdout, one-line errors on stderr, and exit codes that scripts
// can rely on (2: the input was wrong, 1: something failed while running).
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { buffer } from 'node:stream/consumers';
import { CommitmentError } from '../commitment/index.ts';
import { WalrusCodecError } from '../walrus/codec/index.ts';

export const EXIT_FAILURE = 1;
export const EXIT_INVALID_INPUT = 2;

/** An error the CLI reports as a message and an exit code (no stack trace). */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_INVALID_INPUT, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

/** Writes one JSON document (bigints as decimal strings, bytes never raw) and a newline. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
}

/** Reads a file, or stdin when the path is `-`. */
export async function readInput(path: string): Promise<Uint8Array> {
  try {
    return path === '-' ? new Uint8Array(await buffer(process.stdin)) : new Uint8Array(await readFile(path));
  } catch (error) {
    throw new CliError(`cannot read ${path === '-' ? 'stdin' : path}: ${(error as Error).message}`, EXIT_INVALID_INPUT, { cause: error });
  }
}

/** Reads a text argument, or stdin when it is `-` (trimmed). */
export async function readTextArgument(value: string): Promise<string> {
  return value === '-' ? (await text(process.stdin)).trim() : value;
}

/** Parses an integer option, refusing anything but whole numbers in range. */
export function integerOption(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = /^(0x[0-9a-f]+|\d+)$/i.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw new CliError(`${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
    }
    return parsed;
  };
}

/** Maps codec errors (bad input) to exit code 2; everything else is a runtime failure. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof CommitmentError || error instanceof WalrusCodecError) {
    return new CliError(error.message, EXIT_INVALID_INPUT, { cause: error });
  }
  return new CliError(error instanceof Error ? error.message : String(error), EXIT_FAILURE, { cause: error });
}

/** Resolves on the first SIGINT or SIGTERM (then stops listening), for long-running commands. */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
