import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, parseCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wda-checkpoint-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('checkpoint file', () => {
  it('round-trips the last scanned block of one scope; a missing file is no checkpoint', async () => {
    const path = join(dir, 'a.json');
    expect(await readCheckpoint(path, 'orbit:0xabc')).toBeUndefined();
    await writeCheckpoint(path, { scope: 'orbit:0xabc', lastScannedBlock: 18_000_000_123n });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ scope: 'orbit:0xabc', lastScannedBlock: '18000000123' });
    expect(await readCheckpoint(path, 'orbit:0xabc')).toEqual({ scope: 'orbit:0xabc', lastScannedBlock: 18_000_000_123n });
    await expect(readCheckpoint(path, 'orbit:0xdef')).rejects.toThrow(/not of "orbit:0xdef"/);
  });

  it('refuses files that are not checkpoints', async () => {
    const path = join(dir, 'b.json');
    await writeFile(path, '{"lastScannedBlock": 12}');
    await expect(readCheckpoint(path, 's')).rejects.toBeInstanceOf(CheckpointError);
    for (const text of ['', 'null', '[]', '{"scope":"s","lastScannedBlock":"-1"}', '{"scope":"s","lastScannedBlock":"1e3"}']) {
      expect(parseCheckpoint(text)).toBeUndefined();
    }
  });
});
