import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeBlobMetadata } from '../../walrus/codec/index.ts';
import { aggregateSignatures, sign } from '../bls.ts';
import { openNetwork, type LocalNetwork } from '../genesis.ts';
import { encodeConfirmation, type BlobPersistence } from '../messages.ts';
import { LedgerAbort } from './certificate.ts';
import { Ledger } from './ledger.ts';

// 10 shards over 4 nodes: weights 3, 3, 2, 2; a quorum needs 3·w ≥ 21, i.e. w ≥ 7.
let dir: string;
let network: LocalNetwork;
let ledger: Ledger;
let now: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'walrus-local-ledger-'));
  network = await openNetwork(dir, 10, 4);
  now = 1_000_000;
  ledger = await Ledger.open(network, dir, { epochDurationMs: 1000, maxEpochsAhead: 53, now: () => now });
});
afterEach(async () => {
  await ledger.close();
  await rm(dir, { recursive: true, force: true });
});

const blob = (text: string) => {
  const data = new TextEncoder().encode(text);
  const { blobId, rootHash } = computeBlobMetadata(data, 10);
  return { blobId, rootHash, size: data.length };
};

async function register(text: string, options: { epochsAhead?: number; deletable?: boolean } = {}) {
  const { blobId, rootHash, size } = blob(text);
  const object = await ledger.registerBlob({ blobId, rootHash, size, epochsAhead: options.epochsAhead ?? 2, deletable: options.deletable ?? false, owner: network.genesis.publisherAddress });
  return { blobId, object };
}

function certificate(signers: number[], message: Uint8Array, bitmap?: Uint8Array, signedBy: number[] = signers) {
  return {
    signature: aggregateSignatures(signedBy.map((i) => sign(network.secretKeys[i] ?? new Uint8Array(), message))),
    signersBitmap: bitmap ?? network.committee.signersToBitmap(signers),
    message,
  };
}

const permanent: BlobPersistence = { type: 'permanent' };
const abortOf = async (promise: Promise<unknown>) => promise.then(() => 'ok', (error: unknown) => (error instanceof LedgerAbort ? error.abort : String(error)));

