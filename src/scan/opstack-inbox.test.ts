// OP Stack inbox classification, with calldata laid out by hand from op-alt-da's format:
// 0x01 (TxDataVersion1) ‖ commitment type ‖ payload.
import { describe, expect, it } from 'vitest';
import { encodeFramed, encodeOpStackKeccakCommitment, type CommitmentBody } from '../commitment/index.ts';
import { classifyOpStackTransaction, type InboxTransaction } from './opstack-inbox.ts';

/** `expect.stringContaining`, typed for object matchers. */
const containing = (text: string) => expect.stringContaining(text) as string;

const BATCHER = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const body: CommitmentBody = {
  quiltId: new Uint8Array(32).fill(0xa1),
  startColumn: 1,
  endColumn: 2,
  objectId: new Uint8Array(32).fill(0xb2),
  frameKeccak: new Uint8Array(32).fill(0xc3),
};
const generic = Uint8Array.of(0x01, ...encodeFramed(body));
const keccak = new Uint8Array(32).fill(0x5e);

const tx = (input: Uint8Array, over: Partial<InboxTransaction> = {}): InboxTransaction => ({
  blockNumber: 5n,
  hash: `0x${'12'.repeat(32)}`,
  index: 3,
  from: BATCHER.toLowerCase(),
  type: 'eip1559',
  input,
  blobCount: 0,
  ...over,
});
const classify = (input: Uint8Array, over: Partial<InboxTransaction> = {}, daByte?: number) =>
  classifyOpStackTransaction(tx(input, over), { batcher: BATCHER, ...(daByte === undefined ? {} : { daByte }) });

describe('classifyOpStackTransaction', () => {
  it('decodes a generic commitment with this DA byte, from the batcher (any address case)', () => {
    const found = classify(generic);
    expect(found).toMatchObject({ chain: 'opstack', l1Block: 5n, txIndex: 3, kind: 'opstack-generic', check: { type: 'walrus', body } });
    expect(found.commitment).toEqual(generic.subarray(1)); // the commitment op-node sends to GET /get/0x…
  });

  it('decodes a keccak commitment', () => {
    const found = classify(Uint8Array.of(0x01, ...encodeOpStackKeccakCommitment(keccak)));
    expect(found).toMatchObject({ kind: 'opstack-keccak', check: { type: 'keccak', keccak } });
  });

  it('skips transactions from other senders and blob transactions', () => {
    expect(classify(generic, { from: '0x0000000000000000000000000000000000000001' })).toMatchObject({ kind: 'opstack-unauthorized', check: { verdict: 'skipped' } });
    expect(classify(generic, { type: 'eip4844', blobCount: 2 })).toMatchObject({ kind: 'opstack-blobs', check: { verdict: 'skipped', reason: containing('2 blobs') } });
  });

  it('skips frames on L1 and empty calldata; unknown versions and types are foreign', () => {
    expect(classify(Uint8Array.of(0x00, 1, 2, 3))).toMatchObject({ kind: 'opstack-calldata', check: { verdict: 'skipped', reason: containing('derivation version 0x00') } });
    expect(classify(new Uint8Array())).toMatchObject({ kind: 'opstack-calldata', check: { verdict: 'skipped' } });
    expect(classify(Uint8Array.of(0x02, 1))).toMatchObject({ check: { verdict: 'foreign', reason: containing('derivation version 0x02') } });
    expect(classify(Uint8Array.of(0x01, 0x07, 1, 2))).toMatchObject({ check: { verdict: 'foreign', reason: containing('commitment type 0x07') } });
  });

  it('reports other DA layers as foreign, and a body version it does not know', () => {
    const celestia = Uint8Array.of(0x01, 0x01, 0x0c, ...new Uint8Array(40));
    expect(classify(celestia)).toMatchObject({ kind: 'opstack-generic', check: { verdict: 'foreign', reason: containing('DA layer 0x0c') } });
    expect(classify(generic, {}, 0x42)).toMatchObject({ check: { verdict: 'foreign' } });
    const v1 = generic.slice();
    v1[3] = 0x01;
    expect(classify(v1)).toMatchObject({ check: { verdict: 'foreign', reason: containing('body version') } });
  });

  it('calls malformed commitments invalid', () => {
    expect(classify(Uint8Array.of(0x01))).toMatchObject({ check: { verdict: 'invalid' } });
    expect(classify(Uint8Array.of(0x01, 0x01))).toMatchObject({ check: { verdict: 'invalid' } });
    expect(classify(generic.subarray(0, 60))).toMatchObject({ check: { verdict: 'invalid', steps: [{ step: 'decode', ok: false, facts: { error: 'length' } }] } });
    expect(classify(Uint8Array.of(0x01, 0x00, ...keccak.subarray(1)))).toMatchObject({ kind: 'opstack-keccak', check: { verdict: 'invalid' } });
    const badPatch = generic.slice();
    badPatch[36] = 0x02; // QuiltPatchId version byte
    expect(classify(badPatch)).toMatchObject({ check: { verdict: 'invalid', steps: [{ facts: { error: 'patch-id-version' } }] } });
  });
});
