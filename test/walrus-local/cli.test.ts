// `walrus-da walrus-local` as a user runs it: one JSON line on stdout, serving until SIGTERM, exit 0,
// and the same network (keys, blobs) when started again on the same data directory.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, runCli } from '../support/cli.ts';
import { xorshift32Bytes } from '../support/xorshift.ts';
import { getBytes, storeNewBlob } from '../support/walrus-local.ts';

interface Info {
  publisherUrl: string;
  aggregatorUrl: string;
  suiRpcUrl: string;
  walrusPackageId: string;
  systemObjectId: string;
  stakingObjectId: string;
  nShards: number;
  epoch: number;
  committee: { index: number; url: string; publicKey: string; shards: [number, number][] }[];
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'walrus-local-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function start(args: readonly string[]): { child: ChildProcessWithoutNullStreams; info: Promise<Info>; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI_ENTRY, 'walrus-local', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const info = new Promise<Info>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(stdout.slice(0, newline)) as Info);
    });
    void exit.then((code) => reject(new Error(`walrus-local exited ${code} before printing: ${stderr}`)));
  });
  return { child, info, output: () => stdout, exit };
}

describe('walrus-da walrus-local', () => {
  it('prints one JSON line, serves, exits 0 on SIGTERM, and keeps its network across restarts', async () => {
    const args = ['--shards', '10', '--nodes', '4', '--data-dir', dir, '--port', '0', '--log-level', 'warn'];
    const first = start(args);
    const info = await first.info;
    expect(info).toMatchObject({ nShards: 10, epoch: 1, walrusPackageId: (expect.stringMatching(/^0x[0-9a-f]{64}$/) as unknown) });
    expect(info.publisherUrl).toBe(info.aggregatorUrl);
    expect(info.committee.map((m) => m.shards)).toEqual([[[0, 3]], [[3, 6]], [[6, 8]], [[8, 10]]]);
    expect(info.committee.every((m) => /^[0-9a-f]{96}$/.test(m.publicKey))).toBe(true);
    const data = xorshift32Bytes(900, 2_000);
    const { blobId } = await storeNewBlob(info.publisherUrl, data);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(first.output().split('\n').filter(Boolean)).toHaveLength(1);

    const second = start(args);
    const again = await second.info;
    expect(again.committee.map((m) => m.publicKey)).toEqual(info.committee.map((m) => m.publicKey));
    expect(again.systemObjectId).toBe(info.systemObjectId);
    expect((await getBytes(`${again.aggregatorUrl}/v1/blobs/${blobId}`)).bytes).toEqual(data);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  });

  it('refuses bad flags and a data directory of another shape', async () => {
    const badNode = await runCli(['walrus-local', '--shards', '10', '--data-dir', dir, '--port', '0', '--corrupt-node', '7']);
    expect(badNode.code).toBe(2);
    expect(badNode.stderr).toMatch(/nodes 0\.\.3, not 7/);
    const otherShape = await runCli(['walrus-local', '--shards', '12', '--data-dir', dir, '--port', '0']);
    expect(otherShape.code).toBe(1);
    expect(otherShape.stderr).toMatch(/holds a network of 10 shards on 4 nodes/);
    expect((await runCli(['walrus-local', '--shards', '3'])).code).toBe(2);
  });
});
