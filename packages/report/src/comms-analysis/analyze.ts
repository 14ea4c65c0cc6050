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

/**
 * Comms analysis of run-report: load → prefilter → sample-to-fit → classify
 * (llm or rules) → met/unmet → entities → demand; writes preds/, entities.parquet, prefilter.parquet
 * and budget.json under runDir.
 */
export async function analyzeComms(options: AnalyzeCommsOptions): Promise<CommsAnalysis> {
  const { config, runDir } = options;
  const progress = options.progress ?? Progress.silent();
  const tz = config.warehouse.tz;
  const corpus = await progress.step('comms: load threads and NLQs', () => loadCommsCorpus(options.commsDir, options.windowEndUtc));
  const events = options.events ?? [];
  mkdirSync(path.join(runDir, 'preds'), { recursive: true });

  const threads: CommsThread[] = [...corpus.slack, ...corpus.email];
  // The lexicon reads every message once (cached): the prefilter scores threads with it, LLM prompts rank messages by it.
  const messages = threads.flatMap((t) => t.messages);
  await progress.step(`comms: lexicon evidence over ${messages.length.toLocaleString('en-US')} messages`, (h) => mapChunks(messages, (chunk) => chunk.map(messageEvidence), { handle: h }));
  const prefilterOptions: PrefilterOptions = { threshold: config.classification.prefilter_threshold, events, eventWindowHours: config.comms.event_window_hours, timeZone: tz };
  const prefilter = await progress.step('comms: prefilter threads', async (h) =>
    keepTopPerDayChannel(await mapChunks(threads, (chunk) => chunk.map(prefilterScorer(prefilterOptions)), { handle: h }), prefilterOptions),
  );
  const pf = new Map<string, PrefilterResult>(prefilter.map((r) => [r.id, r]));

  const sources: Record<CommsSource, SourceSummary> = { slack: emptySummary(), email: emptySummary(), nlq: emptySummary() };
  sources.slack.items = corpus.slack.length;
  sources.email.items = corpus.email.length;
  sources.nlq.items = corpus.nlq.length;
  for (const r of prefilter) if (r.kept) sources[r.source].afterPrefilter++;
  sources.nlq.afterPrefilter = corpus.nlq.length;

  const c = config.classification;
  const apiKey = options.env[c.env_key_var];
  const wantLlm = options.engine === 'llm';
  let skippedReason: string | null = null;
  if (wantLlm && options.noLlm) skippedReason = '--no-llm: no network call was made; themes are skipped (use --engine rules for offline themes)';
  else if (wantLlm && !apiKey) skippedReason = `no API key: the environment variable ${c.env_key_var} (classification.env_key_var) is not set; themes are skipped (use --engine rules for offline themes)`;
  const useLlm = wantLlm && skippedReason === null;

  // Preflight: the prompts the LLM engine will send and their exact token counts. When it will send nothing
  // (--no-llm, no key) the cost estimate comes from a character count instead: no prompt is built or tokenised.
  const kept = threads.filter((t) => pf.get(t.id)!.kept);
  const inputOpts = { maxInputTokens: c.thread_input_tokens, maxMessages: c.thread_max_messages, model: c.model };
  const jobs: LlmJob[] = [];
  const budgetItems: BudgetItem[] = [];
  const threadItem = (t: CommsThread, inputTokens: number): BudgetItem => ({ id: t.id, source: t.source, day: pf.get(t.id)!.day, category: t.bucket, inputTokens });
  const nlqItem = (q: NlqItem, inputTokens: number): BudgetItem => ({ id: q.id, source: 'nlq', day: localDay(q.ts, tz), category: q.app || 'nlq', inputTokens });
  if (useLlm) {
    await progress.step('comms: build LLM prompts and count their tokens', async (h) => {
      h.total(kept.length + corpus.nlq.length);
      await mapChunks(kept, (chunk) => chunk.map((t) => {
        const messages = threadMessages(t, inputOpts);
        jobs.push({ id: t.id, source: t.source, messages });
        budgetItems.push(threadItem(t, countChatTokens(messages, c.model)));
        h.tick();
        return t;
      }), { chunkSize: 100 });
      for (const q of corpus.nlq) {
        const messages = nlqMessages(q);
        jobs.push({ id: q.id, source: 'nlq', messages });
        budgetItems.push(nlqItem(q, countChatTokens(messages, c.model)));
        h.tick();
      }
    });
  } else if (wantLlm) {
    for (const t of kept) budgetItems.push(threadItem(t, roughThreadPromptTokens(t, inputOpts)));
    for (const q of corpus.nlq) budgetItems.push(nlqItem(q, roughNlqPromptTokens(q)));
  }
  const price = modelPrice(c.model, config.pricing);
  const plan: SampleToFitResult = sampleToFit(budgetItems, {
    capUsd: c.api_cap_usd,
    safetyMargin: config.budget.safety_margin,
    coverageFloorPct: config.budget.coverage_floor_pct,
    inputPerMtok: price.input_per_mtok,
    outputPerMtok: price.output_per_mtok,
    maxOutputTokens: c.max_output_tokens,
    seed: config.comms.seed,
  });

  // Classification. The rules engine decides everything with --engine rules, and the prefilter-dropped threads
  // of an LLM run; a skipped run needs neither.
  const skipped = wantLlm && !useLlm;
  const rules = skipped
    ? { threads: new Map<string, Prediction>(), nlq: [] as Prediction[] }
    : await progress.step('comms: rules classification', async (h) => {
        // The learned model (a 2.7 MB file, validated) loads in one synchronous piece: say so on the line.
        h.note('(loading the classifier model)');
        await yieldToEventLoop();
        rulesModel();
        h.note('');
        h.total(threads.length + corpus.nlq.length);
        const ticking = <T, R>(fn: (chunk: readonly T[]) => R[]) => (chunk: readonly T[]) => {
          h.tick(chunk.length);
          return fn(chunk);
        };
        const byThread = await mapChunks(threads, ticking(classifyRulesThreads), { chunkSize: 40 });
        const nlq = await mapChunks(corpus.nlq, ticking(classifyRulesNlq), { chunkSize: 100 });
        return { threads: new Map(byThread.map((p) => [p.id, p])), nlq };
      });
  let llm: ClassifyLlmResult | null = null;
  let client: LlmClient | null = null;
  if (useLlm) {
    client = reportLlmClient(config, options.env, options.ledgerDir ?? runDir, 'classify', options.outDir);
    const selectedJobs = interleave(jobs.filter((j) => plan.selected.has(j.id)));
    const cl = client;
    llm = await progress.step('comms: classify (llm)', () => classifyLlm(selectedJobs, { client: cl, concurrency: c.concurrency, maxConsecutiveParseErrors: c.max_consecutive_parse_errors }));
    throwIfFatal(llm.fatal, client, options.ledgerDir ?? runDir);
  }
  const preds: Record<CommsSource, Prediction[]> = { slack: [], email: [], nlq: [] };
  const engineName: 'llm' | 'rules' = wantLlm ? 'llm' : 'rules';
  for (const t of threads) {
    let p: Prediction;
    if (skipped) p = { id: t.id, source: t.source, relevance: null, theme: null, confidence: 0, engine: 'llm', status: 'skipped' };
    else if (!wantLlm) p = rules.threads.get(t.id)!;
    else if (!pf.get(t.id)!.kept) {
      // Dropped by the prefilter: judged not relevant without a call (the rules say which kind of negative).
      const relevance = rules.threads.get(t.id)!.relevance === 'negative' ? 'negative' : 'hard_negative';
      p = { id: t.id, source: t.source, relevance, theme: null, confidence: Math.round((1 - pf.get(t.id)!.prefilterScore) * 10_000) / 10_000, engine: 'rules', status: 'ok' };
    } else p = llm!.predictions.get(t.id) ?? { id: t.id, source: t.source, relevance: null, theme: null, confidence: 0, engine: 'llm', status: 'not_sent' };
    preds[t.source].push(p);
  }
  if (skipped) for (const q of corpus.nlq) preds.nlq.push({ id: q.id, source: 'nlq', relevance: null, theme: null, confidence: 0, engine: 'llm', status: 'skipped' });
  for (const r of rules.nlq) {
    if (!wantLlm) preds.nlq.push(r);
    else preds.nlq.push(llm!.predictions.get(r.id) ?? { ...r, relevance: null, theme: null, confidence: 0, engine: 'llm', status: 'not_sent' });
  }

  // Per-source summaries.
  for (const s of COMMS_SOURCES) {
    const sum = sources[s];
    if (!wantLlm) {
      sum.classified = preds[s].filter((p) => p.status === 'ok').length;
      sum.coveragePct = sum.items === 0 ? 100 : round2((100 * sum.classified) / sum.items);
    } else if (llm) {
      const st = llm.stats[s];
      sum.sent = st.sent;
      sum.classified = st.classified;
      sum.parseErrors = st.parseErrors;
      sum.refusals = st.refusals;
      sum.errors = st.errors;
      sum.partial = st.partial;
      sum.partialReason = st.partialReason;
      sum.coveragePct = sum.afterPrefilter === 0 ? 100 : round2((100 * st.classified) / sum.afterPrefilter);
    }
    sum.belowFloor = useLlm && sum.afterPrefilter > 0 && sum.coveragePct < config.budget.coverage_floor_pct;
  }

  // Met/unmet, entities and demand.
  const meta = new Map<string, DemandItemMeta>();
  for (const t of threads) meta.set(t.id, { day: pf.get(t.id)!.day, weight: plan.weights.get(t.id) ?? 1, met: isThreadMet(t) });
  for (const q of corpus.nlq) meta.set(q.id, { day: localDay(q.ts, tz), weight: plan.weights.get(q.id) ?? 1 });

  let entities: EntityMention[] = [];
  let entityLlm: { client: LlmClient; outcome: EntityLlmOutcome } | null = null;
  if (!skipped) {
    const predById = new Map<string, Prediction>();
    for (const s of COMMS_SOURCES) for (const p of preds[s]) predById.set(p.id, p);
    const inputs: EntityInput[] = [];
    for (const t of threads) {
      const p = predById.get(t.id)!;
      if (p.status === 'ok' && p.relevance === 'positive') inputs.push({ id: t.id, source: t.source, theme: p.theme, text: t.messages.map((m) => m.text).join('\n') });
    }
    // All NLQs get entities; the theme only when the classification is valid.
    for (const q of corpus.nlq) {
      const p = predById.get(q.id)!;
      inputs.push({ id: q.id, source: 'nlq', theme: p.status === 'ok' ? p.theme : null, text: q.text, sql: q.sql });
    }
    entities = await progress.step('comms: entities', () => extractEntitiesRules(options.archetype, inputs));
    if (useLlm) {
      const found = new Set(entities.map((e) => e.id));
      const missing = inputs.filter((i) => !found.has(i.id));
      if (missing.length > 0) {
        const ec = reportLlmClient(config, options.env, options.ledgerDir ?? runDir, 'entities', options.outDir);
        const r = await progress.step('comms: entities (llm)', () => extractEntitiesLlm(options.archetype, missing, ec, c.concurrency));
        throwIfFatal(r.fatal, ec, options.ledgerDir ?? runDir);
        entities.push(...r.entities);
        entityLlm = { client: ec, outcome: r };
      }
    }
  }
  await progress.step('comms: write predictions, prefilter scores and entities', async () => {
    await writePrefilter(path.join(runDir, 'prefilter.parquet'), prefilter);
    for (const s of COMMS_SOURCES) await writePredictions(predsPath(runDir, s), preds[s]);
    await writeEntities(path.join(runDir, 'entities.parquet'), entities);
  });

  const demand = skipped
    ? null
    : computeDemand({ predictions: preds, meta, entities, baseWeights: config.report.demand_base_weights, caps: config.report.demand_weight_caps });
  if (demand) for (const s of COMMS_SOURCES) sources[s].weight = demand.sourceWeights[s];
  const voices = demand ? collectVoices({ corpus, predictions: preds, dayOf: (id) => meta.get(id)?.day, window: options.window ?? { start: '0000-01-01', end: '9999-12-31' } }) : {};

  // The LLM work of this run is complete: the next run starts new ledgers instead of resuming these.
  client?.close();
  entityLlm?.client.close();
  const spend = llmSpendJson(client);
  const actualUsd = spend.actual_usd;
  // A cap too small for even one item: nothing was sent, and the report must say so.
  const capTooSmall = useLlm && budgetItems.length > 0 && plan.selected.size === 0;
  const earlyStop = (llm?.earlyStop ?? false) || capTooSmall;
  const earlyStopReason = capTooSmall
    ? `cap $${c.api_cap_usd} is too small to classify any item (preflight estimate $${plan.estimateUsd.toFixed(4)} for ${budgetItems.length} items)`
    : (llm?.earlyStopReason ?? null);
  if (capTooSmall) {
    for (const s of COMMS_SOURCES) {
      if (sources[s].afterPrefilter === 0) continue;
      sources[s].partial = true;
      sources[s].partialReason ??= earlyStopReason;
    }
  }
  // A source under the floor (0% included) is never reported ok, whatever stopped it.
  for (const sum of Object.values(sources)) {
    if (!sum.belowFloor || sum.partial) continue;
    sum.partial = true;
    sum.partialReason = `coverage ${sum.coveragePct}% is below the ${config.budget.coverage_floor_pct}% floor (${sum.classified} of ${sum.afterPrefilter} classified; ${sum.parseErrors} parse errors, ${sum.refusals} refusals, ${sum.errors} failed requests)`;
  }
  const parseErrors = COMMS_SOURCES.reduce((a, s) => a + sources[s].parseErrors, 0);
  const budgetJson = {
    engine: skipped ? 'none' : engineName,
    no_llm: options.noLlm,
    model: c.model,
    cap_usd: c.api_cap_usd,
    estimate_usd: plan.estimateUsd,
    // How the prompt tokens behind the estimate were counted.
    estimate_basis: useLlm ? 'tiktoken' : wantLlm ? 'characters (~4 per token; no prompt was built: nothing is sent)' : null,
    sampled_estimate_usd: plan.sampledEstimateUsd,
    early_stop: earlyStop,
    early_stop_reason: earlyStopReason,
    sampled: plan.sampled,
    safety_margin: config.budget.safety_margin,
    coverage_floor_pct: config.budget.coverage_floor_pct,
    skipped_reason: skippedReason,
    ...spend,
    sources: Object.fromEntries(
      COMMS_SOURCES.map((s) => [
        s,
        {
          items: sources[s].items,
          after_prefilter: sources[s].afterPrefilter,
          passed_threshold: s === 'nlq' ? sources[s].items : prefilter.filter((r) => r.source === s && r.passedThreshold).length,
          planned: wantLlm ? plan.perSource[s].sampled : sources[s].items,
          planned_coverage_pct: wantLlm ? plan.perSource[s].coveragePct : 100,
          p90_input_tokens: plan.perSource[s].p90InputTokens,
          estimate_usd: plan.perSource[s].estimateUsd,
          sent: sources[s].sent,
          classified: sources[s].classified,
          parse_errors: sources[s].parseErrors,
          refusals: sources[s].refusals,
          errors: sources[s].errors,
          not_sent: preds[s].filter((p) => p.status === 'not_sent').length,
          coverage_pct: sources[s].coveragePct,
          below_floor: sources[s].belowFloor,
          partial: sources[s].partial,
          partial_reason: sources[s].partialReason,
          demand_weight: sources[s].weight,
        },
      ]),
    ),
    buckets: plan.perBucket.map((b) => ({ source: b.source, bucket: b.bucket, items: b.items, sampled: b.sampled, coverage_pct: b.coveragePct, weight: b.weight })),
    entities: entitiesBudgetJson(config.entities.model, config.entities.api_cap_usd, entityLlm),
  };
  writeJsonAtomic(path.join(runDir, 'budget.json'), budgetJson);

  const partialSources = COMMS_SOURCES.filter((s) => sources[s].partial);
  const partial = earlyStop || partialSources.length > 0;
  return {
    status: skipped ? 'skipped' : partial ? 'partial' : 'ok',
    skippedReason,
    statusReason: skipped || !partial ? null : (earlyStopReason ?? partialSummary(partialSources.map((s) => [s, sources[s].partialReason ?? 'partial']))),
    llm: useLlm ? { classify: { model: c.model, cap_usd: c.api_cap_usd, ...spend }, entities: budgetJson.entities } : null,
    engine: skipped ? 'none' : engineName,
    sources,
    budget: { capUsd: c.api_cap_usd, estimateUsd: plan.estimateUsd, actualUsd, earlyStop, sampled: plan.sampled },
    themes: demand ? demand.themes : [],
    voices,
    parseErrors,
  };
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
