import path from 'node:path';
import { OutputFolder, Progress, withDuckDB, writeFileAtomic, writeJsonAtomic, type Config } from '@dnr/core';
import { readWarehouseManifest } from '@dnr/generate';
import { namedDays } from './days.js';
import { figureCatalog } from './figures.js';
import { marketplaceProfile } from './marketplace/index.js';
import { renderProfileMd } from './markdown.js';
import { cohortProfile } from './neobank/cohorts.js';
import { neobankConsistency } from './neobank/consistency.js';
import { funnelProfile } from './neobank/funnel.js';
import { seasonalityProfile } from './neobank/seasonality.js';
import { segmentProfile } from './neobank/segments.js';
import { subscriptionProfile } from './neobank/subscriptions.js';
import { openWarehouse, type ProfileSource } from './source.js';
import { num } from './sql.js';
import type { NeobankProfile, Profile } from './types.js';
import { renderVegaLitePng } from '@dnr/report';

export interface ProfileOptions {
  warehouseDir: string;
  /** Output folder; default {warehouse}/../../reports/{archetype}/profile is not assumed: the CLI passes it. */
  outDir: string;
  config?: Config;
  force?: boolean;
  progress?: Progress;
}

export interface ProfileResult {
  out_dir: string;
  files: string[];
  profile: Profile;
}

/** Every neobank section (each reads the views of `src`). */
export async function neobankSections(src: ProfileSource, config: Config | undefined): Promise<NeobankProfile> {
  const { days } = namedDays(src, config);
  return {
    cohorts: await cohortProfile(src),
    segments: await segmentProfile(src),
    funnel: await funnelProfile(src),
    seasonality: await seasonalityProfile(src, days),
    subscriptions: await subscriptionProfile(src),
    consistency: await neobankConsistency(src),
  };
}

/**
 * `dnr profile`: open the warehouse, measure every section of its archetype, render the figures, and
 * commit profile.md + profile.json + PNGs into the output folder (kind `profile`).
 */
export async function profileWarehouse(options: ProfileOptions): Promise<ProfileResult> {
  const progress = options.progress ?? Progress.silent();
  const output = OutputFolder.open({ kind: 'profile', command: 'profile', dir: options.outDir, flag: '--out', force: options.force, inputs: [{ flag: '--warehouse', dir: options.warehouseDir }] });
  const profile = await withDuckDB({ timeZone: 'UTC' }, async (conn) => {
    const src = await progress.step('open warehouse', () => openWarehouse(conn, options.warehouseDir));
    return progress.step(`measure the ${src.archetype} behaviour`, () => measure(src, options));
  });
  const catalog = figureCatalog(profile);
  const pngs = await progress.step('render figures', async () => Promise.all(catalog.map(async (c) => ({ file: c.file, png: await renderVegaLitePng(c.spec) }))));
  profile.figures = pngs.map((x) => x.file);
  const files = await progress.step('write profile.md, profile.json and figures', () =>
    output.commit(async (dir) => {
      for (const x of pngs) writeFileAtomic(path.join(dir, x.file), x.png);
      writeJsonAtomic(path.join(dir, 'profile.json'), profile);
      writeFileAtomic(path.join(dir, 'profile.md'), renderProfileMd(profile));
      return ['profile.md', 'profile.json', ...profile.figures];
    }),
  );
  return { out_dir: options.outDir, files, profile };
}

async function measure(src: ProfileSource, options: ProfileOptions): Promise<Profile> {
  const manifest = readWarehouseManifest(options.warehouseDir);
  const tables: Record<string, number> = {};
  for (const t of [...src.tables].sort()) tables[t] = num((await src.q<{ n: bigint }>(`SELECT count(*) AS n FROM ${t}`))[0].n);
  const { source } = namedDays(src, options.config);
  const notes: string[] = [];
  if (!src.truth) notes.push('No behaviour ground truth in this warehouse: declared values and the segment table are left out.');
  const rates = (manifest.config as { currency_rates?: Record<string, number> } | undefined)?.currency_rates ?? { USD: 1 };
  const profile: Profile = {
    archetype: src.archetype,
    warehouse: path.resolve(options.warehouseDir),
    window: { ...src.window, tz: src.tz },
    tables,
    truth: src.truthFile ?? null,
    calendar_source: source,
    figures: [],
    notes,
  };
  if (src.archetype === 'neobank') profile.neobank = await neobankSections(src, options.config);
  else profile.marketplace = await marketplaceProfile(src, rates, namedDays(src, options.config).days);
  return profile;
}
