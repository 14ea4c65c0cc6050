import { featureText } from '../text.js';
import type { CommsThread } from '../types.js';
import { isDataToolDomain, lexiconScore } from './rules/lexicon.js';

/**
 * Met vs unmet: a thread's need is met when a reply after the root carries
 * fixed/merged/resolved language, links a dbt or Looker change, or closes the thread, and no later
 * message reopens it. NLQs never decide this alone.
 */
export function isThreadMet(thread: CommsThread): boolean {
  let met = false;
  for (const m of thread.messages) {
    if (m.isRoot) continue;
    const text = featureText(m.text);
    const resolved = lexiconScore(text, 'resolved') + (m.linkDomains.some((d) => isDataToolDomain(d, 'closure_domain')) ? 0.6 : 0);
    const reopened = lexiconScore(text, 'unresolved');
    if (resolved >= 0.9 && resolved > reopened) met = true;
    else if (reopened >= 0.8) met = false;
  }
  return met;
}
