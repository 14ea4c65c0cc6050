import type { Archetype } from '@dnr/core';
import type { MarketplaceProfile } from './marketplace/index.js';
import type { CohortProfile } from './neobank/cohorts.js';
import type { NeobankConsistency } from './neobank/consistency.js';
import type { FunnelProfile } from './neobank/funnel.js';
import type { SeasonalityProfile } from './neobank/seasonality.js';
import type { SegmentRow } from './neobank/segments.js';
import type { SubscriptionProfile } from './neobank/subscriptions.js';

export interface NeobankProfile {
  cohorts: CohortProfile;
  /** null when the warehouse carries no behaviour truth (segments are not visible in the Parquet). */
  segments: SegmentRow[] | null;
  funnel: FunnelProfile | null;
  seasonality: SeasonalityProfile;
  subscriptions: SubscriptionProfile | null;
  consistency: NeobankConsistency | null;
}

/** profile.json: everything profile.md shows, as numbers. */
export interface Profile {
  archetype: Archetype;
  warehouse: string;
  window: { start: string; end: string; tz: string };
  /** Row counts of every table found. */
  tables: Record<string, number>;
  /** Where the declared values came from: the warehouse's behaviour truth, or none. */
  truth: string | null;
  /** Where the named calendar days came from. */
  calendar_source: 'behaviour truth' | 'config' | 'none';
  neobank?: NeobankProfile;
  marketplace?: MarketplaceProfile;
  figures: string[];
  notes: string[];
}
