#!/usr/bin/env node
/**
 * The CI classifier gate: the offline classifier on the hand-written blind sets
 * (tests/fixtures/classifier/blind/*.json, written by another author and never used for any choice),
 * scored by the real `dnr eval-labels` with its gates (Slack/e-mail relevance and theme, NLQ theme,
 * coverage). Prints only aggregate numbers. Exit code: eval-labels' (0 pass, 3 a gate failed), or 2 when
 * there is no blind set to score.
 */
import { readSplit } from './lib/classifier-sets.mjs';
import { evalSets, summarise } from './lib/blind-eval.mjs';

async function main() {
  const sets = readSplit('blind');
  if (sets.length === 0) {
    console.error('classifier gate: no blind set in tests/fixtures/classifier/blind/ — nothing to gate on.');
    return 2;
  }
  const { exitCode, metrics, stderr } = await evalSets(sets);
  if (!metrics) {
    console.error(`classifier gate: eval-labels failed (exit ${exitCode}): ${stderr}`);
    return exitCode || 1;
  }
  console.log(`classifier gate on ${sets.length} blind set(s) (${sets.map((s) => s.name).join(', ')}):`);
  for (const [k, v] of Object.entries(summarise(metrics))) console.log(`  ${k}: macro-F1 ${v.macro_f1} (n=${v.items}, coverage ${v.coverage}, ECE ${v.ece})`);
  for (const g of metrics.gates) console.log(`  gate ${g.name}: ${g.value === null ? 'n/a' : g.value.toFixed(3)} >= ${g.bound} → ${g.verdict}`);
  return exitCode;
}

process.exitCode = await main();
