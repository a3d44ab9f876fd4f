// Orbit decoding against fixtures built by hand from the Solidity ABI rules (selectors and topics
// hashed here from the signature text, words laid out by hand), cross-checked with viem's encoder.
import { encodeAbiParameters, encodeEventTopics, encodeFunctionData, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { bytesToBareHex, bytesToHex } from '../bytes/index.ts';
import { encodeBody, encodeFramed, keccak256, type CommitmentBody } from '../commitment/index.ts';
import { SEQUENCER_INBOX_ABI } from './orbit-abi.ts';
import { OrbitDecodeError, batchDataFromCalldata, classifyOrbitBatch, decodeBatchDataLog, decodeBatchDelivered, sequencerHeader, type BatchDelivered } from './orbit-inbox.ts';

/** `expect.stringContaining`, typed for object matchers. */
const containing = (text: string) => expect.stringContaining(text) as string;

const sig = (text: string) => bytesToBareHex(keccak256(new TextEncoder().encode(text)));
const word = (value: bigint | number) => BigInt(value).toString(16).padStart(64, '0');
const addressWord = (address: string) => address.slice(2).toLowerCase().padStart(64, '0');
const bytesTail = (data: Uint8Array) => word(data.length) + bytesToBareHex(data).padEnd(Math.ceil(data.length / 32) * 64, '0');

const FROM_ORIGIN_6 = 'addSequencerL2BatchFromOrigin(uint256,bytes,uint256,address,uint256,uint256)';
const FROM_ORIGIN_DELAY = 'addSequencerL2BatchFromOriginDelayProof(uint256,bytes,uint256,address,uint256,uint256,(bytes32,(uint8,address,uint64,uint64,uint256,uint256,bytes32)))';
const DELIVERED = 'SequencerBatchDelivered(uint256,bytes32,bytes32,bytes32,uint256,(uint64,uint64,uint64,uint64),uint8)';
const BATCH_DATA = 'SequencerBatchData(uint256,bytes)';
const REFUNDER = '0x00000000000000000000000000000000000000aa';

const body: CommitmentBody = {
  quiltId: new Uint8Array(32).fill(0x11),
  startColumn: 3,
  endColumn: 9,
  objectId: new Uint8Array(32).fill(0x22),
  frameKeccak: new Uint8Array(32).fill(0x33),
};
const certificate = encodeFramed(body);

describe('SequencerInbox ABI', () => {
  it('has the selectors and topics of the Solidity signatures (hashed here, not by viem)', () => {
    expect(sig(FROM_ORIGIN_6).slice(0, 8)).toBe('8f111f3c');
    expect(sig(DELIVERED)).toBe('7394f4a19a13c7b92b5bb71033245305946ef78452f7b4986ac1390b5df4ebd7');
    const [topic] = encodeEventTopics({ abi: SEQUENCER_INBOX_ABI, eventName: 'SequencerBatchDelivered' });
    expect(topic).toBe(`0x${sig(DELIVERED)}`);
    const [dataTopic] = encodeEventTopics({ abi: SEQUENCER_INBOX_ABI, eventName: 'SequencerBatchData' });
    expect(dataTopic).toBe(`0x${sig(BATCH_DATA)}`);
  });
});

describe('batchDataFromCalldata', () => {
  it('reads addSequencerL2BatchFromOrigin (6 arguments) built by hand, identical to viem encoding', () => {
    // head: seq, offset of data (6 words), afterDelayed, refunder, prev, new; tail: data
    const hand = `0x${sig(FROM_ORIGIN_6).slice(0, 8)}${word(7)}${word(6 * 32)}${word(12)}${addressWord(REFUNDER)}${word(100)}${word(140)}${bytesTail(certificate)}` as Hex;
    const viem = encodeFunctionData({ abi: SEQUENCER_INBOX_ABI, functionName: 'addSequencerL2BatchFromOrigin', args: [7n, bytesToHex(certificate) as Hex, 12n, REFUNDER, 100n, 140n] });
    expect(viem).toBe(hand);
    const read = batchDataFromCalldata(hand);
    expect(read.method).toBe('addSequencerL2BatchFromOrigin');
    expect(read.data).toEqual(certificate);
  });

  it('reads addSequencerL2BatchFromOriginDelayProof, whose static DelayProof sits inline in the head', () => {
    const proof = word(0xbeef) + word(3) + addressWord(REFUNDER) + word(55) + word(66) + word(9) + word(10) + 'cd'.repeat(32);
    const headWords = 6 + 8; // six arguments + DelayProof (bytes32 + 7-field Message), all static
    const hand = `0x${sig(FROM_ORIGIN_DELAY).slice(0, 8)}${word(8)}${word(headWords * 32)}${word(1)}${addressWord(REFUNDER)}${word(2)}${word(3)}${proof}${bytesTail(certificate)}` as Hex;
    const viem = encodeFunctionData({
      abi: SEQUENCER_INBOX_ABI,
      functionName: 'addSequencerL2BatchFromOriginDelayProof',
      args: [8n, bytesToHex(certificate) as Hex, 1n, REFUNDER, 2n, 3n, {
        beforeDelayedAcc: `0x${word(0xbeef)}`,
        delayedMessage: { kind: 3, sender: REFUNDER, blockNumber: 55n, timestamp: 66n, inboxSeqNum: 9n, baseFeeL1: 10n, messageDataHash: `0x${'cd'.repeat(32)}` },
      }],
    });
    expect(viem).toBe(hand);
    expect(batchDataFromCalldata(hand)).toEqual({ method: 'addSequencerL2BatchFromOriginDelayProof', data: certificate });
  });

  it('reads an unknown selector as Nitro does, by its leading (uint256, bytes) arguments', () => {
    const input = `0xdeadbeef${word(1)}${word(64)}${bytesTail(Uint8Array.of(0x01, 0x57))}` as Hex;
    expect(batchDataFromCalldata(input)).toEqual({ method: 'unknown selector 0xdeadbeef', data: Uint8Array.of(0x01, 0x57) });
  });

  it('refuses blob calls and calldata without a data argument', () => {
    const blobs = encodeFunctionData({ abi: SEQUENCER_INBOX_ABI, functionName: 'addSequencerL2BatchFromBlobs', args: [1n, 2n, REFUNDER, 3n, 4n] });
    expect(() => batchDataFromCalldata(blobs)).toThrow(/carries its data in blobs/);
    expect(() => batchDataFromCalldata('0x1234')).toThrow(OrbitDecodeError);
    expect(() => batchDataFromCalldata(`0xdeadbeef${word(1)}${word(0xffff)}` as Hex)).toThrow(OrbitDecodeError);
  });
});

describe('logs', () => {
  const deliveredLog = (location: number, afterDelayed = 5n) => ({
    topics: [`0x${sig(DELIVERED)}`, `0x${word(42)}`, `0x${'aa'.repeat(32)}`, `0x${'bb'.repeat(32)}`] as Hex[],
    // delayedAcc, afterDelayedMessagesRead, TimeBounds (4 words inline), dataLocation
    data: `0x${'cc'.repeat(32)}${word(afterDelayed)}${word(1000)}${word(2000)}${word(30)}${word(40)}${word(location)}` as Hex,
  });

  it('decodes a hand-built SequencerBatchDelivered log and frames its header as Nitro does', () => {
    const batch = decodeBatchDelivered(deliveredLog(0));
    expect(batch).toEqual({
      batchNumber: 42n,
      afterDelayedMessagesRead: 5n,
      timeBounds: { minTimestamp: 1000n, maxTimestamp: 2000n, minBlockNumber: 30n, maxBlockNumber: 40n },
      dataLocation: 'TxInput',
    });
    expect(bytesToBareHex(sequencerHeader(batch))).toBe([1000, 2000, 30, 40, 5].map((n) => n.toString(16).padStart(16, '0')).join(''));
    expect(decodeBatchDelivered(deliveredLog(1)).dataLocation).toBe('SeparateBatchEvent');
    expect(decodeBatchDelivered(deliveredLog(3)).dataLocation).toBe('Blob');
  });

  it('refuses unknown locations, non-u64 counters and other events', () => {
    expect(() => decodeBatchDelivered(deliveredLog(4))).toThrow(/unknown batch data location 4/);
    expect(() => decodeBatchDelivered(deliveredLog(0, 2n ** 64n))).toThrow(/is not a u64/);
    expect(() => decodeBatchDelivered({ ...deliveredLog(0), topics: [`0x${sig(BATCH_DATA)}`, `0x${word(1)}`] })).toThrow(OrbitDecodeError);
    expect(() => decodeBatchDelivered({ ...deliveredLog(0), data: '0x1234' })).toThrow(OrbitDecodeError);
  });

  it('decodes a hand-built SequencerBatchData log', () => {
    const log = { topics: [`0x${sig(BATCH_DATA)}`, `0x${word(9)}`] as Hex[], data: `0x${word(32)}${bytesTail(certificate)}` as Hex };
    expect(log.data).toBe(encodeAbiParameters([{ type: 'bytes' }], [bytesToHex(certificate) as Hex]));
    expect(decodeBatchDataLog(log)).toEqual({ batchNumber: 9n, data: certificate });
  });
});

describe('classifyOrbitBatch', () => {
  const position = { l1Block: 10n, txHash: `0x${'ee'.repeat(32)}`, txIndex: 2, logIndex: 4 } as const;
  const batch: BatchDelivered = {
    batchNumber: 3n,
    afterDelayedMessagesRead: 1n,
    timeBounds: { minTimestamp: 1n, maxTimestamp: 2n, minBlockNumber: 3n, maxBlockNumber: 4n },
    dataLocation: 'TxInput',
  };
  const classify = (data: Uint8Array | undefined, over: Partial<BatchDelivered> = {}, daByte?: number) =>
    classifyOrbitBatch(position, { ...batch, ...over }, { method: 'm', data }, daByte === undefined ? {} : { daByte });

  it('decodes a certificate with this deployment provider byte', () => {
    const found = classify(certificate);
    expect(found).toMatchObject({ chain: 'orbit', kind: 'orbit-certificate', batchNumber: 3n, logIndex: 4, check: { type: 'walrus', body } });
    expect(found.commitment).toEqual(certificate);
    expect(classify(encodeFramed(body, { daByte: 0x42 }), {}, 0x42).check.type).toBe('walrus');
  });

  it('reports other providers as foreign and non-certificate data as skipped', () => {
    expect(classify(Uint8Array.of(0x01, 0x00, 0x02, 0xaa)).check).toMatchObject({ verdict: 'foreign', reason: containing('provider 0x00') });
    expect(classify(Uint8Array.of(0x00, 1, 2)).check).toMatchObject({ verdict: 'skipped', reason: containing('brotli') });
    expect(classify(Uint8Array.of(0x88, 1, 2)).check).toMatchObject({ verdict: 'skipped', reason: containing('AnyTrust') });
    expect(classify(Uint8Array.of(0x50, 1)).check).toMatchObject({ verdict: 'skipped', reason: containing('blob hashes') });
    expect(classify(undefined, { dataLocation: 'NoData' }).check).toMatchObject({ verdict: 'skipped' });
    expect(classify(undefined, { dataLocation: 'Blob' }).check).toMatchObject({ verdict: 'skipped', reason: containing('blob batch') });
    expect(classify(new Uint8Array()).check).toMatchObject({ verdict: 'skipped' });
  });

  it('calls a broken certificate with our byte invalid, and an unknown body version foreign', () => {
    expect(classify(certificate.subarray(0, 50)).check).toMatchObject({ verdict: 'invalid', steps: [{ step: 'decode', ok: false }] });
    expect(classify(Uint8Array.of(0x01)).check).toMatchObject({ verdict: 'invalid' });
    const badColumns = certificate.slice();
    badColumns.set([9, 0, 3, 0], 36); // start 9 ≥ end 3
    expect(classify(badColumns).check).toMatchObject({ verdict: 'invalid' });
    const v1 = Uint8Array.of(0x01, 0x57, 0x01, ...encodeBody(body).subarray(1));
    expect(classify(v1).check).toMatchObject({ verdict: 'foreign', reason: containing('body version 0x01') });
  });
});
