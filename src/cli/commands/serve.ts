// `walrus-da serve`: every setting is a flag with a WALRUS_DA_* twin (generated from the one
// option table in src/config/options.ts), plus --config <file.json>. Prints one line per listening
// address on stdout, logs JSON on stderr, drains and exits on SIGINT/SIGTERM.
import type { Command } from 'commander';
import { SERVE_OPTION_KEYS } from '../../config/options.ts';
import { loadServeConfig, redactConfig } from '../../config/serve-config.ts';
import { createLogger } from '../../observability/logger.ts';
import { createMetrics } from '../../observability/metrics.ts';
import { startApp } from '../app.ts';
import { CliError, EXIT_FAILURE, shutdownSignal } from '../io.ts';
import { addSettingFlags, loadSettingFlags } from '../settings-flags.ts';

export function registerServeCommand(program: Command): void {
  const serve = program
    .command('serve')
    .description('run the DA server: OP Stack, Orbit and gRPC doors, batch workers, and (without --publisher-url) an embedded walrus-local');
  addSettingFlags(serve, SERVE_OPTION_KEYS);
  serve.action(async (flags: Record<string, unknown>) => {
    const config = loadSettingFlags(loadServeConfig, flags);
    const logger = createLogger({ level: config.logLevel });
    logger.info({ config: redactConfig(config) }, 'starting walrus-da');
    const metrics = createMetrics();
    let app;
    try {
      app = await startApp(config, { logger, metrics });
    } catch (error) {
      throw new CliError(`cannot start: ${error instanceof Error ? error.message : String(error)}`, EXIT_FAILURE, { cause: error });
    }
    for (const listener of app.listeners) process.stdout.write(`${listener.url} ${listener.description}\n`);
    const signal = await shutdownSignal();
    logger.info({ signal }, 'shutting down');
    // Bounded shutdown (docs/lifecycle.md): a repeated signal (npm forwards the terminal's Ctrl-C
    // a second time) does not cut the drain short, and whatever still runs at the deadline is
    // left behind by exiting; unref'd, so a shutdown that finishes in time exits on its own.
    const repeated = (again: NodeJS.Signals) => logger.info({ signal: again }, 'already shutting down');
    process.on('SIGINT', repeated).on('SIGTERM', repeated);
    setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown did not finish in time; exiting');
      logger.flush();
      process.exit(EXIT_FAILURE);
    }, config.shutdownTimeoutMs).unref();
    await app.close();
    logger.info({}, 'stopped');
    logger.flush();
    // Everything of ours is closed; a library whose Redis went away may still hold retry timers
    // (BullMQ's reconnect delays), which must not keep a stopped server alive.
    process.exit(0);
  });
}
