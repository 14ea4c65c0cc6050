import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { countChatTokens, mapChunks, modelPrice, Progress, writeJsonAtomic, yieldToEventLoop, type LlmClient } from '@dnr/core';
import { roughNlqPromptTokens, roughThreadPromptTokens } from './budget/rough-tokens.js';
import { sampleToFit, type BudgetItem, type SampleToFitResult } from './budget/sample-to-fit.js';
import { llmSpendJson, reportLlmClient, throwIfFatal } from './classify/llm/clients.js';
import { partialSummary } from './classify/llm/summary.js';
import { classifyLlm, type ClassifyLlmResult, type LlmJob } from './classify/llm/engine.js';
import { nlqMessages, threadMessages } from './classify/llm/prompt.js';
import { isThreadMet } from './classify/met.js';
import { classifyRulesNlq, classifyRulesThreads } from './classify/rules/engine.js';
import { messageEvidence } from './classify/rules/evidence.js';
import { rulesModel } from './classify/rules/model.js';
import { computeDemand, type DemandItemMeta } from './demand/demand.js';
import { collectVoices } from './demand/voices.js';
import { extractEntitiesRules, type EntityInput } from './entities/extract.js';
import { entitiesBudgetJson, extractEntitiesLlm, type EntityLlmOutcome } from './entities/llm.js';
import { loadCommsCorpus } from './load.js';
import { keepTopPerDayChannel, prefilterScorer, type PrefilterOptions, type PrefilterResult } from './prefilter/prefilter.js';
import { localDay } from './text.js';
import { COMMS_SOURCES, type AnalyzeCommsOptions, type CommsAnalysis, type CommsSource, type CommsThread, type EntityMention, type NlqItem, type Prediction, type SourceSummary } from './types.js';
import { predsPath, writeEntities, writePredictions, writePrefilter } from './write.js';

const emptySummary = (): SourceSummary => ({ items: 0, afterPrefilter: 0, sent: 0, classified: 0, parseErrors: 0, refusals: 0, errors: 0, coveragePct: 0, belowFloor: false, partial: false, partialReason: null, weight: 0 });

/** Round-robin the sources so an early stop never starves one source; seeded order inside each. */
function interleave(jobs: LlmJob[]): LlmJob[] {
  const by = new Map<CommsSource, LlmJob[]>(COMMS_SOURCES.map((s) => [s, []]));
  for (const j of jobs) by.get(j.source)!.push(j);
  const out: LlmJob[] = [];
  const lists = COMMS_SOURCES.map((s) => by.get(s)!);
  const total = jobs.length;
  const idx = lists.map(() => 0);
  while (out.length < total) {
    // Take from each source in proportion to its size.
    for (let i = 0; i < lists.length; i++) {
      const l = lists[i];
      const due = Math.ceil(((out.length + 1) / total) * l.length);
      while (idx[i] < l.length && idx[i] < due) out.push(l[idx[i]++]);
    }
  }
  return out;
}

/** What the run can do with an LLM: asked for it (`want`), may use it (`use`), or skips themes (`skipped`, with the reason). */
interface EngineMode {
  want: boolean;
  use: boolean;
  skipped: boolean;
  skippedReason: string | null;
  name: 'llm' | 'rules';
}

function engineMode(options: AnalyzeCommsOptions): EngineMode {
  const c = options.config.classification;
  const want = options.engine === 'llm';
  let skippedReason: string | null = null;
  if (want && options.noLlm) skippedReason = '--no-llm: no network call was made; themes are skipped (use --engine rules for offline themes)';
  else if (want && !options.env[c.env_key_var]) skippedReason = `no API key: the environment variable ${c.env_key_var} (classification.env_key_var) is not set; themes are skipped (use --engine rules for offline themes)`;
  const use = want && skippedReason === null;
  return { want, use, skipped: want && !use, skippedReason, name: want ? 'llm' : 'rules' };
}

/** The loaded corpus with its prefilter verdicts and the per-source summaries they start. */
interface Prefiltered {
  corpus: Awaited<ReturnType<typeof loadCommsCorpus>>;
  threads: CommsThread[];
  prefilter: PrefilterResult[];
  pf: Map<string, PrefilterResult>;
  sources: Record<CommsSource, SourceSummary>;
}

