import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countChatTokens, countTokens, truncateToTokens } from '../../packages/core/dist/index.js';

/** The request body of a Chat Completions call, as received. */
export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  response_format?: { type: string };
  [k: string]: unknown;
}

/** A fault to inject into one request (decided per request by `fault`). */
export type LlmFault =
  | { kind: 'status'; status: number; retryAfterS?: number; retryAfterMs?: number; message?: string }
  | { kind: 'malformed' }
  | { kind: 'truncated' }
  | { kind: 'no_usage' }
  /** Never answer (the client must time out); the socket is closed when the server stops. */
  | { kind: 'hang' };

export interface LlmServerOptions {
  /** The assistant content for a request (usually a JSON string). Default: '{"ok":true}'. */
  responder?: (body: ChatRequestBody) => string | Promise<string>;
  /** Latency before answering, ms (number, or per request index n starting at 0). */
  latencyMs?: number | ((n: number, body: ChatRequestBody) => number);
  /** Fault to inject for request n (0-based, counting every HTTP request), or undefined for a normal answer. */
  fault?: (n: number, body: ChatRequestBody) => LlmFault | undefined;
  /** Reject requests without this bearer token with 401. */
  requireKey?: string;
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

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text).toString(), ...headers });
  res.end(text);
}

/**
 * A loopback OpenAI-compatible Chat Completions server for tests, on a port chosen by the OS.
 * `usage` is in every normal answer (prompt tokens counted like the client counts them; completion
 * tokens of the content, which is cut at max_tokens like a real server with finish_reason "length").
 */
export async function startLlmServer(initial: LlmServerOptions = {}): Promise<LlmTestServer> {
  let options: LlmServerOptions = { ...initial };
  const bodies: ChatRequestBody[] = [];
  const authHeaders: string[] = [];
  let count = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const hanging = new Set<ServerResponse>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url ?? '')) {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
      return;
    }
    const n = count++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    res.on('close', finish);
    try {
      const body = JSON.parse(await readBody(req)) as ChatRequestBody;
      bodies.push(body);
      authHeaders.push(String(req.headers.authorization ?? ''));
      if (options.requireKey && req.headers.authorization !== `Bearer ${options.requireKey}`) {
        sendJson(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
        return;
      }
      const latency = typeof options.latencyMs === 'function' ? options.latencyMs(n, body) : (options.latencyMs ?? 0);
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const fault = options.fault?.(n, body);
      if (fault?.kind === 'hang') {
        hanging.add(res);
        return;
      }
      if (fault?.kind === 'status') {
        const headers: Record<string, string> = {};
        if (fault.retryAfterS !== undefined) headers['retry-after'] = String(fault.retryAfterS);
        if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
        sendJson(res, fault.status, { error: { message: fault.message ?? `injected ${fault.status}`, type: 'server_error' } }, headers);
        return;
      }
      const maxTokens = body.max_tokens ?? body.max_completion_tokens ?? 4096;
      let content = options.responder ? await options.responder(body) : '{"ok":true}';
      if (fault?.kind === 'malformed') content = `Sure! Here is the answer: ${content.replace(/[{}"]/g, '')} ok?`;
      if (fault?.kind === 'truncated') content = content.slice(0, Math.max(1, Math.floor(content.length / 2)));
      let finishReason = 'stop';
      if (countTokens(content, body.model) > maxTokens) {
        content = truncateToTokens(content, maxTokens, body.model);
        finishReason = 'length';
      }
      const promptTokens = countChatTokens(body.messages, body.model);
      const completionTokens = countTokens(content, body.model);
      const answer: Record<string, unknown> = {
        id: `chatcmpl-test-${n}`,
        object: 'chat.completion',
        created: 1_700_000_000,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason, logprobs: null }],
      };
      if (fault?.kind !== 'no_usage') {
        answer.usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
      }
      sendJson(res, 200, answer);
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
