// No Docker engine runs here, so the deployment files are checked by parsing them: each must agree
// with the code (ports, flags, env variables, health endpoints, Redis settings BullMQ needs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { renderConfigTable, renderEnvExample } from '../../src/config/docs.ts';
import { SERVE_OPTIONS, envName } from '../../src/config/options.ts';
import { loadServeConfig } from '../../src/config/serve-config.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const KNOWN_ENV = new Set(Object.keys(SERVE_OPTIONS).map(envName));
const DEFAULT_PORTS = [3100, 3101, 3102];

describe('deploy/', () => {
  it('walrus-da.env.example is the generated list of every setting, and its defaults load', () => {
    const example = read('deploy/walrus-da.env.example');
    expect(example).toBe(renderEnvExample());
    const assignments = example
      .split('\n')
      .filter((line) => /^#WALRUS_DA_[A-Z_]+=/.test(line))
      .map((line) => line.slice(1).split('=') as [string, string]);
    expect(new Set(assignments.map(([name]) => name))).toEqual(KNOWN_ENV);
    const env = Object.fromEntries(assignments.filter(([, value]) => value !== ''));
    expect(() => loadServeConfig({ env })).not.toThrow();
  });

  it('README carries the generated settings table', () => {
    expect(read('README.md')).toContain(renderConfigTable());
  });

  it('the Dockerfile builds dist/ on Node 22 and serves on every door and /health', () => {
    const dockerfile = read('deploy/docker/Dockerfile');
    const from = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(from.length).toBeGreaterThanOrEqual(1);
    for (const image of from) expect(image).toMatch(/^node:22[-.]/);
    expect(dockerfile).toMatch(/^RUN npm ci/m);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "dist\/cli\/main\.js"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["serve", "--host", "0\.0\.0\.0"\]$/m);
    expect(dockerfile).toMatch(/^EXPOSE 3100 3101 3102$/m);
    expect(dockerfile).toContain("fetch('http://127.0.0.1:3100/health')");
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('compose.yaml runs Redis with noeviction and persistence, and walrus-da against it', () => {
    const compose = parse(read('deploy/docker/compose.yaml')) as {
      services: Record<string, { command?: string[]; environment?: Record<string, string>; ports?: string[]; depends_on?: Record<string, { condition: string }>; build?: { dockerfile: string } }>;
    };
    const redis = compose.services.redis;
    const server = compose.services['walrus-da'];
    expect(redis?.command).toEqual(expect.arrayContaining(['--maxmemory-policy', 'noeviction', '--appendonly', 'yes']));
    expect(server?.build?.dockerfile).toBe('deploy/docker/Dockerfile');
    expect(server?.environment?.WALRUS_DA_REDIS_URL).toBe('redis://redis:6379');
    for (const name of Object.keys(server?.environment ?? {})) expect(KNOWN_ENV).toContain(name);
    expect(server?.ports?.map((p) => Number(p.split(':').at(-1)))).toEqual(DEFAULT_PORTS);
    expect(server?.depends_on?.redis?.condition).toBe('service_healthy');
  });

  it('every deployment that binds beyond loopback authenticates writes, so serve starts without --allow-unauthenticated-writes', () => {
    const compose = parse(read('deploy/docker/compose.yaml')) as { services: Record<string, { command: string[]; environment: Record<string, string>; volumes: string[] }> };
    const server = compose.services['walrus-da'];
    expect(server?.command).toEqual(['serve', '--host', '0.0.0.0']);
    const chainsFile = server?.environment.WALRUS_DA_CHAINS_FILE ?? '';
    expect(server?.volumes.some((v) => v.endsWith(':ro') && chainsFile.startsWith(`${v.split(':')[1]}/`))).toBe(true);
    expect(() => loadServeConfig({ env: server?.environment ?? {}, flags: { host: '0.0.0.0' } })).not.toThrow();
    const { WALRUS_DA_CHAINS_FILE: _dropped, ...open } = server?.environment ?? {};
    expect(() => loadServeConfig({ env: open, flags: { host: '0.0.0.0' } })).toThrowError(/--allow-unauthenticated-writes/);

    const docs = parseAllDocuments(read('deploy/kubernetes/walrus-da.yaml')).map((d) => d.toJS() as Record<string, unknown>);
    const env = (docs[0] as { data: Record<string, string> }).data;
    expect(env.WALRUS_DA_HOST).toBe('0.0.0.0');
    expect(() => loadServeConfig({ env })).not.toThrow();
    const pod = (docs[1] as { spec: { template: { spec: { containers: { volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[]; volumes: { name: string; secret?: { secretName: string } }[] } } } }).spec.template.spec;
    const auth = pod.containers[0]?.volumeMounts.find((m) => env.WALRUS_DA_CHAINS_FILE?.startsWith(`${m.mountPath}/`));
    expect(auth?.readOnly).toBe(true);
    expect(pod.volumes.find((v) => v.name === auth?.name)?.secret?.secretName).toBe('walrus-da-auth');
    expect(env.WALRUS_DA_PUBLISHER_JWT_SECRET_FILE?.startsWith(`${auth?.mountPath}/`)).toBe(true);

    const unit = parseIni(read('deploy/systemd/walrus-da.service'));
    expect(unit.Service?.Environment).toContain('WALRUS_DA_CHAINS_FILE=/etc/walrus-da/chains.yaml');
  });

  it('the systemd unit runs the built CLI with an env file and restarts', () => {
    const unit = parseIni(read('deploy/systemd/walrus-da.service'));
    expect(unit.Service?.ExecStart).toBe('/usr/bin/node /opt/walrus-da/dist/cli/main.js serve');
    expect(unit.Service?.EnvironmentFile).toBe('/etc/walrus-da/walrus-da.env');
    expect(unit.Service?.Restart).toBe('always');
    expect(unit.Service?.KillSignal).toBe('SIGTERM');
    expect(unit.Install?.WantedBy).toBe('multi-user.target');
    expect(unit.Service?.Environment).toMatch(/^WALRUS_DA_DATA_DIR=/);
  });

  it('the Kubernetes manifest probes /health for readiness and only the socket for liveness', () => {
    const docs = parseAllDocuments(read('deploy/kubernetes/walrus-da.yaml')).map((d) => d.toJS() as { kind: string; data?: Record<string, string>; spec?: unknown });
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'Deployment', 'Service']);
    for (const name of Object.keys(docs[0]?.data ?? {})) expect(KNOWN_ENV).toContain(name);
    const deployment = docs[1] as unknown as {
      spec: { template: { spec: { containers: { args: string[]; ports: { containerPort: number }[]; readinessProbe: { httpGet: { path: string } }; livenessProbe: { tcpSocket?: unknown } }[] } } };
    };
    const container = deployment.spec.template.spec.containers[0];
    expect(container?.args).toEqual(['serve']);
    expect(container?.ports.map((p) => p.containerPort)).toEqual(DEFAULT_PORTS);
    expect(container?.readinessProbe.httpGet.path).toBe('/health');
    expect(container?.livenessProbe.tcpSocket).toBeDefined();
  });
});

/** Minimal systemd unit parser: [Section] headers and Key=Value lines (last one wins). */
function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1]) {
      current = sections[header[1]] = {};
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq < 1) throw new Error(`not a unit file line: ${line}`);
    current[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return sections;
}