/** Load threads and NLQs, read every message's lexicon evidence once (cached), score and keep the top threads per day and channel. */
async function loadAndPrefilter(options: AnalyzeCommsOptions, progress: Progress): Promise<Prefiltered> {
  const { config } = options;
  const corpus = await progress.step('comms: load threads and NLQs', () => loadCommsCorpus(options.commsDir, options.windowEndUtc));
  const threads: CommsThread[] = [...corpus.slack, ...corpus.email];
  // The prefilter scores threads with the lexicon evidence; LLM prompts rank messages by it.
  const messages = threads.flatMap((t) => t.messages);
  await progress.step('comms: lexicon evidence', (h) => mapChunks(messages, (chunk) => chunk.map(messageEvidence), { handle: h }));
  const prefilterOptions: PrefilterOptions = { threshold: config.classification.prefilter_threshold, events: options.events ?? [], eventWindowHours: config.comms.event_window_hours, timeZone: config.warehouse.tz };
  const prefilter = await progress.step('comms: prefilter threads', async (h) =>
    keepTopPerDayChannel(await mapChunks(threads, (chunk) => chunk.map(prefilterScorer(prefilterOptions)), { handle: h }), prefilterOptions),
  );
  const sources: Record<CommsSource, SourceSummary> = { slack: emptySummary(), email: emptySummary(), nlq: emptySummary() };
  sources.slack.items = corpus.slack.length;
  sources.email.items = corpus.email.length;
  sources.nlq.items = corpus.nlq.length;
  for (const r of prefilter) if (r.kept) sources[r.source].afterPrefilter++;
  sources.nlq.afterPrefilter = corpus.nlq.length;
  return { corpus, threads, prefilter, pf: new Map(prefilter.map((r) => [r.id, r])), sources };
}

/** The prompts the LLM would send (jobs), one budget item per item it could send, and the sample that fits the cap. */
interface Preflight {
  jobs: LlmJob[];
  budgetItems: BudgetItem[];
  plan: SampleToFitResult;
}

/**
 * Preflight: the prompts the LLM engine will send and their exact token counts. When it will send nothing
 * (--no-llm, no key) the cost estimate comes from a character count instead: no prompt is built or tokenised;
 * the rules engine needs no estimate at all.
 */
async function preflight(data: Prefiltered, mode: EngineMode, options: AnalyzeCommsOptions, progress: Progress): Promise<Preflight> {
  const { config } = options;
  const c = config.classification;
  const tz = config.warehouse.tz;
  const kept = data.threads.filter((t) => data.pf.get(t.id)!.kept);
  const inputOpts = { maxInputTokens: c.thread_input_tokens, maxMessages: c.thread_max_messages, model: c.model };
  const jobs: LlmJob[] = [];
  const budgetItems: BudgetItem[] = [];
  const threadItem = (t: CommsThread, inputTokens: number): BudgetItem => ({ id: t.id, source: t.source, day: data.pf.get(t.id)!.day, category: t.bucket, inputTokens });
  const nlqItem = (q: NlqItem, inputTokens: number): BudgetItem => ({ id: q.id, source: 'nlq', day: localDay(q.ts, tz), category: q.app || 'nlq', inputTokens });
  if (mode.use) {
    await progress.step('comms: build LLM prompts and count their tokens', async (h) => {
      h.total(kept.length + data.corpus.nlq.length);
      await mapChunks(kept, (chunk) => chunk.map((t) => {
        const messages = threadMessages(t, inputOpts);
        jobs.push({ id: t.id, source: t.source, messages });
        budgetItems.push(threadItem(t, countChatTokens(messages, c.model)));
        h.tick();
        return t;
      }), { chunkSize: 100 });
      for (const q of data.corpus.nlq) {
        const messages = nlqMessages(q);
        jobs.push({ id: q.id, source: 'nlq', messages });
        budgetItems.push(nlqItem(q, countChatTokens(messages, c.model)));
        h.tick();
      }
    });
  } else if (mode.want) {
    for (const t of kept) budgetItems.push(threadItem(t, roughThreadPromptTokens(t, inputOpts)));
    for (const q of data.corpus.nlq) budgetItems.push(nlqItem(q, roughNlqPromptTokens(q)));
  }
  const price = modelPrice(c.model, config.pricing);
  const plan = sampleToFit(budgetItems, {
    capUsd: c.api_cap_usd,
    safetyMargin: config.budget.safety_margin,
    coverageFloorPct: config.budget.coverage_floor_pct,
    inputPerMtok: price.input_per_mtok,
    outputPerMtok: price.output_per_mtok,
    maxOutputTokens: c.max_output_tokens,
    seed: config.comms.seed,
  });
  return { jobs, budgetItems, plan };
}

