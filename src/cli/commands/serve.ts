// `walrus-da serve`: every setting is a flag with a WALRUS_DA_* twin (generated from the one
// option table in src/config/options.ts), plus --config <file.json>. Prints one line per listening
// address on stdout, logs JSON on stderr, drains and exits on SIGINT/SIGTERM.
import { Option, type Command } from 'commander';
import { ConfigError, loadServeConfig, redactConfig } from '../../config/serve-config.ts';
import { SERVE_OPTIONS, envName, flagName } from '../../config/options.ts';
import { createLogger } from '../../observability/logger.ts';
import { createMetrics } from '../../observability/metrics.ts';
import { startApp } from '../app.ts';
import { CliError, EXIT_FAILURE, EXIT_INVALID_INPUT, shutdownSignal } from '../io.ts';

export function registerServeCommand(program: Command): void {
  const serve = program
    .command('serve')
    .description('run the DA server: OP Stack, Orbit and gRPC doors, batch workers, and (without --publisher-url) an embedded walrus-local')
    .option('--config <file>', 'JSON file of settings (keys as in the table below, camelCase)');
  for (const [key, spec] of Object.entries(SERVE_OPTIONS)) {
    const defaults = 'default' in spec ? ` (default ${spec.default})` : '';
    serve.addOption(new Option(`${flagName(key)} <value>`, `${spec.help}${defaults}; env ${envName(key)}`));
  }
  serve.action(async (flags: Record<string, unknown> & { config?: string }) => {
    let config;
    try {
      config = loadServeConfig({ flags, env: process.env, ...(flags.config ? { file: flags.config } : {}) });
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message, EXIT_INVALID_INPUT);
      throw error;
    }
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
    await app.close();
    logger.info({}, 'stopped');
    logger.flush();
  });
}
