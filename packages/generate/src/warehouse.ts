import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  checkSharedFile,
  closeDuckDB,
  contentChecksum,
  DEFAULT_SCALE_TARGETS,
  isWithin,
  OutputFolder,
  openDuckDB,
  pausePoint,
  realPathOf,
  sha256File,
  sha256Of,
  sqlIdent,
  sqlString,
  UsageError,
  withDuckDB,
  writeJsonAtomic,
  writeSharedFile,
  type Archetype,
  type Config,
  type Progress,
  type StepHandle,
} from '@dnr/core';
import { generateMarketplace } from './archetypes/marketplace/index.js';
import { generateNeobank } from './archetypes/neobank/index.js';
import { installMacros, SqlRandom } from './behaviour/sql.js';
import { BEHAVIOUR_TRUTH_FILES } from './behaviour/truth.js';
import { eventWindow, type EventWindow } from './behaviour/window.js';
import type { GenContext } from './context.js';
import type { DefectsManifest } from './defects/manifest.js';
import { planDefects } from './defects/profile.js';
import { DEFECTS_FILE, GENERATOR_VERSION, warehouseTableGlob, type WarehouseManifest } from './manifest.js';
import { TABLES } from './schemas.js';
import { ParquetWriter } from './writer.js';

export interface GenerateWarehouseOptions {
  archetype: Archetype;
  /** Resolved config; warehouse.* drives everything. */
  config: Config;
  /** Output folder (replaced as a whole, with one rename; it carries its own defects.json). */
  out: string;
  /**
   * Also mirror defects.json into this shared folder (the default layout's meta/{archetype}); undefined
   * writes no mirror. The warehouse's own copy, linked from its manifest, is the one consumers read.
   */
  metaDir?: string;
  /** Replace another kind of dnr output at `out`, or keep foreign files by moving them into the new output. */
  force?: boolean;
  /** How the caller names the output and meta folders in messages (quickstart: its config paths; default the flags). */
  flags?: { out?: string; meta?: string };
  progress?: Progress;
  /** Only write these tables (e.g. a reproducibility sample); everything else is skipped where possible. */
  onlyTables?: string[];
}

export interface WarehouseResult {
  archetype: Archetype;
  out: string;
  manifestPath: string;
  /** The warehouse's own ground truth. */
  defectsPath: string;
  /** The mirror written into metaDir, if any. */
  mirrorPath?: string;
  duckdbPath: string;
  tables: WarehouseManifest['tables'];
  rowsTotal: number;
  defects: number;
  timings: Record<string, number>;
}

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
  // tables added beyond the core set follow from behaviour and have no volume target
  return Object.fromEntries(tables.filter((t) => targets[t] !== undefined).map((t): [string, number] => [t, Math.round(targets[t] * factor(t))]));
}

/**
 * An in-memory DuckDB for one build: `fn` gets the main connection and a factory for more connections
 * to the same database (for concurrent chunks), each set to the UTC session time zone; all are closed
 * when `fn` settles.
 */
async function withGenerationDb<T>(fn: (conn: DuckDBConnection, connect: () => Promise<DuckDBConnection>) => Promise<T>): Promise<T> {
  const session = await openDuckDB({ timeZone: 'UTC', memoryLimit: '1GB' });
  const extra: DuckDBConnection[] = [];
  const connect = async () => {
    const conn = await session.instance.connect();
    extra.push(conn);
    await conn.run(`SET TimeZone = 'UTC'`);
    return conn;
  };
  try {
    return await fn(session.connection, connect);
  } finally {
    for (const conn of extra) conn.closeSync();
    closeDuckDB(session);
  }
}

/** A named step on the progress line when there is one. */
function progressStep<T>(progress: Progress | undefined, label: string, fn: (h?: StepHandle) => Promise<T>): Promise<T> {
  return progress ? progress.step(label, fn) : fn();
}

interface BuildPlan {
  archetype: Archetype;
  config: Config;
  tables: string[];
  only: Set<string> | null;
  progress?: Progress;
}

/** manifest.truth entries (file and sha256) of the behaviour truth files a build wrote into `dir`. */
function behaviourTruthEntries(dir: string): Record<string, { file: string; sha256: string }> {
  const out: Record<string, { file: string; sha256: string }> = {};
  for (const [key, name] of Object.entries(BEHAVIOUR_TRUTH_FILES)) {
    const file = path.join(dir, name);
    if (existsSync(file)) out[key === 'summary' ? 'behaviour' : 'behaviour_entities'] = { file: name, sha256: sha256File(file) };
  }
  return out;
}

