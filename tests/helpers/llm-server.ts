import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countChatTokens, countTokens, truncateToTokens } from '../../packages/core/dist/index.js';

/**
 * A loopback OpenAI-compatible Chat Completions server for tests, on a port chosen by the OS. Besides
 * a well-behaved server it plays the behaviours real servers show (each from public bug reports):
 * OpenAI reasoning models (reject max_tokens and temperature, spend hidden reasoning tokens inside the
 * limit), LM Studio (json_schema only, `{"error": "…"}` bodies), vLLM (top-level `message` errors,
 * `reasoning_content`), llama.cpp/DeepSeek-R1 style `<think>` blocks (also without the opening tag),
 * content as a list of parts, refusals, usage missing/null/partial/zero, servers that only stream,
 * gateways with HTML error pages, 200s with an `error` object, cut-off bodies, and servers that ignore
 * the token limit. It also keeps its own bill: the tokens it generated for each answer it produced
 * (what a provider would charge), independent of what it reports in `usage`.
 */

/** The request body of a Chat Completions call, as received. */
export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [k: string]: unknown;
}

/** A fault to inject into one request (decided per request by `fault`). */
export type LlmFault =
  | { kind: 'status'; status: number; retryAfterS?: number; retryAfterMs?: number; message?: string; code?: string }
  /** An HTML error page (a gateway or reverse proxy), with this status. */
  | { kind: 'html'; status: number }
  | { kind: 'malformed' }
  /** The answer text cut in half (the JSON inside the content is incomplete). */
  | { kind: 'truncated' }
  /** A 200 whose body is cut off mid-JSON (billed: the answer was generated). */
  | { kind: 'truncated_body' }
  /** The socket is destroyed after part of a 200 body was sent (billed). */
  | { kind: 'drop' }
  | { kind: 'no_usage' }
  /** A 200 with `{"error": {...}}` and no choices (some gateways). */
  | { kind: 'error_in_200'; message?: string }
  | { kind: 'empty_choices' }
  | { kind: 'null_message' }
  /** Never answer (the client must time out); the socket is closed when the server stops. */
  | { kind: 'hang' };

export type RejectableParam = 'max_tokens' | 'max_completion_tokens' | 'temperature' | 'json_object' | 'json_schema' | 'response_format' | 'non_stream' | 'stream_options';

/** How the usage object looks (what the server reports; its own bill is kept separately). */
export type UsageStyle = 'full' | 'none' | 'null' | 'null_fields' | 'no_completion' | 'zeros' | 'negative' | 'strings' | 'total_only';

export interface ServerBehaviour {
  /** Parameters answered with a 400 that names them. */
  reject?: RejectableParam[];
  /** Shape of error bodies: OpenAI `{error:{message,param,code}}`, LM Studio `{error:"…"}`, vLLM `{object:"error",message}`, FastAPI `{detail:[…]}`. */
  errorStyle?: 'openai' | 'lmstudio' | 'vllm' | 'fastapi';
  /** A reasoning model: `tokens` of reasoning before the answer, counted in completion_tokens and inside the token limit. */
  reasoning?: { tokens: number; place: 'think' | 'think_no_open' | 'field' | 'harmony' };
  /** message.content as a list of parts. */
  contentParts?: boolean;
  /** Refuse these requests (`message.refusal`, content null). */
  refuse?: (body: ChatRequestBody) => boolean;
  usage?: UsageStyle;
  /** Answer with an event stream whatever `stream` says (usage in the stream only with include_usage). */
  streamAlways?: boolean;
  /** Wrap the answer text: a code fence, a BOM and whitespace, trailing text, prose around it. */
  wrap?: 'fence' | 'bom' | 'trailing_text' | 'prose';
  /** Generate the whole answer whatever the token limit says (and report it). */
  ignoreMaxTokens?: boolean;
}

