import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServeConfig } from './serve-config.ts';
import { ConfigError } from './settings.ts';
import { VERIFY_OPTION_KEYS, loadVerifyConfig } from './verify-config.ts';

function configFile(settings: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wda-verify-config-')), 'walrus-da.json');
  writeFileSync(file, JSON.stringify(settings));
  return file;
}

describe('verify config', () => {
  it('has exactly serve’s defaults for the rows it reads', () => {
    const verify = loadVerifyConfig({});
    const serve = loadServeConfig({});
    for (const key of VERIFY_OPTION_KEYS) expect(verify[key], key).toEqual(serve[key]);
    expect(verify).toMatchObject({ daByte: 0x57, suiTransport: 'jsonrpc', network: 'testnet', dataDir: './.walrus-da' });
  });

  it('takes flags over env over file, and reads a file written for serve', () => {
    const file = configFile({ httpPort: 4000, batchMaxFrames: 10, network: 'mainnet', suiRpcUrl: 'https://file.example', daByte: 1 });
    const config = loadVerifyConfig({
      file,
      env: { WALRUS_DA_SUI_RPC_URL: 'https://env.example', WALRUS_DA_AGGREGATOR_URL: 'https://a.example,https://b.example', WALRUS_DA_HTTP_PORT: 'not read by verify' },
      flags: { daByte: '0x42', full: true, suiTransport: undefined },
    });
    expect(config).toEqual({
      daByte: 0x42,
      aggregatorUrl: ['https://a.example', 'https://b.example'],
      suiRpcUrl: 'https://env.example',
      suiTransport: 'jsonrpc',
      network: 'mainnet',
      dataDir: './.walrus-da',
    });
  });

  it('refuses a key no command knows, naming it', () => {
    expect(() => loadVerifyConfig({ file: configFile({ suiRpcUrl: 'https://sui.example', aggregatorUrls: ['https://a.example'] }) })).toThrowError(/aggregatorUrls/);
  });

  it('names the flag and the environment variable of a bad setting', () => {
    expect(() => loadVerifyConfig({ env: { WALRUS_DA_SUI_TRANSPORT: 'carrier-pigeon' }, flags: { daByte: '256' } })).toThrowError(ConfigError);
    expect(() => loadVerifyConfig({ env: { WALRUS_DA_SUI_TRANSPORT: 'carrier-pigeon' }, flags: { daByte: '256' } })).toThrowError(
      /--da-byte \(WALRUS_DA_DA_BYTE\):[\s\S]*--sui-transport \(WALRUS_DA_SUI_TRANSPORT\):/,
    );
  });

  it('needs the Walrus objects of a custom network only when reading from one', () => {
    const remote = { suiRpcUrl: 'https://sui.example', aggregatorUrl: 'https://a.example', network: 'custom' };
    expect(() => loadVerifyConfig({ flags: remote })).toThrowError(/--network \(WALRUS_DA_NETWORK\): custom needs --walrus-system-object and --walrus-staking-object/);
    expect(loadVerifyConfig({ flags: { ...remote, walrusSystemObject: '0x1', walrusStakingObject: '0x2' } }).network).toBe('custom');
    expect(loadVerifyConfig({ flags: { network: 'custom' } }).network).toBe('custom'); // walrus-local: the network is unused
  });
});
