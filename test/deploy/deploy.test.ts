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

  it('the Dockerfile builds dist/ on Node 22, serves on every door and runs as non-root', () => {
    const dockerfile = read('deploy/docker/Dockerfile');
    const from = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(from.length).toBeGreaterThanOrEqual(1);
    for (const image of from) expect(image).toMatch(/^node:22[-.]/);
    expect(dockerfile).toMatch(/^RUN npm ci/m);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "dist\/cli\/main\.js"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["serve", "--host", "0\.0\.0\.0"\]$/m);
    expect(dockerfile).toMatch(/^EXPOSE 3100 3101 3102$/m);
    // The container's health is readiness (process + Redis), never /health (Walrus and Sui).
    expect(dockerfile).toContain("fetch('http://127.0.0.1:3100/ready')");
    // Non-root, by number, so Kubernetes' runAsNonRoot can verify it; 1000 is node's `node` user.
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^RUN mkdir -p \/data && chown node:node \/data$/m);
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
    // Compose's health check is readiness, not /health: a Walrus outage must not mark it unhealthy.
    const healthcheck = (parse(read('deploy/docker/compose.yaml')) as { services: Record<string, { healthcheck?: { test: string[] } }> }).services['walrus-da']?.healthcheck;
    expect(healthcheck?.test.join(' ')).toContain('http://127.0.0.1:3100/ready');
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

  describe('the Kubernetes manifest', () => {
    interface Container {
      image: string;
      args: string[];
      ports: { containerPort: number }[];
      readinessProbe: { httpGet?: { path: string; port: string } };
      livenessProbe: { tcpSocket?: { port: string }; httpGet?: unknown };
      resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
      securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; privileged?: boolean; capabilities?: { drop?: string[]; add?: string[] } };
      volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
    }
    interface Manifest {
      kind: string;
      metadata: { name: string };
      data?: Record<string, string>;
      spec?: {
        replicas?: number;
        minAvailable?: number;
        selector?: { matchLabels?: Record<string, string>; [label: string]: unknown };
        template?: {
          metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
          spec: { securityContext?: { runAsNonRoot?: boolean; runAsUser?: number }; containers: Container[]; volumes?: { name: string; emptyDir?: unknown; secret?: unknown }[] };
        };
      };
    }
    const docs = parseAllDocuments(read('deploy/kubernetes/walrus-da.yaml')).map((d) => d.toJS() as Manifest);
    const byKind = (kind: string) => {
      const found = docs.find((d) => d.kind === kind);
      if (!found) throw new Error(`no ${kind} in the manifest`);
      return found;
    };
    const deployment = byKind('Deployment');
    const pod = deployment.spec?.template;
    const container = pod?.spec.containers[0];

    it('holds a ConfigMap of known settings, the Deployment, a PodDisruptionBudget and the Service', () => {
      expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service']);
      for (const name of Object.keys(byKind('ConfigMap').data ?? {})) expect(KNOWN_ENV).toContain(name);
      expect(() => loadServeConfig({ env: byKind('ConfigMap').data ?? {} })).not.toThrow();
      expect(container?.args).toEqual(['serve']);
      expect(container?.ports.map((p) => p.containerPort)).toEqual(DEFAULT_PORTS);
    });

    it('is ready while the process and Redis answer (/ready), and live while the socket is', () => {
      expect(container?.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
      expect(container?.livenessProbe.tcpSocket).toEqual({ port: 'http' });
      expect(container?.livenessProbe.httpGet).toBeUndefined();
    });

    it('pins the image to the package version, never :latest', () => {
      const version = (JSON.parse(read('package.json')) as { version: string }).version;
      expect(container?.image).toMatch(/^[a-z0-9./-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$/);
      expect(container?.image).not.toMatch(/:latest$/);
      if (!container?.image.includes('@')) expect(container?.image.split(':').at(-1)).toBe(version);
    });

    it('requests and limits CPU and memory', () => {
      for (const kind of ['requests', 'limits'] as const) {
        expect(container?.resources?.[kind]?.cpu).toBeDefined();
        expect(container?.resources?.[kind]?.memory).toBeDefined();
      }
      // The encoder pool is sized to the CPU limit rather than the node's cores.
      expect(Number(byKind('ConfigMap').data?.WALRUS_DA_ENCODER_THREADS)).toBe(Number(container?.resources?.limits?.cpu));
    });

    it('runs non-root on a read-only root filesystem, without privileges, writing only to emptyDirs', () => {
      expect(pod?.spec.securityContext?.runAsNonRoot).toBe(true);
      expect(pod?.spec.securityContext?.runAsUser).toBe(1000);
      expect(container?.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(container?.securityContext?.capabilities?.add).toBeUndefined();
      expect(container?.securityContext?.privileged).not.toBe(true);
      const volumes = new Map((pod?.spec.volumes ?? []).map((v) => [v.name, v]));
      const mounts = container?.volumeMounts ?? [];
      // Writable: only emptyDirs. The auth Secret is mounted read-only.
      const writable = mounts.filter((m) => m.readOnly !== true);
      expect(writable.map((m) => m.mountPath).sort()).toEqual([byKind('ConfigMap').data?.WALRUS_DA_DATA_DIR, '/tmp'].sort());
      for (const mount of writable) expect(volumes.get(mount.name)?.emptyDir).toBeDefined();
      for (const mount of mounts.filter((m) => m.readOnly === true)) expect(volumes.get(mount.name)?.secret).toBeDefined();
    });

    it('keeps a replica through voluntary disruptions, and is scraped by Prometheus on the metrics port', () => {
      const budget = byKind('PodDisruptionBudget');
      expect(budget.spec?.minAvailable).toBeGreaterThanOrEqual(1);
      expect(budget.spec?.minAvailable).toBeLessThan(deployment.spec?.replicas ?? 0);
      expect(budget.spec?.selector?.matchLabels).toEqual(deployment.spec?.selector?.matchLabels);
      expect(pod?.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '3100', 'prometheus.io/path': '/metrics' });
      expect(byKind('Service').spec?.selector).toEqual(pod?.metadata.labels);
    });
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