interface RulesVerdicts {
  threads: Map<string, Prediction>;
  nlq: Prediction[];
}

/**
 * The offline classifier over every thread and NLQ. It decides everything with --engine rules, and the
 * prefilter-dropped threads of an LLM run; a skipped run needs none.
 */
async function classifyWithRules(data: Prefiltered, mode: EngineMode, progress: Progress): Promise<RulesVerdicts> {
  if (mode.skipped) return { threads: new Map(), nlq: [] };
  return progress.step('comms: rules classification', async (h) => {
    // The learned model (a 2.7 MB file, validated) loads in one synchronous piece: say so on the line.
    h.note('(loading the classifier model)');
    await yieldToEventLoop();
    rulesModel();
    h.note('');
    h.total(data.threads.length + data.corpus.nlq.length);
    const ticking = <T, R>(fn: (chunk: readonly T[]) => R[]) => (chunk: readonly T[]) => {
      h.tick(chunk.length);
      return fn(chunk);
    };
    const byThread = await mapChunks(data.threads, ticking(classifyRulesThreads), { chunkSize: 40 });
    const nlq = await mapChunks(data.corpus.nlq, ticking(classifyRulesNlq), { chunkSize: 100 });
    return { threads: new Map(byThread.map((p) => [p.id, p])), nlq };
  });
}

/** Send the sampled prompts (sources interleaved so an early stop starves none); a fatal error exits with the spend so far. */
async function classifyWithLlm(pre: Preflight, options: AnalyzeCommsOptions, progress: Progress): Promise<{ llm: ClassifyLlmResult; client: LlmClient }> {
  const c = options.config.classification;
  const ledgerDir = options.ledgerDir ?? options.runDir;
  const client = reportLlmClient(options.config, options.env, ledgerDir, 'classify', options.outDir);
  const selectedJobs = interleave(pre.jobs.filter((j) => pre.plan.selected.has(j.id)));
  const llm = await progress.step('comms: classify (llm)', () => classifyLlm(selectedJobs, { client, concurrency: c.concurrency, maxConsecutiveParseErrors: c.max_consecutive_parse_errors }));
  throwIfFatal(llm.fatal, client, ledgerDir);
  return { llm, client };
}

/** One prediction per item: the engine's, a prefilter drop's (not relevant, by the rules' kind of negative), or skipped / not sent. */
function mergePredictions(data: Prefiltered, mode: EngineMode, rules: RulesVerdicts, llm: ClassifyLlmResult | null): Record<CommsSource, Prediction[]> {
  const preds: Record<CommsSource, Prediction[]> = { slack: [], email: [], nlq: [] };
  const skippedPred = (id: string, source: CommsSource): Prediction => ({ id, source, relevance: null, theme: null, confidence: 0, engine: 'llm', status: 'skipped' });
  for (const t of data.threads) {
    const f = data.pf.get(t.id)!;
    let p: Prediction;
    if (mode.skipped) p = skippedPred(t.id, t.source);
    else if (!mode.want) p = rules.threads.get(t.id)!;
    else if (!f.kept) {
      const relevance = rules.threads.get(t.id)!.relevance === 'negative' ? 'negative' : 'hard_negative';
      p = { id: t.id, source: t.source, relevance, theme: null, confidence: Math.round((1 - f.prefilterScore) * 10_000) / 10_000, engine: 'rules', status: 'ok' };
    } else p = llm!.predictions.get(t.id) ?? { id: t.id, source: t.source, relevance: null, theme: null, confidence: 0, engine: 'llm', status: 'not_sent' };
    preds[t.source].push(p);
  }
  if (mode.skipped) for (const q of data.corpus.nlq) preds.nlq.push(skippedPred(q.id, 'nlq'));
  for (const r of rules.nlq) {
    if (!mode.want) preds.nlq.push(r);
    else preds.nlq.push(llm!.predictions.get(r.id) ?? { ...r, relevance: null, theme: null, confidence: 0, engine: 'llm', status: 'not_sent' });
  }
  return preds;
}