/**
 * Everything of a warehouse except its DuckDB views, built into `dir` (a staging folder): Parquet per
 * table, the ground truth defects.json, and manifest.json with row counts, content checksums and the
 * sha256 of defects.json (docs/outputs.md).
 */
async function buildWarehouseFolder(dir: string, b: BuildPlan): Promise<{ manifest: WarehouseManifest; defects: DefectsManifest; defectsJson: string }> {
  const { archetype, config } = b;
  const w = config.warehouse;
  const window = eventWindow(w.end_date, w.months, w.tz);
  const targets = targetsFor(config);
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  const defects: DefectsManifest['defects'] = [];
  const tg = performance.now();
  const writer = await generateTables(dir, b, window, targets, defects);
  timings.generate_s = (performance.now() - tg) / 1000;
  pausePoint('gen-warehouse:tables-written');
  const tc = performance.now();
  const tableEntries = await checksumTables(dir, b, writer);
  timings.checksum_s = (performance.now() - tc) / 1000;
  timings.total_s = (performance.now() - t0) / 1000;
  const truth: DefectsManifest = { archetype, quality: w.quality, seed: w.seed, defects };
  const defectsJson = `${JSON.stringify(truth, null, 2)}\n`;
  writeFileSync(path.join(dir, DEFECTS_FILE), defectsJson);
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
    targets: manifestTargets(b.tables, targets, w.months),
    tables: tableEntries,
    defects_path: DEFECTS_FILE,
    truth: { defects: { file: DEFECTS_FILE, sha256: sha256Of(defectsJson) }, ...behaviourTruthEntries(dir) },
    timings: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 1000) / 1000])),
    config: w as unknown as Record<string, unknown>,
  };
  writeJsonAtomic(path.join(dir, 'manifest.json'), manifest);
  return { manifest, defects: truth, defectsJson };
}

/**
 * The archetype's tables as Parquet under `dir`/parquet, through one generation database whose temp
 * files and the chunks' spill go to `dir`/.spill (removed after); injected defects are appended to
 * `defects`. Returns the writer (what it wrote, with the checksums it read back).
 */
async function generateTables(dir: string, b: BuildPlan, window: EventWindow, targets: Record<string, number>, defects: DefectsManifest['defects']): Promise<ParquetWriter> {
  const { archetype, config, only } = b;
  const w = config.warehouse;
  const spill = path.join(dir, '.spill');
  mkdirSync(spill, { recursive: true });
  const writer = await withGenerationDb(async (conn, connect) => {
    await progressStep(b.progress, `${archetype}: calendar and behaviour curves`, async () => {
      await conn.run(`SET temp_directory = ${sqlString(spill)}`);
      await conn.run('SET preserve_insertion_order = false');
      await installMacros(conn);
    });
    const pw = new ParquetWriter(conn, path.join(dir, 'parquet'), w.row_group_rows);
    const ctx: GenContext = {
      conn,
      r: new SqlRandom(w.seed),
      config,
      archetype,
      window,
      plan: planDefects(config, archetype, window),
      targets,
      writer: pw,
      connect,
      want: (t) => !only || only.has(t),
      chunkRows: w.chunk_rows,
      progress: b.progress,
      defects,
      // behaviour truth sits next to defects.json, inside the warehouse it describes
      truthDir: dir,
      spillDir: spill,
    };
    if (archetype === 'neobank') await generateNeobank(ctx);
    else await generateMarketplace(ctx);
    return pw;
  });
  rmSync(spill, { recursive: true, force: true });
  return writer;
}

/** Rows, content checksum and files of every table `writer` wrote under `dir` (the manifest's `tables`). */
async function checksumTables(dir: string, b: BuildPlan, writer: ParquetWriter): Promise<WarehouseManifest['tables']> {
  const out: WarehouseManifest['tables'] = {};
  await progressStep(b.progress, `${b.archetype}: content checksums`, (h) =>
    withDuckDB({ timeZone: 'UTC', memoryLimit: '1GB' }, async (conn) => {
      const written = b.tables.filter((t) => writer.written.has(t));
      h?.total(written.length);
      for (const table of written) {
        // each file was read back as it was written (writer.checksums); re-read only what it did not write
        const { rows, checksum } = writer.tableChecksum(table) ?? (await contentChecksum(conn, `read_parquet(${sqlString(warehouseTableGlob(dir, table))})`));
        out[table] = { rows, checksum, files: writer.written.get(table)!.files };
        h?.tick();
      }
    }),
  );
  return out;
}

