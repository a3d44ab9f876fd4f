// What the storage nodes' authenticated read of a commitment's columns proves (docs/verdicts.md):
// the committed frame, or the ground on which the commitment is invalid. One rule for the read
// path (DaService) and the verifier's data step.
import { keccak256, type CommitmentBody } from '../commitment/index.ts';
import { bytesToBareHex, bytesToHex, equalBytes } from '../bytes/index.ts';
import type { ProofGround } from './errors.ts';
import type { NodePatchRead } from './ports.ts';

export type NodeVerdict =
  | { readonly kind: 'frame'; readonly data: Uint8Array; readonly source: string; readonly identifier: string }
  /** `reason` names the quilt and columns: "quilt 0x… columns [a, b) hold …". */
  | { readonly kind: 'invalid'; readonly ground: Exclude<ProofGround, 'object'>; readonly reason: string };

export function judgeNodeRead(read: NodePatchRead, body: CommitmentBody): NodeVerdict {
  const key = bytesToBareHex(body.frameKeccak);
  const where = `quilt ${bytesToHex(body.quiltId)} columns [${body.startColumn}, ${body.endColumn})`;
  if (read.kind === 'no-patch') return { kind: 'invalid', ground: 'no-patch', reason: `${where} hold no patch: ${read.reason}` };
  if (read.identifier !== key) return { kind: 'invalid', ground: 'other-patch', reason: `${where} hold patch ${read.identifier}, not ${key}` };
  const hash = keccak256(read.data);
  if (!equalBytes(hash, body.frameKeccak)) {
    return { kind: 'invalid', ground: 'wrong-data', reason: `${where} hold patch ${key} whose ${read.data.length} bytes hash to ${bytesToHex(hash)}` };
  }
  return { kind: 'frame', data: read.data, source: read.source, identifier: read.identifier };
}
