import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { errorMessage, InputError, recoverInput, resolveTruth, SCALES, type Archetype, type Config, type Scale } from '@dnr/core';
import { defectEvents, readDefectsManifest, type DefectEvent } from './defects.js';
import { commsWindow, DAY_MS, isoDay, type CommsWindow } from './window.js';

/** What gen-comms takes from the warehouse it writes about. */
export interface WarehouseSource {
  window: CommsWindow;
  windowSource: 'warehouse manifest' | 'config';
  /** Dated defect events to cluster themed threads around (empty for the uniform policy). */
  events: DefectEvent[];
  /** The ground truth read, if any. */
  defectsFile?: string;
  /** The warehouse's scale (its manifest, else warehouse.scale): comms volumes follow it. */
  scale: Scale;
  warnings: string[];
}

interface WarehouseManifestLite {
  archetype?: string;
  start_date?: string;
  end_date?: string;
  tz?: string;
  months?: number;
  scale?: string;
  defects_path?: string;
}

function readManifestLite(dir: string | undefined): WarehouseManifestLite | undefined {
  if (!dir) return undefined;
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as WarehouseManifestLite;
  } catch (error: unknown) {
    throw new InputError(`Warehouse manifest ${file} is not valid JSON (${errorMessage(error)}).`, { cause: error });
  }
}

/** Shortest comms window worth generating: a week holds every weekday once. */
const MIN_WINDOW_DAYS = 7;

/**
 * The comms window: the last `comms.window_months` of the warehouse window, never reaching before the
 * warehouse's first day (a shorter warehouse shrinks it, with a warning); fewer than a week is an error.
 */
export function fitWindow(endDate: string, months: number, tz: string, warehouseStart: string, warnings: string[]): CommsWindow {
  const wanted = commsWindow(endDate, months, tz);
  if (wanted.start >= warehouseStart) return wanted;
  const startMs = Date.parse(`${warehouseStart}T00:00:00Z`);
  const days = wanted.days.filter((d) => d >= startMs);
  if (days.length < MIN_WINDOW_DAYS) {
    throw new InputError(`the warehouse covers ${warehouseStart} → ${endDate} (${days.length} days), too short for a comms window of at least ${MIN_WINDOW_DAYS} days.`, {
      suggestion: 'Generate a longer warehouse (--months) for these comms.',
    });
  }
  warnings.push(
    `comms window shrunk to the warehouse window: ${isoDay(days[0])} → ${endDate} (${Math.round(days.length / 30.4)} months) instead of the last ${months} months, which would start before any data.`,
  );
  return { ...wanted, start: isoDay(days[0]), days };
}

/** First local day of an m-month window ending at endDate (as the warehouse computes it when a manifest has no start_date). */
function windowStart(endDate: string, months: number): string {
  const end = new Date(Date.parse(`${endDate}T00:00:00Z`));
  return isoDay(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - months, end.getUTCDate()) + DAY_MS);
}

/**
 * Read the warehouse a corpus is written about: its window (from its manifest, else config) and, for the
 * event-aware policy, its ground-truth defect events — found through the warehouse's manifest; older
 * warehouses fall back to `{metaDir}/defects.json`, with a warning that it is not verified.
 */
export function readWarehouseSource(o: { archetype: Archetype; config: Config; warehouseDir?: string; metaDir?: string; eventAware: boolean }): WarehouseSource {
  const warnings: string[] = [];
  if (o.warehouseDir) recoverInput(o.warehouseDir, '--warehouse');
  const wm = readManifestLite(o.warehouseDir);
  if (wm?.archetype && wm.archetype !== o.archetype) {
    throw new InputError(`--warehouse ${o.warehouseDir} is a ${wm.archetype} warehouse, not ${o.archetype}.`, { suggestion: `Pass --archetype ${wm.archetype} or the ${o.archetype} warehouse.` });
  }
  if (!wm) warnings.push(`no warehouse manifest under ${o.warehouseDir ?? '(no --warehouse)'}: window taken from config (end ${o.config.warehouse.end_date}, ${o.config.warehouse.tz})`);
  const endDate = wm?.end_date ?? o.config.warehouse.end_date;
  const tz = wm?.tz ?? o.config.warehouse.tz;
  const start = wm?.start_date ?? windowStart(endDate, wm?.months ?? o.config.warehouse.months);
  const window = fitWindow(endDate, o.config.comms.window_months, tz, start, warnings);
  const scale = wm?.scale && (SCALES as readonly string[]).includes(wm.scale) ? (wm.scale as Scale) : o.config.warehouse.scale;
  if (!o.eventAware) return { window, windowSource: wm ? 'warehouse manifest' : 'config', events: [], scale, warnings };
  const legacy = [wm?.defects_path && o.warehouseDir ? path.resolve(o.warehouseDir, wm.defects_path) : '', o.metaDir ? path.resolve(o.metaDir, 'defects.json') : ''].filter(Boolean);
  const truth = o.warehouseDir ? resolveTruth({ dataDir: o.warehouseDir, dataFlag: '--warehouse', name: 'defects', fileName: 'defects.json', legacy }) : undefined;
  const file = truth?.file ?? legacy.find((f) => existsSync(f)) ?? legacy.at(-1) ?? path.resolve(o.warehouseDir ?? '.', 'defects.json');
  if (truth?.source !== 'own') warnings.push(`defect events read from ${file}, which the warehouse's manifest does not link: it is not verified to belong to that warehouse`);
  return { window, windowSource: wm ? 'warehouse manifest' : 'config', events: defectEvents(readDefectsManifest(file)), defectsFile: file, scale, warnings };
}
