// The codec verbs of the real CLI binary: every golden vector reproduced end to end, JSON on
// stdout, precise errors on stderr with exit code 2.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBody, encodeFramed, type CommitmentBody } from '../../src/commitment/index.ts';
import { quiltFrames, vectorBytes, vectors } from '../support/vectors.ts';
import { runCli, runCliJson } from '../support/cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'walrus-da-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('walrus-da blob-id', () => {
  it.concurrent.each(vectors.blobs.map((v, i) => [i, v] as const))('reproduces blob vector %i', async (i, vector) => {
    const file = join(dir, `blob-${i}.bin`);
    await writeFile(file, vectorBytes(vector.input));
    const out = await runCliJson<{ blobId: string; u256: string; length: number; rootHash: string }>(['blob-id', '--shards', String(vector.nShards), file]);
    expect(out.blobId).toBe(vector.blobId);
    expect(out.rootHash).toBe(`0x${vector.root}`);
    expect(out.length).toBe(vectorBytes(vector.input).length);
    expect(BigInt(out.u256).toString(16).padStart(64, '0')).toBe(Buffer.from(out.blobId, 'base64url').reverse().toString('hex'));
  });

  it('reads stdin with -', async () => {
    const out = await runCliJson(['blob-id', '--shards', '10', '-'], { stdin: 'hello walrus' });
    expect(out).toMatchObject({ blobId: '5g7EUy58ReQir0t11jz709ae5cdZT24btlovkXo28U8', length: 12 });
  });
});

describe('walrus-da quilt', () => {
  it.each(vectors.quilts.map((v) => [v.nShards, v] as const))('builds and parses the %i-shard quilt vector', async (n, vector) => {
    const files = await Promise.all(
      quiltFrames(vector).map(async (frame, i) => {
        const file = join(dir, `q${n}-frame-${i}.bin`);
        await writeFile(file, frame);
        return file;
      }),
    );
    const output = join(dir, `quilt-${n}.bin`);
    const built = await runCliJson<{ quiltBlobId: string; length: number; patches: { identifier: string; quiltPatchId: string; startColumn: number; endColumn: number }[] }>(
      ['quilt', 'build', '--shards', String(n), '-o', output, ...files],
    );
    expect(built.quiltBlobId).toBe(vector.quiltBlobId);
    expect(built.length).toBe(vector.quiltLength);
    const byIdentifier = new Map(vector.patches.map((p) => [p.identifier, p]));
    for (const patch of built.patches) {
      expect(patch.quiltPatchId).toBe(byIdentifier.get(patch.identifier)?.quiltPatchId);
    }

    const parsed = await runCliJson<{ quiltBlobId: string; patches: { identifier: string; startColumn: number; endColumn: number; quiltPatchId: string }[] }>([
      'quilt', 'parse', '--shards', String(n), output,
    ]);
    expect(parsed.quiltBlobId).toBe(vector.quiltBlobId);
    expect(parsed.patches.map((p) => [p.identifier, p.startColumn, p.endColumn, p.quiltPatchId])).toEqual(
      vector.patches.map((p) => [p.identifier, p.startIndex, p.endIndex, p.quiltPatchId]),
    );

    const first = vector.patches[0]!;
    const extracted = join(dir, `extract-${n}.bin`);
    await runCliJson(['quilt', 'parse', '--shards', String(n), '--columns', `${first.startIndex}:${first.endIndex}`, '-o', extracted, output]);
    const frameIndex = built.patches.findIndex((p) => p.identifier === first.identifier);
    expect(new Uint8Array(await readFile(extracted))).toEqual(new Uint8Array(await readFile(files[frameIndex]!)));
  });

  it('refuses too many frames with exit code 2', async () => {
    const files = await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        const file = join(dir, `many-${i}.bin`);
        await writeFile(file, Uint8Array.of(i));
        return file;
      }),
    );
    const result = await runCli(['quilt', 'build', '--shards', '10', '-o', join(dir, 'x.bin'), ...files]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('walrus-da: 7 patches exceed the quilt limit of 6 for 10 shards\n');
  });
});

describe('walrus-da commitment decode', () => {
  const body: CommitmentBody = {
    quiltId: Buffer.from('W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTU', 'base64url'),
    startColumn: 190,
    endColumn: 192,
    objectId: new Uint8Array(32).fill(0x5a),
    frameKeccak: Buffer.from('dae72fdd22fb6a206224d64a554b1b7e1f15e87984b365b4756edc43667f8355', 'hex'),
  };
  const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

  it('prints every field of a commitment', async () => {
    const out = await runCliJson(['commitment', 'decode', hex(encodeFramed(body))]);
    expect(out).toEqual({
      framing: 'framed',
      daByte: '0x57',
      bodyVersion: 0,
      blobId: 'W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTU',
      blobIdU256: BigInt('0x' + Buffer.from(body.quiltId).reverse().toString('hex')).toString(),
      quiltPatchId: 'W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTUBvgDAAA',
      startColumn: 190,
      endColumn: 192,
      objectId: '0x' + '5a'.repeat(32),
      keccak: '0xdae72fdd22fb6a206224d64a554b1b7e1f15e87984b365b4756edc43667f8355',
    });
    const bare = await runCliJson(['commitment', 'decode', Buffer.from(encodeBody(body)).toString('hex').toUpperCase()]);
    expect(bare).toMatchObject({ framing: 'body-v0', quiltPatchId: 'W-WLAp63znqUqpgfmPcKQ_b3n6dakSk0OmeyNOunSTUBvgDAAA' });
    const calldata = await runCliJson(['commitment', 'decode', hex(Uint8Array.from([1, ...encodeFramed(body)]))]);
    expect(calldata).toMatchObject({ framing: 'opstack-l1-calldata', startColumn: 190 });
  });

  it.each([
    ['0x1234', 'unrecognised commitment length 2'],
    ['0xzz', 'invalid hex: non-hex character at position 2'],
    [`0x0142${'00'.repeat(102)}`, "foreign OP Stack generic commitment: DA byte 0x42 is not this server's 0x57"],
    [`0x0157${'01'.repeat(102)}`, 'unknown commitment body version 0x01 (supported: 0x00)'],
    [`0x015700${'00'.repeat(32)}02${'00'.repeat(68)}`, 'unknown quilt patch id version 0x02 (supported: 0x01)'],
    [`0x015700${'00'.repeat(32)}0105000500${'00'.repeat(64)}`, 'invalid quilt patch column range [5, 5)'],
  ])('rejects %s with exit code 2 and a precise message', async (input, message) => {
    const result = await runCli(['commitment', 'decode', input]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });

  it('honours a configured DA byte', async () => {
    const out = await runCliJson(['commitment', 'decode', '--da-byte', '0x42', hex(encodeFramed(body, { daByte: 0x42 }))]);
    expect(out).toMatchObject({ daByte: '0x42', startColumn: 190 });
  });
});
