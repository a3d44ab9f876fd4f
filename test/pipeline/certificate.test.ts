// The certificate step end to end: quilts certified by walrus-local with a genuine certificate, and
// in its test mode with too few signers or a wrong aggregate signature (which real Sui would
// refuse), verified through the library, `walrus-da verify` and gRPC Verify. The certification
// transaction and the committee are read over Sui JSON-RPC with @mysten/sui.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBody, type CommitmentBody } from '../../src/commitment/index.ts';
import type { VerificationReport } from '../../src/core/index.ts';
import { DataAvailabilityService, VerificationStepKind } from '../../src/grpc/gen/walrusda/v1/da_pb.ts';
import { unary } from '../grpc/support/client.ts';
import { startGrpcHarness, type GrpcHarness } from '../grpc/support/harness.ts';
import { batcherFrame } from '../support/opstack-client.ts';
import { failingSteps as failing, runVerifyCli } from '../support/cli.ts';
import type { Stack } from '../support/stack.ts';

let harness: GrpcHarness;
let stack: Stack;
let genuine: CommitmentBody;
let tooFewSigners: CommitmentBody;
let wrongSignature: CommitmentBody;

beforeAll(async () => {
  harness = await startGrpcHarness({ stack: { maxWaitMs: 20 } });
  stack = harness.stack;
  genuine = (await stack.service.put(batcherFrame(9_000))).commitment.body;
  stack.walrusLocal.setCertificateFault('too-few-signers');
  tooFewSigners = (await stack.service.put(batcherFrame(9_001))).commitment.body;
  stack.walrusLocal.setCertificateFault('wrong-signature');
  wrongSignature = (await stack.service.put(batcherFrame(9_002))).commitment.body;
  stack.walrusLocal.setCertificateFault(undefined);
});

afterAll(() => harness?.close());

/** gRPC Verify's certificate step: ok and reason. */
async function grpcCertificate(target: CommitmentBody): Promise<{ ok: boolean; reason: string } | undefined> {
  const response = await unary(harness.client, DataAvailabilityService.method.verify, { commitment: { value: encodeBody(target) } });
  const step = response.steps.find((s) => s.step === VerificationStepKind.CERTIFICATE);
  return step && { ok: step.ok, reason: step.reason };
}

const certificateOf = (report: VerificationReport) => report.steps.find((s) => s.step === 'certificate');

describe('certificate step', () => {
  it('passes a genuine certificate: a quorum of the epoch committee signed the permanent confirmation', async () => {
    const { code, report } = await runVerifyCli(stack.walrusLocal, genuine);
    expect(code).toBe(0);
    expect(report.steps.map((s) => s.step)).toEqual(['decode', 'data', 'availability', 'certificate']);
    const step = certificateOf(report);
    expect(step?.ok).toBe(true);
    expect(step?.reason).toMatch(/^\d of 4 members of epoch \d+, holding \d+ of 100 shards \(quorum 67\), signed the permanent confirmation of quilt \S+; transaction \S+$/);
    expect(step?.facts).toMatchObject({ nShards: 100, members: 4, quorumWeight: 67 });

    // The serve composition runs the same step, and gRPC Verify reports it.
    const composed = await stack.composed.verifier.verify(genuine, { full: false });
    expect(certificateOf(composed)).toMatchObject({ ok: true, reason: step?.reason });
    expect(await grpcCertificate(genuine)).toEqual({ ok: true, reason: step?.reason });
  });

  it('fails a certificate with too few signers, although walrus-local accepted it', async () => {
    // The Blob object is certified on the (test-mode) chain: availability passes, the certificate does not.
    const { code, report } = await runVerifyCli(stack.walrusLocal, tooFewSigners);
    expect(code).toBe(1);
    expect(failing(report)).toEqual(['certificate']);
    expect(certificateOf(report)?.reason).toBe('too few signers: 1 of 4 members hold 25 of 100 shards; a quorum needs 3·w ≥ 2·100 + 1, i.e. 67 shards');
    expect(await grpcCertificate(tooFewSigners)).toEqual({ ok: false, reason: certificateOf(report)?.reason });
  });

  it('fails a quorum certificate whose aggregate signature does not verify', async () => {
    const { code, report } = await runVerifyCli(stack.walrusLocal, wrongSignature);
    expect(code).toBe(1);
    expect(failing(report)).toEqual(['certificate']);
    expect(certificateOf(report)?.reason).toMatch(/^wrong signature: the 96-byte aggregate signature does not verify \(BLS12-381 min-pk\) against the \d signers' keys of epoch \d+$/);
    expect(await grpcCertificate(wrongSignature)).toEqual({ ok: false, reason: certificateOf(report)?.reason });
  });

  it('skips the step for go-da Validate (certificate: false)', async () => {
    const report = await stack.composed.verifier.verify(tooFewSigners, { full: false, certificate: false });
    expect(report.steps.map((s) => s.step)).toEqual(['decode', 'data', 'availability']);
    expect(report.ok).toBe(true);
  });

  it('cannot check a certificate of an earlier epoch: Sui holds only the current committee', async () => {
    const certifiedIn = certificateOf(await stack.composed.verifier.verify(genuine, { full: false }))?.facts?.epoch;
    await stack.walrusLocal.advanceEpochs(1);
    const report = await stack.composed.verifier.verify(genuine, { full: false });
    const step = certificateOf(report);
    expect(step?.ok).toBe(false);
    expect(step?.reason).toBe(
      `cannot check: committee of epoch ${String(certifiedIn)} not readable: Sui holds only the committee of the current epoch ${Number(certifiedIn) + 1}, whose keys and shards may differ from epoch ${String(certifiedIn)}'s`,
    );
    expect(step?.facts).toMatchObject({ checked: false });
  });
});
