import type OpenAI from 'openai';
import { lazyModule } from '../lazy.js';
import type { RequestParams } from './params.js';
import { errorText, htmlSummary, looksLikeHtml, parseCompletionBody, type CompletionBody } from './response.js';
import type { AnswerSchema, ChatMessage } from './types.js';

// The SDK loads on the first client, not at import (start-up time).
const openaiSdk = lazyModule<typeof import('openai')>('openai');

/**
 * One HTTP attempt through the openai SDK (which does the HTTP, the auth header and the URL), with
 * the body read by dnr so that what real servers send can be told apart: a JSON completion, an event
 * stream, an HTML page, a body cut off, an error status with its message in any of the usual shapes.
 */

export type AttemptOutcome =
  | { type: 'completion'; body: CompletionBody }
  | { type: 'http_error'; status: number; message: string; param: string | null; code: string | null; headers: Headers | undefined }
  /** `sent` false: provably nothing reached the server (refused, DNS, TLS) — nothing can be billed. */
  | { type: 'connection'; sent: boolean; message: string }
  | { type: 'timeout'; message: string }
  | { type: 'aborted' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Rewrite an error response so the SDK keeps its message: OpenAI's `{error: {message}}` passes
 * through; LM Studio's `{error: "…"}`, vLLM's top-level `{message}`, FastAPI's `{detail: […]}`, HTML
 * pages from gateways and plain text become `{error: {message, param, code}}`. Headers (retry-after)
 * are kept.
 */
export async function normalizingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  if (res.ok) return res;
  const text = await res.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  let error: Record<string, unknown>;
  if (isRecord(json) && isRecord(json.error)) error = { ...json.error, message: errorText(json.error) };
  else if (isRecord(json) && json.error !== undefined && json.error !== null) error = { message: errorText(json.error) };
  else if (isRecord(json)) error = { message: errorText(json.message ?? json.detail ?? json), param: json.param ?? null, code: json.code ?? null };
  else if (looksLikeHtml(text)) error = { message: `an HTML page: ${htmlSummary(text)}` };
  else error = { message: text.replace(/\s+/g, ' ').trim().slice(0, 300) || 'no body' };
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify({ error }), { status: res.status, statusText: res.statusText, headers });
}

export function createSdk(apiKey: string, baseURL: string | undefined, timeoutMs: number): OpenAI {
  const Sdk = openaiSdk().default;
  return new Sdk({ apiKey, baseURL, timeout: timeoutMs, maxRetries: 0, fetch: normalizingFetch });
}

/** The Chat Completions body for `params`. */
export function requestBody(model: string, messages: ChatMessage[], maxOutputTokens: number, temperature: number, params: RequestParams, schema?: AnswerSchema): Record<string, unknown> {
  const body: Record<string, unknown> = { model, messages, [params.tokenParam]: maxOutputTokens };
  if (params.temperature === 'send') body.temperature = temperature;
  if (params.jsonMode === 'json_schema' && schema) body.response_format = { type: 'json_schema', json_schema: { name: schema.name, schema: schema.schema, strict: true } };
  else if (params.jsonMode !== 'none') body.response_format = { type: 'json_object' };
  if (params.stream !== 'off') body.stream = true;
  if (params.stream === 'usage') body.stream_options = { include_usage: true };
  return body;
}

/** Error codes (anywhere in the cause chain) that prove the request never reached a server. */
const NOT_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT|ERR_INVALID_URL|ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_\w+)$/;

function causeChain(error: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 6; depth++) {
    if (e instanceof Error) {
      messages.push(e.message);
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string') codes.push(code);
      e = e.cause;
    } else break;
  }
  return { codes, messages };
}

/**
 * Read a 2xx body. The server was reached and answered (the status line came): a body that stops early —
 * the connection dropped or the timeout hit mid-body — is a completion cut off (billed, booked at its
 * worst case), never "cannot reach".
 */
async function readBody(response: Response, timedOut: () => boolean, options: SendOnceOptions): Promise<AttemptOutcome> {
  try {
    const text = await response.text();
    return { type: 'completion', body: parseCompletionBody(text, response.headers.get('content-type')) };
  } catch (error: unknown) {
    if (options.signal?.aborted) return { type: 'aborted' };
    const why = timedOut() ? `the body did not finish within ${options.timeoutMs} ms` : `the connection dropped while the body was read (${causeChain(error).messages.at(-1) ?? 'terminated'})`;
    const detail = `the server answered HTTP ${response.status} but ${why}`;
    return { type: 'completion', body: { ok: false, problem: 'cut_off', detail, usage: undefined } };
  }
}

export interface SendOnceOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Send one request and read its body; never throws. */
export async function sendOnce(sdk: OpenAI, body: Record<string, unknown>, options: SendOnceOptions): Promise<AttemptOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  // The SDK's timeout covers the response headers only; this one also covers reading the body.
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const params = body as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
    const response = await sdk.chat.completions.create(params, { signal: controller.signal }).asResponse();
    return await readBody(response, () => timedOut, options);
  } catch (error: unknown) {
    if (options.signal?.aborted) return { type: 'aborted' };
    if (timedOut || error instanceof openaiSdk().default.APIConnectionTimeoutError) return { type: 'timeout', message: `no complete answer within ${options.timeoutMs} ms` };
    if (error instanceof openaiSdk().default.APIConnectionError || (error instanceof Error && !(error instanceof openaiSdk().default.APIError))) {
      const { codes, messages } = causeChain(error);
      // The deepest cause says what happened ("connect ECONNREFUSED 127.0.0.1:8080"); the SDK's wrappers do not.
      const notSent = codes.some((c) => NOT_SENT.test(c)) || /^(bad port|invalid url)/i.test(messages.at(-1) ?? '');
      return { type: 'connection', sent: !notSent, message: messages.at(-1) ?? 'connection error' };
    }
    if (error instanceof openaiSdk().default.APIError) {
      const e = error as InstanceType<typeof OpenAI.APIError> & { param?: unknown; code?: unknown };
      return {
        type: 'http_error',
        status: e.status ?? 0,
        message: error.message.replace(/^\d{3}\s+/, ''),
        param: typeof e.param === 'string' ? e.param : null,
        code: typeof e.code === 'string' ? e.code : null,
        headers: e.headers,
      };
    }
    return { type: 'connection', sent: true, message: String(error) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
