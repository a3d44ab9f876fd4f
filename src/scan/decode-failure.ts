// A commitment that carries this deployment's DA byte but does not decode: a body version this
// walrus-da does not know is another format (foreign, e.g. a newer walrus-da); any other fault
// (length, QuiltPatchId version, column range) is a broken commitment (invalid).
import type { CommitmentError } from '../commitment/index.ts';
import type { BatchCheck } from './types.ts';

export function decodeFailure(error: CommitmentError): BatchCheck {
  return {
    type: 'decided',
    verdict: error.reason === 'version' ? 'foreign' : 'invalid',
    reason: error.message,
    steps: [{ step: 'decode', ok: false, reason: error.message, facts: { error: error.reason } }],
  };
}

export function byteHex(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}
