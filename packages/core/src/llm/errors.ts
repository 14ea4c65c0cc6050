import { InputError } from '../errors.js';
import type { LlmFatal } from './types.js';

/**
 * The LLM endpoint cannot be used for a purpose (key rejected, unreachable, the same failure on the
 * first requests): exit 2 with the reason, which names OPENAI_BASE_URL or the key variable (never the
 * key) and the server's message. Answers already paid for stay in the cache, so a re-run after the fix
 * does not pay for them again.
 */
export class LlmEndpointError extends InputError {
  readonly kind: LlmFatal['kind'];
  constructor(fatal: LlmFatal) {
    super(fatal.message, { suggestion: fatal.suggestion });
    this.kind = fatal.kind;
  }
}
