/**
 * Request-parameter negotiation with OpenAI-compatible servers, per (endpoint, model).
 *
 * Servers disagree on three things dnr sends (and one it does not choose): the output-token limit
 * (`max_tokens`; OpenAI reasoning models accept only `max_completion_tokens`), the temperature
 * (reasoning models accept only their default), and JSON mode (`response_format` json_schema —
 * LM Studio accepts nothing else —, json_object, or none). Each is a ladder of options; a setting
 * fixed in the config is a ladder of one. On a 400/422 whose message names a dimension, that
 * dimension moves one rung down and the request is sent again (a 400 is not billed). A fourth,
 * internal ladder handles servers that only stream.
 */

export type TokenParam = 'max_tokens' | 'max_completion_tokens';
export type TemperatureMode = 'send' | 'omit';
export type JsonMode = 'json_schema' | 'json_object' | 'none';
/** off = `stream: false`; usage = stream with `stream_options.include_usage`; plain = stream without it. */
export type StreamMode = 'off' | 'usage' | 'plain';

/** The per-purpose configuration (`auto` adapts). */
export interface RequestSettings {
  tokenLimit: 'auto' | TokenParam;
  temperature: 'auto' | TemperatureMode;
  jsonMode: 'auto' | JsonMode;
}

export const AUTO_SETTINGS: RequestSettings = { tokenLimit: 'auto', temperature: 'auto', jsonMode: 'auto' };

/** What one request is sent with. */
export interface RequestParams {
  tokenParam: TokenParam;
  temperature: TemperatureMode;
  jsonMode: JsonMode;
  stream: StreamMode;
}

export type Dimension = keyof RequestParams;
export const DIMENSIONS: readonly Dimension[] = ['tokenParam', 'temperature', 'jsonMode', 'stream'];

/** OpenAI reasoning models (o1/o3/o4, gpt-5 but not gpt-5-chat) reject max_tokens: start them on max_completion_tokens. */
const REASONING_MODEL = /^(?:[\w.-]+\/)?(?:o\d|gpt-5(?!-chat))/i;

/** The auto ladder of each dimension, best option first. */
export function autoLadders(model: string): { [D in Dimension]: readonly RequestParams[D][] } {
  return {
    tokenParam: REASONING_MODEL.test(model) ? ['max_completion_tokens', 'max_tokens'] : ['max_tokens', 'max_completion_tokens'],
    temperature: ['send', 'omit'],
    jsonMode: ['json_schema', 'json_object', 'none'],
    stream: ['off', 'usage', 'plain'],
  };
}

/** A message that complains about a parameter (as opposed to, say, a context-length error). */
const COMPLAINT = /unsupported|not supported|does not support|unknown|unrecognized|unrecogni[sz]ed|not permitted|not allowed|extra (?:inputs?|fields?)|invalid|must be|only .{0,40}supported|deprecated|cannot be used|use '?max_completion_tokens/i;

/**
 * Which dimensions a 400/422 error names. `param` is the OpenAI error's `param` field when present;
 * `text` the message and body. Only dimensions whose value was actually sent can be blamed.
 */
export function namedDimensions(text: string, param: string | null | undefined, sent: RequestParams): Dimension[] {
  const p = (param ?? '').toLowerCase();
  const t = text.toLowerCase();
  const out = new Set<Dimension>();
  if (p) {
    if (/max_(?:completion_)?tokens/.test(p)) out.add('tokenParam');
    if (p.includes('temperature')) out.add('temperature');
    if (p.includes('response_format')) out.add('jsonMode');
    if (p.includes('stream')) out.add('stream');
    if (out.size > 0) return [...out];
  }
  if (!COMPLAINT.test(t)) return [];
  if (/max_(?:completion_)?tokens/.test(t)) out.add('tokenParam');
  if (/temperature/.test(t) && sent.temperature === 'send') out.add('temperature');
  if (/response_format|json_schema|json_object|structured output/.test(t) && sent.jsonMode !== 'none') out.add('jsonMode');
  if (sent.stream === 'off' ? /\bstream(?:ing)?\b/.test(t) && !/response_format/.test(t) : /stream_options|include_usage/.test(t)) out.add('stream');
  return [...out];
}

