import { appendFileSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  contentChecksum,
  ensureWritableDir,
  commsVolumes,
  countTokens,
  errorMessage,
  InputError,
  llmClientFromConfig,
  Progress,
  SCALES,
  sqlString,
  THEMES,
  UsageError,
  withAtomicDir,
  withDuckDB,
  writeJsonAtomic,
  writeParquetFile,
  yieldToEventLoop,
  type Archetype,
  type Config,
  type LlmClient,
  type LlmSpend,
  type Scale,
  type Theme,
} from '@dnr/core';
import { defectEvents, defectsPath, readDefectsManifest, type DefectEvent } from './defects.js';
import { runLlmEngine } from './engines/llm/index.js';
import { renderTemplateCorpus } from './engines/template/index.js';
import { executeNlqSql, parseNlqSql, type SqlCheckResult } from './nlq-sql.js';
import { planComms } from './plan.js';
import { COMMS_FILES } from './schemas.js';
import { commsWindow } from './window.js';
import { corpusTables } from './writers.js';

export const COMMS_GENERATOR_VERSION = '1.0.0';

export interface GenerateCommsOptions {
  archetype: Archetype;
  config: Config;
  /** Output folder of the four corpus files and manifest.json (replaced atomically). */
  out: string;
  /** Folder of defects.json (read) and the oracle labels (written). */
  metaDir: string;
  /** Warehouse folder: its manifest fixes the window; --nlq-execute runs SQL on it. */
  warehouseDir?: string;
  /** Environment (API key, OPENAI_BASE_URL) for the llm engine. */
  env: NodeJS.ProcessEnv;
  /** Working folder for the LLM cache (default process.cwd()). */
  cwd?: string;
  progress?: Progress;
  engine: 'template' | 'llm';
  nlqParseOnly?: boolean;
  nlqExecute?: boolean;
  /** Spend ledger of the llm engine (default {metaDir}/comms_llm_ledger.jsonl). */
  ledgerPath?: string;
  /** Use this client instead of one built from config/env (tests). */
  llmClient?: LlmClient;
}

export interface EngineCounts {
  slack: number;
  email: number;
  nlq: number;
}

export interface CommsResult {
  archetype: Archetype;
  engine: 'template' | 'llm';
  seed: number;
  out: string;
  metaDir: string;
  window: { start: string; end: string; tz: string; source: 'warehouse manifest' | 'config' };
  counts: { slack_threads: number; slack_messages: number; email_messages: number; nlq: number; users: number };
  /** Items written by each engine. */
  written: { template: EngineCounts; llm: EngineCounts };
  events: { total: number; slack_clustered: number; email_clustered: number; nlq_clustered: number; policy: 'event_aware' | 'uniform' };
  theme_share: Record<Theme, number>;
  relevance_share: { positive: number; hard_negative: number; negative: number };
  max_tokens: { slack: number; email: number; nlq: number };
  files: Record<string, { rows: number; checksum: string }>;
  llm?: LlmSpend & { stopped?: string; failures: number; ledger: string };
  nlq_parse?: SqlCheckResult;
  nlq_execute?: SqlCheckResult;
  warnings: string[];
  seconds: number;
}

interface WarehouseManifestLite {
  end_date?: string;
  tz?: string;
  months?: number;
  scale?: Scale;
}

function readWarehouseManifest(dir: string | undefined): WarehouseManifestLite | undefined {
  if (!dir) return undefined;
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as WarehouseManifestLite;
  } catch (error: unknown) {
    throw new InputError(`Warehouse manifest ${file} is not valid JSON (${errorMessage(error)}).`, { cause: error });
  }
}

function archiveLedger(ledger: string, history: string): void {
  if (!existsSync(ledger)) return;
  const text = readFileSync(ledger, 'utf8');
  if (text.length > 0) appendFileSync(history, text.endsWith('\n') ? text : `${text}\n`);
  rmSync(ledger, { force: true });
}

