// Loads settings of the one option table (options.ts) from flags, WALRUS_DA_* environment
// variables and an optional JSON file (in that order of precedence, over the defaults) and
// validates them with zod. Every command that takes settings (`serve`, `verify`) loads them here,
// each with the keys it uses, so a setting has the same flag, variable, file key, default and
// checks wherever it is read. The caller (src/cli) hands in process.env; nothing else in the code
// base reads the environment.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { SERVE_OPTIONS, envName, flagName, type ServeOptionKey } from './options.ts';

/** Thrown for any invalid setting; the message names the flag and the environment variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface ConfigSources {
  /** Parsed CLI flags, keyed like the schema; undefined entries are ignored. */
  readonly flags?: Readonly<Record<string, unknown>>;
  /** The process environment (only WALRUS_DA_* variables are read). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Path of a JSON file with schema keys. */
  readonly file?: string;
}

export type SettingsShape<K extends ServeOptionKey> = { [P in K]: (typeof SERVE_OPTIONS)[P]['schema'] };

/** The zod fields of `keys`, taken from the option table. */
export function settingsShape<K extends ServeOptionKey>(keys: readonly K[]): SettingsShape<K> {
  return Object.fromEntries(keys.map((key) => [key, SERVE_OPTIONS[key].schema])) as SettingsShape<K>;
}

/**
 * Merges the sources for `keys` and parses them with `schema`. A config file may hold settings
 * of other commands (one file serves `serve` and `verify`): those are skipped, while a key the
 * table does not know is left for the strict schema to refuse, so typos still fail.
 */
export function loadSettings<T>(schema: z.ZodType<T>, keys: readonly ServeOptionKey[], sources: ConfigSources): T {
  const wanted = new Set<string>(keys);
  const merged: Record<string, unknown> = Object.fromEntries(Object.entries(readFile(sources.file)).filter(([key]) => wanted.has(key) || !(key in SERVE_OPTIONS)));
  for (const key of keys) {
    const fromEnv = sources.env?.[envName(key)];
    if (fromEnv !== undefined && fromEnv !== '') merged[key] = fromEnv;
    const fromFlag = sources.flags?.[key];
    if (fromFlag !== undefined) merged[key] = fromFlag;
  }
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const where = key in SERVE_OPTIONS ? `${flagName(key)} (${envName(key)})` : key || 'config';
      return `${where}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/** `--network custom` has no preset objects, so whoever talks to a real network must name them. */
export function requireNetworkObjects(
  config: { readonly network: string; readonly walrusSystemObject?: string | undefined; readonly walrusStakingObject?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (config.network === 'custom' && (config.walrusSystemObject === undefined || config.walrusStakingObject === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['network'], message: 'custom needs --walrus-system-object and --walrus-staking-object' });
  }
}

function readFile(path: string | undefined): Record<string, unknown> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('expected a JSON object');
    return json as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`config file ${path} is not a JSON object of settings: ${(error as Error).message}`);
  }
}
