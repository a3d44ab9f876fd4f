// Public surface of `walrus-da scan`'s L1 reader: find every batch a rollup posted in a block
// range (OP Stack batch inbox, Orbit SequencerInbox), check each, report each. Pure parsers of L1
// data are separate from the viem wiring (`*-source.ts`) and the checks (`batch-checker.ts`).
export { BatchChecker, type BatchCheckerOptions } from './batch-checker.ts';
export { CheckpointError, parseCheckpoint, readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint.ts';
export { writeFrameFile } from './frame-files.ts';
export { FrameRecorder } from './frame-recorder.ts';
export { lookupKeccak, type KeccakLookup } from './keccak-lookup.ts';
export { BATCH_DATA_LOCATIONS, SEQUENCER_INBOX_ABI, type BatchDataLocation } from './orbit-abi.ts';
export {
  OrbitDecodeError,
  batchDataFromCalldata,
  classifyOrbitBatch,
  decodeBatchDataLog,
  decodeBatchDelivered,
  sequencerHeader,
  type BatchDelivered,
  type OrbitBatchPosition,
} from './orbit-inbox.ts';
export { OrbitSource, type OrbitSourceOptions } from './orbit-source.ts';
export { classifyOpStackTransaction, type InboxTransaction, type OpStackInboxConfig } from './opstack-inbox.ts';
export { OpStackSource, type OpStackSourceOptions } from './opstack-source.ts';
export { ScanRangeError, byL1Position, runScan, type BatchSource, type ScanOptions } from './scanner.ts';
export { VERDICTS, isFailure, type BatchCheck, type BatchKind, type BatchRecord, type Chain, type FoundBatch, type ScanSummary, type Verdict } from './types.ts';
export { judgeReport, type Judgement } from './verdict.ts';
