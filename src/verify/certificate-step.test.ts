import { bls12_381 } from '@noble/curves/bls12-381.js';
import { describe, expect, it } from 'vitest';
import type { CommitmentBody } from '../commitment/index.ts';
import { UnavailableError, type BlobCertification, type CertificateSource, type SigningCommittee } from '../core/index.ts';
import { walrusBls } from '../walrus/codec/index.ts';
import { certificateStep, isQuorum, judgeCertificate, permanentConfirmation, quorumWeight, signersFromBitmap, verifyAggregateSignature } from './certificate-step.ts';

const noble = bls12_381.longSignatures;
const blobId = Uint8Array.from({ length: 32 }, (_, i) => i);
const body: CommitmentBody = { quiltId: blobId, startColumn: 1, endColumn: 3, objectId: new Uint8Array(32).fill(0xab), frameKeccak: new Uint8Array(32).fill(0xcd) };

describe('permanentConfirmation', () => {
  it('is BCS ProtocolMessage<StorageConfirmation> as messages.move parses it', () => {
    // Written out by hand from contracts/walrus/sources/system/messages.move: intent type
    // BLOB_CERT_MSG_TYPE = 1, INTENT_VERSION = 0, APP_ID = 3, epoch u32 LE, blob id u256 (32 bytes
    // little-endian, i.e. the raw blob id), BlobPersistenceType::Permanent = variant 0.
    const expected = '010003' + '07010000' + '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f' + '00';
    expect(Buffer.from(permanentConfirmation(263, blobId)).toString('hex')).toBe(expected);
  });

  it('refuses a blob id that is not 32 bytes', () => {
    expect(() => permanentConfirmation(1, new Uint8Array(31))).toThrow(/32 bytes/);
  });
});

describe('quorum rule 3·w ≥ 2·n + 1', () => {
  it.each([
    { n: 1000, w: 667, quorum: true },
    { n: 1000, w: 666, quorum: false },
    { n: 10, w: 7, quorum: true },
    { n: 10, w: 6, quorum: false },
    { n: 4, w: 3, quorum: true },
    { n: 4, w: 2, quorum: false },
    { n: 1, w: 1, quorum: true },
    { n: 1, w: 0, quorum: false },
  ])('n = $n, w = $w → $quorum', ({ n, w, quorum }) => {
    expect(isQuorum(w, n)).toBe(quorum);
  });

  it('quorumWeight is the least weight at the threshold', () => {
    for (const n of [1, 2, 3, 4, 7, 10, 100, 1000]) {
      expect(isQuorum(quorumWeight(n), n)).toBe(true);
      expect(isQuorum(quorumWeight(n) - 1, n)).toBe(false);
    }
  });
});

describe('signersFromBitmap', () => {
  it.each([
    { bitmap: [0b0000_0101], members: 4, signers: [0, 2] },
    { bitmap: [0xff, 0b0000_0001], members: 9, signers: [0, 1, 2, 3, 4, 5, 6, 7, 8] },
    { bitmap: [0b1000_0000, 0b0000_0010], members: 10, signers: [7, 9] },
    // Shorter than needed: the missing members did not sign (bls_aggregate allows it).
    { bitmap: [], members: 9, signers: [] },
  ])('$bitmap over $members members → $signers', ({ bitmap, members, signers }) => {
    expect(signersFromBitmap(Uint8Array.from(bitmap), members)).toEqual({ signers });
  });

  it('refuses a bitmap longer than ⌈members / 8⌉ bytes or a bit beyond the members', () => {
    expect(signersFromBitmap(Uint8Array.from([1, 0]), 8)).toEqual({ invalid: 'the signers bitmap has 2 bytes; a committee of 8 needs at most 1' });
    expect(signersFromBitmap(Uint8Array.from([0b0001_0001]), 4)).toEqual({ invalid: 'the signers bitmap sets bit 4, but the committee has 4 members' });
  });
});

// Four members with fixed secret keys; signatures made with noble and cross-checked with
// walrus-core's fastcrypto (in @mysten/walrus-wasm), the implementation Sui and the nodes use.
const secretKeys = [1, 2, 3, 4].map((i) => Uint8Array.from({ length: 32 }, (_, j) => (j === 31 ? i : 0x11)));
const publicKeys = secretKeys.map((sk) => noble.getPublicKey(sk).toBytes(true));
const signOver = (indices: readonly number[], message: Uint8Array) =>
  noble.Signature.toBytes(noble.aggregateSignatures(indices.map((i) => noble.sign(noble.hash(message), secretKeys[i] ?? new Uint8Array()))));
// Members hold 400, 300, 200 and 100 of 1000 shards; keys as Sui stores them (uncompressed G1).
const committee: SigningCommittee = {
  epoch: 263,
  nShards: 1000,
  members: publicKeys.map((key, i) => ({ nodeId: `0x${String(i).padStart(64, '0')}`, publicKey: bls12_381.G1.Point.fromBytes(key).toBytes(false), weight: [400, 300, 200, 100][i] ?? 0 })),
};
const message = permanentConfirmation(263, blobId);
const certification = (signers: readonly number[], overrides: Partial<BlobCertification> = {}): BlobCertification => ({
  txDigest: 'Digest1',
  epoch: 263,
  signature: signOver(signers, message),
  signersBitmap: Uint8Array.of(signers.reduce((bits, i) => bits | (1 << i), 0)),
  message,
  ...overrides,
});

