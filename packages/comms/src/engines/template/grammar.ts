/**
 * A tiny phrase grammar: `(a|b|c)` picks one alternative, `[x]` keeps x half of the time,
 * `{slot}` is filled from the thread context, `\\(` is a literal parenthesis. Groups nest. Patterns are parsed once and cached,
 * so expanding ~20k messages costs a few milliseconds.
 */

type Node = { t: 'text'; s: string } | { t: 'slot'; name: string } | { t: 'alt'; options: Node[][] } | { t: 'opt'; body: Node[] };

const parsed = new Map<string, Node[]>();

function parse(src: string): Node[] {
  let i = 0;
  const seq = (stop: string): Node[][] => {
    const options: Node[][] = [[]];
    let text = '';
    const flush = () => {
      if (text) options[options.length - 1].push({ t: 'text', s: text });
      text = '';
    };
    while (i < src.length) {
      const ch = src[i];
      if (ch === '\\' && i + 1 < src.length) {
        text += src[i + 1];
        i += 2;
        continue;
      }
      if (stop.includes(ch) && ch !== '|') break;
      if (ch === '|' && stop) {
        flush();
        options.push([]);
        i++;
        continue;
      }
      if (ch === '(') {
        flush();
        i++;
        const opts = seq(')|');
        i++; // ')'
        options[options.length - 1].push({ t: 'alt', options: opts });
        continue;
      }
      if (ch === '[') {
        flush();
        i++;
        const body = seq(']|');
        i++; // ']'
        options[options.length - 1].push(body.length === 1 ? { t: 'opt', body: body[0] } : { t: 'opt', body: [{ t: 'alt', options: body }] });
        continue;
      }
      if (ch === '{') {
        flush();
        const end = src.indexOf('}', i);
        if (end < 0) throw new Error(`unclosed {slot} in pattern: ${src}`);
        options[options.length - 1].push({ t: 'slot', name: src.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
      text += ch;
      i++;
    }
    flush();
    return options;
  };
  const top = seq('');
  if (top.length !== 1) throw new Error(`unbalanced pattern: ${src}`);
  return top[0];
}

export type Rand = () => number;
export type SlotFill = (name: string) => string;

function render(nodes: Node[], rand: Rand, fill: SlotFill, out: string[]): void {
  for (const n of nodes) {
    if (n.t === 'text') out.push(n.s);
    else if (n.t === 'slot') out.push(fill(n.name));
    else if (n.t === 'alt') render(n.options[Math.floor(rand() * n.options.length)], rand, fill, out);
    else if (rand() < 0.5) render(n.body, rand, fill, out);
  }
}

/** Expand one pattern: alternatives and optional parts by `rand`, slots by `fill`; whitespace tidied. */
export function expand(pattern: string, rand: Rand, fill: SlotFill): string {
  let nodes = parsed.get(pattern);
  if (!nodes) {
    nodes = parse(pattern);
    parsed.set(pattern, nodes);
  }
  const out: string[] = [];
  render(nodes, rand, fill, out);
  return out
    .join('')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.?!;])/g, '$1')
    .replace(/\s+:(?=\s|$)/g, ':')
    .trim();
}

/** Number of distinct strings a pattern can produce (a slot counts as `slotSize(name)` values, default 1): the grammar's size. */
export function variants(pattern: string, slotSize: (name: string) => number = () => 1): number {
  const count = (nodes: Node[]): number =>
    nodes.reduce((acc, n) => {
      if (n.t === 'alt') return acc * n.options.reduce((s, o) => s + count(o), 0);
      if (n.t === 'opt') return acc * (1 + count(n.body));
      if (n.t === 'slot') return acc * slotSize(n.name);
      return acc;
    }, 1);
  return count(parse(pattern));
}