/** Generate the comms corpus of one archetype (SPEC §5). */
export async function generateComms(options: GenerateCommsOptions): Promise<CommsResult> {
  const t0 = performance.now();
  const { archetype, config } = options;
  const c = config.comms;
  const progress = options.progress ?? Progress.silent();
  const warnings: string[] = [];

  // The output folder is replaced as a whole: it must not hold the ground truth or the warehouse.
  const outAbs = path.resolve(options.out);
  for (const [flag, dir] of [['--meta', options.metaDir], ['--warehouse', options.warehouseDir]] as const) {
    if (!dir) continue;
    const rel = path.relative(outAbs, path.resolve(dir));
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
      throw new UsageError(`--out ${options.out} contains ${flag} ${dir}: gen-comms replaces --out as a whole and would delete it.`, {
        suggestion: 'Choose a separate --out folder (default {paths.comms}/{archetype}).',
      });
    }
  }

  ensureWritableDir(options.metaDir, '--meta');

  // Window: the last comms.window_months of the warehouse window.
  const wm = readWarehouseManifest(options.warehouseDir);
  const endDate = wm?.end_date ?? config.warehouse.end_date;
  const tz = wm?.tz ?? config.warehouse.tz;
  const window = commsWindow(endDate, c.window_months, tz);
  if (!wm) warnings.push(`no warehouse manifest under ${options.warehouseDir ?? '(no --warehouse)'}: window taken from config (end ${endDate}, ${tz})`);

  // Defect events (ground truth) for the correlation of themed threads.
  const eventAware = c.sample_policy === 'event_aware';
  let events: DefectEvent[] = [];
  if (eventAware) events = defectEvents(readDefectsManifest(defectsPath(options.metaDir)));

  // Volumes follow the warehouse the comms talk about: its scale when it has a manifest, else warehouse.scale.
  const scale = wm?.scale && (SCALES as readonly string[]).includes(wm.scale) ? wm.scale : config.warehouse.scale;
  const plan = planComms({ archetype, config, window, events, eventAware, volumes: commsVolumes(c, scale) });
  if (eventAware && plan.events.length === 0) warnings.push('defects.json has no dated defect events inside the comms window: no clustering');

  const schemaGap = config.warehouse.defects.schema_gap_column[archetype];
  const template = await progress.step('gen-comms: template text', () =>
    renderTemplateCorpus({
      archetype,
      seed: c.seed,
      plan,
      allowedDomains: c.link_domains,
      defectColumn: (eventColumn, theme) => eventColumn ?? (theme === 'new_field_schema_request' ? schemaGap : undefined),
    }),
  );

  const slackTexts = template.slack.map((t) => [...t]);
  const emailTexts = template.email.map((e) => ({ ...e }));
  const nlqTexts = template.nlq.map((q) => q.query_text);
  const written = {
    template: { slack: plan.slack.length, email: plan.email.length, nlq: plan.nlq.length },
    llm: { slack: 0, email: 0, nlq: 0 },
  };
  let llmInfo: CommsResult['llm'];

  if (options.engine === 'llm') {
    const ledger = options.ledgerPath ?? path.join(options.metaDir, 'comms_llm_ledger.jsonl');
    // The ledger documents the spend of the corpus on disk (the cap is per run): earlier runs' lines move to
    // comms_llm_history.jsonl, so no spend record is ever lost.
    archiveLedger(ledger, path.join(path.dirname(ledger), 'comms_llm_history.jsonl'));
    let client = options.llmClient;
    if (!client) {
      try {
        client = llmClientFromConfig({ config, env: options.env, cwd: options.cwd ?? process.cwd(), origins: {} }, 'comms', { ledgerPath: ledger });
      } catch (error: unknown) {
        warnings.push(`llm engine unavailable (${errorMessage(error)}): the template engine wrote every item`);
      }
    }
    if (client) {
      const total = plan.slack.length + plan.email.length + plan.nlq.length;
      const res = await progress.step('gen-comms: llm text', async (h) => {
        h.total(total);
        return runLlmEngine({
          client: client as LlmClient,
          plan,
          template,
          caps: { slack: c.slack_max_tokens, email: c.email_max_tokens, nlq: c.nlq_max_tokens },
          allowedDomains: c.link_domains,
          concurrency: config.classification.concurrency,
          onItem: () => h.tick(),
        });
      });
      for (const [i, msgs] of res.slack) slackTexts[i] = msgs;
      for (const [i, e] of res.email) emailTexts[i] = e;
      for (const [i, q] of res.nlq) nlqTexts[i] = q;
      written.llm = { slack: res.slack.size, email: res.email.size, nlq: res.nlq.size };
      written.template = { slack: plan.slack.length - res.slack.size, email: plan.email.length - res.email.size, nlq: plan.nlq.length - res.nlq.size };
      if (res.stopped) warnings.push(`llm engine stopped early: ${res.stopped}; the template engine wrote the remaining items`);
      llmInfo = { ...client.spend(), stopped: res.stopped, failures: res.failures, ledger };
    }
  }

  const { outFiles, metaFiles, maxTokens } = await progress.step('gen-comms: scrub PII, cap tokens, build tables', async (h) => {
    // The tokenizer (WASM, ~100 ms) loads in one synchronous piece on the first count: say so on the line.
    h.note('(loading the tokenizer)');
    await yieldToEventLoop();
    countTokens('warm-up', c.model);
    h.note('');
    return corpusTables(
      plan,
      { slack: slackTexts, email: emailTexts, nlq: nlqTexts, nlqItems: template.nlq },
      {
        allowedDomains: c.link_domains,
        caps: { slack: c.slack_max_tokens, email: c.email_max_tokens, nlq: c.nlq_max_tokens },
        // caps are measured with the comms model's encoding (gpt-4o-mini → o200k_base)
        model: c.model,
      },
      h,
    );
  });

  let nlqParse: SqlCheckResult | undefined;
  let nlqExecute: SqlCheckResult | undefined;
  const sqlItems = plan.nlq.map((q) => ({ id: q.queryId, sql: template.nlq[q.index].generated_sql }));
  if (options.nlqParseOnly) nlqParse = await progress.step('gen-comms: parse NLQ SQL', () => parseNlqSql(archetype, sqlItems));
  if (options.nlqExecute) nlqExecute = await progress.step('gen-comms: execute NLQ SQL', () => executeNlqSql(archetype, options.warehouseDir ?? '', tz, sqlItems));

  const positives = [...plan.slack.map((t) => t.label), ...plan.email.map((e) => e.label)].filter((l) => l.relevance === 'positive');
  const themeShare = Object.fromEntries(THEMES.map((t) => [t, positives.length ? positives.filter((l) => l.theme === t).length / positives.length : 0])) as Record<Theme, number>;
  const all = plan.slack.length + plan.email.length;
  const relShare = (r: string) => (all ? [...plan.slack, ...plan.email].filter((x) => x.label.relevance === r).length / all : 0);

  const result: CommsResult = {
    archetype,
    engine: options.engine,
    seed: c.seed,
    out: options.out,
    metaDir: options.metaDir,
    window: { start: window.start, end: window.end, tz, source: wm ? 'warehouse manifest' : 'config' },
    counts: { slack_threads: plan.slack.length, slack_messages: outFiles.slack_messages.numRows, email_messages: plan.email.length, nlq: plan.nlq.length, users: plan.users.length },
    written,
    events: { total: plan.events.length, slack_clustered: plan.clustered.slack, email_clustered: plan.clustered.email, nlq_clustered: plan.clustered.nlq, policy: c.sample_policy },
    theme_share: themeShare,
    relevance_share: { positive: relShare('positive'), hard_negative: relShare('hard_negative'), negative: relShare('negative') },
    max_tokens: maxTokens,
    files: {},
    llm: llmInfo,
    nlq_parse: nlqParse,
    nlq_execute: nlqExecute,
    warnings,
    seconds: 0,
  };

  // Corpus and labels change together: the labels are staged next to their final names, the corpus folder
  // is swapped in atomically, and only then are the labels renamed into place. A failure leaves both as they were.
  await progress.step('gen-comms: write Parquet, labels and checksums', async () => {
    const staged: { tmp: string; final: string; name: string }[] = [];
    try {
      for (const [name, table] of Object.entries(metaFiles)) {
        const file = COMMS_FILES[name as keyof typeof COMMS_FILES];
        const tmp = path.join(options.metaDir, `.${file}.staged-${process.pid}`);
        await writeParquetFile(tmp, table);
        staged.push({ tmp, final: path.join(options.metaDir, file), name });
      }
      await withAtomicDir(options.out, '--out', async (tmp) => {
        for (const [name, table] of Object.entries(outFiles)) await writeParquetFile(path.join(tmp, COMMS_FILES[name as keyof typeof COMMS_FILES]), table);
        await withDuckDB({ timeZone: 'UTC', threads: 1 }, async (conn) => {
          for (const name of Object.keys(outFiles)) {
            result.files[name] = await contentChecksum(conn, `read_parquet(${sqlString(path.join(tmp, COMMS_FILES[name as keyof typeof COMMS_FILES]))})`);
          }
          for (const s of staged) result.files[s.name] = await contentChecksum(conn, `read_parquet(${sqlString(s.tmp)})`);
        });
        result.seconds = Math.round((performance.now() - t0) / 10) / 100;
        const { seconds: _s, ...rest } = result;
        writeJsonAtomic(path.join(tmp, 'manifest.json'), { ...rest, generator_version: COMMS_GENERATOR_VERSION, generated_at: new Date().toISOString(), timings: { seconds: result.seconds } });
      });
      for (const s of staged) renameSync(s.tmp, s.final);
    } finally {
      for (const s of staged) rmSync(s.tmp, { force: true });
    }
  });
  result.seconds = Math.round((performance.now() - t0) / 10) / 100;
  return result;
}

