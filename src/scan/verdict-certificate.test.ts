import { describe, expect, it } from 'vitest';
import type { CommitmentBody } from '../commitment/index.ts';
import type { VerificationReport, VerificationStep } from '../core/index.ts';
import { judgeReport } from './verdict.ts';

const body: CommitmentBody = { quiltId: new Uint8Array(32).fill(7), startColumn: 1, endColumn: 4, objectId: new Uint8Array(32).fill(8), frameKeccak: new Uint8Array(32).fill(9) };
const ok = (step: VerificationStep['step']): VerificationStep => ({ step, ok: true, reason: 'fine' });
const report = (...steps: VerificationStep[]): VerificationReport => ({ ok: steps.every((s) => s.ok), full: false, steps });
const certificate = (reason: string, facts: NonNullable<VerificationStep['facts']>): VerificationStep => ({ step: 'certificate', ok: false, reason, facts });

describe('judgeReport on the certificate step', () => {
  it('calls a checked and refused certificate invalid', () => {
    const judged = judgeReport(report(ok('decode'), ok('data'), ok('availability'), certificate('too few signers: …', { epoch: 3, signers: 1 })), body);
    expect(judged).toEqual({ verdict: 'invalid', reason: 'certificate: too few signers: …' });
  });

  it('calls a certificate that could not be checked, or a failed Sui read, unavailable', () => {
    const cannot = certificate('cannot check: committee of epoch 3 not readable: …', { checked: false });
    expect(judgeReport(report(ok('decode'), ok('data'), ok('availability'), cannot), body).verdict).toBe('unavailable');
    const down = certificate('cannot read Sui: …', { checked: false, error: 'UNAVAILABLE' });
    expect(judgeReport(report(ok('decode'), ok('data'), ok('availability'), down), body).verdict).toBe('unavailable');
  });
});
