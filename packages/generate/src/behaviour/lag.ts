import type { LognormalLag } from '@dnr/core';

/** A lognormal lag in seconds from a standard normal draw z. */
export function lagSeconds(lag: LognormalLag, z: number): number {
  return lag.median_hours * 3600 * Math.exp(lag.sigma * z);
}

/** p-quantile (0–1) of a lognormal lag in hours (for documentation and gates). */
export function lagQuantileHours(lag: LognormalLag, zq: number): number {
  return lag.median_hours * Math.exp(lag.sigma * zq);
}
