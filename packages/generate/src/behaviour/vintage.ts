import type { VintageKnot } from '@dnr/core';

export interface VintageAt {
  activity: number;
  churn: number;
  /** Segment name → share multiplier. */
  tilt: Record<string, number>;
}

/**
 * Acquisition quality of entities created at `ms` (Unix ms): knots keyed by YYYY-MM-DD,
 * interpolated linearly between knots and held constant outside them (a missing tilt counts as 1).
 */
export function vintageAt(knots: Record<string, VintageKnot>, ms: number): VintageAt {
  return vintageCurve(knots)(ms);
}

/** The same interpolation with the knots sorted once (for loops over many entities). */
export function vintageCurve(knots: Record<string, VintageKnot>): (ms: number) => VintageAt {
  const pts = Object.entries(knots)
    .map(([date, k]) => ({ t: Date.parse(`${date}T00:00:00Z`), k }))
    .sort((a, b) => a.t - b.t);
  return (ms) => interpolate(pts, ms);
}

function interpolate(pts: Array<{ t: number; k: VintageKnot }>, ms: number): VintageAt {
  if (pts.length === 0) return { activity: 1, churn: 1, tilt: {} };
  let i = 0;
  while (i + 1 < pts.length && pts[i + 1].t <= ms) i++;
  const a = pts[i];
  const b = pts[Math.min(i + 1, pts.length - 1)];
  const f = ms <= a.t || b.t === a.t ? 0 : Math.min(1, (ms - a.t) / (b.t - a.t));
  const lerp = (x: number, y: number) => x + (y - x) * f;
  const tilt: Record<string, number> = {};
  for (const name of new Set([...Object.keys(a.k.segment_tilt), ...Object.keys(b.k.segment_tilt)])) {
    tilt[name] = lerp(a.k.segment_tilt[name] ?? 1, b.k.segment_tilt[name] ?? 1);
  }
  return { activity: lerp(a.k.activity, b.k.activity), churn: lerp(a.k.churn, b.k.churn), tilt };
}
