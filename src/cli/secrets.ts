// The credentials serve reads from files, and the one place its /health answers are scrubbed of
// URL credentials. Secrets are read here, in the composition root, and handed to adapters through
// their constructors; error messages name the file and the setting, never the content.
import { readFileSync } from 'node:fs';
import type { ServeConfig } from '../config/serve-config.ts';
import { ConfigError } from '../config/settings.ts';
import type { HealthProbe } from '../core/index.ts';
import { redactUrlsIn } from '../observability/logger.ts';
import { publisherJwtKey, type PublisherCredentials } from '../walrus/publisher-auth.ts';

type PublisherAuthSettings = Pick<ServeConfig, 'publisherJwtSecretFile' | 'publisherTokenFile' | 'publisherJwtTtlSeconds'>;

/** How stores authenticate to the publisher, from --publisher-jwt-secret-file or --publisher-token-file. */
export function loadPublisherCredentials(config: PublisherAuthSettings): PublisherCredentials | undefined {
  if (config.publisherJwtSecretFile !== undefined) {
    return { kind: 'jwt-secret', key: loadPublisherJwtKey(config.publisherJwtSecretFile), ttlSeconds: config.publisherJwtTtlSeconds };
  }
  if (config.publisherTokenFile !== undefined) {
    const token = readSecret(config.publisherTokenFile, '--publisher-token-file').trim();
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) throw new ConfigError(`--publisher-token-file ${config.publisherTokenFile} does not hold a JWT (header.payload.signature)`);
    return { kind: 'token', token };
  }
  return undefined;
}

/** The key bytes of a publisher JWT secret file (Walrus's --jwt-decode-secret format). */
export function loadPublisherJwtKey(path: string): Uint8Array {
  try {
    return publisherJwtKey(readSecret(path, '--publisher-jwt-secret-file'));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`--publisher-jwt-secret-file ${path}: ${(error as Error).message}`);
  }
}

/** A probe whose detail text never carries URL userinfo or query values (/health is unauthenticated). */
export function redactedProbe(probe: HealthProbe): HealthProbe {
  return {
    name: probe.name,
    async check(options) {
      const health = await probe.check(options);
      return health.detail === undefined ? health : { ...health, detail: redactUrlsIn(health.detail) };
    },
  };
}

function readSecret(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}
