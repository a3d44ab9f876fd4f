// Loads the typed configuration of `walrus-da serve` from flags, WALRUS_DA_* environment variables
// and an optional JSON file (in that order of precedence, over the defaults), validates it with
// zod, and renders it for logs with secrets redacted. The caller (src/cli) hands in process.env;
// nothing else in the code base reads the environment.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SERVE_OPTIONS, envName, flagName, type OptionSpec, type ServeOptionKey } from './options.ts';

const shape = Object.fromEntries(Object.entries(SERVE_OPTIONS).map(([key, spec]) => [key, spec.schema])) as {
  [K in ServeOptionKey]: (typeof SERVE_OPTIONS)[K]['schema'];
};

export const serveConfigSchema = z.object(shape).strict().superRefine((config, ctx) => {
  if (config.publisherUrl !== undefined) {
    if (!config.aggregatorUrl?.length) ctx.addIssue({ code: 'custom', path: ['aggregatorUrl'], message: 'required with --publisher-url' });
    if (config.suiRpcUrl === undefined) ctx.addIssue({ code: 'custom', path: ['suiRpcUrl'], message: 'required with --publisher-url' });
    if (config.network === 'custom' && (config.walrusSystemObject === undefined || config.walrusStakingObject === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['network'], message: 'custom needs --walrus-system-object and --walrus-staking-object' });
    }
  }
  if (config.orbitMaxMessageSize > config.maxFrameBytes) {
    ctx.addIssue({ code: 'custom', path: ['orbitMaxMessageSize'], message: `must not exceed --max-frame-bytes (${config.maxFrameBytes})` });
  }
  const ports = [config.httpPort, config.grpc ? config.grpcPort : 0, config.orbit ? config.orbitPort : 0].filter((p) => p !== 0);
  if (new Set(ports).size !== ports.length) ctx.addIssue({ code: 'custom', path: ['httpPort'], message: 'the HTTP, gRPC and Orbit ports must differ' });
});

export type ServeConfig = z.infer<typeof serveConfigSchema>;

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

export function loadServeConfig(sources: ConfigSources): ServeConfig {
  const merged: Record<string, unknown> = { ...readFile(sources.file) };
  for (const key of Object.keys(SERVE_OPTIONS)) {
    const fromEnv = sources.env?.[envName(key)];
    if (fromEnv !== undefined && fromEnv !== '') merged[key] = fromEnv;
    const fromFlag = sources.flags?.[key];
    if (fromFlag !== undefined) merged[key] = fromFlag;
  }
  const parsed = serveConfigSchema.safeParse(merged);
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

/** The config as it may be logged: secrets masked, URLs without credentials. */
export function redactConfig(config: ServeConfig): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      const spec: OptionSpec = SERVE_OPTIONS[key as ServeOptionKey];
      if (!spec.secret || value === undefined) return [key, value];
      if (typeof value === 'string' && /^[a-z]+:\/\//.test(value)) return [key, value.replace(/\/\/[^@/]*@/, '//[redacted]@')];
      return [key, '[redacted]'];
    }),
  );
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
