#!/usr/bin/env node
/**
 * The CI classifier gate: the offline classifier on the hand-written blind sets
 * (tests/fixtures/classifier/blind/*.json, written by another author and never used for any choice),
 * scored by the real `dnr eval-labels`. Two gates, both printed:
 * - the contract's floor: eval-labels' own gates (Slack/e-mail relevance macro-F1 ≥ 0.75, Slack/e-mail theme and
 *   NLQ theme ≥ 0.72, coverage ≥ 0.95);
 * - the project's target: macro-F1 ≥ 0.85 on the pooled blind sets for each of Slack relevance, Slack theme,
 *   e-mail relevance, e-mail theme and NLQ theme (`TARGET`).
 * Prints only aggregate numbers. Exit code: 0 when both pass, 3 when either fails, 2 when there is no blind
 * set to score, eval-labels' code when it fails to run.
 */
import { readSplit } from './lib/classifier-sets.mjs';
import { evalSets, summarise } from './lib/blind-eval.mjs';

/** The project's quality target for unseen hand-written text (README, "Offline classifier quality"). */
const TARGET = { min: 0.85, tasks: ['slack_relevance', 'slack_theme', 'email_relevance', 'email_theme', 'nlq_theme'] };
const GATE_FAILED = 3;

/** Target verdicts from the eval-labels summary: one row per task; a task with no items fails. */
function targetGate(summary) {
  return TARGET.tasks.map((task) => {
    const value = summary[task]?.macro_f1 ?? null;
    return { task, value, pass: value !== null && value >= TARGET.min };
  });
}

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
  const summary = summarise(metrics);
  console.log(`classifier gate on ${sets.length} blind set(s) (${sets.map((s) => s.name).join(', ')}):`);
  for (const [k, v] of Object.entries(summary)) console.log(`  ${k}: macro-F1 ${v.macro_f1} (n=${v.items}, coverage ${v.coverage}, ECE ${v.ece})`);
  const floorPass = exitCode === 0;
  console.log(`floor gate (the contract's thresholds, from eval-labels): ${floorPass ? 'pass' : 'FAIL'}`);
  for (const g of metrics.gates) console.log(`  gate ${g.name}: ${g.value === null ? 'n/a' : g.value.toFixed(3)} >= ${g.bound} → ${g.verdict}`);
  const target = targetGate(summary);
  const targetPass = target.every((t) => t.pass);
  console.log(`target gate (pooled blind macro-F1 >= ${TARGET.min} on every task): ${targetPass ? 'pass' : 'FAIL'}`);
  for (const t of target) console.log(`  target ${t.task}: ${t.value === null ? 'n/a' : t.value.toFixed(3)} >= ${TARGET.min} → ${t.pass ? 'pass' : 'fail'}`);
  if (exitCode !== 0 && exitCode !== GATE_FAILED) return exitCode;
  return floorPass && targetPass ? 0 : GATE_FAILED;
}

process.exitCode = await main();
