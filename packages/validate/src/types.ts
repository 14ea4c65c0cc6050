import type { DuckDBConnection } from '@duckdb/node-api';
import type { Archetype, CommittedTable, Config } from '@dnr/core';
import type { DefectsManifest, WarehouseManifest } from './manifest.js';

export type Verdict = 'pass' | 'fail' | 'skip';

/** One row of validate.json / validate.md. */
export interface GateRow {
  /** Gate family (one file in gates/). */
  family: string;
  /** Unique gate name, `family.what`. */
  gate: string;
  measured: number | string | boolean | null;
  /** The bound, readable: "≥ 0.95", "[1.2, 1.8]", "= 0". */
  bound: string;
  verdict: Verdict;
  unit?: string;
  detail?: string;
}

export interface CommsInput {
  dir: string;
  /** Which of the comms Parquet files exist. */
  files: Record<'slack_messages' | 'email_messages' | 'comms_users' | 'nlq', boolean>;
  manifest?: Record<string, unknown>;
}

export interface ValidateContext {
  archetype: Archetype;
  config: Config;
  /** Business time zone of the warehouse (manifest). */
  tz: string;
  warehouseDir: string;
  manifest: WarehouseManifest;
  /**
   * Tables dnr's marker vouched for on read (cheap check passed, or checksum matched), as committed: a
   * later content mismatch in one of them means the data was changed behind the marker's back (exit 2).
   */
  committed: Readonly<Record<string, CommittedTable>>;
  /** Tables whose Parquet exists (views of the same name are defined for them). */
  tables: Set<string>;
  metaDir: string;
  defects?: DefectsManifest;
  /** Label tables found in meta (views labels_slack, labels_email, labels_nlq). */
  labels: Set<string>;
  comms?: CommsInput;
  conn: DuckDBConnection;
  /** Scratch folder for gates that regenerate data. */
  tmpDir: string;
  q<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /**
   * A fact table de-duplicated on its business key, keeping the earliest loaded_at (as KPIs do,
   * docs/report-schemas.md): a parenthesised relation usable in FROM.
   */
  first(table: string): Promise<string>;
}

export interface GateFamily {
  name: string;
  /** Inputs the family reads; a family whose input is absent reports a skip row instead of running. */
  needs: Array<'comms' | 'defects'>;
  run(ctx: ValidateContext): Promise<GateRow[]>;
}