export interface LlmServerOptions {
  /** The assistant content for a request (usually a JSON string). Default: '{"ok":true}'. */
  responder?: (body: ChatRequestBody) => string | Promise<string>;
  /** Latency before answering, ms (number, or per request index n starting at 0). */
  latencyMs?: number | ((n: number, body: ChatRequestBody) => number);
  /** Fault to inject for request n (0-based, counting every HTTP request), or undefined for a normal answer. */
  fault?: (n: number, body: ChatRequestBody) => LlmFault | undefined;
  /** Reject requests without this bearer token with 401. */
  requireKey?: string;
  /** Reject every request with 404 model_not_found unless the model is this one. */
  onlyModel?: string;
  behaviour?: ServerBehaviour;
}

/** What the server generated (and a provider would bill), summed over every answer it produced. */
export interface ServerBill {
  answers: number;
  promptTokens: number;
  completionTokens: number;
}

export interface LlmTestServer {
  /** e.g. http://127.0.0.1:PORT/v1 — use as baseURL / OPENAI_BASE_URL. */
  baseURL: string;
  /** Every request body received, in arrival order. */
  bodies: ChatRequestBody[];
  /** Authorization headers received (to prove the key is sent only there). */
  authHeaders: string[];
  /** HTTP requests received so far. */
  requestCount(): number;
  /** Most requests in flight at the same time so far. */
  maxInFlight(): number;
  bill(): ServerBill;
  /** USD of the server's own bill under a price table (per million tokens), optionally of the requests `only` selects. */
  billedUsd(price: { input_per_mtok: number; output_per_mtok: number }, only?: (body: ChatRequestBody) => boolean): number;
  /** Replace options while running (e.g. switch faults off). */
  set(options: Partial<LlmServerOptions>): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function sendText(res: ServerResponse, status: number, text: string, contentType: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text).toString(), ...headers });
  res.end(text);
}

const sendJson = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => sendText(res, status, JSON.stringify(value), 'application/json', headers);

/** A 4xx body in the shape a given server family uses. */
function errorBody(style: ServerBehaviour['errorStyle'], message: string, param: string | null, code: string | null, status: number): unknown {
  switch (style) {
    case 'lmstudio':
      return { error: message };
    case 'vllm':
      return { object: 'error', message, type: 'BadRequestError', param, code: status };
    case 'fastapi':
      return { detail: [{ loc: ['body', param ?? 'body'], msg: message, type: 'value_error' }] };
    default:
      return { error: { message, type: 'invalid_request_error', param, code } };
  }
}

