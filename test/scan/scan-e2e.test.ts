// `walrus-da scan` end to end: frames stored through the real pipeline (Redis, walrus-local, Sui
// reads), 50 OP Stack batches and 20 Orbit batches posted to a real L1 node (anvil) the way
// op-batcher and Nitro's batch poster post them, then the CLI, run as a subprocess in two halves
// joined by --checkpoint, must give each batch its verdict and write exactly the valid frames.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Address, Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.ts';
import { encodeBody, encodeFramed, encodeOpStackKeccakCommitment, frameKey, keccak256, type CommitmentBody } from '../../src/commitment/index.ts';
import type { RunningServer } from '../../src/protocols/opstack/server.ts';
import type { BatchRecord, ScanSummary, Verdict } from '../../src/scan/index.ts';
import { runCli, type CliResult } from '../support/cli.ts';
import { startL1Chain, type L1Chain } from '../support/l1-chain.ts';
import { batcherFrame } from '../support/opstack-client.ts';
import { startOpStackDoor, startStack, type Stack } from '../support/stack.ts';

const OP_INBOX: Address = '0xff00000000000000000000000000000000000901';
const REFUNDER: Address = '0x0000000000000000000000000000000000000000';
const hex = (bytes: Uint8Array) => bytesToHex(bytes) as Hex;
/** Where the scan says the data came from, when that is not the calling function. */
const METHOD_REPORTED: Readonly<Record<string, string>> = { addSequencerL2Batch: 'SequencerBatchData', addSequencerL2BatchFromBlobs: 'blobs' };

interface Expected {
  readonly chain: 'opstack' | 'orbit';
  readonly verdict: Verdict;
  readonly commitment: Uint8Array;
  readonly frame?: Uint8Array;
  readonly batchNumber?: number;
  readonly method?: string;
}

let stack: Stack;
let door: RunningServer;
let l1: L1Chain;
let dir: string;
const expected = new Map<Hex, Expected>();
const positions = new Map<Hex, { block: number; index: number }>();
let runs: CliResult[];
let head: bigint;

