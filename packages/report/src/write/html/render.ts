import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { ReportDoc, Text } from '../doc.js';

/**
 * HTML pages from the eta templates beside this file (auto-escaped; only the CSS and nested
 * templates are inserted raw). Pages are self-contained: CSS inline, figures as data: URIs, links
 * relative, so they work from file:// and inside a zipped folder.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
// Compiled code runs from dist/write/html; the templates stay in src/write/html/templates.
const TEMPLATES = [path.join(here, 'templates'), path.resolve(here, '../../../src/write/html/templates')].find((d) => existsSync(path.join(d, 'layout.eta')));

let eta: Eta | null = null;
function engine(): Eta {
  if (!TEMPLATES) throw new Error(`HTML templates not found beside ${here}`);
  eta ??= new Eta({ views: TEMPLATES, autoEscape: true, cache: true });
  return eta;
}

const css = () => readFileSync(path.join(TEMPLATES!, 'style.css'), 'utf8');

function page(title: string, body: string): string {
  return engine().render('./layout', { title, css: css(), body });
}

/** PNG width and height from its IHDR chunk (bytes 16..23). */
function pngSize(buf: Buffer): { width: number; height: number } {
  return buf.length > 24 && buf.subarray(1, 4).toString('latin1') === 'PNG' ? { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) } : { width: 0, height: 0 };
}

/**
 * One archetype's report page. `baseDir` is the report folder the figure paths are relative to;
 * each figure is embedded as a data: URI. `indexHref` links back to the reports index.
 */
export function renderReportHtml(doc: ReportDoc, baseDir: string, indexHref = '../index.html'): string {
  const images = new Map<string, Buffer>();
  const load = (file: string) => {
    if (!images.has(file)) images.set(file, readFileSync(path.join(baseDir, file)));
    return images.get(file)!;
  };
  const body = engine().render('./report', {
    doc,
    indexHref,
    image: (file: string) => `data:image/png;base64,${load(file).toString('base64')}`,
    size: (file: string) => pngSize(load(file)),
  });
  return page(doc.title, body);
}

export interface IndexEntry {
  id: string;
  title: string;
  /** Relative link to the archetype's page. */
  href: string;
  summary: Text;
  /** Action titles, best first. */
  actions: string[];
  links: Array<{ label: string; href: string }>;
}

/** reports/index.html: one section per archetype linking its page. */
export function renderIndexHtml(title: string, subtitle: string, reports: IndexEntry[]): string {
  return page(title, engine().render('./index', { title, subtitle, reports }));
}
