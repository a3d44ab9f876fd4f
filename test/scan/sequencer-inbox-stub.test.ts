// The test stand-in for the SequencerInbox must speak exactly the ABI the scanner reads
// (src/scan/orbit-abi.ts, from nitro-contracts): same selectors, same event topics.
import { toEventSelector, toFunctionSelector, type AbiEvent, type AbiFunction } from 'viem';
import { describe, expect, it } from 'vitest';
import { SEQUENCER_INBOX_ABI } from '../../src/scan/index.ts';
import { compileSequencerInboxStub } from '../support/sequencer-inbox-stub.ts';

const signatures = (abi: readonly { type: string }[]) =>
  abi.flatMap((item) => (item.type === 'function' ? [toFunctionSelector(item as AbiFunction)] : item.type === 'event' ? [toEventSelector(item as AbiEvent)] : []));

describe('SequencerInbox stub', () => {
  it('compiles with solc-js and declares only signatures of the real ABI', () => {
    const stub = compileSequencerInboxStub();
    const real = new Set(signatures(SEQUENCER_INBOX_ABI));
    const getters = new Set(['batchCount', 'lastAcc', 'batchPoster']);
    const posting = stub.abi.filter((item) => item.type === 'event' || (item.type === 'function' && !getters.has(item.name)));
    expect(signatures(posting).filter((s) => !real.has(s))).toEqual([]);
    expect(signatures(posting)).toHaveLength(6); // 2 events, 4 batch-posting functions
    expect(stub.bytecode).toMatch(/^0x[0-9a-f]{100,}$/);
  });
});
