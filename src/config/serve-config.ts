// The typed configuration of `walrus-da serve`: every setting of the option table, loaded from
// flags, WALRUS_DA_* environment variables and an optional JSON file (settings.ts), checked for
// settings that depend on each other, and rendered for logs with secrets redacted.
import { z } from 'zod';
import { openWriteRefusals } from './bind-guard.ts';
import { SERVE_OPTIONS, SERVE_OPTION_KEYS, type OptionSpec, type ServeOptionKey } from './options.ts';
import { redactUrl } from '../observability/logger.ts';
import { loadSettings, requireNetworkObjects, settingsShape, type ConfigSources } from './settings.ts';

export const serveConfigSchema = z.object(settingsShape(SERVE_OPTION_KEYS)).strict().superRefine((config, ctx) => {
  if (config.publisherUrl !== undefined) {
    if (!config.aggregatorUrl?.length) ctx.addIssue({ code: 'custom', path: ['aggregatorUrl'], message: 'required with --publisher-url' });
    if (config.suiRpcUrl === undefined) ctx.addIssue({ code: 'custom', path: ['suiRpcUrl'], message: 'required with --publisher-url' });
    requireNetworkObjects(config, ctx);
  }
  if (config.orbitMaxMessageSize > config.maxFrameBytes) {
    ctx.addIssue({ code: 'custom', path: ['orbitMaxMessageSize'], message: `must not exceed --max-frame-bytes (${config.maxFrameBytes})` });
  }
  const ports = [config.httpPort, config.grpc ? config.grpcPort : 0, config.orbit ? config.orbitPort : 0].filter((p) => p !== 0);
  if (new Set(ports).size !== ports.length) ctx.addIssue({ code: 'custom', path: ['httpPort'], message: 'the HTTP, gRPC and Orbit ports must differ' });
  if (config.publisherJwtSecretFile !== undefined && config.publisherTokenFile !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['publisherTokenFile'], message: 'give at most one of --publisher-jwt-secret-file and --publisher-token-file' });
  }
  if (config.publisherTokenFile !== undefined && config.publisherUrl === undefined) {
    ctx.addIssue({ code: 'custom', path: ['publisherTokenFile'], message: 'needs --publisher-url (the embedded walrus-local checks tokens against --publisher-jwt-secret-file)' });
  }
  for (const message of openWriteRefusals(config)) ctx.addIssue({ code: 'custom', path: ['host'], message });
});

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

export type ServeConfig = z.infer<typeof serveConfigSchema>;

export function loadServeConfig(sources: ConfigSources): ServeConfig {
  return loadSettings(serveConfigSchema, SERVE_OPTION_KEYS, sources);
}

/** The config as it may be logged: secrets masked, URLs without credentials. */
export function redactConfig(config: ServeConfig): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]: [string, unknown]) => {
      const spec: OptionSpec = SERVE_OPTIONS[key as ServeOptionKey];
      if (value === undefined) return [key, value];
      // Every URL loses its userinfo and query values, secret-marked or not (API keys ride in them).
      if (Array.isArray(value)) return [key, value.map((item: unknown) => (typeof item === 'string' && URL_LIKE.test(item) ? redactUrl(item) : item))];
      if (typeof value === 'string' && URL_LIKE.test(value)) return [key, redactUrl(value)];
      if (!spec.secret) return [key, value];
      return [key, '[redacted]'];
    }),
  );
}
