// Node confirmations and the publisher's certificate, checked with two independent BLS12-381
// implementations: @noble/curves and walrus-core's own (fastcrypto, in @mysten/walrus-wasm).
import { bcs } from '@mysten/sui/bcs';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobIdFromText, walrusBls } from '../../src/walrus/codec/index.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { startTestWalrusLocal, storeNewBlob, type WalrusLocalHarness } from '../support/walrus-local.ts';

const noble = bls12_381.longSignatures;
let harness: WalrusLocalHarness;
let blobId: string;
const publicKeys = () => harness.local.committee.map((m) => Uint8Array.from(Buffer.from(m.publicKey, 'hex')));

beforeAll(async () => {
  harness = await startTestWalrusLocal();
  blobId = (await storeNewBlob(harness.local.publisherUrl, xorshift32Bytes(600, 10_000))).blobId;
});
afterAll(() => harness.close());

async function rpc<T>(method: string, params: unknown[]): Promise<T> {
  const response = await fetch(harness.local.suiRpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await response.json()) as { result?: T; error?: unknown };
  if (!body.result) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

describe('storage confirmations', () => {
  it('are the 40-byte BCS message [1,0,3] ‖ epoch ‖ blob id ‖ 0x00, signed with each node’s min-pk key', async () => {
    const keys = publicKeys();
    for (const member of harness.local.committee) {
      const body = (await (await fetch(`${member.url}/v1/blobs/${blobId}/confirmation/permanent`)).json()) as { success: { code: number; data: { signed: { serializedMessage: string; signature: string } } } };
      expect(body.success.code).toBe(200);
      const message = Uint8Array.from(Buffer.from(body.success.data.signed.serializedMessage, 'base64'));
      const signature = Uint8Array.from(Buffer.from(body.success.data.signed.signature, 'base64'));
      expect(message).toEqual(Uint8Array.from([1, 0, 3, 1, 0, 0, 0, ...blobIdFromText(blobId), 0]));
      expect(signature).toHaveLength(96);
      const key = keys[member.index] ?? new Uint8Array();
      expect(key).toHaveLength(48);
      expect(walrusBls.verify(signature, key, message)).toBe(true);
      expect(noble.verify(signature, noble.hash(message), key)).toBe(true);
      const other = keys[(member.index + 1) % keys.length] ?? new Uint8Array();
      expect(walrusBls.verify(signature, other, message)).toBe(false);
      expect(noble.verify(signature, noble.hash(message), other)).toBe(false);
    }
  });
});

describe('the publisher’s certificate', () => {
  it('is an aggregate over a shard quorum that verifies with both libraries', async () => {
    const events = await rpc<{ data: { id: { txDigest: string }; parsedJson: { blob_id: string } }[] }>('suix_queryEvents', [
      { MoveEventType: `${harness.local.walrusPackageId}::events::BlobCertified` },
      null,
      10,
      false,
    ]);
    const event = events.data.find((e) => BigInt(e.parsedJson.blob_id) === BigInt(bcs.u256().parse(blobIdFromText(blobId))));
    if (!event) throw new Error('no BlobCertified event for the blob');
    const tx = await rpc<{ transaction: { data: { transaction: { inputs: { type: string; valueType?: string; value?: number[] }[]; transactions: { MoveCall: { function: string } }[] } } } }>(
      'sui_getTransactionBlock',
      [event.id.txDigest, { showInput: true }],
    );
    expect(tx.transaction.data.transaction.transactions[0]?.MoveCall.function).toBe('certify_blob');
    const [signature, bitmap, message] = tx.transaction.data.transaction.inputs
      .filter((input) => input.type === 'pure')
      .map((input) => bcs.byteVector().parse(Uint8Array.from(input.value ?? [])));
    if (!signature || !bitmap || !message) throw new Error('certify_blob inputs missing');

    const signers = harness.local.committee.filter((m) => (((bitmap[m.index >> 3] ?? 0) >> (m.index & 7)) & 1) === 1);
    const weight = signers.reduce((sum, m) => sum + m.shards.reduce((s, [a, b]) => s + b - a, 0), 0);
    expect(3 * weight).toBeGreaterThanOrEqual(2 * harness.local.nShards + 1);
    expect(message).toEqual(Uint8Array.from([1, 0, 3, 1, 0, 0, 0, ...blobIdFromText(blobId), 0]));

    const keys = signers.map((m) => Uint8Array.from(Buffer.from(m.publicKey, 'hex')));
    expect(walrusBls.verifyAggregate(keys, message, signature)).toBe(true);
    expect(noble.verify(signature, noble.hash(message), noble.aggregatePublicKeys(keys))).toBe(true);
    // The same aggregate as walrus-core computes from the nodes' own signatures.
    const nodeSignatures = await Promise.all(
      signers.map(async (m) => {
        const body = (await (await fetch(`${m.url}/v1/blobs/${blobId}/confirmation/permanent`)).json()) as { success: { data: { signed: { signature: string } } } };
        return Uint8Array.from(Buffer.from(body.success.data.signed.signature, 'base64'));
      }),
    );
    expect(walrusBls.aggregate(nodeSignatures)).toEqual(signature);
    // Dropping one signer's key breaks it.
    expect(walrusBls.verifyAggregate(keys.slice(1), message, signature)).toBe(false);
  });
});
