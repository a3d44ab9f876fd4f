import { describe, expect, it } from 'vitest';
import { isLoopbackHost, openWriteRefusals, type BindSettings } from './bind-guard.ts';

const base: BindSettings = {
  host: '0.0.0.0',
  httpPort: 3100,
  grpc: true,
  grpcPort: 3101,
  orbit: true,
  orbitPort: 3102,
  walrusLocalHost: '127.0.0.1',
  allowUnauthenticatedWrites: false,
};

describe('isLoopbackHost', () => {
  it('knows loopback from everything else', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '[::]', '10.0.0.1', '128.0.0.1', 'walrus-da.internal', '::2', 'localhost.example.com']) expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe('openWriteRefusals', () => {
  it('refuses every open door on a public address and names the fix', () => {
    const refusals = openWriteRefusals(base);
    expect(refusals).toHaveLength(3);
    expect(refusals[0]).toMatch(/OP Stack door on 0\.0\.0\.0:3100.*--chains-file.*--allow-unauthenticated-writes/);
    expect(refusals[1]).toMatch(/gRPC door on 0\.0\.0\.0:3101/);
    expect(refusals[2]).toMatch(/Orbit door on 0\.0\.0\.0:3102.*--orbit-jwt-secret-file/);
  });

  it('passes a chains file, loopback, or the explicit override', () => {
    expect(openWriteRefusals({ ...base, chainsFile: '/etc/chains.yaml' })).toEqual([]);
    expect(openWriteRefusals({ ...base, host: '127.0.0.1' })).toEqual([]);
    expect(openWriteRefusals({ ...base, allowUnauthenticatedWrites: true })).toEqual([]);
  });

  it('counts only the doors that are served and open', () => {
    expect(openWriteRefusals({ ...base, grpc: false, orbitJwtSecretFile: '/jwt.hex' })).toHaveLength(1);
  });

  it('guards the embedded walrus-local publisher on its own address', () => {
    const open = openWriteRefusals({ ...base, host: '127.0.0.1', walrusLocalHost: '0.0.0.0' });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatch(/walrus-local publisher.*--publisher-jwt-secret-file/);
    expect(openWriteRefusals({ ...base, host: '127.0.0.1', walrusLocalHost: '0.0.0.0', publisherJwtSecretFile: '/s' })).toEqual([]);
    expect(openWriteRefusals({ ...base, host: '127.0.0.1', walrusLocalHost: '0.0.0.0', publisherUrl: 'https://p.example' })).toEqual([]);
  });
});
