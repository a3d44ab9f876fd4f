// Property tests for the parsers of untrusted L1 data: whatever a transaction or log holds, they
// answer (or raise their own typed error), and what they accept is exactly what was encoded.
import fc from 'fast-check';
import { encodeFunctionData, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../bytes/index.ts';
import { encodeFramed, type CommitmentBody } from '../commitment/index.ts';
import { SEQUENCER_INBOX_ABI } from './orbit-abi.ts';
import { OrbitDecodeError, batchDataFromCalldata, classifyOrbitBatch, decodeBatchDelivered, type BatchDelivered } from './orbit-inbox.ts';
import { classifyOpStackTransaction } from './opstack-inbox.ts';
import { VERDICTS } from './types.ts';

const BATCHER = '0x00000000000000000000000000000000000000b1';
const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const hexOf = (data: Uint8Array) => bytesToHex(data) as Hex;
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const u256 = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n });
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map(hexOf);
const body: fc.Arbitrary<CommitmentBody> = fc
  .record({
    quiltId: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    startColumn: fc.integer({ min: 1, max: 65_534 }),
    width: fc.integer({ min: 1, max: 65_534 }),
    objectId: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    frameKeccak: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  })
  .map(({ width, ...rest }) => ({ ...rest, endColumn: Math.min(65_535, rest.startColumn + width) }));

/** Inputs that are mostly near-valid: a valid prefix with random mutations and lengths. */
const opCalldata = fc.oneof(
  bytes(140),
  fc.tuple(fc.constantFrom(0x00, 0x01, 0x02), fc.constantFrom(0x00, 0x01, 0x07), fc.constantFrom(0x57, 0x0c, 0x00), bytes(120)).map(([a, b, c, rest]) => Uint8Array.of(a, b, c, ...rest)),
  fc.tuple(body, fc.nat(104), fc.nat(255)).map(([b, at, value]) => {
    const data = Uint8Array.of(0x01, ...encodeFramed(b));
    data[1 + at] = value;
    return data;
  }),
);

