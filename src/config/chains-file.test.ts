import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChainsFile, redactChains } from './chains-file.ts';
import { ConfigError } from './settings.ts';

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'chains-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const JWT = 'ab'.repeat(32);

describe('chains file', () => {
  it('accepts the smallest file the issue promises, as JSON', () => {
    expect(loadChainsFile(file('chains.json', '{"chains":[{"name":"alpha","secret":"s3cret"}]}'))).toEqual([{ name: 'alpha', secret: 's3cret', limits: {} }]);
  });

  it('reads YAML, limits, Orbit JWT secrets and go-da namespaces', () => {
    const path = file(
      'chains.yaml',
      `chains:\n  - name: alpha\n    secret: s3cret\n    orbitJwtSecret: "0x${JWT}"\n    goDaNamespace: "0x0A0b"\n    limits: { putsPerSecond: 2, putBurst: 4, maxQueuedBytes: 1000000 }\n  - name: beta-2\n    secret: other\n`,
    );
    const [alpha, beta] = loadChainsFile(path);
    expect(alpha).toEqual({ name: 'alpha', secret: 's3cret', orbitJwtSecret: Uint8Array.from(Buffer.from(JWT, 'hex')), goDaNamespace: '0a0b', limits: { putsPerSecond: 2, putBurst: 4, maxQueuedBytes: 1_000_000 } });
    expect(beta).toEqual({ name: 'beta-2', secret: 'other', limits: {} });
  });

  it('reads secrets from files relative to the chains file, without the trailing newline', () => {
    const path = file('chains.json', JSON.stringify({ chains: [{ name: 'alpha', secretFile: 'alpha.secret', orbitJwtSecretFile: 'alpha.jwt' }] }));
    writeFileSync(join(path, '..', 'alpha.secret'), 'from-a-file\n');
    writeFileSync(join(path, '..', 'alpha.jwt'), `${JWT}\n`);
    expect(loadChainsFile(path)[0]).toMatchObject({ secret: 'from-a-file', orbitJwtSecret: Uint8Array.from(Buffer.from(JWT, 'hex')) });
  });

  it.each([
    ['no chains', '{"chains":[]}', 'declare at least one chain'],
    ['a name that needs escaping', '{"chains":[{"name":"Alpha/1","secret":"x"}]}', 'chains.0.name: a chain name is 1–63 lowercase'],
    ['two chains of one name', '{"chains":[{"name":"a","secret":"x"},{"name":"a","secret":"y"}]}', 'chain a is declared twice'],
    ['no secret', '{"chains":[{"name":"a"}]}', 'give exactly one of secret and secretFile'],
    ['an unknown field', '{"chains":[{"name":"a","secret":"x","password":"y"}]}', 'password'],
    ['a short JWT secret', '{"chains":[{"name":"a","secret":"x","orbitJwtSecret":"abcd"}]}', 'must be 32 bytes of hex'],
    ['one namespace for two chains', '{"chains":[{"name":"a","secret":"x","goDaNamespace":"0x01"},{"name":"b","secret":"y","goDaNamespace":"01"}]}', 'already selects another chain'],
    ['neither JSON nor YAML', '{"chains": [', 'is neither JSON nor YAML'],
  ])('refuses %s with an error naming the problem', (_, text, message) => {
    const path = file('chains.json', text);
    expect(() => loadChainsFile(path)).toThrowError(ConfigError);
    expect(() => loadChainsFile(path)).toThrowError(message);
  });

  it('names a missing secret file without printing any secret', () => {
    const path = file('chains.json', '{"chains":[{"name":"a","secretFile":"missing.secret"}]}');
    expect(() => loadChainsFile(path)).toThrowError(/cannot read the secret file of chain a/);
  });

  it('redacts every secret for logs', () => {
    const chains = loadChainsFile(file('chains.json', JSON.stringify({ chains: [{ name: 'alpha', secret: 's3cret', orbitJwtSecret: JWT }] })));
    const text = JSON.stringify(redactChains(chains));
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain(JWT);
    expect(redactChains(chains)).toEqual([{ name: 'alpha', secret: '[redacted]', orbitJwt: true, limits: {} }]);
  });
});
