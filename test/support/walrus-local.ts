// Starts an embedded walrus-local in a fresh temporary directory for a test file, with test-sized
// defaults (10 shards, 4 nodes, random loopback ports, silent logs), and removes it afterwards.
// Shared by the walrus-local suites and by later end-to-end tests of the DA pipeline:
//
//   const harness = await startTestWalrusLocal();
//   afterAll(() => harness.close());
//   await fetch(`${harness.local.publisherUrl}/v1/blobs?epochs=1&permanent=true`, { method: 'PUT', body });
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SuiJsonRpcClient } from '@mysten/sui/jsonRpc';
import { WalrusClient, type StorageNodeClientOptions } from '@mysten/walrus';
import { startWalrusLocal, type WalrusLocal, type WalrusLocalOptions } from '../../src/walrus-local/index.ts';

export interface TestWalrusLocalOptions extends Partial<WalrusLocalOptions> {
  /** Keep the data directory after `close()` (it is removed by default unless `dataDir` was given). */
  readonly keepDataDir?: boolean;
}

export interface WalrusLocalHarness {
  readonly dataDir: string;
  /** The running instance; a new object after `restart()`. */
  readonly local: WalrusLocal;
  /** Closes the instance and starts a new one on the same data directory. */
  restart(overrides?: Partial<WalrusLocalOptions>): Promise<WalrusLocal>;
  /** Closes the instance and removes the data directory (unless it was given or kept). */
  close(): Promise<void>;
}

export const TEST_SHARDS = 10;

export async function startTestWalrusLocal(options: TestWalrusLocalOptions = {}): Promise<WalrusLocalHarness> {
  const { keepDataDir, ...rest } = options;
  const ownsDir = rest.dataDir === undefined;
  const dataDir = rest.dataDir ?? (await mkdtemp(join(tmpdir(), 'walrus-local-test-')));
  const base: WalrusLocalOptions = { shards: TEST_SHARDS, nodes: 4, port: 0, confirmationTimeoutMs: 10_000, ...rest, dataDir };
  let current = await startWalrusLocal(base);
  let closed = false;
  return {
    dataDir,
    get local() {
      return current;
    },
    async restart(overrides = {}) {
      await current.close();
      current = await startWalrusLocal({ ...base, ...overrides, dataDir });
      return current;
    },
    async close() {
      if (closed) return;
      closed = true;
      await current.close();
      if (ownsDir && !keepDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** What `PUT /v1/blobs` answered: HTTP status and parsed JSON. */
export interface PutResult {
  readonly status: number;
  readonly body: Record<string, unknown> & {
    newlyCreated?: {
      blobObject: { id: string; blobId: string; certifiedEpoch: number | null; deletable: boolean; storage: { endEpoch: number; storageSize: number } };
      resourceOperation: { registerFromScratch?: { encodedLength: number; epochsAhead: number } };
      cost: number;
    };
    alreadyCertified?: { blobId: string; event: { txDigest: string; eventSeq: string }; endEpoch: number };
    error?: { code: number; status: string; message: string; details: { reason: string; domain: string }[] };
  };
}

export async function putBlob(publisherUrl: string, data: Uint8Array, query = 'epochs=1&permanent=true'): Promise<PutResult> {
  const response = await fetch(`${publisherUrl}/v1/blobs${query ? `?${query}` : ''}`, { method: 'PUT', body: data });
  return { status: response.status, body: (await response.json()) as PutResult['body'] };
}

/** Stores a blob and returns its Blob object, failing loudly on anything but `newlyCreated`. */
export async function storeNewBlob(publisherUrl: string, data: Uint8Array, query = 'epochs=1&permanent=true'): Promise<{ objectId: string; blobId: string; endEpoch: number }> {
  const result = await putBlob(publisherUrl, data, query);
  const created = result.body.newlyCreated?.blobObject;
  if (result.status !== 200 || !created) throw new Error(`PUT /v1/blobs answered ${result.status}: ${JSON.stringify(result.body)}`);
  return { objectId: created.id, blobId: created.blobId, endEpoch: created.storage.endEpoch };
}

export async function getBytes(url: string, init?: RequestInit): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> {
  const response = await fetch(url, init);
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
}

/**
 * @mysten/walrus's own client reading walrus-local: the committee comes from the Sui JSON-RPC
 * (staking state → StakingPool objects), data from the storage nodes. The nodes speak plain HTTP on
 * loopback, hence the SDK's `storageNodeUrlScheme: 'http'`. `fetch` sees every storage-node request.
 */
export function walrusSdkClient(local: WalrusLocal, fetch?: StorageNodeClientOptions['fetch']): WalrusClient {
  return new WalrusClient({
    suiClient: new SuiJsonRpcClient({ url: local.suiRpcUrl, network: 'localnet' }),
    packageConfig: { systemObjectId: local.systemObjectId, stakingPoolId: local.stakingObjectId },
    storageNodeUrlScheme: 'http',
    ...(fetch ? { storageNodeClientOptions: { fetch } } : {}),
  });
}
