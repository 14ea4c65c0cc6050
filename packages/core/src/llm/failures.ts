import { OFFLINE_ADVICE } from './offline-advice.js';
import type { LlmErrorKind, LlmFatal } from './types.js';

/**
 * When a purpose must stop (the command then exits 2 instead of finishing "partial" at 0% coverage):
 * - at once when the key is rejected (401/403), the account has no quota, the model or route does not
 *   exist (404), the endpoint is unreachable or answers with a web page before anything worked, or the
 *   server ignores the token limit (the spend could not be bounded);
 * - when the first FIRST_REQUESTS requests of the purpose all fail the same way (same kind and
 *   status) and none has succeeded: a 400 the parameters could not be negotiated away, 413, 422,
 *   answers that are always cut at the token limit, never JSON, refused, … Paying for more requests
 *   that fail the same way would only spend the cap.
 * After a success the same failures are per item (counted, the source marked partial), as a server
 * that worked and then fails is a transient problem.
 */
export const FIRST_REQUESTS = 3;

const IMMEDIATE: ReadonlySet<LlmErrorKind> = new Set(['auth', 'quota', 'not_found', 'untrusted']);
/** Fatal at once only while nothing has worked yet. */
const IMMEDIATE_BEFORE_SUCCESS: ReadonlySet<LlmErrorKind> = new Set(['network']);
/** Not a property of the endpoint: never fatal. */
const NEUTRAL: ReadonlySet<LlmErrorKind> = new Set(['cap', 'aborted', 'fatal']);

export interface FailureContext {
  purpose: string;
  endpoint: string;
  /** e.g. `OPENAI_BASE_URL` when it was set, else a note that the default endpoint is used. */
  endpointSource: string;
  keyVar: string;
  configSection: string;
  model: string;
}

function suggestionFor(kind: LlmErrorKind, ctx: FailureContext, status: number | undefined): string {
  switch (kind) {
    case 'auth':
      return `Check the key in ${ctx.keyVar} (classification.env_key_var names the variable) and that it may use ${ctx.model}.`;
    case 'quota':
      return `Add credit to the account, ${OFFLINE_ADVICE[ctx.configSection === 'comms' ? 'comms' : 'classify']}`;
    case 'network':
      return `Start the server or fix ${ctx.endpointSource}; \`dnr doctor\` checks the endpoint.`;
    case 'not_found':
      return `Check ${ctx.configSection}.model ("${ctx.model}") and ${ctx.endpointSource} (it usually ends in /v1).`;
    case 'truncated':
      return `Raise ${ctx.configSection}.max_output_tokens (a reasoning model spends output tokens on reasoning before it answers).`;
    case 'cut_off':
      return `The server was reached, but its answers stop mid-body (each is booked at its worst case, as the provider may bill it): check the server's log or a proxy in between; raise classification.timeout_s if answers are slow.`;
    case 'bad_response':
      return `Check ${ctx.endpointSource}: it should be the OpenAI-compatible API root (usually ending in /v1).`;
    case 'untrusted':
      return 'Use a server that honours max_tokens / max_completion_tokens.';
    case 'timeout':
      return 'Raise classification.timeout_s for a slow (local) model, or check the server.';
    case 'rate_limit':
      return 'The server keeps rate-limiting: lower classification.concurrency, raise classification.retries, or check the account limits.';
    case 'server':
      return `The server keeps failing (5xx): check it, or try again later; \`dnr doctor\` shows what works.`;
    case 'refusal':
      return `The model refuses these requests: use another ${ctx.configSection}.model.`;
    default:
      return status === 400 || status === 422
        ? `Set ${ctx.configSection}.request.{token_limit,temperature,json_mode} to what the server accepts; \`dnr doctor\` shows what works.`
        : 'Run `dnr doctor` to see what the endpoint accepts.';
  }
}

/** A server's message without its closing period (or ellipsis), so that it can end a sentence of ours. */
export const withoutFinalStop = (text: string): string => text.trimEnd().replace(/[.。…]+$/u, '');

/** Watches the results of one client's requests and decides when its purpose must stop. */
export class FailureMonitor {
  private successes = 0;
  private readonly firstFailures: string[] = [];
  private fatalValue: LlmFatal | null = null;

  constructor(private readonly ctx: FailureContext) {}

  get fatal(): LlmFatal | null {
    return this.fatalValue;
  }

  /** Whether any request of this client has succeeded. */
  get succeeded(): boolean {
    return this.successes > 0;
  }

  success(): void {
    this.successes++;
  }

  /** Record a failed request (after retries); returns the fatal verdict when the purpose must stop. */
  failure(kind: LlmErrorKind, reason: string, status?: number): LlmFatal | null {
    if (this.fatalValue || NEUTRAL.has(kind)) return this.fatalValue;
    const immediate = IMMEDIATE.has(kind) || (this.successes === 0 && IMMEDIATE_BEFORE_SUCCESS.has(kind));
    if (!immediate) {
      if (this.successes > 0 || this.firstFailures.length >= FIRST_REQUESTS) return null;
      this.firstFailures.push(`${kind}:${status ?? ''}`);
      if (this.firstFailures.length < FIRST_REQUESTS || new Set(this.firstFailures).size !== 1) return null;
    }
    const what = immediate ? '' : `the first ${FIRST_REQUESTS} requests all failed the same way: `;
    this.fatalValue = {
      kind,
      message: `LLM ${this.ctx.purpose} stopped: ${what}${withoutFinalStop(reason)}. Endpoint ${this.ctx.endpoint} (${this.ctx.endpointSource}), model ${this.ctx.model}.`,
      suggestion: suggestionFor(kind, this.ctx, status),
    };
    return this.fatalValue;
  }
}
