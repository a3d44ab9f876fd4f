// The settings `walrus-da sample` reads: where to find the committee (verify's endpoint rows),
// where the recent quilts are (serve's Redis rows) and the sampling rows, all from serve's option
// table, so a sample run with serve's config file samples what that server committed.
import { z } from 'zod';
import type { ServeOptionKey } from './options.ts';
import { loadSettings, requireNetworkObjects, settingsShape, type ConfigSources } from './settings.ts';

export const SAMPLE_OPTION_KEYS = [
  'daByte',
  'suiRpcUrl',
  'suiTransport',
  'network',
  'walrusSystemObject',
  'walrusStakingObject',
  'dataDir',
  'redisUrl',
  'redisPrefix',
  'samplesPerQuilt',
  'sampleQuiltsPerRound',
] as const satisfies readonly ServeOptionKey[];

export const sampleConfigSchema = z.object(settingsShape(SAMPLE_OPTION_KEYS)).strict().superRefine((config, ctx) => {
  // Without a Sui node, sample reads the embedded walrus-local's endpoints and the network is unused.
  if (config.suiRpcUrl !== undefined) requireNetworkObjects(config, ctx);
});

export type SampleConfig = z.infer<typeof sampleConfigSchema>;

export function loadSampleConfig(sources: ConfigSources): SampleConfig {
  return loadSettings(sampleConfigSchema, SAMPLE_OPTION_KEYS, sources);
}
