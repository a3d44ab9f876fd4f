// grpc.health.v1 from real dependency health: DaService.health() (Redis, publisher, aggregator,
// Sui) is probed on a timer and every served gRPC service, plus the server as a whole (""), is
// SERVING only while all dependencies are. A probe that hangs counts as a failure after its
// timeout, since a stopped Redis can make a client wait rather than fail.
// The server side is grpc-health-check's HealthImplementation (Check, Watch, List;
// grpc/grpc-node packages/grpc-health-check).
import type { Server, ServerWritableStream } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import type { DaService, HealthReport } from '../core/index.ts';
import type { Logger } from '../observability/logger.ts';
import { lenientServer } from './service-definition.ts';

export interface HealthReporterOptions {
  readonly service: DaService;
  /** Fully-qualified gRPC service names to report, besides the whole server (""). */
  readonly services: readonly string[];
  /** Time between probes. @default 5000 */
  readonly intervalMs?: number;
  /**
   * A probe that has not answered after this long counts as unhealthy. Probes never overlap: the
   * next one is scheduled when the last one ends. @default 5000
   */
  readonly timeoutMs?: number;
  readonly logger: Logger;
}

export class HealthReporter {
  readonly #options: HealthReporterOptions;
  readonly #names: readonly string[];
  readonly #implementation: HealthImplementation;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  #status: ServingStatus = 'NOT_SERVING';
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #watches = new Set<ServerWritableStream<unknown, unknown>>();

  constructor(options: HealthReporterOptions) {
    this.#options = options;
    this.#names = ['', ...options.services];
    this.#intervalMs = options.intervalMs ?? 5000;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    // NOT_SERVING until the first probe says otherwise.
    this.#implementation = new HealthImplementation(Object.fromEntries(this.#names.map((name) => [name, this.#status])));
  }

  get status(): ServingStatus {
    return this.#status;
  }

  addToServer(server: Server): void {
    // Watch streams never end by themselves, so one open Watch would hold a graceful shutdown for
    // its whole grace period. Track them so close() can end them after the final NOT_SERVING.
    // Undecodable requests are INVALID_ARGUMENT here too, as on every service (lenientServer).
    const lenient = lenientServer(server);
    this.#implementation.addToServer({
      addService: (definition, implementation) => {
        const watch = implementation['watch'] as ((call: ServerWritableStream<unknown, unknown>) => void) | undefined;
        lenient.addService(definition, {
          ...implementation,
          ...(watch && {
            watch: (call: ServerWritableStream<unknown, unknown>) => {
              this.#watches.add(call);
              call.once('cancelled', () => this.#watches.delete(call));
              watch(call);
            },
          }),
        });
      },
    });
  }

  /** Probes once now, then every intervalMs until close(). */
  async start(): Promise<void> {
    await this.probe();
    this.#schedule();
  }

  /** Probes the dependencies once and publishes the result. */
  async probe(): Promise<HealthReport> {
    const report = await this.#healthWithTimeout();
    if (!this.#closed) this.#publish(report);
    return report;
  }

  /** Reports NOT_SERVING from now on (shutdown) and stops probing. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    if (this.#status !== 'NOT_SERVING') this.#set('NOT_SERVING');
    for (const call of this.#watches) call.end();
    this.#watches.clear();
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      void this.probe().finally(() => this.#schedule());
    }, this.#intervalMs);
    this.#timer.unref();
  }

  async #healthWithTimeout(): Promise<HealthReport> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    const timedOut = new Promise<HealthReport>((resolve) => {
      signal.addEventListener('abort', () => resolve(unhealthy(`health probe did not answer within ${this.#timeoutMs} ms`)), { once: true });
    });
    try {
      return await Promise.race([this.#options.service.health({ signal }), timedOut]);
    } catch (error) {
      return unhealthy(error instanceof Error ? error.message : String(error));
    }
  }

  #publish(report: HealthReport): void {
    const next: ServingStatus = report.ok ? 'SERVING' : 'NOT_SERVING';
    if (next === this.#status) return;
    const failing = report.dependencies.filter((d) => !d.ok).map((d) => ({ name: d.name, detail: d.detail }));
    if (report.ok) this.#options.logger.info({ status: next }, 'gRPC health: all dependencies healthy');
    else this.#options.logger.warn({ status: next, failing }, 'gRPC health: dependencies failing');
    this.#set(next);
  }

  /** Publishes a status; Watch streams get a message per call, so only call it on a change. */
  #set(status: ServingStatus): void {
    this.#status = status;
    for (const name of this.#names) this.#implementation.setStatus(name, status);
  }
}

function unhealthy(detail: string): HealthReport {
  return { ok: false, dependencies: [{ name: 'probe', ok: false, detail, latencyMs: 0 }] };
}
