// Settings on the command line: every command that takes settings gets its flags from the one
// option table (flag name, help, default shown) plus --config <file.json>, and loads them through
// src/config, so `serve` and `verify` cannot disagree about a setting's name, default or checks.
import { Option, type Command } from 'commander';
import { SERVE_OPTIONS, envName, flagName, type ServeOptionKey } from '../config/options.ts';
import { ConfigError, type ConfigSources } from '../config/settings.ts';
import { CliError, EXIT_INVALID_INPUT } from './io.ts';

/** Adds `--config <file>` and one `--<flag> <value>` per key; defaults stay in the schema, so unset flags fall through to the environment and the file. */
export function addSettingFlags(command: Command, keys: readonly ServeOptionKey[]): Command {
  command.option('--config <file>', 'JSON file of settings (keys as in the table below, camelCase)');
  for (const key of keys) {
    const spec = SERVE_OPTIONS[key];
    const defaults = 'default' in spec ? ` (default ${spec.default})` : '';
    command.addOption(new Option(`${flagName(key)} <value>`, `${spec.help}${defaults}; env ${envName(key)}`));
  }
  return command;
}

/** Loads a command's settings from its parsed flags, process.env and --config; bad settings exit 2. */
export function loadSettingFlags<T>(load: (sources: ConfigSources) => T, flags: Readonly<Record<string, unknown>>): T {
  const file = flags['config'];
  try {
    return load({ flags, env: process.env, ...(typeof file === 'string' && file !== '' ? { file } : {}) });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT_INVALID_INPUT);
    throw error;
  }
}