/**
 * `{out}/warehouse.duckdb`: one view per table over its Parquet. DuckDB binds a view when it is created
 * and stores absolute paths, so this runs once the folder is at its final place (before the commit is
 * final: a failure or kill here restores the previous warehouse).
 */
async function writeViews(out: string, tables: string[], label: string, progress?: Progress): Promise<void> {
  const tmpDb = path.join(out, `.warehouse.duckdb.tmp-${process.pid}-0`);
  rmSync(tmpDb, { force: true });
  await progressStep(progress, `${label}: warehouse.duckdb views`, () =>
    withDuckDB({ path: tmpDb }, async (conn) => {
      for (const table of tables) {
        await conn.run(`CREATE VIEW ${sqlIdent(table)} AS SELECT * FROM read_parquet(${sqlString(warehouseTableGlob(out, table))})`);
      }
    }),
  );
  rmSync(`${tmpDb}.wal`, { force: true });
  renameSync(tmpDb, path.join(out, 'warehouse.duckdb'));
}

/**
 * Generate one archetype's warehouse (docs/warehouse.md) into `out`, committed as one folder: Parquet per table,
 * manifest.json, warehouse.duckdb views and the warehouse's own ground truth defects.json. Then, when
 * asked, mirror defects.json into the shared meta folder of the default layout.
 */
export async function generateWarehouse(options: GenerateWarehouseOptions): Promise<WarehouseResult> {
  const { archetype, config } = options;
  const tables = TABLES[archetype];
  if (!tables) throw new UsageError(`Unknown archetype "${String(archetype)}": expected neobank or marketplace.`);
  const unknown = (options.onlyTables ?? []).filter((t) => !tables.includes(t));
  if (unknown.length) throw new UsageError(`Unknown ${archetype} table(s): ${unknown.join(', ')}. Known: ${tables.join(', ')}.`);
  const output = OutputFolder.open({ kind: 'warehouse', command: 'gen-warehouse', dir: options.out, flag: options.flags?.out ?? '--out', force: options.force, mutable: ['warehouse.duckdb'] });
  const mirror = options.metaDir === undefined ? undefined : { dir: options.metaDir, name: DEFECTS_FILE, flag: options.flags?.meta ?? '--meta', command: 'gen-warehouse' };
  if (mirror) {
    if (isWithin(realPathOf(mirror.dir, undefined, `--meta ${mirror.dir}`), output.path)) throw new UsageError(`--meta ${mirror.dir} lies inside --out ${options.out}: the warehouse already carries its own ${DEFECTS_FILE}.`);
    checkSharedFile(mirror);
  }
  const only = options.onlyTables ? new Set(options.onlyTables) : null;
  let written: string[] = [];
  const built = await output.commit(
    async (dir) => {
      const b = await buildWarehouseFolder(dir, { archetype, config, tables, only, progress: options.progress });
      written = Object.keys(b.manifest.tables);
      return b;
    },
    { afterSwap: (final) => writeViews(final, written, archetype, options.progress) },
  );
  pausePoint('gen-warehouse:before-mirror');
  const mirrorPath = mirror ? writeSharedFile(mirror, built.defectsJson) : undefined;
  if (mirror) {
    // the behaviour truth travels with defects.json into the shared meta folder of the default layout
    for (const name of Object.values(BEHAVIOUR_TRUTH_FILES)) {
      const file = path.join(output.path, name);
      if (existsSync(file)) writeSharedFile({ ...mirror, name }, readFileSync(file));
    }
  }
  const { manifest } = built;
  return {
    archetype,
    out: output.path,
    manifestPath: path.join(output.path, 'manifest.json'),
    defectsPath: path.join(output.path, DEFECTS_FILE),
    mirrorPath,
    duckdbPath: path.join(output.path, 'warehouse.duckdb'),
    tables: manifest.tables,
    rowsTotal: Object.values(manifest.tables).reduce((s, t) => s + t.rows, 0),
    defects: built.defects.defects.length,
    timings: manifest.timings,
  };
}