/** Fill each source's classified/sent/error counts and coverage from the predictions or the LLM's stats. */
function summariseSources(sources: Record<CommsSource, SourceSummary>, preds: Record<CommsSource, Prediction[]>, mode: EngineMode, llm: ClassifyLlmResult | null, floorPct: number): void {
  for (const s of COMMS_SOURCES) {
    const sum = sources[s];
    if (!mode.want) {
      sum.classified = preds[s].filter((p) => p.status === 'ok').length;
      sum.coveragePct = sum.items === 0 ? 100 : round2((100 * sum.classified) / sum.items);
    } else if (llm) {
      const st = llm.stats[s];
      Object.assign(sum, { sent: st.sent, classified: st.classified, parseErrors: st.parseErrors, refusals: st.refusals, errors: st.errors, partial: st.partial, partialReason: st.partialReason });
      sum.coveragePct = sum.afterPrefilter === 0 ? 100 : round2((100 * st.classified) / sum.afterPrefilter);
    }
    sum.belowFloor = mode.use && sum.afterPrefilter > 0 && sum.coveragePct < floorPct;
  }
}

type EntityRun = { entities: EntityMention[]; llm: { client: LlmClient; outcome: EntityLlmOutcome } | null };

/** Entities of every positive thread and every NLQ (the theme only when its classification is valid): rules first, the LLM for what they miss. */
async function extractEntities(data: Prefiltered, preds: Record<CommsSource, Prediction[]>, mode: EngineMode, options: AnalyzeCommsOptions, progress: Progress): Promise<EntityRun> {
  if (mode.skipped) return { entities: [], llm: null };
  const predById = new Map<string, Prediction>();
  for (const s of COMMS_SOURCES) for (const p of preds[s]) predById.set(p.id, p);
  const inputs: EntityInput[] = [];
  for (const t of data.threads) {
    const p = predById.get(t.id)!;
    if (p.status === 'ok' && p.relevance === 'positive') inputs.push({ id: t.id, source: t.source, theme: p.theme, text: t.messages.map((m) => m.text).join('\n') });
  }
  for (const q of data.corpus.nlq) {
    const p = predById.get(q.id)!;
    inputs.push({ id: q.id, source: 'nlq', theme: p.status === 'ok' ? p.theme : null, text: q.text, sql: q.sql });
  }
  const entities = await progress.step('comms: entities', () => extractEntitiesRules(options.archetype, inputs));
  if (!mode.use) return { entities, llm: null };
  const found = new Set(entities.map((e) => e.id));
  const missing = inputs.filter((i) => !found.has(i.id));
  if (missing.length === 0) return { entities, llm: null };
  const ledgerDir = options.ledgerDir ?? options.runDir;
  const client = reportLlmClient(options.config, options.env, ledgerDir, 'entities', options.outDir);
  const r = await progress.step('comms: entities (llm)', () => extractEntitiesLlm(options.archetype, missing, client, options.config.classification.concurrency));
  throwIfFatal(r.fatal, client, ledgerDir);
  entities.push(...r.entities);
  return { entities, llm: { client, outcome: r } };
}

/**
 * Comms analysis of run-report: load → prefilter → preflight and sample-to-fit → classify (llm or rules)
 * → met/unmet → entities → demand; writes preds/, entities.parquet, prefilter.parquet and budget.json
 * under runDir.
 */