describe('certify_blob', () => {
  it('accepts a quorum certificate for the current epoch and emits BlobCertified', async () => {
    const { blobId, object } = await register('quorum');
    const message = encodeConfirmation({ epoch: 1, blobId, persistence: permanent });
    const certified = await ledger.certifyBlob(object.objectId, certificate([0, 2, 3], message));
    expect(certified.certifiedEpoch).toBe(1);
    expect(ledger.events().map((e) => e.type)).toEqual(['BlobRegistered', 'BlobCertified']);
    expect(ledger.events()[1]?.fields).toMatchObject({ epoch: 1, end_epoch: 3, deletable: false, object_id: object.objectId, is_extension: false });
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1, 2, 3], message)))).toBe('blob::EAlreadyCertified');
  });

  it('rejects a certificate below quorum by shard weight, even from three of four nodes', async () => {
    const { blobId, object } = await register('below');
    const message = encodeConfirmation({ epoch: 1, blobId, persistence: permanent });
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1], message)))).toBe('bls_aggregate::ENotEnoughStake');
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([1, 2], message)))).toBe('bls_aggregate::ENotEnoughStake');
    expect(ledger.blobObject(object.objectId)?.certifiedEpoch).toBeNull();
  });

  it('rejects a bad aggregate signature', async () => {
    const { blobId, object } = await register('bad signature');
    const message = encodeConfirmation({ epoch: 1, blobId, persistence: permanent });
    // Bitmap claims nodes 0, 1, 2 but node 3 signed instead of node 2.
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1, 2], message, undefined, [0, 1, 3])))).toBe('bls_aggregate::ESigVerification');
    const other = encodeConfirmation({ epoch: 1, blobId: blob('something else').blobId, persistence: permanent });
    expect(await abortOf(ledger.certifyBlob(object.objectId, { ...certificate([0, 1, 2], other), message }))).toBe('bls_aggregate::ESigVerification');
  });

  it('records a bad certificate unchecked only in its test mode, and still checks the message', async () => {
    const { blobId, object } = await register('test mode');
    const message = encodeConfirmation({ epoch: 1, blobId, persistence: permanent });
    const belowQuorum = certificate([0, 1], message);
    expect(await abortOf(ledger.certifyBlob(object.objectId, belowQuorum))).toBe('bls_aggregate::ENotEnoughStake');
    ledger.certificateFault = 'too-few-signers';
    const other = encodeConfirmation({ epoch: 1, blobId: blob('another blob').blobId, persistence: permanent });
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1], other)))).toBe('blob::EInvalidBlobId');
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1], encodeConfirmation({ epoch: 0, blobId, persistence: permanent }))))).toBe('messages::EIncorrectEpoch');
    expect((await ledger.certifyBlob(object.objectId, belowQuorum)).certifiedEpoch).toBe(1);
    // The transaction keeps the certificate exactly as submitted, for verifiers to re-check.
    const tx = ledger.transaction(ledger.blobObject(object.objectId)?.previousTransaction ?? '');
    expect(tx?.inputs.map((i) => i.valueType)).toEqual(['vector<u8>', 'vector<u8>', 'vector<u8>']);
    expect(Buffer.from(tx?.inputs[1]?.bcs ?? '', 'base64')).toEqual(Buffer.from([1, ...belowQuorum.signersBitmap]));
    ledger.certificateFault = undefined;
    const { object: next } = await register('genuine again');
    expect(await abortOf(ledger.certifyBlob(next.objectId, certificate([0, 1], message)))).toBe('bls_aggregate::ENotEnoughStake');
  });

  it('rejects a certificate from a previous epoch', async () => {
    const { blobId, object } = await register('stale', { epochsAhead: 5 });
    const message = encodeConfirmation({ epoch: 1, blobId, persistence: permanent });
    now += 1000; // the clock moves into epoch 2
    expect(ledger.currentEpoch()).toBe(2);
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1, 2, 3], message)))).toBe('messages::EIncorrectEpoch');
    const fresh = encodeConfirmation({ epoch: 2, blobId, persistence: permanent });
    expect((await ledger.certifyBlob(object.objectId, certificate([0, 1, 2, 3], fresh))).certifiedEpoch).toBe(2);
  });

  it('checks the bitmap, the blob id, the persistence type and the storage end like the Move code', async () => {
    const { blobId, object } = await register('checks', { epochsAhead: 1 });
    const message = encodeConfirmation({ epoch: 1, blobId, persistence: permanent });
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1, 2, 3], message, Uint8Array.of(0x0f, 0))))).toBe('bls_aggregate::EInvalidBitmap');
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1, 2, 3], message, Uint8Array.of(0x1f))))).toBe('bls_aggregate::EInvalidBitmap');
    const wrongBlob = encodeConfirmation({ epoch: 1, blobId: blob('other').blobId, persistence: permanent });
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1, 2, 3], wrongBlob)))).toBe('blob::EInvalidBlobId');
    const deletable = encodeConfirmation({ epoch: 1, blobId, persistence: { type: 'deletable', objectId: object.objectId } });
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1, 2, 3], deletable)))).toBe('blob::EInvalidBlobPersistenceType');
    const badIntent = Uint8Array.from(message, (b, i) => (i === 2 ? 4 : b));
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1, 2, 3], badIntent)))).toBe('messages::EIncorrectAppId');
    await ledger.advanceEpochs(1);
    const late = encodeConfirmation({ epoch: 2, blobId, persistence: permanent });
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1, 2, 3], late)))).toBe('blob::EResourceBounds');
  });

  it('certifies deletable blobs only with their own object id', async () => {
    const { blobId, object } = await register('deletable', { deletable: true });
    const wrong = encodeConfirmation({ epoch: 1, blobId, persistence: { type: 'deletable', objectId: `0x${'1'.repeat(64)}` } });
    expect(await abortOf(ledger.certifyBlob(object.objectId, certificate([0, 1, 2, 3], wrong)))).toBe('blob::EInvalidBlobObject');
    const right = encodeConfirmation({ epoch: 1, blobId, persistence: { type: 'deletable', objectId: object.objectId } });
    expect((await ledger.certifyBlob(object.objectId, certificate([0, 1, 2, 3], right))).deletable).toBe(true);
  });
});

describe('register_blob and blob status', () => {
  it('checks epochs ahead and the blob id derivation', async () => {
    expect(await abortOf(register('zero', { epochsAhead: 0 }))).toBe('system_state_inner::EInvalidEpochsAhead');
    expect(await abortOf(register('too far', { epochsAhead: 54 }))).toBe('system_state_inner::EInvalidEpochsAhead');
    const { blobId, rootHash, size } = blob('mismatch');
    expect(await abortOf(ledger.registerBlob({ blobId, rootHash, size: size + 1, epochsAhead: 1, deletable: false, owner: network.genesis.publisherAddress }))).toBe('blob::EInvalidBlobId');
  });

  it('reports registered, certified and expired like a storage node, and persists across reopen', async () => {
    const { blobId, object } = await register('status', { epochsAhead: 2 });
    const text = object.blobId;
    expect(ledger.blobStatus(text)).toMatchObject({ permanent: { endEpoch: 3, isCertified: false, initialCertifiedEpoch: null } });
    await ledger.certifyBlob(object.objectId, certificate([0, 1, 2, 3], encodeConfirmation({ epoch: 1, blobId, persistence: permanent })));
    expect(ledger.blobStatus(text)).toMatchObject({ permanent: { endEpoch: 3, isCertified: true, initialCertifiedEpoch: 1 } });
    expect(ledger.availableBlob(text)?.objectId).toBe(object.objectId);

    await ledger.close();
    ledger = await Ledger.open(network, dir, { epochDurationMs: 1000, maxEpochsAhead: 53, now: () => now });
    expect(ledger.blobObject(object.objectId)?.certifiedEpoch).toBe(1);
    expect(ledger.events()).toHaveLength(2);
    await ledger.advanceEpochs(2);
    expect(ledger.currentEpoch()).toBe(3);
    expect(ledger.blobStatus(text)).toBe('nonexistent');
    expect(ledger.availableBlob(text)).toBeUndefined();
  });
});
