import type { DuckDBConnection } from '@duckdb/node-api';
import type { Archetype, Config, Progress, StepHandle } from '@dnr/core';
import type { SqlRandom } from './behaviour/sql.js';
import type { EventWindow } from './behaviour/window.js';
import type { DefectEntry } from './defects/manifest.js';
import type { DefectPlan } from './defects/profile.js';
import type { ParquetWriter } from './writer.js';

/** Everything an archetype generator needs; built once per run by generateWarehouse. */
export interface GenContext {
  conn: DuckDBConnection;
  /**
   * Another connection to the same database (same session settings as `conn`), closed with the run:
   * for independent chunks run concurrently (each keeps its own TEMP tables).
   */
  connect: () => Promise<DuckDBConnection>;
  r: SqlRandom;
  config: Config;
  archetype: Archetype;
  window: EventWindow;
  plan: DefectPlan;
  /** Target rows per table at the chosen scale. */
  targets: Record<string, number>;
  writer: ParquetWriter;
  /** Whether a table is to be written (onlyTables). */
  want: (table: string) => boolean;
  chunkRows: number;
  progress?: Progress;
  defects: DefectEntry[];
  /**
   * Folder (inside the atomic build) where an archetype writes its behaviour ground truth; the files
   * are moved next to defects.json when the run succeeds (see behaviour/truth.ts).
   */
  truthDir: string;
  /**
   * Scratch folder inside the atomic build (DuckDB's spill directory too), removed when the build ends:
   * for working files too large to keep in memory at large scale.
   */
  spillDir: string;
}

/**
 * One generation step on the progress line: elapsed time and the Parquet files written so far (SQL runs off
 * the event loop). A step that knows its size (the chunks of a fact table) passes it to `fn`'s handle: the
 * line becomes a bar with counts and ETA.
 */
export async function step<T>(ctx: GenContext, label: string, fn: (h?: StepHandle) => Promise<T>): Promise<T> {
  if (!ctx.progress) return fn();
  return ctx.progress.step(`${ctx.archetype}: ${label}`, async (h) => {
    let files = 0;
    ctx.writer.onWrite = () => h.note(`${++files} Parquet file${files === 1 ? '' : 's'}`);
    try {
      return await fn(h);
    } finally {
      ctx.writer.onWrite = undefined;
    }
  });
}
