/**
 * The answer text of one Chat Completions choice, as real servers send it: content as a string or as
 * a list of parts, reasoning inside the content (`<think>…</think>` from DeepSeek-R1/Qwen3 style models,
 * sometimes without the opening tag because the chat template already emitted it; gpt-oss harmony
 * channels), reasoning in separate fields (`reasoning_content`, `reasoning`: never the answer), and
 * refusals (`message.refusal`, `finish_reason: "content_filter"`).
 */

export interface ChoiceView {
  /** `message.content` (or the joined stream deltas) as received. */
  content: unknown;
  /** `message.refusal` as received. */
  refusal: unknown;
  finishReason: string | null;
  /** `tool_calls[0].function.arguments`: some servers answer a JSON request as a tool call. */
  toolArguments?: unknown;
}

export type Answer =
  | { kind: 'text'; text: string }
  | { kind: 'refusal'; reason: string }
  /** No answer text: nothing was sent, or only reasoning. */
  | { kind: 'empty'; reason: string };

const REASONING_TAGS = 'think|thinking|reasoning|reflection';
const CLOSED_BLOCK = new RegExp(`<(${REASONING_TAGS})\\b[^>]*>[\\s\\S]*?</\\1\\s*>`, 'gi');
const OPEN_TO_END = new RegExp(`<(?:${REASONING_TAGS})\\b[^>]*>[\\s\\S]*$`, 'i');
const ORPHAN_CLOSE = new RegExp(`</(?:${REASONING_TAGS})\\s*>`, 'gi');

/**
 * Text parts of a content list (`text`, `output_text`); images, reasoning and other parts are ignored.
 * A plain object that is not a part (a gateway that hands back the parsed JSON) is the answer itself.
 */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content && typeof content === 'object' && !Array.isArray(content) && !('type' in content) && !('text' in content)) return JSON.stringify(content);
  const parts = Array.isArray(content) ? content : content && typeof content === 'object' ? [content] : [];
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') out += p;
    else if (p && typeof p === 'object') {
      const { type, text } = p as { type?: unknown; text?: unknown };
      if (typeof text === 'string' && (type === undefined || type === 'text' || type === 'output_text')) out += text;
    }
  }
  return out;
}

/**
 * Remove reasoning from answer text: closed blocks, an unclosed block (the rest is reasoning: the
 * answer was cut before it ended), and everything up to an orphan closing tag (the opening tag was in
 * the prompt template). gpt-oss harmony output keeps only its `final` channel.
 */
export function stripReasoning(text: string): string {
  let s = text;
  const harmonyFinal = s.lastIndexOf('<|channel|>final<|message|>');
  if (harmonyFinal >= 0) s = s.slice(harmonyFinal + '<|channel|>final<|message|>'.length);
  else if (s.includes('<|channel|>')) return '';
  s = s.replace(/<\|(?:end|return|start|message)\|>/g, ' ');
  s = s.replace(CLOSED_BLOCK, ' ');
  const orphans = [...s.matchAll(ORPHAN_CLOSE)];
  if (orphans.length > 0) {
    const last = orphans[orphans.length - 1];
    s = s.slice((last.index ?? 0) + last[0].length);
  }
  return s.replace(OPEN_TO_END, ' ').trim();
}

/** What the model answered in one choice. */
export function extractAnswer(choice: ChoiceView): Answer {
  if (typeof choice.refusal === 'string' && choice.refusal.trim()) return { kind: 'refusal', reason: choice.refusal.trim().slice(0, 300) };
  const raw = contentText(choice.content) || (typeof choice.toolArguments === 'string' ? choice.toolArguments : '');
  const text = stripReasoning(raw.replace(/^\uFEFF/, ''));
  if (text) return { kind: 'text', text };
  if (choice.finishReason === 'content_filter') return { kind: 'refusal', reason: "blocked by the server's content filter (finish_reason content_filter)" };
  if (raw.trim()) return { kind: 'empty', reason: 'the answer held only reasoning, no final answer' };
  return { kind: 'empty', reason: 'the answer was empty' };
}
