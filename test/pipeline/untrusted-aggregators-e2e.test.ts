// Reads that trust no aggregator, end to end (docs/node-reads.md, docs/verdicts.md): a writer
// deployment stores frames on walrus-local; a reader deployment with its own Redis prefix (nothing
// cached) is composed as `serve --publisher-url` composes it, with aggregators that lie: one answers
// every GET with wrong bytes, one with 404. Every read must still return the exact frame, from the
// storage nodes, with all four nodes up, with one stopped, and with one serving corrupt slivers.
import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRedisPrefix } from '../../src/batching/batch-keys.ts';
import { composeService, type ComposedService } from '../../src/cli/compose.ts';
import { loadServeConfig } from '../../src/config/serve-config.ts';
import type { CommitmentBody } from '../../src/commitment/index.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { NODES_REBUILT_SOURCE, NODES_SOURCE } from '../../src/walrus/nodes/node-patch-source.ts';
import { startStack, TEST_REDIS_URL, type Stack } from '../support/stack.ts';

const SHARDS = 10;

let writer: Stack;
let reader: ComposedService;
let readerPrefix: string;
let readerDir: string;
const liars: Server[] = [];

/** An "aggregator" that answers every request with `status` and, for 200, bytes that are not the frame. */
async function lyingAggregator(status: 200 | 404): Promise<string> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/octet-stream' });
    response.end(status === 200 ? randomBytes(4096) : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  liars.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stored(size: number): Promise<{ frame: Uint8Array; body: CommitmentBody }> {
  const frame = randomBytes(size);
  const { commitment } = await writer.service.put(frame);
  return { frame, body: commitment.body };
}

beforeAll(async () => {
  writer = await startStack({ shards: SHARDS, maxWaitMs: 50 });
  const local = writer.walrusLocal;
  readerPrefix = `wda-test-${randomUUID().slice(0, 8)}`;
  readerDir = await mkdtemp(join(tmpdir(), 'wda-reader-'));
  const config = loadServeConfig({
    flags: {
      dataDir: readerDir,
      redisUrl: TEST_REDIS_URL,
      redisPrefix: readerPrefix,
      workers: false,
      encoderThreads: 1,
      publisherUrl: local.publisherUrl,
      aggregatorUrl: [await lyingAggregator(200), await lyingAggregator(404)],
      suiRpcUrl: local.suiRpcUrl,
      network: 'custom',
      walrusSystemObject: local.systemObjectId,
      walrusStakingObject: local.stakingObjectId,
    },
  });
  reader = await composeService(config, { logger: silentLogger() });
}, 120_000);

afterAll(async () => {
  await reader?.close();
  for (const server of liars) await new Promise<void>((resolve) => server.close(() => resolve()));
  await deleteRedisPrefix(TEST_REDIS_URL, readerPrefix);
  await rm(readerDir, { recursive: true, force: true });
  await writer?.close();
});

describe('reads with every aggregator lying (wrong bytes, 404)', () => {
  it('return the exact frame from the storage nodes', async () => {
    const { frame, body } = await stored(30_000);
    const read = await reader.service.get(body);
    expect(Buffer.from(read.data).equals(Buffer.from(frame))).toBe(true);
    expect([NODES_SOURCE, NODES_REBUILT_SOURCE]).toContain(read.source);
  });

  it('return the exact frame with one of four storage nodes stopped', async () => {
    const { frame, body } = await stored(20_000);
    await writer.walrusLocal.stopNode(1);
    try {
      const read = await reader.service.get(body);
      expect(Buffer.from(read.data).equals(Buffer.from(frame))).toBe(true);
      expect([NODES_SOURCE, NODES_REBUILT_SOURCE]).toContain(read.source);
    } finally {
      await writer.walrusLocal.startNode(1);
    }
  });

  it('return the exact frame while one storage node serves corrupt slivers', async () => {
    const { frame, body } = await stored(25_000);
    writer.walrusLocal.setNodeFault(2, { corruptSlivers: true });
    try {
      const read = await reader.service.get(body);
      expect(Buffer.from(read.data).equals(Buffer.from(frame))).toBe(true);
      expect([NODES_SOURCE, NODES_REBUILT_SOURCE]).toContain(read.source);
    } finally {
      writer.walrusLocal.setNodeFault(2, {});
    }
  });
});
