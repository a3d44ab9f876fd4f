// Verdicts on the read path end to end (docs/verdicts.md): two deployments over one walrus-local,
// real Redis, real OP Stack and Orbit doors. Node A stored the frames (its Redis holds their
// commitments and cached bytes); node B never saw them. Both must reach the same verdict on every
// commitment: proven invalid (OP 404, Orbit `certificate validation failed` where L1 could decide
// it too), or retryable.
//
// Storage nodes: compose's own StorageNodePatchSource, reading walrus-local's nodes through the
// committee on its Sui RPC, so proofs come from verified slivers, never from an aggregator.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFramed, keccak256 } from '../../src/commitment/index.ts';
import type { RunningServer as OpServer } from '../../src/protocols/opstack/server.ts';
import type { RunningServer as OrbitServer } from '../../src/protocols/orbit/index.ts';
import { call, readParams } from '../orbit/support/nitro-client.ts';
import { batcherFrame, getInput, putGeneric } from '../support/opstack-client.ts';
import { startOpStackDoor, startOrbitDoor, startStack, type Stack } from '../support/stack.ts';

const SHARDS = 100;

interface Node {
  readonly stack: Stack;
  readonly op: OpServer;
  readonly orbit: OrbitServer;
}

let a: Node;
let b: Node;
/** f1 and f2 were stored by node A; f3 later, in a quilt of its own. */
const f1 = batcherFrame(30_000);
const f2 = batcherFrame(20_000);
const f3 = batcherFrame(10_000);
let c1: Uint8Array;
let c3: Uint8Array;

async function startNode(options: { readonly walrusLocal?: Stack['walrusLocal'] } = {}): Promise<Node> {
  const stack = await startStack({
    shards: SHARDS,
    maxWaitMs: 100,
    ...(options.walrusLocal ? { walrusLocal: options.walrusLocal } : {}),
  });
  const op = await startOpStackDoor(stack, { metrics: stack.metrics });
  const orbit = await startOrbitDoor(stack, { maxMessageSize: 1024 * 1024, metrics: stack.metrics });
  return { stack, op, orbit };
}

beforeAll(async () => {
  a = await startNode();
  b = await startNode({ walrusLocal: a.stack.walrusLocal });
  const [p1, p2] = await Promise.all([putGeneric(a.op.url, f1), putGeneric(a.op.url, f2)]);
  const p3 = await putGeneric(a.op.url, f3);
  for (const p of [p1, p2, p3]) expect(p.status).toBe(200);
  c1 = p1.body;
  c3 = p3.body;
}, 120_000);

afterAll(async () => {
  for (const node of [b, a]) {
    await node?.op.close();
    await node?.orbit.close();
    await node?.stack.close();
  }
});

/** The 104-byte commitment (OP framing = Orbit certificate) with body bytes replaced at `offset`. */
function withBody(commitment: Uint8Array, offset: number, bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(commitment);
  copy.set(bytes, 2 + offset);
  return copy;
}
const QUILT = 1;
const OBJECT = 38;
const KECCAK = 70;

const body = (commitment: Uint8Array) => decodeFramed(commitment, 'opstack', { daByte: 0x57 });

/** What recoverPayload answers: the payload (base64) or the error message. */
async function recover(node: Node, certificate: Uint8Array): Promise<{ payload?: string; error?: string }> {
  const answer = JSON.parse(await call(node.orbit.url, 'daprovider_recoverPayload', readParams(certificate))) as {
    result?: { Payload: string };
    error?: { message: string };
  };
  return answer.error ? { error: answer.error.message } : { payload: answer.result?.Payload ?? '' };
}

describe('read verdicts, on a node with the frames cached (A) and one without (B)', () => {
  it('serves the genuine commitment on both nodes', async () => {
    for (const node of [a, b]) {
      const got = await getInput(node.op.url, c1);
      expect(got.status).toBe(200);
      expect(Buffer.from(got.body).equals(Buffer.from(f1))).toBe(true);
      expect(await recover(node, c1)).toEqual({ payload: Buffer.from(f1).toString('base64') });
    }
  });

  it('a real quilt and columns with a wrong keccak (that of a frame A has cached) → OP 404, Orbit certificate validation failed', async () => {
    const wrong = withBody(c1, KECCAK, keccak256(f2));
    for (const node of [a, b]) {
      const got = await getInput(node.op.url, wrong);
      expect(got.status).toBe(404);
      expect(JSON.parse(Buffer.from(got.body).toString())).toMatchObject({ error: { code: 'PROVEN_INVALID' } });
      const read = await recover(node, wrong);
      expect(read.error).toMatch(/^certificate validation failed: the certified quilt .* hold patch [0-9a-f]{64}, not [0-9a-f]{64}$/);
      const preimages = JSON.parse(await call(node.orbit.url, 'daprovider_collectPreimages', readParams(wrong))) as { error?: { message: string } };
      expect(preimages.error?.message.startsWith('certificate validation failed: ')).toBe(true);
    }
  });

  it('a random keccak at the real columns is proven invalid the same way', async () => {
    const wrong = withBody(c1, KECCAK, randomBytes(32));
    for (const node of [a, b]) {
      expect((await getInput(node.op.url, wrong)).status).toBe(404);
      expect((await recover(node, wrong)).error?.startsWith('certificate validation failed: ')).toBe(true);
    }
  });

  it('a random quilt id with a cached keccak is not served, by either node', async () => {
    const forged = withBody(c1, QUILT, randomBytes(32));
    for (const node of [a, b]) {
      // The object is f1's quilt's Blob, not this quilt's: proven invalid (Sui facts are final).
      const got = await getInput(node.op.url, forged);
      expect(got.status).toBe(404);
      expect(JSON.parse(Buffer.from(got.body).toString())).toMatchObject({ error: { code: 'PROVEN_INVALID' } });
      // L1 cannot read Sui, so Orbit halts on it rather than empty the batch; it never serves it.
      const read = await recover(node, forged);
      expect(read.payload).toBeUndefined();
      expect(read.error).toMatch(/^walrus-da could not read the batch \(PROVEN_INVALID\); the node should retry: the commitment names the wrong Sui object/);
    }
  });

  it('an object id that is another quilt’s Blob → proven invalid', async () => {
    expect(body(c3).quiltId).not.toEqual(body(c1).quiltId);
    const forged = withBody(c1, OBJECT, body(c3).objectId);
    for (const node of [a, b]) {
      const got = await getInput(node.op.url, forged);
      expect(got.status).toBe(404);
      expect(await node.stack.service.get(body(forged)).catch((e: unknown) => e)).toMatchObject({ code: 'PROVEN_INVALID', ground: 'object', retryable: false });
      expect((await recover(node, forged)).payload).toBeUndefined();
    }
  });

  it('an object id Sui does not know proves nothing: retryable on both nodes, never served', async () => {
    const unknown = withBody(c1, OBJECT, randomBytes(32));
    for (const node of [a, b]) {
      expect((await getInput(node.op.url, unknown)).status).toBe(503);
      expect((await recover(node, unknown)).error).toMatch(/^walrus-da could not read the batch \(UNAVAILABLE\); the node should retry: /);
    }
  });
});
