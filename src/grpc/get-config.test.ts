import { describe, expect, it } from 'vitest';
import { getConfigResponse, type GrpcServerLimits } from './get-config.ts';

const limits: GrpcServerLimits = { daByte: 0x57, serviceMaxFrameBytes: 1000, maxReceiveMessageBytes: 2000, maxSendMessageBytes: -1, goDaMaxBlobSize: 900 };

describe('getConfigResponse', () => {
  it('reports the server limits, and the deployment values only when given', () => {
    expect(getConfigResponse({ shards: 10, network: 'testnet' }, limits)).toEqual({
      maxFrameBytes: 1000n,
      daByte: 0x57,
      shards: 10,
      network: 'testnet',
      maxReceiveMessageBytes: 2000n,
      maxSendMessageBytes: 0n,
      getChunkBytes: 1024 * 1024,
      goDaMaxBlobSize: 900n,
      version: '',
    });
    const full = getConfigResponse(
      { shards: 10, network: 'mainnet', maxFrameBytes: 500, putTimeoutMs: 120_000, batchMaxFrames: 600, batchMaxBytes: 32, batchMaxWaitMs: 1000, version: '1.2.3' },
      limits,
    );
    expect(full).toMatchObject({ maxFrameBytes: 500n, putTimeoutMs: 120_000n, batchMaxFrames: 600, batchMaxBytes: 32n, batchMaxWaitMs: 1000n, version: '1.2.3' });
  });

  it('names the network walrus-local when Walrus is the embedded walrus-local, whatever --network says', () => {
    expect(getConfigResponse({ shards: 10, network: 'testnet', embeddedWalrusLocal: true }, limits).network).toBe('walrus-local');
    expect(getConfigResponse({ shards: 10, network: 'testnet', embeddedWalrusLocal: false }, limits).network).toBe('testnet');
  });
});
