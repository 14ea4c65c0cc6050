import type { ValidateSummary } from './run.js';

const cell = (v: unknown) => (v === null || v === undefined ? 'n/a' : String(v).replace(/\|/g, '\\|'));

export function renderValidateMarkdown(s: ValidateSummary): string {
  const lines = [
    `# Validation — ${s.archetype}`,
    '',
    `Verdict: **${s.passed ? 'PASS' : 'FAIL'}** — ${s.counts.pass} passed, ${s.counts.fail} failed, ${s.counts.skip} skipped.`,
    '',
    `Warehouse \`${s.warehouse}\` (scale ${s.scale}, quality ${s.quality}, trajectory ${s.trajectory}, seed ${s.seed}) · comms ${s.comms ? `\`${s.comms}\`` : 'not given'} · meta \`${s.meta}\``,
    '',
  ];
  if (s.kept_families?.length) lines.push(`Rows of ${s.kept_families.join(', ')} are kept from an earlier run over the same inputs (this run: ${s.families.filter((f) => !s.kept_families.includes(f)).join(', ')}).`, '');
  if (s.failed.length > 0) lines.push('Failing gates: ' + s.failed.map((g) => `\`${g}\``).join(', '), '');
  s.rows.forEach((r, i) => {
    if (i === 0 || s.rows[i - 1].family !== r.family) lines.push(`## ${r.family}`, '', '| gate | measured | bound | verdict | detail |', '|---|---|---|---|---|');
    lines.push(`| ${r.gate} | ${cell(r.measured)}${r.unit ? ` ${r.unit}` : ''} | ${cell(r.bound)} | ${r.verdict.toUpperCase()} | ${cell(r.detail ?? '')} |`);
    if (i === s.rows.length - 1 || s.rows[i + 1].family !== r.family) lines.push('');
  });
  return `${lines.join('\n').trimEnd()}\n`;
}
