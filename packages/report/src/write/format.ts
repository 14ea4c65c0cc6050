/**
 * The one number formatter of the Markdown outputs. It prints the JSON value itself (already
 * rounded when computed), only adding thousands separators, so every number in the Markdown
 * equals the JSON (tests strip the commas and compare).
 */
export function fmt(v: number | null | undefined): string {
  if (v == null || Number.isNaN(v)) return 'n/a';
  const [int, frac] = String(v).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

/** Dollars with cents; numerically the JSON value (USD values are rounded to cents when computed). */
export const usd = (v: number | null | undefined) => {
  if (v == null || Number.isNaN(v)) return 'n/a';
  const [int, frac] = v.toFixed(2).split('.');
  return `$${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
};
export const pct = (v: number | null | undefined) => (v == null ? 'n/a' : `${fmt(v)}%`);
export const yes = (b: boolean) => (b ? 'pass' : '**FAIL**');

export function mdTable(header: string[], rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${header.map(esc).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}