/** The 400 a rejecting server sends for this body, if any. */
function rejection(b: ServerBehaviour, body: ChatRequestBody): { message: string; param: string } | undefined {
  const r = new Set(b.reject ?? []);
  if (r.has('max_tokens') && body.max_tokens !== undefined) return { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", param: 'max_tokens' };
  if (r.has('max_completion_tokens') && body.max_completion_tokens !== undefined) return { message: 'max_completion_tokens: Extra inputs are not permitted', param: 'max_completion_tokens' };
  if (r.has('temperature') && body.temperature !== undefined && body.temperature !== 1) {
    return { message: `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`, param: 'temperature' };
  }
  const rf = body.response_format?.type;
  if (rf && (r.has('response_format') || (r.has('json_object') && rf === 'json_object') || (r.has('json_schema') && rf === 'json_schema'))) {
    return { message: r.has('json_object') && !r.has('json_schema') ? "'response_format.type' must be 'json_schema' or 'text'" : `response_format type ${rf} is not supported by this server`, param: 'response_format' };
  }
  if (r.has('non_stream') && !body.stream) return { message: 'Only streaming is supported: stream must be true', param: 'stream' };
  if (r.has('stream_options') && body.stream_options) return { message: 'stream_options: Extra inputs are not permitted', param: 'stream_options' };
  return undefined;
}

/** Reasoning text of about `tokens` tokens. */
const reasoningText = (tokens: number) => 'hmm let me weigh the thread carefully '.repeat(Math.ceil(tokens / 7)).trim();

interface Generated {
  /** What goes into message.content. */
  content: string | null;
  reasoningField: string | null;
  refusal: string | null;
  finishReason: string;
  promptTokens: number;
  completionTokens: number;
}

/** The answer a model would produce for this body: reasoning first (inside the limit), then the JSON. */
async function generate(options: LlmServerOptions, body: ChatRequestBody, fault: LlmFault | undefined): Promise<Generated> {
  const b = options.behaviour ?? {};
  const limit = body.max_completion_tokens ?? body.max_tokens ?? 4096;
  const promptTokens = countChatTokens(body.messages, body.model);
  if (b.refuse?.(body)) {
    const refusal = "I'm sorry, I can't help with that.";
    return { content: null, reasoningField: null, refusal, finishReason: 'stop', promptTokens, completionTokens: countTokens(refusal, body.model) };
  }
  let answer = options.responder ? await options.responder(body) : '{"ok":true}';
  if (fault?.kind === 'malformed') answer = `Sure! Here is the answer: ${answer.replace(/[{}"]/g, '')} ok?`;
  if (fault?.kind === 'truncated') answer = answer.slice(0, Math.max(1, Math.floor(answer.length / 2)));
  if (b.wrap === 'fence') answer = `\`\`\`json\n${answer}\n\`\`\``;
  if (b.wrap === 'bom') answer = `\uFEFF \n\t${answer}\n\n`;
  if (b.wrap === 'trailing_text') answer = `${answer}\nLet me know if you need anything else! {:)}`;
  if (b.wrap === 'prose') answer = `Here is my classification:\n${answer}\nI hope this helps.`;
  let reasoningTokens = Math.min(b.reasoning?.tokens ?? 0, b.ignoreMaxTokens ? Infinity : limit);
  const room = b.ignoreMaxTokens ? Infinity : limit - reasoningTokens;
  let finishReason = 'stop';
  if (countTokens(answer, body.model) > room) {
    answer = room > 0 ? truncateToTokens(answer, room, body.model) : '';
    finishReason = 'length';
  }
  const reasoning = reasoningTokens > 0 ? truncateToTokens(reasoningText(reasoningTokens), reasoningTokens, body.model) : '';
  reasoningTokens = reasoning ? countTokens(reasoning, body.model) : 0;
  const completionTokens = reasoningTokens + countTokens(answer, body.model);
  const place = b.reasoning?.place;
  let content: string = answer;
  let reasoningField: string | null = null;
  if (reasoning && place === 'think') content = `<think>\n${reasoning}\n${finishReason === 'length' && !answer ? '' : '</think>\n\n'}${answer}`;
  else if (reasoning && place === 'think_no_open') content = `${reasoning}\n</think>\n\n${answer}`;
  else if (reasoning && place === 'harmony') content = `<|channel|>analysis<|message|>${reasoning}<|end|><|start|>assistant<|channel|>final<|message|>${answer}`;
  else if (reasoning) reasoningField = reasoning;
  return { content, reasoningField, refusal: null, finishReason, promptTokens, completionTokens };
}

/** The usage object in the requested style (the server's report, not its bill). */
function reportedUsage(style: UsageStyle, g: Generated): unknown {
  const total = g.promptTokens + g.completionTokens;
  switch (style) {
    case 'none':
      return undefined;
    case 'null':
      return null;
    case 'null_fields':
      return { prompt_tokens: null, completion_tokens: null, total_tokens: null };
    case 'no_completion':
      return { prompt_tokens: g.promptTokens, total_tokens: total };
    case 'zeros':
      return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    case 'negative':
      return { prompt_tokens: -1, completion_tokens: -1, total_tokens: -2 };
    case 'strings':
      return { prompt_tokens: String(g.promptTokens), completion_tokens: 'NaN', total_tokens: 'NaN' };
    case 'total_only':
      return { total_tokens: total };
    default:
      return { prompt_tokens: g.promptTokens, completion_tokens: g.completionTokens, total_tokens: total, completion_tokens_details: { reasoning_tokens: 0 } };
  }
}

function messageOf(b: ServerBehaviour, g: Generated): Record<string, unknown> {
  const content = g.content !== null && b.contentParts ? [{ type: 'text', text: g.content }] : g.content;
  return { role: 'assistant', content, refusal: g.refusal, ...(g.reasoningField !== null ? { reasoning_content: g.reasoningField } : {}) };
}

/** The answer as an event stream (delta chunks, then a usage chunk only when include_usage was asked). */
function eventStream(body: ChatRequestBody, b: ServerBehaviour, g: Generated, usage: unknown): string {
  const base = { id: 'chatcmpl-stream', object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model };
  const text = g.content ?? '';
  const pieces = text.length > 0 ? [text.slice(0, Math.ceil(text.length / 2)), text.slice(Math.ceil(text.length / 2))] : [];
  const chunks: unknown[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }];
  if (g.reasoningField) chunks.push({ ...base, choices: [{ index: 0, delta: { reasoning_content: g.reasoningField }, finish_reason: null }] });
  for (const p of pieces) chunks.push({ ...base, choices: [{ index: 0, delta: { content: b.contentParts ? [{ type: 'text', text: p }] : p }, finish_reason: null }] });
  if (g.refusal) chunks.push({ ...base, choices: [{ index: 0, delta: { refusal: g.refusal }, finish_reason: null }] });
  chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: g.finishReason }] });
  if (body.stream_options?.include_usage && usage !== undefined) chunks.push({ ...base, choices: [], usage });
  return `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`;
}

