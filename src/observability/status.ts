// The deployment's status as /health reports it and the gauges that mirror it: each dependency up
// or down, write and read capability (capability.ts), storage shards answering, and when committed
// quilts expire. Refreshed on a timer so the gauges move without anyone calling /health, and on
// every /health call. Readiness is deliberately not here: a replica is ready when it can answer
// (the process and Redis), whatever Walrus does (docs/operations.md "Health and readiness").
import { assessCapability, type Capability, type CapabilityReport, type DependencyState, type StorageNodeHealth } from './capability.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** The expiry figures (src/batching/expiry-horizon.ts); structural, as this module imports no adapter. */
export interface ExpirySource {
  read(options?: { readonly signal?: AbortSignal }): Promise<{
    readonly earliestSeconds: number | undefined;
    readonly latestSeconds: number | undefined;
    readonly expiringWithinWindow: number;
    readonly availabilityWindowSeconds: number;
  }>;
}

export interface StatusReporterOptions {
  /** The dependency probes (DaService.health). */
  readonly dependencies: (options: { readonly signal: AbortSignal }) => Promise<{ readonly dependencies: readonly DependencyState[] }>;
  /** The committee's storage nodes; without it write capability rests on the publisher alone. */
  readonly storageNodes?: StorageNodeHealth;
  readonly expiry?: ExpirySource;
  readonly metrics?: Metrics;
  readonly logger: Logger;
  /** A check that has not answered after this long counts as down. @default 5000 */
  readonly timeoutMs?: number;
  /**
   * A report this young is answered again instead of probing anew, and concurrent callers share one
   * run: /health is open to anyone, and each run asks every storage node. @default 1000
   */
  readonly reuseMs?: number;
}

export type StatusWord = 'ok' | 'degraded' | 'unavailable';

export interface StatusReport {
  /** `ok`: writes and reads; `degraded`: one of them; `unavailable`: neither. */
  readonly status: StatusWord;
  readonly writes: Capability;
  readonly reads: Capability;
  readonly shards?: CapabilityReport['shards'];
  readonly dependencies: readonly (DependencyState & { readonly latencyMs?: number })[];
}

export class StatusReporter {
  readonly #o: StatusReporterOptions;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #last: { readonly at: number; readonly report: Promise<StatusReport> } | undefined;

  constructor(options: StatusReporterOptions) {
    this.#o = options;
  }

  /** Probes everything (or reuses a run at most `reuseMs` old), updates the gauges. Never throws. */
  report(): Promise<StatusReport> {
    const now = performance.now();
    if (this.#last && now - this.#last.at < (this.#o.reuseMs ?? 1000)) return this.#last.report;
    const report = this.#run();
    this.#last = { at: now, report };
    // A run is reused from its start until reuseMs after it, however long it takes.
    void report.then(() => {
      if (this.#last?.report === report) this.#last = { at: performance.now(), report };
    });
    return report;
  }

  async #run(): Promise<StatusReport> {
    const timeoutMs = this.#o.timeoutMs ?? 5000;
    const signal = AbortSignal.timeout(timeoutMs);
    const expiry = this.#expiry();
    const [health, committee] = await Promise.all([
      withDeadline(this.#o.dependencies({ signal }), signal, timeoutMs).catch((error: unknown) => ({ dependencies: [{ name: 'probe', ok: false, detail: messageOf(error) }] })),
      this.#o.storageNodes ? withDeadline(this.#o.storageNodes.check({ signal }), signal, timeoutMs).catch((error: unknown) => messageOf(error)) : undefined,
    ]);
    const dependencies: DependencyState[] = [...health.dependencies];
    if (typeof committee === 'string') dependencies.push({ name: 'storage-nodes', ok: false, detail: committee });
    const nodes = typeof committee === 'object' ? committee : undefined;
    if (nodes) {
      const answering = nodes.nodes.filter((n) => n.up).length;
      dependencies.push({ name: 'storage-nodes', ok: answering === nodes.nodes.length, detail: `${answering} of ${nodes.nodes.length} nodes answer` });
    }
    const capability = assessCapability(dependencies, nodes);
    const writes = typeof committee === 'string' ? { ok: false, detail: `${capability.writes.ok ? '' : `${capability.writes.detail}; `}storage nodes unknown: ${committee}` } : capability.writes;
    const status: StatusWord = writes.ok && capability.reads.ok ? 'ok' : writes.ok || capability.reads.ok ? 'degraded' : 'unavailable';
    this.#gauge(dependencies, writes, capability);
    await expiry;
    return { status, writes, reads: capability.reads, ...(capability.shards ? { shards: capability.shards } : {}), dependencies };
  }

  /** Reports now, then every `intervalMs` until close(). */
  start(intervalMs: number): void {
    const tick = () => {
      if (this.#closed) return;
      this.#timer = setTimeout(() => void this.report().finally(tick), intervalMs);
      this.#timer.unref();
    };
    void this.report().finally(tick);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #gauge(dependencies: readonly DependencyState[], writes: Capability, capability: CapabilityReport): void {
    const metrics = this.#o.metrics;
    if (!metrics) return;
    for (const d of dependencies) metrics.dependencyUp.set({ dependency: d.name }, d.ok ? 1 : 0);
    metrics.capabilityUp.set({ capability: 'write' }, writes.ok ? 1 : 0);
    metrics.capabilityUp.set({ capability: 'read' }, capability.reads.ok ? 1 : 0);
    if (capability.shards) metrics.storageShardsUp.set(capability.shards.up);
  }

  async #expiry(): Promise<void> {
    const { expiry, metrics } = this.#o;
    if (!expiry || !metrics) return;
    try {
      const figures = await expiry.read({ signal: AbortSignal.timeout(this.#o.timeoutMs ?? 5000) });
      metrics.availabilityWindowSeconds.set(figures.availabilityWindowSeconds);
      metrics.quiltsExpiringWithinWindow.set(figures.expiringWithinWindow);
      // No live quilt: no horizon. Removing the series (rather than a made-up number) lets
      // alerts on it stay silent for a fresh deployment.
      for (const [quilt, seconds] of [['earliest', figures.earliestSeconds], ['latest', figures.latestSeconds]] as const) {
        if (seconds === undefined) metrics.expiryHorizonSeconds.remove({ quilt });
        else metrics.expiryHorizonSeconds.set({ quilt }, seconds);
      }
    } catch (error) {
      this.#o.logger.debug({ err: messageOf(error) }, 'expiry figures unavailable');
    }
  }
}

function withDeadline<T>(work: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error(`no answer within ${timeoutMs} ms`)), { once: true });
    }),
  ]);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
