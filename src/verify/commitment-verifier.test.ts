// The verifier's data step: aggregators first, then the storage nodes, and the verdict in facts
// (docs/verdicts.md). Fakes at the port boundary; the e2e tests cover the real adapters.
import { describe, expect, it } from 'vitest';
import { bytesToBareHex } from '../bytes/index.ts';
import { keccak256, type CommitmentBody } from '../commitment/index.ts';
import { NotFoundError, UnavailableError, type AvailabilityChecker, type BlobStore, type NodePatchRead, type NodePatchSource } from '../core/index.ts';
import type { EncoderPool } from '../walrus/codec/index.ts';
import { WalrusCommitmentVerifier } from './commitment-verifier.ts';

const frame = new TextEncoder().encode('a frame');
const body: CommitmentBody = { quiltId: new Uint8Array(32).fill(1), startColumn: 1, endColumn: 2, objectId: new Uint8Array(32).fill(2), frameKeccak: keccak256(frame) };

const noAggregator: BlobStore = {
  store: () => Promise.reject(new Error('unused')),
  readBlob: () => Promise.reject(new Error('unused')),
  readQuiltPatch: () => Promise.reject(new NotFoundError('every aggregator answered 404')),
};

const sui: AvailabilityChecker = {
  blobType: () => Promise.resolve('0xabc::blob::Blob'),
  currentEpoch: () => Promise.resolve({ epoch: 2, nShards: 10, epochDurationMs: 1000, firstEpochStartMs: 0 }),
  blobObject: () => Promise.resolve(undefined),
  certifiedObjectId: () => Promise.resolve(undefined),
};

function nodes(answer: NodePatchRead | Error): NodePatchSource {
  return { readPatch: () => (answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer)) };
}

async function dataStep(source?: NodePatchSource) {
  const verifier = new WalrusCommitmentVerifier({ blobStore: noAggregator, availability: sui, encoder: {} as EncoderPool, ...(source ? { nodes: source } : {}) });
  const report = await verifier.verify(body, { full: false });
  return report.steps.find((s) => s.step === 'data');
}

describe('WalrusCommitmentVerifier data step', () => {
  it('without nodes, an aggregator failure is unavailable with its DaError code', async () => {
    expect(await dataStep()).toMatchObject({ ok: false, facts: { error: 'NOT_FOUND', verdict: 'unavailable' } });
  });

  it('reads the nodes when no aggregator serves the patch', async () => {
    const step = await dataStep(nodes({ kind: 'patch', identifier: bytesToBareHex(body.frameKeccak), data: frame, source: 'nodes' }));
    expect(step).toMatchObject({ ok: true, facts: { source: 'nodes', length: frame.length } });
  });

  it.each([
    ['no-patch', { kind: 'no-patch', reason: 'column 1 is inside another patch', source: 'nodes' }],
    ['other-patch', { kind: 'patch', identifier: 'cd'.repeat(32), data: frame, source: 'nodes' }],
    ['wrong-data', { kind: 'patch', identifier: bytesToBareHex(body.frameKeccak), data: new Uint8Array(3), source: 'nodes' }],
  ] as const)('reports a %s proof from the nodes as proven invalid', async (ground, answer) => {
    expect(await dataStep(nodes(answer))).toMatchObject({ ok: false, facts: { error: 'PROVEN_INVALID', verdict: 'proven-invalid', ground } });
  });

  it('reports nodes that cannot answer as unavailable', async () => {
    const step = await dataStep(nodes(new UnavailableError('2 of 4 nodes answered')));
    expect(step).toMatchObject({ ok: false, facts: { error: 'UNAVAILABLE', verdict: 'unavailable' } });
    expect(step?.reason).toContain('every aggregator answered 404; storage nodes: 2 of 4 nodes answered');
  });
});
