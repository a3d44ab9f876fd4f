// A stand-in SequencerInbox for tests: our own small contract with exactly the function and event
// signatures of OffchainLabs/nitro-contracts v3.2.0 (2695e7b3e3f460531e2b77fed48a60561c54d90e)
// src/bridge/ISequencerInbox.sol (see src/scan/orbit-abi.ts), and the data-location rules of its
// src/bridge/SequencerInbox.sol: calls from a codeless origin (…FromOrigin…) deliver TxInput
// batches, addSequencerL2Batch* deliver SeparateBatchEvent batches plus a SequencerBatchData log,
// blob calls deliver Blob batches. No accumulator, delay or fee logic: only what a reader of L1
// sees. Compiled with solc-js, offline.
import solc from 'solc';
import type { Abi, Hex } from 'viem';

export const SEQUENCER_INBOX_STUB_SOURCE = `// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

interface IGasRefunder {}

library Messages {
    struct Message {
        uint8 kind;
        address sender;
        uint64 blockNumber;
        uint64 timestamp;
        uint256 inboxSeqNum;
        uint256 baseFeeL1;
        bytes32 messageDataHash;
    }
}

struct DelayProof {
    bytes32 beforeDelayedAcc;
    Messages.Message delayedMessage;
}

contract SequencerInboxStub {
    struct TimeBounds {
        uint64 minTimestamp;
        uint64 maxTimestamp;
        uint64 minBlockNumber;
        uint64 maxBlockNumber;
    }

    enum BatchDataLocation { TxInput, SeparateBatchEvent, NoData, Blob }

    event SequencerBatchDelivered(
        uint256 indexed batchSequenceNumber,
        bytes32 indexed beforeAcc,
        bytes32 indexed afterAcc,
        bytes32 delayedAcc,
        uint256 afterDelayedMessagesRead,
        TimeBounds timeBounds,
        BatchDataLocation dataLocation
    );
    event SequencerBatchData(uint256 indexed batchSequenceNumber, bytes data);

    uint256 public batchCount;
    bytes32 public lastAcc;
    address public immutable batchPoster;

    constructor(address poster) {
        batchPoster = poster;
    }

    function addSequencerL2BatchFromOrigin(
        uint256 sequenceNumber, bytes calldata data, uint256 afterDelayedMessagesRead,
        IGasRefunder, uint256, uint256
    ) external {
        require(msg.sender == tx.origin, "not a codeless origin");
        deliver(sequenceNumber, data, afterDelayedMessagesRead, BatchDataLocation.TxInput);
    }

    function addSequencerL2Batch(
        uint256 sequenceNumber, bytes calldata data, uint256 afterDelayedMessagesRead,
        IGasRefunder, uint256, uint256
    ) external {
        uint256 seq = deliver(sequenceNumber, data, afterDelayedMessagesRead, BatchDataLocation.SeparateBatchEvent);
        emit SequencerBatchData(seq, data);
    }

    function addSequencerL2BatchFromOriginDelayProof(
        uint256 sequenceNumber, bytes calldata data, uint256 afterDelayedMessagesRead,
        IGasRefunder, uint256, uint256, DelayProof calldata
    ) external {
        require(msg.sender == tx.origin, "not a codeless origin");
        deliver(sequenceNumber, data, afterDelayedMessagesRead, BatchDataLocation.TxInput);
    }

    function addSequencerL2BatchFromBlobs(
        uint256 sequenceNumber, uint256 afterDelayedMessagesRead, IGasRefunder, uint256, uint256
    ) external {
        deliver(sequenceNumber, msg.data[0:0], afterDelayedMessagesRead, BatchDataLocation.Blob);
    }

    function deliver(uint256 sequenceNumber, bytes calldata data, uint256 afterDelayed, BatchDataLocation location) internal returns (uint256 seq) {
        require(msg.sender == batchPoster, "not the batch poster");
        seq = batchCount;
        require(sequenceNumber == seq || sequenceNumber == type(uint256).max, "bad sequence number");
        bytes32 beforeAcc = lastAcc;
        bytes32 afterAcc = keccak256(abi.encodePacked(beforeAcc, keccak256(data)));
        lastAcc = afterAcc;
        batchCount = seq + 1;
        TimeBounds memory bounds = TimeBounds(
            uint64(block.timestamp > 3600 ? block.timestamp - 3600 : 0),
            uint64(block.timestamp + 3600),
            uint64(block.number > 100 ? block.number - 100 : 0),
            uint64(block.number + 100)
        );
        emit SequencerBatchDelivered(seq, beforeAcc, afterAcc, bytes32(0), afterDelayed, bounds, location);
    }
}
`;

export interface CompiledContract {
  readonly abi: Abi;
  readonly bytecode: Hex;
}

interface SolcOutput {
  readonly errors?: readonly { readonly severity: string; readonly formattedMessage: string }[];
  readonly contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

/** Compiles the stub with the solc-js release pinned in package.json (a few seconds). */
export function compileSequencerInboxStub(): CompiledContract {
  const input = {
    language: 'Solidity',
    sources: { 'SequencerInboxStub.sol': { content: SEQUENCER_INBOX_STUB_SOURCE } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { SequencerInboxStub: ['abi', 'evm.bytecode.object'] } } },
  };
  const output = JSON.parse((solc as { compile(input: string): string }).compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(`solc: ${errors.map((e) => e.formattedMessage).join('\n')}`);
  const contract = output.contracts['SequencerInboxStub.sol']?.SequencerInboxStub;
  if (!contract) throw new Error('solc produced no SequencerInboxStub');
  return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
}
