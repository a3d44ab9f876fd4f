import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envName, flagName } from './options.ts';
import { loadServeConfig, redactConfig } from './serve-config.ts';
import { ConfigError } from './settings.ts';

describe('serve config', () => {
  it('has the documented defaults', () => {
    const config = loadServeConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      httpPort: 3100,
      grpcPort: 3101,
      orbitPort: 3102,
      redisUrl: 'redis://127.0.0.1:6379',
      batchMaxWaitMs: 1000,
      batchMaxBytes: 32 * 1024 * 1024,
      batchMaxFrames: 600,
      walrusLocalShards: 1000,
      daByte: 0x57,
      dataDir: './.walrus-da',
    });
    expect(config.publisherUrl).toBeUndefined();
  });

  it('takes flags over env over file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wda-config-'));
    const file = join(dir, 'walrus-da.json');
    writeFileSync(file, JSON.stringify({ httpPort: 4000, batchMaxFrames: 10, redisPrefix: 'from-file' }));
    const config = loadServeConfig({
      file,
      env: { WALRUS_DA_HTTP_PORT: '5000', WALRUS_DA_BATCH_MAX_WAIT_MS: '250', WALRUS_DA_VERIFY_ON_READ: 'true', UNRELATED: 'x' },
      flags: { httpPort: '6000', daByte: '0x42', aggregatorUrl: undefined },
    });
    expect(config).toMatchObject({ httpPort: 6000, batchMaxWaitMs: 250, batchMaxFrames: 10, redisPrefix: 'from-file', verifyOnRead: true, daByte: 0x42 });
  });

  it('names the flag and the environment variable of every bad setting', () => {
    expect(() => loadServeConfig({ env: { WALRUS_DA_HTTP_PORT: 'eighty' }, flags: { batchMaxFrames: '0' } })).toThrowError(ConfigError);
    try {
      loadServeConfig({ env: { WALRUS_DA_HTTP_PORT: 'eighty' }, flags: { batchMaxFrames: '0' } });
    } catch (error) {
      expect((error as Error).message).toContain('--http-port (WALRUS_DA_HTTP_PORT):');
      expect((error as Error).message).toContain('--batch-max-frames (WALRUS_DA_BATCH_MAX_FRAMES):');
    }
  });

  it('checks settings that depend on each other', () => {
    expect(() => loadServeConfig({ flags: { publisherUrl: 'https://publisher.example' } })).toThrowError(
      /--aggregator-url \(WALRUS_DA_AGGREGATOR_URL\): required with --publisher-url[\s\S]*--sui-rpc-url/,
    );
    const real = loadServeConfig({
      flags: { publisherUrl: 'https://p.example', aggregatorUrl: 'https://a.example, https://b.example', suiRpcUrl: 'https://sui.example' },
    });
    expect(real.aggregatorUrl).toEqual(['https://a.example', 'https://b.example']);
    expect(() => loadServeConfig({ flags: { orbitMaxMessageSize: '20000000', maxFrameBytes: '1000' } })).toThrowError(/must not exceed --max-frame-bytes/);
    expect(() => loadServeConfig({ flags: { grpcPort: '3100' } })).toThrowError(/ports must differ/);
    expect(() => loadServeConfig({ flags: { bogus: 1 } })).not.toThrow(); // unknown flags are not read
  });

  it('redacts secrets before logging', () => {
    const config = loadServeConfig({ flags: { redisUrl: 'redis://user:hunter2@10.0.0.5:6379/1', orbitJwtSecretFile: '/etc/jwt.hex' } });
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain('hunter2');
    expect(shown).toContain('redis://redacted@10.0.0.5:6379/1');
    expect(shown).toContain('"orbitJwtSecretFile":"[redacted]"');
  });

  it('redacts userinfo and query keys of every Walrus and Sui URL, and the publisher credential files', () => {
    const config = loadServeConfig({
      flags: {
        publisherUrl: 'https://bob:pw-1@p.example/?apikey=key-2',
        aggregatorUrl: 'https://a.example/?apikey=key-3,https://b.example',
        suiRpcUrl: 'https://sui.example/rpc?token=key-4',
        publisherJwtSecretFile: '/run/secrets/publisher-key-5',
      },
    });
    const shown = JSON.stringify(redactConfig(config));
    for (const secret of ['pw-1', 'key-2', 'key-3', 'key-4', 'key-5', 'bob']) expect(shown).not.toContain(secret);
    expect(shown).toContain('"publisherUrl":"https://redacted@p.example/?apikey=redacted"');
    expect(shown).toContain('"aggregatorUrl":["https://a.example/?apikey=redacted","https://b.example"]');
  });

  it('checks the publisher credential settings', () => {
    expect(() => loadServeConfig({ flags: { publisherJwtSecretFile: '/a', publisherTokenFile: '/b' } })).toThrowError(/at most one of --publisher-jwt-secret-file and --publisher-token-file/);
    expect(() => loadServeConfig({ flags: { publisherTokenFile: '/b' } })).toThrowError(/--publisher-token-file .*needs --publisher-url/);
    expect(loadServeConfig({ flags: { publisherJwtSecretFile: '/a' } }).publisherJwtTtlSeconds).toBe(600);
  });

  it('refuses a public --host while writes need no credentials, unless allowed explicitly', () => {
    expect(() => loadServeConfig({ flags: { host: '0.0.0.0' } })).toThrowError(/--host \(WALRUS_DA_HOST\): the OP Stack door on 0\.0\.0\.0:3100 would take puts without credentials/);
    expect(() => loadServeConfig({ env: { WALRUS_DA_HOST: '0.0.0.0', WALRUS_DA_ALLOW_UNAUTHENTICATED_WRITES: 'true' } })).not.toThrow();
    expect(() => loadServeConfig({ flags: { host: '0.0.0.0', chainsFile: '/etc/walrus-da/chains.yaml' } })).not.toThrow();
    expect(loadServeConfig({}).walrusLocalHost).toBe('127.0.0.1');
  });

  it('derives flag and env names from keys', () => {
    expect(flagName('batchMaxWaitMs')).toBe('--batch-max-wait-ms');
    expect(envName('batchMaxWaitMs')).toBe('WALRUS_DA_BATCH_MAX_WAIT_MS');
    expect(envName('daByte')).toBe('WALRUS_DA_DA_BYTE');
  });
});
