import path from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { InputError } from '../errors.js';
import { displayEndpoint, forgetLearned, learnedParamsFile } from './capabilities.js';
import { countChatTokens } from '../tokens.js';
import { apiKeyFrom, defaultModelWarnings, llmClientFromConfig, purposeSettings } from './from-config.js';
import type { AnswerSchema, ChatMessage, LlmPurpose } from './types.js';

/**
 * `dnr doctor`: one tiny request per purpose against the configured endpoint, with that purpose's
 * model, temperature, output-token limit and request settings. What was learned about an
 * (endpoint, model) before is forgotten first, so the probe negotiates afresh and saves what works.
 * Answers are not cached; the probe's spend is not part of any run's cap (it is reported instead).
 */

export const LLM_PURPOSES: readonly LlmPurpose[] = ['classify', 'entities', 'comms'];

const PROBE_MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You are a connectivity check. Reply with JSON only.' },
  { role: 'user', content: 'Reply with the JSON object {"ok": true}.' },
];
const PROBE_SCHEMA: AnswerSchema = { name: 'probe', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false } };

export interface PurposeProbe {
  purpose: LlmPurpose;
  model: string;
  ok: boolean;
  /** Parameters of the last request (the ones that worked when ok). */
  token_param: string | null;
  temperature: 'sent' | 'omitted' | null;
  json_mode: string | null;
  /** off, or how the server insisted on streaming. */
  stream: string | null;
  /** Whether the answer carried a complete numeric usage (without it every request is booked at its worst case). */
  usage_returned: boolean | null;
  /** Time in the HTTP request(s) of the probe, ms (negotiation 400s included; client start-up excluded). */
  latency_ms: number;
  /** Client start-up before the first request (the SDK and the tokenizer load once per process), ms. */
  startup_ms: number;
  /** USD booked for the probe (worst case where usage was missing). */
  probe_cost_usd: number;
  /** HTTP requests, including 400s that negotiated the parameters. */
  requests: number;
  max_output_tokens: number;
  error: string | null;
  suggestion: string | null;
}

export interface DoctorReport {
  endpoint: string;
  /** Where the endpoint came from. */
  endpoint_source: 'OPENAI_BASE_URL' | 'default';
  key_var: string;
  ok: boolean;
  purposes: PurposeProbe[];
  total_cost_usd: number;
  /** Where the parameters that work are kept (null when the cache is disabled). */
  learned_file: string | null;
  /** Purposes still on the default model while others use the server's own (see defaultModelWarnings). */
  warnings: string[];
}

async function probe(resolved: ResolvedConfig, purpose: LlmPurpose, cacheDir: string | null): Promise<PurposeProbe> {
  const settings = purposeSettings(resolved.config, purpose);
  const t0 = performance.now();
  const client = llmClientFromConfig(resolved, purpose, { cacheDir, cacheAnswers: false, ledgerPath: undefined });
  // Load the tokenizer now, so that start-up is reported apart from the request's latency.
  countChatTokens(PROBE_MESSAGES, settings.model);
  const startup = Math.round(performance.now() - t0);
  const r = await client.completeJson(PROBE_MESSAGES, { schema: PROBE_SCHEMA });
  const spend = client.spend();
  const p = client.params();
  const fatal = client.fatal();
  const okAnswer = r.status === 'ok' && r.json.ok === true;
  const error = r.status === 'ok' ? (okAnswer ? null : `the answer was JSON but not {"ok": true}: ${r.raw.slice(0, 80)}`) : (fatal?.message ?? r.reason);
  return {
    purpose,
    model: settings.model,
    ok: okAnswer,
    token_param: p?.tokenParam ?? null,
    temperature: p ? (p.temperature === 'send' ? 'sent' : 'omitted') : null,
    json_mode: p?.jsonMode ?? null,
    stream: p?.stream ?? null,
    usage_returned: spend.requests === 0 ? null : r.status === 'ok' ? r.usage !== null : spend.noUsage === 0 ? null : false,
    latency_ms: Math.round(spend.httpMs),
    startup_ms: startup,
    probe_cost_usd: Math.round(spend.actualUsd * 1e8) / 1e8,
    requests: spend.requests,
    max_output_tokens: settings.maxOutputTokens ?? 0,
    error,
    suggestion: fatal?.suggestion ?? (error ? `Check ${settings.configSection}.request and ${settings.configSection}.max_output_tokens.` : null),
  };
}

