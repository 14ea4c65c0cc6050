import type { ThemesReport } from '../schemas/themes.js';
import { fmt, mdTable } from './format.js';

const usd = (v: number) => `$${fmt(v)}`;

export function renderThemesMd(t: ThemesReport): string {
  const out: string[] = [`# Themes: ${t.archetype}`, ''];
  if (t.status === 'skipped') {
    out.push(`Themes skipped: ${t.skipped_reason ?? 'n/a'}.`, '');
    return out.join('\n');
  }
  out.push(`Engine ${t.engine} · status ${t.status} · parse errors ${fmt(t.parse_errors)}`, '');
  out.push(
    `Budget: cap ${usd(t.budget.capUsd)}, estimate ${usd(t.budget.estimateUsd)}, actual ${usd(t.budget.actualUsd)}${t.budget.sampled ? ', sampled to fit' : ''}${t.budget.earlyStop ? ', **early stop**' : ''}.`,
    '',
  );
  out.push('## Demand', '');
  out.push(
    mdTable(
      ['Theme', 'Demand', 'Peak day', 'Class conf.', 'Entity conf.', 'Agreement', 'Unmet share', 'Top tables'],
      t.themes.map((x) => [
        x.theme,
        fmt(x.demand),
        x.peakDay ?? 'n/a',
        fmt(x.classConfidence),
        fmt(x.entityConfidence),
        fmt(x.agreement),
        fmt(x.unmetShare),
        x.tables
          .slice(0, 3)
          .map((m) => `${m.table} (${fmt(m.mentions)})`)
          .join(', ') || 'n/a',
      ]),
    ),
    '',
  );
  out.push('## Sources', '');
  out.push(
    mdTable(
      ['Source', 'Items', 'After prefilter', 'Sent', 'Classified', 'Parse errors', 'Coverage %', 'Weight', 'Flags'],
      Object.entries(t.sources).map(([k, s]) => [
        k,
        fmt(s.items),
        fmt(s.afterPrefilter),
        fmt(s.sent),
        fmt(s.classified),
        fmt(s.parseErrors),
        fmt(s.coveragePct),
        fmt(s.weight),
        [s.belowFloor ? 'below coverage floor' : '', s.partial ? `partial: ${s.partialReason ?? ''}` : ''].filter(Boolean).join('; ') || '-',
      ]),
    ),
    '',
  );
  return out.join('\n');
}
