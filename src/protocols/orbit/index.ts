// Public surface of the Orbit front door, for the composition root (src/cli).
export { ORBIT_DEFAULT_HOST, ORBIT_DEFAULT_PORT, startOrbitServer, type OrbitServerOptions } from './server.ts';
export type { RunningServer } from './geth-rpc/http-server.ts';
export { JwtSecretError, parseJwtSecret, readJwtSecretFile } from './geth-rpc/jwt.ts';
export type { ChunkedStoreLimits } from './streaming.ts';