export async function analyzeComms(options: AnalyzeCommsOptions): Promise<CommsAnalysis> {
  const { config, runDir } = options;
  const progress = options.progress ?? Progress.silent();
  const tz = config.warehouse.tz;
  const data = await loadAndPrefilter(options, progress);
  mkdirSync(path.join(runDir, 'preds'), { recursive: true });
  const mode = engineMode(options);
  const pre = await preflight(data, mode, options, progress);
  const rules = await classifyWithRules(data, mode, progress);
  const classified = mode.use ? await classifyWithLlm(pre, options, progress) : null;
  const llm = classified?.llm ?? null;
  const preds = mergePredictions(data, mode, rules, llm);
  summariseSources(data.sources, preds, mode, llm, config.budget.coverage_floor_pct);

  // Met/unmet, entities and demand.
  const meta = new Map<string, DemandItemMeta>();
  for (const t of data.threads) meta.set(t.id, { day: data.pf.get(t.id)!.day, weight: pre.plan.weights.get(t.id) ?? 1, met: isThreadMet(t) });
  for (const q of data.corpus.nlq) meta.set(q.id, { day: localDay(q.ts, tz), weight: pre.plan.weights.get(q.id) ?? 1 });
  const ents = await extractEntities(data, preds, mode, options, progress);
  await progress.step('comms: write predictions, prefilter scores and entities', async () => {
    await writePrefilter(path.join(runDir, 'prefilter.parquet'), data.prefilter);
    for (const s of COMMS_SOURCES) await writePredictions(predsPath(runDir, s), preds[s]);
    await writeEntities(path.join(runDir, 'entities.parquet'), ents.entities);
  });
  const demand = mode.skipped
    ? null
    : computeDemand({ predictions: preds, meta, entities: ents.entities, baseWeights: config.report.demand_base_weights, caps: config.report.demand_weight_caps });
  if (demand) for (const s of COMMS_SOURCES) data.sources[s].weight = demand.sourceWeights[s];
  const voices = demand ? collectVoices({ corpus: data.corpus, predictions: preds, dayOf: (id) => meta.get(id)?.day, window: options.window ?? { start: '0000-01-01', end: '9999-12-31' } }) : {};

  // The LLM work of this run is complete: the next run starts new ledgers instead of resuming these.
  classified?.client.close();
  ents.llm?.client.close();
  const budget = closeBudget({ config, mode, noLlm: options.noLlm, pre, llm, client: classified?.client ?? null, entityRun: ents.llm, sources: data.sources, prefilter: data.prefilter, preds });
  writeJsonAtomic(path.join(runDir, 'budget.json'), budget.json);
  const partialSources = COMMS_SOURCES.filter((s) => data.sources[s].partial);
  const partial = budget.earlyStop || partialSources.length > 0;
  return {
    status: mode.skipped ? 'skipped' : partial ? 'partial' : 'ok',
    skippedReason: mode.skippedReason,
    statusReason: mode.skipped || !partial ? null : (budget.earlyStopReason ?? partialSummary(partialSources.map((s) => [s, data.sources[s].partialReason ?? 'partial']))),
    llm: mode.use ? { classify: { model: config.classification.model, cap_usd: config.classification.api_cap_usd, ...budget.spend }, entities: budget.json.entities } : null,
    engine: mode.skipped ? 'none' : mode.name,
    sources: data.sources,
    budget: { capUsd: config.classification.api_cap_usd, estimateUsd: pre.plan.estimateUsd, actualUsd: budget.spend.actual_usd, earlyStop: budget.earlyStop, sampled: pre.plan.sampled },
    themes: demand ? demand.themes : [],
    voices,
    parseErrors: COMMS_SOURCES.reduce((a, s) => a + data.sources[s].parseErrors, 0),
  };
}

interface CloseBudgetInput {
  config: AnalyzeCommsOptions['config'];
  mode: EngineMode;
  noLlm: boolean;
  pre: Preflight;
  llm: ClassifyLlmResult | null;
  client: LlmClient | null;
  entityRun: EntityRun['llm'];
  sources: Record<CommsSource, SourceSummary>;
  prefilter: PrefilterResult[];
  preds: Record<CommsSource, Prediction[]>;
}

/**
 * The run's budget.json (docs/report-schemas.md): estimate vs spend, early stop, and per source and bucket
 * what was planned, sent and classified. Marks sources partial when the cap was too small for any item or
 * coverage fell under the floor (a source under the floor is never reported ok, whatever stopped it).
 */
