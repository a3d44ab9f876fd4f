// The storage nodes' read of a commitment's columns: the frame, or the ground that proves it invalid.
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../bytes/index.ts';
import type { CommitmentBody } from '../commitment/index.ts';
import { judgeNodeRead } from './node-verdict.ts';

// keccak256("abc"), a published test vector, so the fixture does not come from the code under test.
const ABC_KECCAK = '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45';
const abc = new TextEncoder().encode('abc');
const body: CommitmentBody = { quiltId: new Uint8Array(32).fill(1), startColumn: 3, endColumn: 5, objectId: new Uint8Array(32).fill(2), frameKeccak: hexToBytes(ABC_KECCAK) };
const patch = (identifier: string, data: Uint8Array) => ({ kind: 'patch' as const, identifier, data, source: 'nodes' });

describe('judgeNodeRead', () => {
  it('returns the frame when the patch is named by the keccak and hashes to it', () => {
    expect(judgeNodeRead(patch(ABC_KECCAK, abc), body)).toEqual({ kind: 'frame', data: abc, source: 'nodes', identifier: ABC_KECCAK });
  });

  it.each([
    ['no-patch', { kind: 'no-patch' as const, reason: 'beyond the quilt', source: 'nodes' }],
    ['other-patch', patch('ff'.repeat(32), abc)],
    ['wrong-data', patch(ABC_KECCAK, new TextEncoder().encode('abd'))],
  ] as const)('proves %s', (ground, read) => {
    const verdict = judgeNodeRead(read, body);
    expect(verdict).toMatchObject({ kind: 'invalid', ground });
    expect(verdict.kind === 'invalid' && verdict.reason).toMatch(/^quilt 0x0101.* columns \[3, 5\) hold /);
  });
});
