// `walrus-da verify` and the verifier library against real Walrus (walrus-local) and Sui reads:
// a fresh commitment passes in both modes; tampering fails and names the failing step.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.ts';
import { encodeFramed, type CommitmentBody } from '../../src/commitment/index.ts';
import type { VerificationReport } from '../../src/core/index.ts';
import { batcherFrame } from '../support/opstack-client.ts';
import { failingSteps as failing, runCli, runVerifyCli } from '../support/cli.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
let body: CommitmentBody;
let otherBody: CommitmentBody;

beforeAll(async () => {
  stack = await startStack({ maxWaitMs: 20 });
  body = (await stack.service.put(batcherFrame(50_000))).commitment.body;
  otherBody = (await stack.service.put(batcherFrame(7_000))).commitment.body;
});

afterAll(() => stack?.close());

describe('verify', () => {
  it('passes a fresh commitment in both modes, through the library and the CLI', async () => {
    const quick = await stack.composed.verifier.verify(body, { full: false });
    expect(quick.ok).toBe(true);
    expect(quick.steps.map((s) => s.step)).toEqual(['decode', 'data', 'availability', 'certificate']);
    const full = await stack.composed.verifier.verify(body, { full: true });
    expect(full.ok).toBe(true);
    expect(full.steps.find((s) => s.step === 'full')?.reason).toMatch(/^recomputed blob id .* and its data matches$/);

    const cli = await runVerifyCli(stack.walrusLocal, body, { full: true });
    expect(cli.code).toBe(0);
    expect(cli.report.ok).toBe(true);
    expect(cli.report.steps.map((s) => s.step)).toEqual(['decode', 'data', 'availability', 'certificate', 'full']);
  });

  it('fails a tampered keccak at the data and full steps', async () => {
    const tampered = { ...body, frameKeccak: new Uint8Array(32).fill(0x42) };
    const { code, report } = await runVerifyCli(stack.walrusLocal, tampered, { full: true });
    expect(code).toBe(1);
    expect(failing(report)).toEqual(['data', 'full']);
    expect(report.steps.find((s) => s.step === 'full')?.reason).toContain('has no patch named 4242');
  });

  it('fails a wrong object id at the availability and certificate steps', async () => {
    const { code, report } = await runVerifyCli(stack.walrusLocal, { ...body, objectId: otherBody.objectId });
    expect(code).toBe(1);
    expect(failing(report)).toEqual(['availability', 'certificate']);
    expect(report.steps.find((s) => s.step === 'availability')?.reason).toMatch(/holds blob \d+, not the quilt \d+/);
    // That object's certificate signs the other quilt's confirmation.
    expect(report.steps.find((s) => s.step === 'certificate')?.reason).toMatch(/^transaction \S+ certified message 0x[0-9a-f]{80}, not the permanent confirmation of quilt /);
    const missing = await runVerifyCli(stack.walrusLocal, { ...body, objectId: new Uint8Array(32).fill(0x99) });
    expect(missing.report.steps.find((s) => s.step === 'availability')?.reason).toMatch(/^Sui has no object 0x9999/);
  });

  it('rejects input that is not a commitment with exit code 2', async () => {
    const result = await runCli(['verify', '0x1234', '--aggregator-url', 'http://127.0.0.1:9', '--sui-rpc-url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, steps: [{ step: 'decode', ok: false }] });
  });

  it('reads its endpoints from WALRUS_DA_* variables and a serve config file, as serve does', async () => {
    const w = stack.walrusLocal;
    const dir = await mkdtemp(join(tmpdir(), 'wda-verify-'));
    try {
      const file = join(dir, 'walrus-da.json');
      // A file written for serve: verify skips the settings it does not use (httpPort, batchMaxFrames).
      await writeFile(file, JSON.stringify({ network: 'custom', walrusSystemObject: w.systemObjectId, walrusStakingObject: w.stakingObjectId, httpPort: 4000, batchMaxFrames: 10 }));
      const env = { ...process.env, WALRUS_DA_AGGREGATOR_URL: w.aggregatorUrl, WALRUS_DA_SUI_RPC_URL: w.suiRpcUrl };
      const result = await runCli(['verify', bytesToHex(encodeFramed(body)), '--config', file], { env });
      expect(result.code, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as VerificationReport).ok).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad setting with exit code 2, naming the flag and its environment twin', async () => {
    const env = { ...process.env, WALRUS_DA_SUI_TRANSPORT: 'carrier-pigeon' };
    const result = await runCli(['verify', bytesToHex(encodeFramed(body)), '--da-byte', '256'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--da-byte (WALRUS_DA_DA_BYTE)');
    expect(result.stderr).toContain('--sui-transport (WALRUS_DA_SUI_TRANSPORT)');
  });

  it('fails an expired blob at the availability step', async () => {
    expect(stack.walrusLocal.currentEpoch()).toBeGreaterThan(0);
    const report = await stack.composed.verifier.verify(body, { full: false });
    const endEpoch = Number(report.steps.find((s) => s.step === 'availability')?.facts?.endEpoch);
    await stack.walrusLocal.advanceEpochs(endEpoch - stack.walrusLocal.currentEpoch());
    const { code, report: expired } = await runVerifyCli(stack.walrusLocal, body);
    expect(code).toBe(1);
    expect(expired.steps.find((s) => s.step === 'availability')?.reason).toMatch(/^blob expired: current epoch \d+ is not before end epoch \d+/);
  });
});
