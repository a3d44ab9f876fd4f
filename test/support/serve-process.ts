// Runs `walrus-da serve` as a real child process (for crash and CLI tests).
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_ENTRY } from './cli.ts';
import { TEST_REDIS_URL } from './stack.ts';

export interface ServeProcess {
  readonly child: ChildProcess;
  /** Listener lines printed on stdout, e.g. "http://127.0.0.1:3100 OP Stack …". */
  readonly listeners: readonly string[];
  stderr(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown code runs. */
  kill(): Promise<void>;
}

export async function startServe(args: readonly string[], options: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI_ENTRY, 'serve', ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const listeners = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within ${options.timeoutMs ?? 60_000} ms:\n${stderr.slice(-3000)}`)), options.timeoutMs ?? 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('OP Stack')) {
        clearTimeout(timer);
        // Give the remaining listener lines a moment to arrive.
        setTimeout(() => resolve(stdout.trim().split('\n')), 100);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${stderr.slice(-3000)}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    listeners,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface OpStackServeOptions {
  /** Kept across restarts: walrus-local's state lives here. */
  readonly dataDir: string;
  readonly redisPrefix: string;
  readonly httpPort: number;
  readonly batchMaxWaitMs: number;
  /** More serve flags, e.g. ['--orphan-sweep-ms', '1000']. */
  readonly extraArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * `walrus-da serve` with only the OP Stack door, on the shared test Redis and an embedded 100-shard
 * walrus-local on fresh ports each start, so a test can kill and restart it on the same state.
 */
export function startOpStackServe(options: OpStackServeOptions): Promise<ServeProcess> {
  return startServe(
    [
      '--data-dir', options.dataDir,
      '--redis-url', TEST_REDIS_URL,
      '--redis-prefix', options.redisPrefix,
      '--http-port', String(options.httpPort),
      '--grpc', 'false',
      '--orbit', 'false',
      '--walrus-local-shards', '100',
      '--walrus-local-port', '0',
      '--batch-max-wait-ms', String(options.batchMaxWaitMs),
      '--encoder-threads', '2',
      '--log-level', 'warn',
      ...(options.extraArgs ?? []),
    ],
    { env: options.env ?? {} },
  );
}
