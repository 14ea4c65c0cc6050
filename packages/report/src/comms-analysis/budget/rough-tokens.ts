import { NLQ_SYSTEM_PROMPT, THREAD_SYSTEM_PROMPT } from '../classify/llm/prompt.js';
import type { CommsThread, NlqItem } from '../types.js';

/**
 * Prompt tokens estimated without tokenising, for the cost estimate of a run that will not call the LLM
 * (`--no-llm`, or no API key): building and tokenising every prompt costs seconds that buy nothing then.
 * ~4 characters per token is OpenAI's rule of thumb for English; the thread body is capped like the prompt the
 * LLM engine would build (message cap, input-token budget); +11 tokens of chat framing (3 per message, 3 to
 * prime the reply, the header line).
 */
const CHARS_PER_TOKEN = 4;
const FRAMING_TOKENS = 11;

const rough = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);
const THREAD_SYSTEM_TOKENS = rough(THREAD_SYSTEM_PROMPT);
const NLQ_SYSTEM_TOKENS = rough(NLQ_SYSTEM_PROMPT);

export function roughThreadPromptTokens(thread: CommsThread, options: { maxInputTokens: number; maxMessages: number }): number {
  let body = 0;
  for (const m of thread.messages.slice(0, options.maxMessages)) body += rough(`[reply ${m.role}] ${m.text}`) + 1;
  return THREAD_SYSTEM_TOKENS + FRAMING_TOKENS + Math.min(body, options.maxInputTokens);
}

export function roughNlqPromptTokens(item: NlqItem): number {
  return NLQ_SYSTEM_TOKENS + FRAMING_TOKENS + rough(`Question: ${item.text.trim()}`);
}