const paramsKey = (p: RequestParams) => `${p.tokenParam}|${p.temperature}|${p.jsonMode}|${p.stream}`;

/**
 * The learned state of one (endpoint, model): a rung per dimension, and the parameter sets a request
 * has succeeded with. A request whose parameter set has not succeeded yet waits for its turn: one at
 * a time, so a rejecting server sees one 400 per rung, not one per worker.
 */
export class ParamNegotiator {
  private readonly ladders: ReturnType<typeof autoLadders>;
  private readonly rung: Record<Dimension, number> = { tokenParam: 0, temperature: 0, jsonMode: 0, stream: 0 };
  private readonly confirmed = new Set<string>();
  private probe: Promise<void> | null = null;

  constructor(
    readonly model: string,
    learned?: Partial<RequestParams>,
  ) {
    this.ladders = autoLadders(model);
    if (learned) {
      for (const d of DIMENSIONS) {
        const i = (this.ladders[d] as readonly string[]).indexOf(String(learned[d]));
        if (i >= 0) this.rung[d] = i;
      }
      this.confirmed.add(paramsKey(this.learned()));
    }
  }

  /** The learned auto value of each dimension. */
  learned(): RequestParams {
    const pick = <D extends Dimension>(d: D) => this.ladders[d][this.rung[d]] as RequestParams[D];
    return { tokenParam: pick('tokenParam'), temperature: pick('temperature'), jsonMode: pick('jsonMode'), stream: pick('stream') };
  }

  /** Parameters of the next request under `settings` (fixed settings win over learned ones). */
  paramsFor(settings: RequestSettings): RequestParams {
    const l = this.learned();
    return {
      tokenParam: settings.tokenLimit === 'auto' ? l.tokenParam : settings.tokenLimit,
      temperature: settings.temperature === 'auto' ? l.temperature : settings.temperature,
      jsonMode: settings.jsonMode === 'auto' ? l.jsonMode : settings.jsonMode,
      stream: l.stream,
    };
  }

  /**
   * After a 400/422 naming `dims` for a request sent with `sent`: move each auto dimension one rung
   * below what was sent (never back up; concurrent failures of the same rung move it once). Returns
   * the dimensions that moved, empty when the error cannot be negotiated away.
   */
  adapt(dims: readonly Dimension[], sent: RequestParams, settings: RequestSettings): Dimension[] {
    const auto: Record<Dimension, boolean> = { tokenParam: settings.tokenLimit === 'auto', temperature: settings.temperature === 'auto', jsonMode: settings.jsonMode === 'auto', stream: true };
    const moved: Dimension[] = [];
    for (const d of dims) {
      if (!auto[d]) continue;
      const at = (this.ladders[d] as readonly string[]).indexOf(sent[d]);
      if (at < 0 || at + 1 >= this.ladders[d].length) continue;
      this.rung[d] = Math.max(this.rung[d], at + 1);
      moved.push(d);
    }
    return moved;
  }

  /**
   * A request sent with `params` succeeded. Returns true when these are the learned auto parameters
   * and they were not confirmed before (worth saving).
   */
  confirm(params: RequestParams): boolean {
    const k = paramsKey(params);
    if (this.confirmed.has(k)) return false;
    this.confirmed.add(k);
    return k === paramsKey(this.learned());
  }

  /**
   * Wait for a turn to send with `params`: immediate once they worked; before that one request at a
   * time. Call the returned function when the request is done (success or not).
   */
  async turn(params: () => RequestParams): Promise<() => void> {
    while (!this.confirmed.has(paramsKey(params())) && this.probe) await this.probe;
    if (this.confirmed.has(paramsKey(params()))) return () => {};
    let release!: () => void;
    this.probe = new Promise<void>((resolve) => {
      release = () => {
        this.probe = null;
        resolve();
      };
    });
    return release;
  }
}