beforeAll(async () => {
  [stack, l1, dir] = await Promise.all([startStack({ maxWaitMs: 300 }), startL1Chain(), mkdtemp(join(tmpdir(), 'wda-scan-'))]);
  door = await startOpStackDoor(stack);

  // 62 frames stored concurrently, so they share a few quilts.
  const frames = Array.from({ length: 62 }, (_, i) => batcherFrame(500 + ((i * 397) % 3500)));
  const bodies = (await Promise.all(frames.map((frame) => stack.service.put(frame)))).map((put) => put.commitment.body);
  const take = (() => {
    let next = 0;
    return () => ({ frame: frames[next] as Uint8Array, body: bodies[next++] as CommitmentBody });
  })();

  // What each transaction posts, in sending order (OP and Orbit interleaved).
  type Post = { from: 'batcher' | 'stranger'; data: Uint8Array; expect: Expected } | { inbox: string; args: (seq: bigint) => readonly unknown[]; expect: Expected };
  const posts: Post[] = [];
  const op = (data: Uint8Array, verdict: Verdict, frame?: Uint8Array, from: 'batcher' | 'stranger' = 'batcher') =>
    posts.push({ from, data: Uint8Array.of(0x01, ...data), expect: { chain: 'opstack', verdict, commitment: data, ...(frame ? { frame } : {}) } });
  let seq = 0;
  const orbit = (method: string, data: Uint8Array, verdict: Verdict, frame?: Uint8Array, withArgs?: (seq: bigint, data: Hex) => readonly unknown[]) => {
    const batchNumber = seq++;
    posts.push({
      inbox: method,
      args: (s) => (withArgs ? withArgs(s, hex(data)) : [s, hex(data), 0n, REFUNDER, 0n, 1n]),
      expect: { chain: 'orbit', verdict, commitment: data, batchNumber, method: METHOD_REPORTED[method] ?? method, ...(frame ? { frame } : {}) },
    });
  };

  const tampered = take();
  op(encodeFramed({ ...tampered.body, frameKeccak: keccak256(Uint8Array.of(...tampered.frame, 0)) }), 'invalid'); // a real quilt, a wrong keccak
  for (let i = 0; i < 38; i++) {
    const { frame, body } = take();
    op(encodeFramed(body), 'valid', frame);
    if (i % 2 === 0 && seq < 14) orbit('addSequencerL2BatchFromOrigin', encodeFramed(take().body), 'valid'); // frame filled in below
    if (i % 6 === 3) op(encodeOpStackKeccakCommitment(keccak256(take().frame)), 'valid'); // frame filled in below
  }
  for (const layer of [0x0c, 0x00, 0xed, 0x01]) op(Uint8Array.of(0x01, layer, ...new Uint8Array(60).fill(layer + 1)), 'foreign'); // other DA layers
  op(Uint8Array.of(0x01, 0x57, 0x01, ...encodeBody(tampered.body).subarray(1)), 'foreign'); // a body version this walrus-da does not know
  op(encodeFramed(tampered.body), 'skipped', undefined, 'stranger'); // not from the batcher
  orbit('addSequencerL2Batch', encodeFramed(take().body), 'valid');
  orbit('addSequencerL2Batch', encodeFramed(take().body), 'valid');
  orbit('addSequencerL2BatchFromOriginDelayProof', encodeFramed(take().body), 'valid', undefined, (s, data) => [s, data, 0n, REFUNDER, 0n, 1n, {
    beforeDelayedAcc: `0x${'00'.repeat(32)}`,
    delayedMessage: { kind: 3, sender: REFUNDER, blockNumber: 1n, timestamp: 1n, inboxSeqNum: 0n, baseFeeL1: 0n, messageDataHash: `0x${'00'.repeat(32)}` },
  }]);
  orbit('addSequencerL2BatchFromOrigin', Uint8Array.of(0x01, 0x00, 0x02, ...new Uint8Array(80).fill(7)), 'foreign'); // EigenDA-like certificate
  orbit('addSequencerL2BatchFromOrigin', Uint8Array.of(0x00, ...new Uint8Array(90).fill(3)), 'skipped'); // brotli batch on L1
  orbit('addSequencerL2BatchFromBlobs', new Uint8Array(), 'skipped', undefined, (s) => [s, 0n, REFUNDER, 0n, 1n]);

  // Valid commitments name their frames: fill them in from the bodies and keccaks.
  const byKeccak = new Map(frames.map((frame) => [frameKey(frame), frame]));
  for (const post of posts) {
    const c = post.expect.commitment;
    if (post.expect.verdict !== 'valid' || post.expect.frame) continue;
    const keccak = c.length === 33 ? c.subarray(1) : c.subarray(c.length - 32);
    Object.assign(post.expect, { frame: byKeccak.get(Buffer.from(keccak).toString('hex')) });
  }

  const opCount = posts.filter((p) => 'from' in p && p.from === 'batcher').length;
  const orbitCount = posts.filter((p) => 'inbox' in p).length;
  if (opCount !== 50 || orbitCount !== 20) throw new Error(`test setup posts ${opCount} OP and ${orbitCount} Orbit batches, not 50 and 20`);

  // Seven transactions per block; a batcher transfer elsewhere must not be reported.
  let orbitSeq = 0n;
  for (let start = 0; start < posts.length; start += 7) {
    const hashes: Hex[] = [];
    for (const post of posts.slice(start, start + 7)) {
      const hash = 'from' in post
        ? await l1.send(post.from === 'batcher' ? l1.accounts.batcher : l1.accounts.stranger, OP_INBOX, hex(post.data))
        : await l1.callInbox(post.inbox, post.args(orbitSeq++));
      expected.set(hash, post.expect);
      hashes.push(hash);
    }
    if (start === 14) hashes.push(await l1.send(l1.accounts.batcher, l1.accounts.stranger, '0x0157'));
    for (const receipt of await l1.mine(hashes)) positions.set(receipt.transactionHash, { block: Number(receipt.blockNumber), index: receipt.transactionIndex });
  }
  head = await l1.client.getBlockNumber({ cacheTime: 0 });

  const w = stack.walrusLocal;
  const scan = (extra: readonly string[]) =>
    runCli([
      'scan',
      '--l1-rpc-url', l1.anvil.url,
      '--from-block', '0',
      '--batch-inbox', OP_INBOX,
      '--batcher', l1.accounts.batcher,
      '--sequencer-inbox', l1.sequencerInbox,
      '--da-server', door.url,
      '--aggregator-url', w.aggregatorUrl,
      '--sui-rpc-url', w.suiRpcUrl,
      '--network', 'custom',
      '--walrus-system-object', w.systemObjectId,
      '--walrus-staking-object', w.stakingObjectId,
      '--out', join(dir, 'frames'),
      '--checkpoint', join(dir, 'checkpoint.json'),
      '--chunk-blocks', '4',
      ...extra,
    ]);
  const middle = Number(head) - 6;
  runs = [await scan(['--to-block', String(middle)])];
  runs.push(await scan([]));
}, 150_000);