describe('verifyAggregateSignature', () => {
  it('agrees with fastcrypto on a genuine aggregate and on a wrong one', () => {
    const signature = signOver([0, 1, 2], message);
    const keys = publicKeys.slice(0, 3);
    expect(walrusBls.verifyAggregate(keys, message, signature)).toBe(true);
    expect(verifyAggregateSignature(signature, keys, message)).toBe(true);
    expect(verifyAggregateSignature(signature, keys.map((k) => bls12_381.G1.Point.fromBytes(k).toBytes(false)), message)).toBe(true);

    const wrong = signOver([0, 1, 3], message);
    expect(walrusBls.verifyAggregate(keys, message, wrong)).toBe(false);
    expect(verifyAggregateSignature(wrong, keys, message)).toBe(false);
    const otherMessage = permanentConfirmation(264, blobId);
    expect(verifyAggregateSignature(signature, keys, otherMessage)).toBe(false);
  });

  it('is false, not an exception, for malformed bytes or no keys', () => {
    expect(verifyAggregateSignature(new Uint8Array(96), publicKeys, message)).toBe(false);
    expect(verifyAggregateSignature(signOver([0], message), [new Uint8Array(48).fill(7)], message)).toBe(false);
    expect(verifyAggregateSignature(signOver([0], message), [], message)).toBe(false);
  });
});

describe('judgeCertificate', () => {
  it('passes a quorum that signed the permanent confirmation', () => {
    const step = judgeCertificate(body, certification([0, 1]), committee);
    expect(step).toMatchObject({ step: 'certificate', ok: true, facts: { signers: 2, weight: 700, quorumWeight: 667, epoch: 263, txDigest: 'Digest1' } });
    expect(step.reason).toMatch(/^2 of 4 members of epoch 263, holding 700 of 1000 shards \(quorum 667\), signed the permanent confirmation/);
  });

  it('fails one shard below the threshold with too few signers, before looking at the signature', () => {
    const twoThirdsMinus = { ...committee, members: committee.members.map((m, i) => ({ ...m, weight: [400, 266, 234, 100][i] ?? 0 })) };
    // 400 + 266 = 666 < 667
    const step = judgeCertificate(body, certification([0, 1], { signature: new Uint8Array(96) }), twoThirdsMinus);
    expect(step.ok).toBe(false);
    expect(step.reason).toBe('too few signers: 2 of 4 members hold 666 of 1000 shards; a quorum needs 3·w ≥ 2·1000 + 1, i.e. 667 shards');
    const atThreshold = { ...committee, members: committee.members.map((m, i) => ({ ...m, weight: [400, 267, 233, 100][i] ?? 0 })) };
    expect(judgeCertificate(body, certification([0, 1]), atThreshold).ok).toBe(true);
  });

  it('fails a quorum whose aggregate signature does not verify', () => {
    const step = judgeCertificate(body, certification([0, 1], { signature: signOver([0, 2], message) }), committee);
    expect(step.ok).toBe(false);
    expect(step.reason).toBe("wrong signature: the 96-byte aggregate signature does not verify (BLS12-381 min-pk) against the 2 signers' keys of epoch 263");
  });

  it('fails a message that is not the permanent confirmation of this quilt and epoch', () => {
    const deletable = Uint8Array.from([...message.subarray(0, 39), 1, ...body.objectId]);
    for (const other of [permanentConfirmation(263, new Uint8Array(32).fill(9)), permanentConfirmation(262, blobId), deletable, Uint8Array.from([...message, 0])]) {
      const step = judgeCertificate(body, certification([0, 1], { message: other, signature: signOver([0, 1], other) }), committee);
      expect(step.ok).toBe(false);
      expect(step.reason).toMatch(/^transaction Digest1 certified message 0x[0-9a-f]+, not the permanent confirmation of quilt .* in epoch 263/);
    }
  });

  it('fails an invalid bitmap', () => {
    const step = judgeCertificate(body, certification([0, 1], { signersBitmap: Uint8Array.of(0b0011_0011) }), committee);
    expect(step).toMatchObject({ ok: false, reason: 'the signers bitmap sets bit 4, but the committee has 4 members' });
  });
});

describe('certificateStep', () => {
  const source = (over: Partial<CertificateSource>): CertificateSource => ({
    certification: () => Promise.resolve(certification([0, 1, 2])),
    committee: () => Promise.resolve(committee),
    ...over,
  });

  it('reads the certification, then the committee of its epoch', async () => {
    const asked: number[] = [];
    const step = await certificateStep(body, source({ committee: (epoch) => (asked.push(epoch), Promise.resolve(committee)) }));
    expect(step.ok).toBe(true);
    expect(asked).toEqual([263]);
  });

  it('fails with "cannot check" when the committee of the epoch is not readable, never passes', async () => {
    const step = await certificateStep(body, source({ committee: () => Promise.resolve({ missing: 'Sui holds only the committee of the current epoch 265' }) }));
    expect(step).toMatchObject({ ok: false, reason: 'cannot check: committee of epoch 263 not readable: Sui holds only the committee of the current epoch 265', facts: { checked: false } });
  });

  it('fails with "cannot check" when no certification is found, and names Sui failures with their code', async () => {
    const missing = await certificateStep(body, source({ certification: () => Promise.resolve({ missing: 'Sui has no object 0xabab' }) }));
    expect(missing).toMatchObject({ ok: false, reason: 'cannot check: Sui has no object 0xabab' });
    const down = await certificateStep(body, source({ certification: () => Promise.reject(new UnavailableError('Sui object read failed: ECONNREFUSED')) }));
    expect(down).toMatchObject({ ok: false, reason: 'cannot read Sui: Sui object read failed: ECONNREFUSED', facts: { error: 'UNAVAILABLE', checked: false } });
  });
});
