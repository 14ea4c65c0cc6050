import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  contentChecksum,
  DEFAULT_SCALE_TARGETS,
  ensureWritableDir,
  InputError,
  sqlIdent,
  sqlString,
  UsageError,
  withAtomicDir,
  withDuckDB,
  writeJsonAtomic,
  type Archetype,
  type Config,
  type Progress,
} from '@dnr/core';
import { generateMarketplace } from './archetypes/marketplace/index.js';
import { generateNeobank } from './archetypes/neobank/index.js';
import { installCumulative } from './behaviour/intensity.js';
import { installCalendar, installMacros, SqlRandom } from './behaviour/sql.js';
import { publishBehaviourTruth } from './behaviour/truth.js';
import { eventWindow } from './behaviour/window.js';
import { MARKET_DOW, MARKET_HOUR_WEEKDAY, MARKET_HOUR_WEEKEND, MARKET_MONTH } from './behaviour/curves.js';
import type { GenContext } from './context.js';
import type { DefectsManifest } from './defects/manifest.js';
import { planDefects } from './defects/profile.js';
import { GENERATOR_VERSION, warehouseTableGlob, type WarehouseManifest } from './manifest.js';
import { TABLES } from './schemas.js';
import { ParquetWriter } from './writer.js';

export interface GenerateWarehouseOptions {
  archetype: Archetype;
  /** Resolved config; warehouse.* drives everything. */
  config: Config;
  /** Output folder (replaced atomically). */
  out: string;
  /** Ground-truth folder: defects.json is written here. */
  metaDir: string;
  progress?: Progress;
  /** Only write these tables (e.g. a reproducibility sample); everything else is skipped where possible. */
  onlyTables?: string[];
}

export interface WarehouseResult {
  archetype: Archetype;
  out: string;
  manifestPath: string;
  defectsPath: string;
  duckdbPath: string;
  tables: WarehouseManifest['tables'];
  rowsTotal: number;
  defects: number;
  timings: Record<string, number>;
}

const MARKET_CURVES = { dow: MARKET_DOW, month: MARKET_MONTH, hourWeekday: MARKET_HOUR_WEEKDAY, hourWeekend: MARKET_HOUR_WEEKEND };

function targetsFor(config: Config): Record<string, number> {
  const scale = config.warehouse.scale;
  return { ...DEFAULT_SCALE_TARGETS[scale], ...config.warehouse.scales[scale] };
}

/** Derived tables whose volume grows with the window; their config targets are calibrated for 18 months. */
const TIME_PROPORTIONAL = new Set(['fact_subscription_invoice', 'snapshot_listing_daily']);
const CALIBRATION_MONTHS = 18;

/** Manifest targets: config targets, time-proportional derived tables scaled to the window length. */
function manifestTargets(tables: string[], targets: Record<string, number>, months: number): Record<string, number> {
  const factor = (t: string) => (TIME_PROPORTIONAL.has(t) ? months / CALIBRATION_MONTHS : 1);
  // tables added beyond the SPEC set follow from behaviour and have no volume target
  return Object.fromEntries(tables.filter((t) => targets[t] !== undefined).map((t): [string, number] => [t, Math.round(targets[t] * factor(t))]));
}

/** Remove temp build folders left by interrupted runs (their process is gone); the real output is untouched. */
function removeStaleBuilds(out: string): void {
  const parent = path.dirname(out);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return; // missing or not a folder: withAtomicDir reports it as an --out error
  }
  const prefix = `.${path.basename(out)}.`;
  for (const name of names) {
    const m = name.startsWith(prefix) ? /\.(?:building|old)-(\d+)-[0-9a-f]+$/.exec(name) : null;
    if (!m) continue;
    let alive = true;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      alive = false;
    }
    if (!alive) rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Generate one archetype's warehouse (SPEC §4): Parquet per table, manifest.json with row counts and
 * content checksums, warehouse.duckdb views, and the ground-truth defects.json in metaDir.
 */
