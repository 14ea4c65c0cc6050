/**
 * The report as a small document tree, built once from exec_summary.json and rendered twice: to
 * Markdown here and to HTML by the templates in html/. Text is already formatted for people.
 */
export type Inline = string | { strong: string } | { code: string } | { link: string; href: string };
export type Text = Inline[];

export type Block =
  | { kind: 'p'; text: Text }
  | { kind: 'ul'; items: Text[] }
  | { kind: 'quote'; text: string; cite: string }
  | { kind: 'table'; caption: string; head: string[]; rows: Text[][]; numeric: boolean[] }
  | { kind: 'figure'; file: string; title: string; alt: string; caption: string };

export interface Section {
  /** Anchor id (letters, digits, '-'). */
  id: string;
  title: string;
  blocks: Block[];
  sections?: Section[];
}

export interface ReportDoc {
  title: string;
  subtitle: Text;
  sections: Section[];
}

/** Plain text of inline content (alt texts, table captions). */
export const plain = (t: Text): string => t.map((x) => (typeof x === 'string' ? x : 'strong' in x ? x.strong : 'code' in x ? x.code : x.link)).join('');

const mdEscape = (s: string) => s.replace(/([\\*_`[\]|<>])/g, '\\$1');

function mdInline(t: Text): string {
  return t.map((x) => (typeof x === 'string' ? mdEscape(x) : 'strong' in x ? `**${mdEscape(x.strong)}**` : 'code' in x ? `\`${x.code}\`` : `[${mdEscape(x.link)}](${x.href})`)).join('');
}

function mdBlock(b: Block): string {
  switch (b.kind) {
    case 'p':
      return mdInline(b.text);
    case 'ul':
      return b.items.map((i) => `- ${mdInline(i)}`).join('\n');
    case 'quote':
      return `> “${mdEscape(b.text)}”\n> — ${mdEscape(b.cite)}`;
    case 'table': {
      const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
      return [row(b.head.map(mdEscape)), `|${b.numeric.map((n) => (n ? '---:' : '---')).join('|')}|`, ...b.rows.map((r) => row(r.map(mdInline)))].join('\n');
    }
    case 'figure':
      return `![${mdEscape(b.alt)}](${b.file})\n\n*${mdEscape(b.title)}.* ${mdEscape(b.caption)}`;
  }
}

function mdSection(s: Section, level: number): string[] {
  const out = [`${'#'.repeat(level)} ${mdEscape(s.title)}`, ''];
  for (const b of s.blocks) out.push(mdBlock(b), '');
  for (const sub of s.sections ?? []) out.push(...mdSection(sub, level + 1));
  return out;
}

export function renderMarkdown(doc: ReportDoc): string {
  const out = [`# ${mdEscape(doc.title)}`, '', mdInline(doc.subtitle), ''];
  for (const s of doc.sections) out.push(...mdSection(s, 2));
  return `${out.join('\n').trimEnd()}\n`;
}
