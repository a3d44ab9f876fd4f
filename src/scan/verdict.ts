// Turns the verifier's step report into a scan verdict. A verifier failure is either a fact about
// the commitment (invalid: the bytes do not match, Sui's object is not this quilt) or a fact about
// the moment (unavailable: an aggregator or Sui could not be read, the data is gone, the quilt
// expired). The distinction matters to an operator: retry later, or raise an alarm.
import { leBytesToBigInt } from '../bytes/index.ts';
import type { CommitmentBody } from '../commitment/index.ts';
import type { VerificationReport, VerificationStep } from '../core/index.ts';
import type { Verdict } from './types.ts';

export interface Judgement {
  readonly verdict: Extract<Verdict, 'valid' | 'invalid' | 'unavailable'>;
  readonly reason: string;
}

export function judgeReport(report: VerificationReport, body: CommitmentBody): Judgement {
  const failed = report.steps.filter((step) => !step.ok);
  if (report.ok && failed.length === 0) {
    return { verdict: 'valid', reason: `${report.full ? 'fully ' : ''}verified on Walrus and Sui` };
  }
  const decisive = failed.filter((step) => isDecisive(step, body));
  const first = decisive[0] ?? failed[0];
  const reason = first ? `${first.step}: ${first.reason}` : 'the verifier reported a failure without a failed step';
  return { verdict: decisive.length > 0 ? 'invalid' : 'unavailable', reason };
}

/** Whether a failed step proves the commitment wrong (rather than the data unreachable now). */
function isDecisive(step: VerificationStep, body: CommitmentBody): boolean {
  const facts = step.facts ?? {};
  switch (step.step) {
    case 'decode':
      return true;
    case 'data':
      // Aggregators answered with bytes that do not hash to the committed keccak, or the storage
      // nodes proved the commitment invalid (docs/verdicts.md).
      return facts.error === 'INTEGRITY' || facts.verdict === 'proven-invalid';
    case 'full':
      // The quilt was read: its blob id, index, columns or data contradict the commitment.
      return facts.error === undefined;
    case 'availability':
      return availabilityIsDecisive(facts, body);
    case 'certificate':
      // Checked and refused (message, signers, signature); "cannot check" and Sui errors are not.
      return facts.checked !== false && facts.error === undefined;
  }
}

/**
 * Sui answered (no `error` fact) and the object is missing, of another type or quilt, not
 * certified, or deletable: decisive. Only the clock (expired, too few epochs left) is not.
 */
function availabilityIsDecisive(facts: NonNullable<VerificationStep['facts']>, body: CommitmentBody): boolean {
  if (facts.error !== undefined) return false;
  if (facts.type === undefined) return true; // Sui has no such object
  const isBlob = typeof facts.type === 'string' && facts.type.endsWith('::blob::Blob');
  const sameQuilt = facts.blobIdU256 === leBytesToBigInt(body.quiltId).toString(); // as assessBlobObject reports it
  return !(isBlob && sameQuilt && facts.certifiedEpoch !== null && facts.deletable === false);
}
