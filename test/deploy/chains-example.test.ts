// deploy/chains.example.yaml is what operators copy: it must load with the real loader, with its
// secrets read from files beside it, as README "Chains" describes.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadChainsFile } from '../../src/config/chains-file.ts';

const EXAMPLE = fileURLToPath(new URL('../../deploy/chains.example.yaml', import.meta.url));
let dir: string | undefined;

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('deploy/chains.example.yaml', () => {
  it('loads with loadChainsFile, secrets from the files it names, relative to itself', async () => {
    dir = await mkdtemp(join(tmpdir(), 'wda-chains-example-'));
    const path = join(dir, 'chains.yaml');
    await copyFile(EXAMPLE, path);
    const declared = (parse(await readFile(EXAMPLE, 'utf8')) as { chains: { name: string; secret?: string; secretFile?: string }[] }).chains;
    for (const chain of declared) {
      expect(chain.secret, `${chain.name} keeps its secret out of the file`).toBeUndefined();
      expect(chain.secretFile).toBeDefined();
      const file = join(dir, chain.secretFile ?? '');
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `secret-of-${chain.name}\n`);
    }
    const chains = loadChainsFile(path);
    expect(chains.map((c) => c.name)).toEqual(declared.map((c) => c.name));
    for (const chain of chains) expect(chain.secret).toBe(`secret-of-${chain.name}`);
    expect(chains[0]?.limits).toEqual({ putsPerSecond: 20, putBurst: 64, maxQueuedBytes: 64 * 1024 * 1024 });
  });
});
