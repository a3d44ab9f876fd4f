import { describe, expect, it } from 'vitest';
import { SAMPLE_OPTION_KEYS, loadSampleConfig } from './sample-config.ts';
import { loadServeConfig } from './serve-config.ts';
import { ConfigError } from './settings.ts';

describe('sample config', () => {
  it('has exactly serve’s defaults for the rows it reads, sampling off in serve', () => {
    const sample = loadSampleConfig({});
    const serve = loadServeConfig({});
    for (const key of SAMPLE_OPTION_KEYS) expect(sample[key], key).toEqual(serve[key]);
    expect(sample).toMatchObject({ samplesPerQuilt: 16, sampleQuiltsPerRound: 2, redisPrefix: 'walrus-da' });
    expect(serve.sampleIntervalMs).toBe(0);
  });

  it('reads the sampling rows from flags and environment, ignoring command-only flags', () => {
    const config = loadSampleConfig({ env: { WALRUS_DA_SAMPLES_PER_QUILT: '32' }, flags: { sampleQuiltsPerRound: '5', rounds: 3 } });
    expect(config).toMatchObject({ samplesPerQuilt: 32, sampleQuiltsPerRound: 5 });
    expect(loadServeConfig({ flags: { sampleIntervalMs: '60000' } }).sampleIntervalMs).toBe(60_000);
  });

  it('refuses bad sampling settings and a custom network without its objects', () => {
    expect(() => loadSampleConfig({ flags: { samplesPerQuilt: '0' } })).toThrow(ConfigError);
    expect(() => loadSampleConfig({ flags: { sampleQuiltsPerRound: '1.5' } })).toThrow(ConfigError);
    expect(() => loadServeConfig({ flags: { sampleIntervalMs: '-1' } })).toThrow(ConfigError);
    expect(() => loadSampleConfig({ flags: { suiRpcUrl: 'http://127.0.0.1:9000', network: 'custom' } })).toThrow(/walrus-system-object|walrusSystemObject/);
  });
});
