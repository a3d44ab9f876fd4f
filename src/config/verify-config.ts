// The settings `walrus-da verify` reads: the endpoint rows of serve's option table (same flags,
// WALRUS_DA_* variables, config-file keys, defaults and checks), so a verifier run beside a
// server, or with the server's config file, talks to the same Walrus aggregators and Sui node.
import { z } from 'zod';
import type { ServeOptionKey } from './options.ts';
import { loadSettings, requireNetworkObjects, settingsShape, type ConfigSources } from './settings.ts';

export const VERIFY_OPTION_KEYS = [
  'daByte',
  'aggregatorUrl',
  'suiRpcUrl',
  'suiTransport',
  'network',
  'walrusSystemObject',
  'walrusStakingObject',
  'dataDir',
] as const satisfies readonly ServeOptionKey[];

export const verifyConfigSchema = z.object(settingsShape(VERIFY_OPTION_KEYS)).strict().superRefine((config, ctx) => {
  // Without both endpoints verify reads the embedded walrus-local's, and the network is unused.
  if (config.suiRpcUrl !== undefined && config.aggregatorUrl?.length) requireNetworkObjects(config, ctx);
});

export type VerifyConfig = z.infer<typeof verifyConfigSchema>;

export function loadVerifyConfig(sources: ConfigSources): VerifyConfig {
  return loadSettings(verifyConfigSchema, VERIFY_OPTION_KEYS, sources);
}
