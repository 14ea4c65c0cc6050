import type { TailedLag } from '@dnr/core';

/**
 * A two-component lognormal lag in seconds: with probability `tail_share` (u < tail_share) the slow
 * component (tail_median_hours, tail_sigma), otherwise the fast one; z is a standard normal draw.
 */
export function tailedLagSeconds(lag: TailedLag, z: number, u: number): number {
  return u < lag.tail_share ? lag.tail_median_hours * 3600 * Math.exp(lag.tail_sigma * z) : lag.median_hours * 3600 * Math.exp(lag.sigma * z);
}
