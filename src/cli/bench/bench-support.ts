// What every benchmark shares: the machine it ran on, inputs nothing can cache, and the few
// statistics the JSON reports.
import { randomFillSync } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';

export function machineInfo(): { node: string; cpus: number; cpuModel: string } {
  return { node: process.version, cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown' };
}

/** Random bytes stamped with `seed`, so no blob of a run can reuse an earlier one's work. */
export function distinctBlob(size: number, seed: number): Uint8Array {
  const blob = randomFillSync(new Uint8Array(size));
  if (size >= 4) new DataView(blob.buffer).setUint32(0, seed);
  return blob;
}

export function round(value: number, digits = 0): number {
  return Number(value.toFixed(digits));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** p50, p99 and max, rounded to 0.1 (null when there are no values). */
export function percentiles(values: readonly number[]): { p50: number | null; p99: number | null; max: number | null } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0, 1));
  return { p50: at(0.5), p99: at(0.99), max: sorted.length ? round(sorted.at(-1) ?? 0, 1) : null };
}
