import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  warehouseIdentity,
  checkSharedFile,
  contentChecksum,
  commsVolumes,
  countTokens,
  errorMessage,
  llmClientFromConfig,
  LlmEndpointError,
  OutputFolder,
  pausePoint,
  Progress,
  sha256File,
  sqlString,
  THEMES,
  withDuckDB,
  writeJsonAtomic,
  writeParquetFile,
  writeSharedFile,
  yieldToEventLoop,
  type Archetype,
  type Config,
  type LlmClient,
  type LlmSpend,
  type SharedFileSpec,
  type Theme,
} from '@dnr/core';
import { runLlmEngine } from './engines/llm/index.js';
import { renderTemplateCorpus } from './engines/template/index.js';
import { executeNlqSql, parseNlqSql, type SqlCheckResult } from './nlq-sql.js';
import { planComms, type CommsPlan } from './plan.js';
import { COMMS_FILES } from './schemas.js';
import { readWarehouseSource, type WarehouseSource } from './source.js';
import { corpusTables } from './writers.js';

export const COMMS_GENERATOR_VERSION = '1.0.0';

export interface GenerateCommsOptions {
  archetype: Archetype;
  config: Config;
  /** Output folder: the four corpus files, the oracle labels, manifest.json (replaced as a whole, with one rename). */
  out: string;
  /** Shared ground-truth folder of the default layout (meta/{archetype}): the labels are mirrored there after the commit. Undefined: no mirror. */
  metaDir?: string;
  /** Where the defects.json of a warehouse that does not carry its own is read (older warehouses; default metaDir). */
  truthFallbackDir?: string;
  /** Warehouse folder: its manifest fixes the window and links the defects the threads cluster around; --nlq-execute runs SQL on it. */
  warehouseDir?: string;
  /** Replace another kind of dnr output at `out`, or keep foreign files by moving them into the new output. */
  force?: boolean;
  /** How the caller names the output and meta folders in messages (quickstart: its config paths; default the flags). */
  flags?: { out?: string; meta?: string };
  /** Environment (API key, OPENAI_BASE_URL) for the llm engine. */
  env: NodeJS.ProcessEnv;
  /** Working folder for the LLM cache (default process.cwd()). */
  cwd?: string;
  progress?: Progress;
  engine: 'template' | 'llm';
  nlqParseOnly?: boolean;
  nlqExecute?: boolean;
  /** Live spend ledger of the llm engine, resumed by an interrupted run (default {metaDir}/comms_llm_ledger.jsonl, else inside the corpus); the corpus keeps a copy. */
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
  /** Where the labels were mirrored, if anywhere. */
  metaDir?: string;
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


/** The oracle labels, inside the comms folder (linked from its manifest) and mirrored to meta/{archetype}. */
export const LABEL_FILES = ['labels_slack', 'labels_email', 'labels_nlq'] as const;
/** The llm engine's spend ledger: it documents the spend of the corpus it sits next to. */
export const COMMS_LEDGER_FILE = 'llm_ledger.jsonl';

type TemplateCorpus = Awaited<ReturnType<typeof renderTemplateCorpus>>;

interface CorpusTextsResult {
  slack: string[][];
  email: { subject: string; body: string }[];
  nlq: string[];
  written: CommsResult['written'];
  llm?: CommsResult['llm'];
}

/** The words of every item: the template engine's, replaced by the llm engine's wherever it wrote them. */
async function writeTexts(o: GenerateCommsOptions, plan: CommsPlan, template: TemplateCorpus, ledger: string, warnings: string[], progress: Progress): Promise<CorpusTextsResult> {
  const c = o.config.comms;
  const texts: CorpusTextsResult = {
    slack: template.slack.map((t) => [...t]),
    email: template.email.map((e) => ({ ...e })),
    nlq: template.nlq.map((q) => q.query_text),
    written: { template: { slack: plan.slack.length, email: plan.email.length, nlq: plan.nlq.length }, llm: { slack: 0, email: 0, nlq: 0 } },
  };
  if (o.engine !== 'llm') return texts;
  let client = o.llmClient;
  if (!client) {
    try {
      client = llmClientFromConfig({ config: o.config, env: o.env, cwd: o.cwd ?? process.cwd(), origins: {} }, 'comms', { ledgerPath: ledger });
    } catch (error: unknown) {
      warnings.push(`llm engine unavailable (${errorMessage(error)}): the template engine wrote every item`);
      return texts;
    }
  }
  const total = plan.slack.length + plan.email.length + plan.nlq.length;
  const res = await progress.step('gen-comms: llm text', async (h) => {
    h.total(total);
    return runLlmEngine({
      client: client as LlmClient,
      plan,
      template,
      caps: { slack: c.slack_max_tokens, email: c.email_max_tokens, nlq: c.nlq_max_tokens },
      allowedDomains: c.link_domains,
      concurrency: o.config.classification.concurrency,
      onItem: () => h.tick(),
    });
  });
  for (const [i, msgs] of res.slack) texts.slack[i] = msgs;
  for (const [i, e] of res.email) texts.email[i] = e;
  for (const [i, q] of res.nlq) texts.nlq[i] = q;
  texts.written = {
    llm: { slack: res.slack.size, email: res.email.size, nlq: res.nlq.size },
    template: { slack: plan.slack.length - res.slack.size, email: plan.email.length - res.email.size, nlq: plan.nlq.length - res.nlq.size },
  };
  // The spend booked so far is part of the message; the ledger is named when it outlives the failed run.
  if (res.fatal) throw new LlmEndpointError(res.fatal, { client, ledgerPath: o.ledgerPath ?? (o.metaDir ? ledger : undefined) });
  client.close();
  if (res.stopped) warnings.push(`llm engine stopped early: ${res.stopped}; the template engine wrote the remaining items`);
  texts.llm = { ...client.spend(), stopped: res.stopped, failures: res.failures, ledger };
  return texts;
}

/** Label and theme shares of the plan, for the result. */
function planShares(plan: CommsPlan): Pick<CommsResult, 'theme_share' | 'relevance_share'> {
  const threads = [...plan.slack, ...plan.email];
  const positives = threads.map((x) => x.label).filter((l) => l.relevance === 'positive');
  const theme_share = Object.fromEntries(THEMES.map((t) => [t, positives.length ? positives.filter((l) => l.theme === t).length / positives.length : 0])) as Record<Theme, number>;
  const rel = (r: string) => (threads.length ? threads.filter((x) => x.label.relevance === r).length / threads.length : 0);
  return { theme_share, relevance_share: { positive: rel('positive'), hard_negative: rel('hard_negative'), negative: rel('negative') } };
}

interface BuildInput {
  options: GenerateCommsOptions;
  plan: CommsPlan;
  source: WarehouseSource;
  warnings: string[];
  progress: Progress;
  t0: number;
}

/** Everything of one corpus, written into `dir` (the staging folder): texts, Parquet, labels, checksums, manifest. */
async function buildCorpus(dir: string, b: BuildInput): Promise<CommsResult> {
  const { options, plan, progress, warnings } = b;
  const { archetype, config } = options;
  const c = config.comms;
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
  // The live ledger sits at a stable path so an interrupted run resumes it (kill-and-rerun stays under one
  // cap); the corpus keeps a copy of the ledger that paid for it.
  const ledger = options.ledgerPath ?? (options.metaDir ? path.join(options.metaDir, 'comms_llm_ledger.jsonl') : path.join(dir, COMMS_LEDGER_FILE));
  const texts = await writeTexts(options, plan, template, ledger, warnings, progress);
  if (texts.llm && ledger !== path.join(dir, COMMS_LEDGER_FILE) && existsSync(ledger)) copyFileSync(ledger, path.join(dir, COMMS_LEDGER_FILE));
  const { outFiles, metaFiles, maxTokens } = await progress.step('gen-comms: scrub PII, cap tokens, build tables', async (h) => {
    // The tokenizer (WASM, ~100 ms) loads in one synchronous piece on the first count: say so on the line.
    h.note('(loading the tokenizer)');
    await yieldToEventLoop();
    countTokens('warm-up', c.model);
    h.note('');
    return corpusTables(
      plan,
      { ...texts, nlqItems: template.nlq },
      {
        allowedDomains: c.link_domains,
        caps: { slack: c.slack_max_tokens, email: c.email_max_tokens, nlq: c.nlq_max_tokens },
        // caps are measured with the comms model's encoding (gpt-4o-mini → o200k_base)
        model: c.model,
      },
      h,
    );
  });
  const sqlItems = plan.nlq.map((q) => ({ id: q.queryId, sql: template.nlq[q.index].generated_sql }));
  const nlqParse = options.nlqParseOnly ? await progress.step('gen-comms: parse NLQ SQL', () => parseNlqSql(archetype, sqlItems)) : undefined;
  const nlqExecute = options.nlqExecute
    ? await progress.step('gen-comms: execute NLQ SQL', () => executeNlqSql(archetype, options.warehouseDir ?? '', b.source.window.tz, sqlItems))
    : undefined;
  const w = b.source.window;
  const result: CommsResult = {
    archetype,
    engine: options.engine,
    seed: c.seed,
    out: options.out,
    metaDir: options.metaDir,
    window: { start: w.start, end: w.end, tz: w.tz, source: b.source.windowSource },
    counts: { slack_threads: plan.slack.length, slack_messages: outFiles.slack_messages.numRows, email_messages: plan.email.length, nlq: plan.nlq.length, users: plan.users.length },
    written: texts.written,
    events: { total: plan.events.length, slack_clustered: plan.clustered.slack, email_clustered: plan.clustered.email, nlq_clustered: plan.clustered.nlq, policy: c.sample_policy },
    ...planShares(plan),
    max_tokens: maxTokens,
    files: {},
    llm: texts.llm,
    nlq_parse: nlqParse,
    nlq_execute: nlqExecute,
    warnings,
    seconds: 0,
  };
  await progress.step('gen-comms: write', async () => {
    const tables = { ...outFiles, ...metaFiles };
    for (const [name, table] of Object.entries(tables)) await writeParquetFile(path.join(dir, COMMS_FILES[name as keyof typeof COMMS_FILES]), table);
    await withDuckDB({ timeZone: 'UTC', threads: 1 }, async (conn) => {
      for (const name of Object.keys(tables)) {
        result.files[name] = await contentChecksum(conn, `read_parquet(${sqlString(path.join(dir, COMMS_FILES[name as keyof typeof COMMS_FILES]))})`);
      }
    });
    const truth = Object.fromEntries(LABEL_FILES.map((name) => [name, { file: COMMS_FILES[name], sha256: sha256File(path.join(dir, COMMS_FILES[name])) }]));
    result.seconds = Math.round((performance.now() - b.t0) / 10) / 100;
    const { seconds: _s, ...rest } = result;
    // The warehouse it was generated from: consumers warn when a corpus is paired with another warehouse.
    const warehouse = warehouseIdentity(options.warehouseDir, b.source.defectsFile);
    writeJsonAtomic(path.join(dir, 'manifest.json'), { ...rest, truth, warehouse, generator_version: COMMS_GENERATOR_VERSION, generated_at: new Date().toISOString(), timings: { seconds: result.seconds } });
  });
  return result;
}

/**
 * Generate the comms corpus of one archetype (docs/comms.md) into one folder committed with one rename: the
 * corpus, its oracle labels (linked from manifest.json) and, for the llm engine, its spend ledger. Then,
 * when asked, mirror the labels into the shared meta folder of the default layout.
 */
export async function generateComms(options: GenerateCommsOptions): Promise<CommsResult> {
  const t0 = performance.now();
  const { archetype, config } = options;
  const progress = options.progress ?? Progress.silent();
  const output = OutputFolder.open({
    kind: 'comms',
    command: 'gen-comms',
    dir: options.out,
    flag: options.flags?.out ?? '--out',
    force: options.force,
    inputs: [{ flag: '--warehouse', dir: options.warehouseDir }],
    others: [{ flag: options.flags?.meta ?? '--meta', dir: options.metaDir }],
  });
  const mirrors: SharedFileSpec[] = options.metaDir ? LABEL_FILES.map((name) => ({ dir: options.metaDir as string, name: COMMS_FILES[name], flag: options.flags?.meta ?? '--meta', command: 'gen-comms' })) : [];
  for (const m of mirrors) checkSharedFile(m);
  const eventAware = config.comms.sample_policy === 'event_aware';
  const source = readWarehouseSource({ archetype, config, warehouseDir: options.warehouseDir, metaDir: options.truthFallbackDir ?? options.metaDir, eventAware });
  const warnings = [...source.warnings];
  const plan = planComms({ archetype, config, window: source.window, events: source.events, eventAware, volumes: commsVolumes(config.comms, source.scale) });
  if (eventAware && plan.events.length === 0) warnings.push('defects.json has no dated defect events inside the comms window: no clustering');
  const result = await output.commit((dir) => buildCorpus(dir, { options, plan, source, warnings, progress, t0 }));
  if (result.llm) result.llm.ledger = path.join(output.path, COMMS_LEDGER_FILE);
  pausePoint('gen-comms:before-mirror');
  for (const m of mirrors) writeSharedFile(m, readFileSync(path.join(output.path, m.name)));
  result.seconds = Math.round((performance.now() - t0) / 10) / 100;
  return result;
}