function closeBudget(b: CloseBudgetInput) {
  const { config, mode, pre, sources } = b;
  const c = config.classification;
  const plan = pre.plan;
  const spend = llmSpendJson(b.client);
  // A cap too small for even one item: nothing was sent, and the report must say so.
  const capTooSmall = mode.use && pre.budgetItems.length > 0 && plan.selected.size === 0;
  const earlyStop = (b.llm?.earlyStop ?? false) || capTooSmall;
  const earlyStopReason = capTooSmall
    ? `cap $${c.api_cap_usd} is too small to classify any item (preflight estimate $${plan.estimateUsd.toFixed(4)} for ${pre.budgetItems.length} items)`
    : (b.llm?.earlyStopReason ?? null);
  if (capTooSmall) {
    for (const s of COMMS_SOURCES) {
      if (sources[s].afterPrefilter === 0) continue;
      sources[s].partial = true;
      sources[s].partialReason ??= earlyStopReason;
    }
  }
  for (const sum of Object.values(sources)) {
    if (!sum.belowFloor || sum.partial) continue;
    sum.partial = true;
    sum.partialReason = `coverage ${sum.coveragePct}% is below the ${config.budget.coverage_floor_pct}% floor (${sum.classified} of ${sum.afterPrefilter} classified; ${sum.parseErrors} parse errors, ${sum.refusals} refusals, ${sum.errors} failed requests)`;
  }
  const sourceJson = (s: CommsSource) => ({
    items: sources[s].items,
    after_prefilter: sources[s].afterPrefilter,
    passed_threshold: s === 'nlq' ? sources[s].items : b.prefilter.filter((r) => r.source === s && r.passedThreshold).length,
    planned: mode.want ? plan.perSource[s].sampled : sources[s].items,
    planned_coverage_pct: mode.want ? plan.perSource[s].coveragePct : 100,
    p90_input_tokens: plan.perSource[s].p90InputTokens,
    estimate_usd: plan.perSource[s].estimateUsd,
    sent: sources[s].sent,
    classified: sources[s].classified,
    parse_errors: sources[s].parseErrors,
    refusals: sources[s].refusals,
    errors: sources[s].errors,
    not_sent: b.preds[s].filter((p) => p.status === 'not_sent').length,
    coverage_pct: sources[s].coveragePct,
    below_floor: sources[s].belowFloor,
    partial: sources[s].partial,
    partial_reason: sources[s].partialReason,
    demand_weight: sources[s].weight,
  });
  const json = {
    engine: mode.skipped ? 'none' : mode.name,
    no_llm: b.noLlm,
    model: c.model,
    cap_usd: c.api_cap_usd,
    estimate_usd: plan.estimateUsd,
    // How the prompt tokens behind the estimate were counted.
    estimate_basis: mode.use ? 'tiktoken' : mode.want ? 'characters (~4 per token; no prompt was built: nothing is sent)' : null,
    sampled_estimate_usd: plan.sampledEstimateUsd,
    early_stop: earlyStop,
    early_stop_reason: earlyStopReason,
    sampled: plan.sampled,
    safety_margin: config.budget.safety_margin,
    coverage_floor_pct: config.budget.coverage_floor_pct,
    skipped_reason: mode.skippedReason,
    ...spend,
    sources: Object.fromEntries(COMMS_SOURCES.map((s) => [s, sourceJson(s)])),
    buckets: plan.perBucket.map((x) => ({ source: x.source, bucket: x.bucket, items: x.items, sampled: x.sampled, coverage_pct: x.coveragePct, weight: x.weight })),
    entities: entitiesBudgetJson(config.entities.model, config.entities.api_cap_usd, b.entityRun),
  };
  return { json, spend, earlyStop, earlyStopReason };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The comms analysis of a run that reads no comms (none given, or `reason`): demand not measured. */
export function commsNotMeasured(config: AnalyzeCommsOptions['config'], reason = 'no comms were given (--comms)'): CommsAnalysis {
  const c = config.classification;
  return {
    status: 'skipped',
    skippedReason: `${reason}: demand was not measured; the actions rest on data health alone`,
    statusReason: null,
    llm: null,
    engine: 'none',
    sources: { slack: emptySummary(), email: emptySummary(), nlq: emptySummary() },
    budget: { capUsd: c.api_cap_usd, estimateUsd: 0, actualUsd: 0, earlyStop: false, sampled: false },
    themes: [],
    voices: {},
    parseErrors: 0,
  };
}
