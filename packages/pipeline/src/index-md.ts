import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ArchetypeOutcome } from './quickstart.js';

function link(from: string, target: string, label?: string): string {
  const rel = path.relative(from, target).split(path.sep).join('/');
  return `[${label ?? rel}](${rel})`;
}

function filesIn(dir: string, ext?: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.') && (!ext || f.endsWith(ext)))
    .sort();
}

/** reports/index.md: one section per archetype linking every output the quickstart wrote. */
export function renderIndexMd(outcomes: ArchetypeOutcome[], meta: { scale: string; noLlm: boolean; reportsDir: string }): string {
  const from = meta.reportsDir;
  const lines: string[] = ['# dnr reports', '', `Scale: ${meta.scale}. LLM: ${meta.noLlm ? 'off (--no-llm)' : 'on'}.`, ''];
  for (const o of outcomes) {
    lines.push(`## ${o.archetype}`, '');
    lines.push(`- Report page (HTML, self-contained): ${link(from, path.join(o.paths.report, 'report.html'))}`);
    lines.push(`- Executive summary: ${link(from, path.join(o.paths.report, 'exec_summary.md'))} (${link(from, path.join(o.paths.report, 'exec_summary.json'), 'json')})`);
    lines.push(`- Data health: ${link(from, path.join(o.paths.report, 'data_health.json'))}, ${link(from, path.join(o.paths.report, 'data_health.csv'))}`);
    lines.push(`- Themes (${o.themes_status}): ${link(from, path.join(o.paths.report, 'themes.md'))} (${link(from, path.join(o.paths.report, 'themes.json'), 'json')})`);
    const figures = filesIn(path.join(o.paths.report, 'figures'), '.png');
    if (figures.length) lines.push(`- Figures: ${figures.map((f) => link(from, path.join(o.paths.report, 'figures', f), f.replace(/\.png$/, ''))).join(', ')}`);
    lines.push(`- Validation (${o.validate.passed ? 'pass' : 'FAIL'}: ${o.validate.pass} pass, ${o.validate.fail} fail, ${o.validate.skip} skip): ${link(from, path.join(o.paths.qc, 'validate.md'))}`);
    const runFiles = filesIn(o.paths.run);
    if (runFiles.length) lines.push(`- Run artefacts: ${runFiles.map((f) => link(from, path.join(o.paths.run, f), f)).join(', ')}`);
    lines.push(`- Inputs: warehouse ${link(from, path.join(o.paths.warehouse, 'manifest.json'))}, comms ${link(from, path.join(o.paths.comms, 'manifest.json'))}, ground truth ${link(from, path.join(o.paths.warehouse, 'defects.json'))} and the labels in the comms folder`);
    lines.push('');
    if (o.actions.length) {
      lines.push('Top actions:', '');
      for (const a of o.actions) lines.push(`${a.rank}. ${a.title}`);
      lines.push('');
    }
  }
  return `${lines.join('\n')}\n`;
}