afterAll(async () => {
  await door?.close();
  await l1?.close();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const lines = (run: CliResult) => run.stdout.trim().split('\n').map((line) => JSON.parse(line) as BatchRecord | ScanSummary);
const records = () => runs.flatMap((run) => lines(run).filter((line): line is BatchRecord => !('summary' in line)));
const summaries = () => runs.map((run) => lines(run).find((line): line is ScanSummary => 'summary' in line));

describe('walrus-da scan', () => {
  it('reports every batch once, in L1 order, with the expected verdict and position', () => {
    const found = records();
    expect(found).toHaveLength(expected.size);
    for (const record of found) {
      const want = expected.get(record.txHash as Hex);
      expect(want, record.txHash).toBeDefined();
      expect({ tx: record.txHash, verdict: record.verdict, chain: record.chain }).toEqual({ tx: record.txHash, verdict: want?.verdict, chain: want?.chain });
      expect(record.commitment).toBe(hex(want?.commitment ?? new Uint8Array()));
      expect({ block: record.l1Block, index: record.txIndex }).toEqual(positions.get(record.txHash as Hex));
      if (want?.batchNumber !== undefined) expect({ batchNumber: record.batchNumber, method: record.method }).toEqual({ batchNumber: want.batchNumber, method: want.method });
    }
    const order = found.map((r) => r.l1Block * 1000 + r.txIndex);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('verifies Walrus commitments step by step and names the tampered one', () => {
    const found = records();
    const valid = found.filter((r) => r.verdict === 'valid' && r.kind !== 'opstack-keccak');
    expect(valid).toHaveLength(38 + 17);
    for (const record of valid) {
      expect(record.steps.map((s) => [s.step, s.ok])).toEqual([['decode', true], ['data', true], ['availability', true]]);
      expect(record.bytes).toBe(expected.get(record.txHash as Hex)?.frame?.length);
    }
    const keccak = found.filter((r) => r.kind === 'opstack-keccak');
    expect(keccak.map((r) => [r.verdict, r.steps.map((s) => s.step).join()])).toEqual(Array.from({ length: 6 }, () => ['valid', 'decode,data']));
    const [invalid, ...more] = found.filter((r) => r.verdict === 'invalid');
    expect(more).toEqual([]);
    expect(invalid).toMatchObject({ chain: 'opstack', kind: 'opstack-generic', reason: expect.stringMatching(/^data: /) as string });
    expect(invalid?.steps.find((s) => s.step === 'data')?.facts?.error).toBe('PROVEN_INVALID');
  });

  it('exits 1 for the half with the tampered batch, 0 for the other, and resumes from the checkpoint', async () => {
    expect(runs.map((run) => run.code)).toEqual([1, 0]);
    const [first, second] = summaries();
    expect(second?.fromBlock).toBe((first?.toBlock ?? 0) + 1);
    expect(second?.toBlock).toBe(Number(head));
    const total = (key: Verdict) => (first?.[key] ?? 0) + (second?.[key] ?? 0);
    expect({ valid: total('valid'), invalid: total('invalid'), unavailable: total('unavailable'), skipped: total('skipped'), foreign: total('foreign') }).toEqual({
      valid: 61,
      invalid: 1,
      unavailable: 0,
      skipped: 3,
      foreign: 6,
    });
    expect(JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8'))).toMatchObject({ lastScannedBlock: String(head) });
  });

  it('writes exactly the verified frames, named by their keccak', async () => {
    const frames = [...expected.values()].filter((e) => e.verdict === 'valid').map((e) => e.frame as Uint8Array);
    const names = (await readdir(join(dir, 'frames'))).sort();
    expect(names).toEqual(frames.map((f) => frameKey(f)).sort());
    for (const frame of frames) expect(new Uint8Array(await readFile(join(dir, 'frames', frameKey(frame))))).toEqual(frame);
  });
});
