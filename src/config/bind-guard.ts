// No open writes by accident: every write spends the operator's WAL and SUI, so a door that takes
// writes without credentials may only listen on loopback, unless the operator says otherwise with
// --allow-unauthenticated-writes (e.g. a private network whose edge authenticates).
//
// Which doors authenticate writes (README "Chains"; src/core/chains.ts):
//   OP Stack   HTTP Basic per chain           needs --chains-file
//   gRPC       bearer token per chain         needs --chains-file
//   Orbit      Nitro JWT                      --chains-file (per chain) or --orbit-jwt-secret-file
//   embedded walrus-local publisher          --publisher-jwt-secret-file (own --walrus-local-host)
import { isIP } from 'node:net';

export interface BindSettings {
  readonly host: string;
  readonly httpPort: number;
  readonly grpc: boolean;
  readonly grpcPort: number;
  readonly orbit: boolean;
  readonly orbitPort: number;
  readonly chainsFile?: string | undefined;
  readonly orbitJwtSecretFile?: string | undefined;
  readonly publisherUrl?: string | undefined;
  readonly publisherJwtSecretFile?: string | undefined;
  readonly walrusLocalHost: string;
  readonly allowUnauthenticatedWrites: boolean;
}

/** 127.0.0.0/8, ::1 (also bracketed or IPv4-mapped) and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(bare) === 6 && /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(bare);
}

/**
 * The refusals for these settings: one line per door that would take unauthenticated writes on a
 * non-loopback address, naming the fix. Empty when the settings are safe or explicitly allowed.
 */
export function openWriteRefusals(settings: BindSettings): string[] {
  if (settings.allowUnauthenticatedWrites) return [];
  const refusals: string[] = [];
  const at = (port: number) => `${settings.host}:${port}`;
  if (!isLoopbackHost(settings.host) && settings.chainsFile === undefined) {
    refusals.push(`the OP Stack door on ${at(settings.httpPort)} would take puts without credentials: give --chains-file (HTTP Basic per chain)`);
    if (settings.grpc) refusals.push(`the gRPC door on ${at(settings.grpcPort)} would take puts without credentials: give --chains-file (bearer token per chain) or --grpc false`);
    if (settings.orbit && settings.orbitJwtSecretFile === undefined) {
      refusals.push(`the Orbit door on ${at(settings.orbitPort)} would take stores without credentials: give --orbit-jwt-secret-file or --chains-file, or --orbit false`);
    }
  }
  if (settings.publisherUrl === undefined && !isLoopbackHost(settings.walrusLocalHost) && settings.publisherJwtSecretFile === undefined) {
    refusals.push(`the embedded walrus-local publisher on ${settings.walrusLocalHost} would take stores without credentials: give --publisher-jwt-secret-file, or keep --walrus-local-host on loopback`);
  }
  return refusals.map((line) => `${line} (or pass --allow-unauthenticated-writes)`);
}