describe('OP Stack inbox calldata', () => {
  it('always classifies, never throws, with a verdict or a check', () => {
    fc.assert(
      fc.property(opCalldata, fc.constantFrom('eip1559', 'legacy', 'eip4844'), fc.boolean(), (input, type, fromBatcher) => {
        const found = classifyOpStackTransaction(
          { blockNumber: 1n, hash: '0x01', index: 0, from: fromBatcher ? BATCHER : '0x0000000000000000000000000000000000000002', type, input, blobCount: type === 'eip4844' ? 1 : 0 },
          { batcher: BATCHER },
        );
        if (found.check.type === 'decided') expect(VERDICTS).toContain(found.check.verdict);
        else expect(fromBatcher && type !== 'eip4844').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts a Walrus commitment exactly when the calldata is 0x01 ‖ its framed encoding', () => {
    fc.assert(
      fc.property(opCalldata, (input) => {
        const found = classifyOpStackTransaction({ blockNumber: 1n, hash: '0x01', index: 0, from: BATCHER, type: 'eip1559', input, blobCount: 0 }, { batcher: BATCHER });
        if (found.check.type === 'walrus') expect(Uint8Array.of(0x01, ...encodeFramed(found.check.body))).toEqual(input);
        if (found.check.type === 'keccak') expect(Uint8Array.of(0x01, 0x00, ...found.check.keccak)).toEqual(input);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Orbit calldata and logs', () => {
  it('reads back the data of every batch-posting function, whatever the arguments', () => {
    fc.assert(
      fc.property(u256, bytes(300), u256, address, u256, u256, (seq, data, delayed, refunder, prev, next) => {
        const hex = hexOf(data);
        const proof = {
          beforeDelayedAcc: hexOf(new Uint8Array(32).fill(1)),
          delayedMessage: { kind: 3, sender: refunder, blockNumber: 1n, timestamp: 2n, inboxSeqNum: seq, baseFeeL1: delayed, messageDataHash: hexOf(new Uint8Array(32).fill(2)) },
        };
        const calls = [
          encodeFunctionData({ abi: SEQUENCER_INBOX_ABI, functionName: 'addSequencerL2BatchFromOrigin', args: [seq, hex, delayed, refunder] }),
          encodeFunctionData({ abi: SEQUENCER_INBOX_ABI, functionName: 'addSequencerL2BatchFromOrigin', args: [seq, hex, delayed, refunder, prev, next] }),
          encodeFunctionData({ abi: SEQUENCER_INBOX_ABI, functionName: 'addSequencerL2Batch', args: [seq, hex, delayed, refunder, prev, next] }),
          encodeFunctionData({ abi: SEQUENCER_INBOX_ABI, functionName: 'addSequencerL2BatchFromOriginDelayProof', args: [seq, hex, delayed, refunder, prev, next, proof] }),
          encodeFunctionData({ abi: SEQUENCER_INBOX_ABI, functionName: 'addSequencerL2BatchDelayProof', args: [seq, hex, delayed, refunder, prev, next, proof] }),
        ];
        for (const call of calls) expect(batchDataFromCalldata(call).data).toEqual(data);
      }),
      { numRuns: 300 },
    );
  });

  it('answers arbitrary calldata with data or an OrbitDecodeError, nothing else', () => {
    const mutated = fc
      .tuple(bytes(200), fc.array(fc.tuple(fc.nat(400), fc.nat(255)), { maxLength: 4 }), fc.nat(400))
      .map(([data, edits, cut]) => {
        const call = hexToArray(encodeFunctionData({ abi: SEQUENCER_INBOX_ABI, functionName: 'addSequencerL2BatchFromOrigin', args: [1n, hexOf(data), 2n, BATCHER, 3n, 4n] }));
        for (const [at, value] of edits) if (at < call.length) call[at] = value;
        return hexOf(call.subarray(0, Math.max(0, call.length - cut)));
      });
    fc.assert(
      fc.property(fc.oneof(bytes(300).map(hexOf), mutated), (input) => {
        try {
          expect(batchDataFromCalldata(input).data).toBeInstanceOf(Uint8Array);
        } catch (error) {
          expect(error).toBeInstanceOf(OrbitDecodeError);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('answers arbitrary logs with a batch or an OrbitDecodeError', () => {
    const topic = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(hexOf);
    const realTopic = fc.constant<Hex>('0x7394f4a19a13c7b92b5bb71033245305946ef78452f7b4986ac1390b5df4ebd7');
    fc.assert(
      fc.property(fc.array(fc.oneof(realTopic, topic), { maxLength: 5 }), bytes(300), (topics, data) => {
        try {
          const batch = decodeBatchDelivered({ topics, data: hexOf(data) });
          expect(batch.batchNumber).toBeLessThan(2n ** 64n);
        } catch (error) {
          expect(error).toBeInstanceOf(OrbitDecodeError);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('classifies any batch data without throwing; a Walrus check only for the framed encoding', () => {
    const batch: BatchDelivered = { batchNumber: 1n, afterDelayedMessagesRead: 0n, timeBounds: { minTimestamp: 0n, maxTimestamp: 0n, minBlockNumber: 0n, maxBlockNumber: 0n }, dataLocation: 'TxInput' };
    fc.assert(
      fc.property(fc.oneof(opCalldata.map((d) => d.subarray(1)), bytes(200)), u64, (data, afterDelayed) => {
        const found = classifyOrbitBatch({ l1Block: 1n, txHash: '0x01', txIndex: 0, logIndex: 0 }, { ...batch, afterDelayedMessagesRead: afterDelayed }, { method: 'm', data });
        if (found.check.type === 'walrus') expect(encodeFramed(found.check.body)).toEqual(data);
        else expect(found.check.type).toBe('decided');
      }),
      { numRuns: 1500 },
    );
  });
});

function hexToArray(hex: Hex): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}