/**
 * A loopback OpenAI-compatible Chat Completions server for tests, on a port chosen by the OS.
 * `usage` is in every normal answer (prompt tokens counted like the client counts them; completion
 * tokens of the content, which is cut at the token limit like a real server with finish_reason "length").
 */
export async function startLlmServer(initial: LlmServerOptions = {}): Promise<LlmTestServer> {
  let options: LlmServerOptions = { ...initial };
  const bodies: ChatRequestBody[] = [];
  const authHeaders: string[] = [];
  const bill: ServerBill = { answers: 0, promptTokens: 0, completionTokens: 0 };
  const charges: Array<{ body: ChatRequestBody; prompt: number; completion: number }> = [];
  let count = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const hanging = new Set<ServerResponse>();

  const charge = (body: ChatRequestBody, prompt: number, completion: number) => {
    charges.push({ body, prompt, completion });
    bill.answers++;
    bill.promptTokens += prompt;
    bill.completionTokens += completion;
  };

  /** Answer one parsed request (after auth and latency). */
  const answer = async (res: ServerResponse, n: number, body: ChatRequestBody) => {
    const b = options.behaviour ?? {};
    const fault = options.fault?.(n, body);
    if (options.onlyModel && body.model !== options.onlyModel) {
      sendJson(res, 404, { error: { message: `The model \`${body.model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' } });
      return;
    }
    const rejected = rejection(b, body);
    if (rejected) {
      sendJson(res, 400, errorBody(b.errorStyle, rejected.message, rejected.param, 'unsupported_parameter', 400));
      return;
    }
    if (fault?.kind === 'hang') {
      // A provider may bill work the client never sees: the bill counts the worst case.
      charge(body, countChatTokens(body.messages, body.model), body.max_completion_tokens ?? body.max_tokens ?? 4096);
      hanging.add(res);
      return;
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = {};
      if (fault.retryAfterS !== undefined) headers['retry-after'] = String(fault.retryAfterS);
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      sendJson(res, fault.status, errorBody(b.errorStyle, fault.message ?? `injected ${fault.status}`, null, fault.code ?? null, fault.status), headers);
      return;
    }
    if (fault?.kind === 'html') {
      sendText(res, fault.status, `<!DOCTYPE html><html><head><title>${fault.status} Bad Gateway</title></head><body><center><h1>${fault.status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>`, 'text/html');
      return;
    }
    const g = await generate(options, body, fault);
    charge(body, g.promptTokens, g.completionTokens);
    const usage = reportedUsage(fault?.kind === 'no_usage' ? 'none' : (b.usage ?? 'full'), g);
    if (fault?.kind === 'error_in_200') {
      sendJson(res, 200, { error: { message: fault.message ?? 'upstream provider error', code: 502 } });
      return;
    }
    if (body.stream || b.streamAlways) {
      sendText(res, 200, eventStream(body, b, g, usage), body.stream ? 'text/event-stream' : 'application/json');
      return;
    }
    const choice = fault?.kind === 'null_message' ? { index: 0, message: null, finish_reason: 'stop' } : { index: 0, message: messageOf(b, g), finish_reason: g.finishReason, logprobs: null };
    const value: Record<string, unknown> = { id: `chatcmpl-test-${n}`, object: 'chat.completion', created: 1_700_000_000, model: body.model, choices: fault?.kind === 'empty_choices' ? [] : [choice] };
    if (usage !== undefined) value.usage = usage;
    const text = JSON.stringify(value);
    if (fault?.kind === 'truncated_body') {
      sendText(res, 200, text.slice(0, Math.floor(text.length * 0.6)), 'application/json');
      return;
    }
    if (fault?.kind === 'drop') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text).toString() });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      setTimeout(() => res.destroy(), 5);
      return;
    }
    sendText(res, 200, text, 'application/json');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url ?? '')) {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
      return;
    }
    const n = count++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    res.on('close', () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    });
    try {
      const body = JSON.parse(await readBody(req)) as ChatRequestBody;
      bodies.push(body);
      authHeaders.push(String(req.headers.authorization ?? ''));
      if (options.requireKey && req.headers.authorization !== `Bearer ${options.requireKey}`) {
        sendJson(res, 401, { error: { message: `Incorrect API key provided: ${String(req.headers.authorization ?? '').replace(/^Bearer /, '')}.`, type: 'invalid_request_error', code: 'invalid_api_key' } });
        return;
      }
      const latency = typeof options.latencyMs === 'function' ? options.latencyMs(n, body) : (options.latencyMs ?? 0);
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      await answer(res, n, body);
    } catch (error: unknown) {
      sendJson(res, 500, { error: { message: `test server: ${error instanceof Error ? error.message : String(error)}` } });
    }
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    bodies,
    authHeaders,
    requestCount: () => count,
    maxInFlight: () => maxInFlight,
    bill: () => ({ ...bill }),
    billedUsd: (price, only) =>
      charges.filter((c) => !only || only(c.body)).reduce((a, c) => a + (c.prompt * price.input_per_mtok + c.completion * price.output_per_mtok) / 1_000_000, 0),
    set: (o) => {
      options = { ...options, ...o };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Port of a URL that nothing listens on (bind, read the port, close): an "endpoint down". */
export async function deadEndpoint(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

/** Named profiles that combine behaviours the way real servers do. */
export const SERVER_PROFILES = {
  /** OpenAI o-series / gpt-5: rejects max_tokens and non-default temperature, reasons inside the limit, reports usage. */
  openaiReasoning: { reject: ['max_tokens', 'temperature'], reasoning: { tokens: 120, place: 'field' } },
  /** LM Studio: json_schema or nothing, `{"error": "…"}` bodies. */
  lmStudio: { reject: ['json_object'], errorStyle: 'lmstudio' },
  /** A local reasoning model behind llama.cpp/Ollama: `<think>` in the content, often without the opening tag. */
  localReasoning: { reasoning: { tokens: 60, place: 'think_no_open' }, errorStyle: 'vllm' },
  /** A server that never reports usage. */
  noUsage: { usage: 'none' },
  /** A strict vLLM-style server: only max_tokens, vLLM error bodies, answers in content parts. */
  strictLocal: { reject: ['max_completion_tokens', 'json_schema'], errorStyle: 'vllm', contentParts: true },
  /** A server that only streams, rejecting stream_options (usage never comes back). */
  streamOnly: { reject: ['non_stream', 'stream_options'], streamAlways: true },
} satisfies Record<string, ServerBehaviour>;
