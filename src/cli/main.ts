#!/usr/bin/env node
// walrus-da command line: the composition root. Only this folder reads the environment, picks
// implementations and exits the process.
import { Command, CommanderError } from 'commander';
import { registerBenchCommands } from './commands/bench.ts';
import { registerCodecCommands } from './commands/codec.ts';
import { registerConfigCommands } from './commands/config.ts';
import { registerSampleCommand } from './commands/sample.ts';
import { registerScanCommand } from './commands/scan.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerVerifyCommand } from './commands/verify.ts';
import { registerWalrusLocalCommand } from './commands/walrus-local.ts';
import { redactUrlsIn } from '../observability/logger.ts';
import { EXIT_INVALID_INPUT, toCliError } from './io.ts';
import { VERSION } from './version.ts';

function createProgram(): Command {
  const program = new Command('walrus-da')
    .description('Data-availability sidecar for OP Stack and Arbitrum Orbit rollups, storing batches as Walrus quilts')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerVerifyCommand(program);
  registerScanCommand(program);
  registerSampleCommand(program);
  registerWalrusLocalCommand(program);
  registerCodecCommands(program);
  registerConfigCommands(program);
  registerBenchCommands(program);
  return program;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv]);
    // A command may report a verdict (e.g. verify: a failed step) through process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit through here too, with code 0; usage errors are bad input.
      return error.exitCode === 0 ? 0 : EXIT_INVALID_INPUT;
    }
    const failure = toCliError(error);
    // A URL in a message (a failed dependency, a bad setting) may carry credentials.
    process.stderr.write(`walrus-da: ${redactUrlsIn(failure.message)}\n`);
    return failure.exitCode;
  }
}

process.exitCode = await main(process.argv);
