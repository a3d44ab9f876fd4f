// The SequencerInbox ABI that carries batch data, exactly as declared in OffchainLabs/nitro-contracts
// v3.2.0 (2695e7b3e3f460531e2b77fed48a60561c54d90e; unchanged at 67487333 on main):
//   src/bridge/ISequencerInbox.sol     SequencerBatchDelivered, SequencerBatchData, addSequencerL2Batch*
//   src/bridge/IBridge.sol             struct TimeBounds (4 × uint64), enum BatchDataLocation (uint8)
//   src/bridge/DelayBufferTypes.sol    struct DelayProof { bytes32 beforeDelayedAcc; Messages.Message delayedMessage }
//   src/bridge/Messages.sol            struct Message (kind, sender, blockNumber, timestamp, inboxSeqNum, baseFeeL1, messageDataHash)
// IGasRefunder is an address on the wire. v3.2.0 is the first release whose SequencerInbox accepts
// the 0x01 DA-certificate header (src/bridge/SequencerInbox.sol `isValidCallDataFlag`).
import { parseAbi } from 'viem';

export const SEQUENCER_INBOX_ABI = parseAbi([
  'struct TimeBounds { uint64 minTimestamp; uint64 maxTimestamp; uint64 minBlockNumber; uint64 maxBlockNumber; }',
  'struct Message { uint8 kind; address sender; uint64 blockNumber; uint64 timestamp; uint256 inboxSeqNum; uint256 baseFeeL1; bytes32 messageDataHash; }',
  'struct DelayProof { bytes32 beforeDelayedAcc; Message delayedMessage; }',
  'event SequencerBatchDelivered(uint256 indexed batchSequenceNumber, bytes32 indexed beforeAcc, bytes32 indexed afterAcc, bytes32 delayedAcc, uint256 afterDelayedMessagesRead, TimeBounds timeBounds, uint8 dataLocation)',
  'event SequencerBatchData(uint256 indexed batchSequenceNumber, bytes data)',
  // Deprecated (reverts since v2), still in the ABI; Nitro decodes every calldata batch with it.
  'function addSequencerL2BatchFromOrigin(uint256 sequenceNumber, bytes data, uint256 afterDelayedMessagesRead, address gasRefunder)',
  'function addSequencerL2BatchFromOrigin(uint256 sequenceNumber, bytes data, uint256 afterDelayedMessagesRead, address gasRefunder, uint256 prevMessageCount, uint256 newMessageCount)',
  'function addSequencerL2Batch(uint256 sequenceNumber, bytes data, uint256 afterDelayedMessagesRead, address gasRefunder, uint256 prevMessageCount, uint256 newMessageCount)',
  'function addSequencerL2BatchFromOriginDelayProof(uint256 sequenceNumber, bytes data, uint256 afterDelayedMessagesRead, address gasRefunder, uint256 prevMessageCount, uint256 newMessageCount, DelayProof delayProof)',
  'function addSequencerL2BatchDelayProof(uint256 sequenceNumber, bytes data, uint256 afterDelayedMessagesRead, address gasRefunder, uint256 prevMessageCount, uint256 newMessageCount, DelayProof delayProof)',
  'function addSequencerL2BatchFromBlobs(uint256 sequenceNumber, uint256 afterDelayedMessagesRead, address gasRefunder, uint256 prevMessageCount, uint256 newMessageCount)',
  'function addSequencerL2BatchFromBlobsDelayProof(uint256 sequenceNumber, uint256 afterDelayedMessagesRead, address gasRefunder, uint256 prevMessageCount, uint256 newMessageCount, DelayProof delayProof)',
]);

/** `IBridge.BatchDataLocation`, in declaration order. */
export const BATCH_DATA_LOCATIONS = ['TxInput', 'SeparateBatchEvent', 'NoData', 'Blob'] as const;
export type BatchDataLocation = (typeof BATCH_DATA_LOCATIONS)[number];