/** Probe each purpose in turn; throws InputError (exit 2) when no key is set. */
export async function probeLlmEndpoint(resolved: ResolvedConfig, purposes: readonly LlmPurpose[] = LLM_PURPOSES): Promise<DoctorReport> {
  apiKeyFrom(resolved, 'doctor');
  const { config, env, cwd } = resolved;
  const baseURL = env.OPENAI_BASE_URL || undefined;
  const cacheDir = config.cache.enabled ? path.resolve(cwd, config.cache.dir) : null;
  for (const model of new Set(purposes.map((p) => purposeSettings(config, p).model))) forgetLearned(cacheDir, baseURL, model);
  const results: PurposeProbe[] = [];
  for (const purpose of purposes) results.push(await probe(resolved, purpose, cacheDir));
  return {
    endpoint: displayEndpoint(baseURL),
    endpoint_source: baseURL ? 'OPENAI_BASE_URL' : 'default',
    key_var: config.classification.env_key_var,
    ok: results.every((r) => r.ok),
    purposes: results,
    total_cost_usd: Math.round(results.reduce((a, r) => a + r.probe_cost_usd, 0) * 1e8) / 1e8,
    learned_file: cacheDir ? learnedParamsFile(cacheDir) : null,
    warnings: defaultModelWarnings(resolved, purposes),
  };
}

/** One line per purpose for the terminal. */
export function doctorLines(report: DoctorReport): string[] {
  const lines = [`LLM endpoint ${report.endpoint} (${report.endpoint_source === 'default' ? 'default; set OPENAI_BASE_URL for another server' : 'OPENAI_BASE_URL'}), key from ${report.key_var}.`];
  for (const r of report.purposes) {
    const head = `${r.purpose.padEnd(8)} ${r.model}: ${r.ok ? 'ok' : 'FAILED'}`;
    const shape = r.token_param ? `${r.token_param}=${r.max_output_tokens}, temperature ${r.temperature}, JSON mode ${r.json_mode}${r.stream && r.stream !== 'off' ? `, streaming (${r.stream})` : ''}` : null;
    const params = shape ? (r.ok ? shape : `tried ${shape}`) : 'no request sent';
    const usage = r.usage_returned === null ? 'usage unknown' : r.usage_returned ? 'usage returned' : 'NO usage (every request is booked at its worst case)';
    lines.push(`${head} — ${params}; ${usage}; HTTP ${r.latency_ms} ms (start-up ${r.startup_ms} ms); probe cost $${r.probe_cost_usd.toFixed(6)} in ${r.requests} request${r.requests === 1 ? '' : 's'}`);
    if (r.error) lines.push(`         ${r.error}${r.suggestion ? `\n         Hint: ${r.suggestion}` : ''}`);
  }
  for (const w of report.warnings) lines.push(`Warning: ${w}`);
  if (report.learned_file && report.purposes.some((r) => r.ok)) lines.push(`What works is saved in ${report.learned_file}; runs start with it.`);
  return lines;
}

/** The error `dnr doctor` exits with when a purpose failed (the report rides along for --json). */
export function doctorFailure(report: DoctorReport): InputError {
  const failed = report.purposes.filter((r) => !r.ok);
  return new InputError(`dnr doctor: ${failed.map((r) => `${r.purpose} failed (${r.error})`).join('; ')}`, {
    suggestion: failed.find((r) => r.suggestion)?.suggestion ?? 'Check OPENAI_BASE_URL, the key and the model names.',
    details: report,
  });
}
