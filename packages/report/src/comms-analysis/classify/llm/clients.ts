import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { llmClientFromConfig, LlmEndpointError, openLedgerBookedUsd, writeJsonAtomic, type Config, type LlmClient, type LlmFatal } from '@dnr/core';

const ledgerOf = (runDir: string, purpose: string) => path.join(runDir, `llm_ledger_${purpose}.jsonl`);

/**
 * Runs that write the same report folder, for resuming across run ids: `{runs}/.llm-runs/{hash of the
 * folder}.json` lists the run folders that wrote it; those whose ledger of `purpose` is still open (the
 * process was killed) hand their spend over to this run. This run is added to the list.
 */
function interruptedRunsOf(runDir: string, outDir: string | undefined, purpose: string): string[] {
  if (!outDir) return [];
  const file = path.join(path.dirname(runDir), '.llm-runs', `${createHash('sha256').update(path.resolve(outDir)).digest('hex').slice(0, 16)}.json`);
  let runs: string[] = [];
  try {
    if (existsSync(file)) runs = (JSON.parse(readFileSync(file, 'utf8')) as { runs?: string[] }).runs ?? [];
  } catch {
    runs = [];
  }
  const others = runs.filter((r) => r !== runDir && openLedgerBookedUsd(ledgerOf(r, 'classify')) + openLedgerBookedUsd(ledgerOf(r, 'entities')) > 0);
  writeJsonAtomic(file, { out: path.resolve(outDir), runs: [...others, runDir] });
  return others.map((r) => ledgerOf(r, purpose));
}

/**
 * The LLM client of a run-report purpose: the purpose's model, cap, temperature, output limit and
 * request shape from the config; the key from classification.env_key_var; the endpoint from
 * OPENAI_BASE_URL; the spend ledger in the run folder (runs/{run_id}/llm_ledger_{purpose}.jsonl), so a
 * re-run of an interrupted run — same run id, or another run id writing the same report folder — starts
 * from what the killed process booked.
 */
export function reportLlmClient(config: Config, env: NodeJS.ProcessEnv, runDir: string, purpose: 'classify' | 'entities', outDir?: string): LlmClient {
  return llmClientFromConfig({ config, env, cwd: process.cwd(), origins: {} }, purpose, {
    ledgerPath: ledgerOf(runDir, purpose),
    resumeAlso: interruptedRunsOf(runDir, outDir, purpose),
  });
}

/** Stop the command (exit 2) when a purpose's endpoint is unusable, saying what was booked so far and where the ledger is. */
export function throwIfFatal(fatal: LlmFatal | null, client: LlmClient, ledgerDir: string): void {
  if (fatal) throw new LlmEndpointError(fatal, { client, ledgerPath: ledgerOf(ledgerDir, client.purpose) });
}

/** Spend and request counts of one purpose, as in budget.json. */
export interface LlmSpendJson {
  /** Endpoint without credentials. */
  endpoint: string | null;
  /** What the last request was sent with (after negotiation). */
  request_params: { token_param: string; temperature: string; json_mode: string; stream: string } | null;
  /** Booked USD of the run, including `resumed_usd`. */
  actual_usd: number;
  /** USD booked by earlier, interrupted processes of the same run. */
  resumed_usd: number;
  /** HTTP requests sent by this process (retries and repair requests included). */
  requests: number;
  cache_hits: number;
  /** Requests refused by the cost guard. */
  not_sent: number;
  /** Answers without a complete numeric usage, booked at their worst case. */
  no_usage: number;
}

/** Spend and request counts of a client for budget.json (USD rounded to 1e-6). */
export function llmSpendJson(client: LlmClient | null): LlmSpendJson {
  const s = client?.spend();
  const p = client?.params() ?? null;
  const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    endpoint: client?.endpoint ?? null,
    request_params: p ? { token_param: p.tokenParam, temperature: p.temperature, json_mode: p.jsonMode, stream: p.stream } : null,
    actual_usd: r6(s?.actualUsd ?? 0),
    resumed_usd: r6(s?.resumedUsd ?? 0),
    requests: s?.requests ?? 0,
    cache_hits: s?.cacheHits ?? 0,
    not_sent: s?.notSent ?? 0,
    no_usage: s?.noUsage ?? 0,
  };
}
