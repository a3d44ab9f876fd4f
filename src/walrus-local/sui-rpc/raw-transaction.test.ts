import { bcs as suiBcs } from '@mysten/sui/bcs';
import { describe, expect, it } from 'vitest';
import type { LedgerTransaction } from '../ledger/types.ts';
import { rawTransaction } from './raw-transaction.ts';

const address = (byte: number) => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;
const digest = '11111111111111111111111111111111'; // base58 of 32 zero bytes

describe('rawTransaction', () => {
  it('is a SenderSignedData whose one MoveCall takes the system, the blob and the pure inputs in order', () => {
    const tx: LedgerTransaction = {
      digest,
      sequence: 4,
      timestampMs: 0,
      epoch: 1,
      function: 'certify_blob',
      objects: [address(1), address(2)],
      inputs: [
        { valueType: 'vector<u8>', bcs: Buffer.from([2, 0xaa, 0xbb]).toString('base64') },
        { valueType: 'vector<u8>', bcs: Buffer.from([1, 0x07]).toString('base64') },
        { valueType: 'vector<u8>', bcs: Buffer.from([0]).toString('base64') },
      ],
      created: [],
      mutated: [address(2)],
    };
    const raw = rawTransaction(tx, { packageId: address(9), systemObjectId: address(1), sender: address(5), objectRef: () => ({ version: 4, digest }) });
    const [signed] = suiBcs.SenderSignedData.parse(Buffer.from(raw, 'base64'));
    const data = signed?.intentMessage.value.V1;
    expect(data?.sender).toBe(address(5));
    const ptb = data?.kind.ProgrammableTransaction;
    expect(ptb?.inputs).toEqual([
      { $kind: 'Object', Object: { $kind: 'SharedObject', SharedObject: { objectId: address(1), initialSharedVersion: '1', mutable: true } } },
      { $kind: 'Object', Object: { $kind: 'ImmOrOwnedObject', ImmOrOwnedObject: { objectId: address(2), version: '4', digest } } },
      { $kind: 'Pure', Pure: { bytes: Buffer.from([2, 0xaa, 0xbb]).toString('base64') } },
      { $kind: 'Pure', Pure: { bytes: Buffer.from([1, 0x07]).toString('base64') } },
      { $kind: 'Pure', Pure: { bytes: Buffer.from([0]).toString('base64') } },
    ]);
    expect(ptb?.commands).toEqual([
      {
        $kind: 'MoveCall',
        MoveCall: { package: address(9), module: 'system', function: 'certify_blob', typeArguments: [], arguments: [0, 1, 2, 3, 4].map((i) => ({ $kind: 'Input', Input: i })) },
      },
    ]);
  });
});
