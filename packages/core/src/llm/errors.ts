import { InputError } from '../errors.js';
import type { LlmClient, LlmFatal } from './types.js';

/** "Spend booked so far: …" for a purpose that stopped (what the provider may bill for it). */
export function spendSoFar(client: Pick<LlmClient, 'purpose' | 'spend'>, ledgerPath?: string): string {
  const s = client.spend();
  const resumed = s.resumedUsd > 0 ? `, $${s.resumedUsd.toFixed(6)} of it by interrupted earlier processes` : '';
  const ledger = ledgerPath ? `; every request is in ${ledgerPath}` : '';
  return `Spend booked so far for ${client.purpose}: $${s.actualUsd.toFixed(6)} of the $${s.capUsd.toFixed(2)} cap in ${s.requests} request${s.requests === 1 ? '' : 's'}${resumed}${ledger}.`;
}

/**
 * The LLM endpoint cannot be used for a purpose (key rejected, unreachable, the same failure on the
 * first requests): exit 2 with the reason, which names OPENAI_BASE_URL or the key variable (never the
 * key) and the server's message, followed by the spend booked so far when the client is given (the user
 * must see what was billed). Answers already paid for stay in the cache, so a re-run after the fix does
 * not pay for them again.
 */
export class LlmEndpointError extends InputError {
  readonly kind: LlmFatal['kind'];
  constructor(fatal: LlmFatal, spent?: { client: Pick<LlmClient, 'purpose' | 'spend'>; ledgerPath?: string }) {
    super(spent ? `${fatal.message} ${spendSoFar(spent.client, spent.ledgerPath)}` : fatal.message, { suggestion: fatal.suggestion });
    this.kind = fatal.kind;
  }
}
