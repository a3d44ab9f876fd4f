import { describe, expect, it } from 'vitest';
import { leBytesToBigInt } from '../bytes/index.ts';
import type { CommitmentBody } from '../commitment/index.ts';
import type { VerificationReport, VerificationStep } from '../core/index.ts';
import { judgeReport } from './verdict.ts';

const body: CommitmentBody = {
  quiltId: new Uint8Array(32).fill(7),
  startColumn: 1,
  endColumn: 4,
  objectId: new Uint8Array(32).fill(8),
  frameKeccak: new Uint8Array(32).fill(9),
};
const ok = (step: VerificationStep['step']): VerificationStep => ({ step, ok: true, reason: 'fine' });
const report = (...steps: VerificationStep[]): VerificationReport => ({ ok: steps.every((s) => s.ok), full: steps.some((s) => s.step === 'full'), steps });
const object = {
  type: '0xabc::blob::Blob',
  blobIdU256: leBytesToBigInt(body.quiltId).toString(),
  certifiedEpoch: 1,
  deletable: false,
  endEpoch: 5,
  currentEpoch: 5,
};
const availability = (facts: NonNullable<VerificationStep['facts']>): VerificationStep => ({ step: 'availability', ok: false, reason: 'no', facts });
const data = (error: string): VerificationStep => ({ step: 'data', ok: false, reason: `read failed: ${error}`, facts: { error } });

describe('judgeReport', () => {
  it('passes a report whose every step passed', () => {
    expect(judgeReport(report(ok('decode'), ok('data'), ok('availability')), body)).toEqual({ verdict: 'valid', reason: 'verified on Walrus and Sui' });
    expect(judgeReport(report(ok('decode'), ok('data'), ok('availability'), ok('full')), body).reason).toMatch(/^fully verified/);
  });

  it('calls wrong data invalid, unreadable data unavailable', () => {
    expect(judgeReport(report(ok('decode'), data('INTEGRITY'), ok('availability')), body)).toEqual({ verdict: 'invalid', reason: 'data: read failed: INTEGRITY' });
    for (const code of ['NOT_FOUND', 'UNAVAILABLE', 'INTERNAL']) {
      expect(judgeReport(report(ok('decode'), data(code), ok('availability')), body).verdict).toBe('unavailable');
    }
  });

  it('calls a Sui object that is not the quilt invalid, an expired or unreadable one unavailable', () => {
    const judge = (facts: NonNullable<VerificationStep['facts']>) => judgeReport(report(ok('decode'), ok('data'), availability(facts)), body).verdict;
    expect(judge(object)).toBe('unavailable'); // expired: only the clock is wrong
    expect(judge({ error: 'UNAVAILABLE' })).toBe('unavailable');
    expect(judge({ objectId: '0x08' })).toBe('invalid'); // Sui has no such object
    expect(judge({ ...object, blobIdU256: '12' })).toBe('invalid');
    expect(judge({ ...object, type: '0xabc::other::Thing' })).toBe('invalid');
    expect(judge({ ...object, certifiedEpoch: null })).toBe('invalid');
    expect(judge({ ...object, deletable: true })).toBe('invalid');
  });

  it('calls a full check that read the quilt decisive, one that could not read it not', () => {
    const full = (facts: NonNullable<VerificationStep['facts']>): VerificationStep => ({ step: 'full', ok: false, reason: 'full failed', facts });
    expect(judgeReport(report(ok('decode'), ok('data'), ok('availability'), full({ quiltId: 'q' })), body).verdict).toBe('invalid');
    expect(judgeReport(report(ok('decode'), ok('data'), ok('availability'), full({ quiltId: 'q', error: 'NOT_FOUND' })), body).verdict).toBe('unavailable');
  });

  it('names the decisive failure first', () => {
    const judged = judgeReport(report(ok('decode'), data('NOT_FOUND'), availability({ objectId: '0x08' })), body);
    expect(judged).toEqual({ verdict: 'invalid', reason: 'availability: no' });
    expect(judgeReport(report({ step: 'decode', ok: false, reason: 'bad' }), body)).toEqual({ verdict: 'invalid', reason: 'decode: bad' });
  });
});
