// A real gRPC server (src/grpc/server.ts) on 127.0.0.1 over a real DaService (test/support/stack.ts:
// Redis + an embedded walrus-local), and a grpc-js client connected to it.
import type * as grpc from '@grpc/grpc-js';
import { DEFAULT_DA_BYTE } from '../../../src/commitment/index.ts';
import { startGrpcServer, type GrpcServer, type GrpcServerOptions } from '../../../src/grpc/server.ts';
import { startStack, type Stack, type StackOptions } from '../../support/stack.ts';
import { connect } from './client.ts';

export interface GrpcHarness {
  readonly stack: Stack;
  readonly server: GrpcServer;
  readonly client: grpc.Client;
  close(): Promise<void>;
}

export interface GrpcHarnessOptions {
  readonly stack?: StackOptions;
  readonly server?: Partial<Omit<GrpcServerOptions, 'service' | 'logger'>>;
  /** Receive limit of the test client. @default 4 MiB (grpc's default, like go-da's Go client) */
  readonly clientMaxReceiveBytes?: number;
}

export async function startGrpcHarness(options: GrpcHarnessOptions = {}): Promise<GrpcHarness> {
  const stack = await startStack(options.stack);
  let server: GrpcServer | undefined;
  try {
    server = await startGrpcServer({
      service: stack.service,
      chains: stack.composed.chains,
      goDaHeights: stack.composed.batching.state,
      host: '127.0.0.1',
      port: 0,
      daByte: DEFAULT_DA_BYTE,
      config: {
        shards: stack.walrusLocal.nShards,
        network: 'walrus-local',
        maxFrameBytes: stack.service.maxFrameBytes,
        putTimeoutMs: stack.config.putTimeoutMs,
        batchMaxFrames: stack.config.batchMaxFrames,
        batchMaxBytes: stack.config.batchMaxBytes,
        batchMaxWaitMs: stack.config.batchMaxWaitMs,
      },
      healthPollIntervalMs: 200,
      logger: stack.logger,
      metrics: stack.metrics,
      ...options.server,
    });
  } catch (error) {
    await stack.close();
    throw error;
  }
  const client = connect(server.url, options.clientMaxReceiveBytes);
  const started = server;
  return {
    stack,
    server: started,
    client,
    async close() {
      client.close();
      await started.close(2000);
      await stack.close();
    },
  };
}