export async function generateWarehouse(options: GenerateWarehouseOptions): Promise<WarehouseResult> {
  const { archetype, config } = options;
  const w = config.warehouse;
  const tables = TABLES[archetype];
  if (!tables) throw new UsageError(`Unknown archetype "${String(archetype)}": expected neobank or marketplace.`);
  const unknown = (options.onlyTables ?? []).filter((t) => !tables.includes(t));
  if (unknown.length) throw new UsageError(`Unknown ${archetype} table(s): ${unknown.join(', ')}. Known: ${tables.join(', ')}.`);
  const only = options.onlyTables ? new Set(options.onlyTables) : null;
  ensureWritableDir(options.metaDir, '--meta');
  const out = path.resolve(options.out);
  removeStaleBuilds(out);
  const window = eventWindow(w.end_date, w.months, w.tz);
  const plan = planDefects(config, archetype, window);
  const targets = targetsFor(config);
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  const defects: DefectsManifest['defects'] = [];

  const built = await withAtomicDir(out, '--out', async (tmp) => {
    const spill = path.join(tmp, '.spill');
    mkdirSync(spill, { recursive: true });
    const writer = await withDuckDB({ timeZone: 'UTC', memoryLimit: '1GB' }, async (conn) => {
      await conn.run(`SET temp_directory = ${sqlString(spill)}`);
      await conn.run('SET preserve_insertion_order = false');
      await installMacros(conn);
      if (archetype === 'marketplace') {
        // the marketplace still draws from the fixed curves (the neobank uses its behaviour config)
        await installCalendar(conn, window, MARKET_CURVES);
        await installCumulative(conn, window, MARKET_CURVES);
      }
      const pw = new ParquetWriter(conn, path.join(tmp, 'parquet'), w.row_group_rows);
      const ctx: GenContext = {
        conn,
        r: new SqlRandom(w.seed),
        config,
        archetype,
        window,
        plan,
        targets,
        writer: pw,
        want: (t) => !only || only.has(t),
        chunkRows: w.chunk_rows,
        progress: options.progress,
        defects,
        truthDir: path.join(tmp, '.truth'),
      };
      const tg = performance.now();
      if (archetype === 'neobank') await generateNeobank(ctx);
      else await generateMarketplace(ctx);
      timings.generate_s = (performance.now() - tg) / 1000;
      return pw;
    });
    rmSync(spill, { recursive: true, force: true });
    const tc = performance.now();
    const tableEntries: WarehouseManifest['tables'] = {};
    await withDuckDB({ timeZone: 'UTC', memoryLimit: '1GB' }, async (conn) => {
      for (const table of tables) {
        const files = writer.written.get(table);
        if (!files) continue;
        const { rows, checksum } = await contentChecksum(conn, `read_parquet(${sqlString(warehouseTableGlob(tmp, table))})`);
        tableEntries[table] = { rows, checksum, files: files.files };
      }
    });
    timings.checksum_s = (performance.now() - tc) / 1000;
    timings.total_s = (performance.now() - t0) / 1000;
    const manifest: WarehouseManifest = {
      archetype,
      scale: w.scale,
      quality: w.quality,
      trajectory: w.trajectory,
      tz: w.tz,
      months: w.months,
      start_date: window.startDate,
      end_date: window.endDate,
      seed: w.seed,
      generator_version: GENERATOR_VERSION,
      generated_at: new Date().toISOString(),
      targets: manifestTargets(tables, targets, w.months),
      tables: tableEntries,
      defects_path: path.join(path.resolve(options.metaDir), 'defects.json'),
      timings: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 1000) / 1000])),
      config: w as unknown as Record<string, unknown>,
    };
    writeJsonAtomic(path.join(tmp, 'manifest.json'), manifest);
    return manifest;
  });

  // Views need the final absolute paths, so the DuckDB file is built after the folder swap (atomically).
  const duckdbPath = path.join(out, 'warehouse.duckdb');
  const tmpDb = path.join(out, `.warehouse.duckdb.tmp-${process.pid}`);
  rmSync(tmpDb, { force: true });
  await withDuckDB({ path: tmpDb }, async (conn) => {
    for (const table of Object.keys(built.tables)) {
      await conn.run(`CREATE VIEW ${sqlIdent(table)} AS SELECT * FROM read_parquet(${sqlString(warehouseTableGlob(out, table))})`);
    }
  });
  rmSync(`${tmpDb}.wal`, { force: true });
  renameSync(tmpDb, duckdbPath);

  publishBehaviourTruth(path.join(out, '.truth'), options.metaDir);
  const defectsPath = path.join(options.metaDir, 'defects.json');
  const manifest: DefectsManifest = { archetype, quality: w.quality, seed: w.seed, defects };
  writeJsonAtomic(defectsPath, manifest);
  if (!existsSync(defectsPath)) throw new InputError(`Could not write ${defectsPath}.`);
  return {
    archetype,
    out,
    manifestPath: path.join(out, 'manifest.json'),
    defectsPath,
    duckdbPath,
    tables: built.tables,
    rowsTotal: Object.values(built.tables).reduce((s, t) => s + t.rows, 0),
    defects: defects.length,
    timings: built.timings,
  };
}
