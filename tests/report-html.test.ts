/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runDnr, tempDir, type CliResult } from './helpers/cli.js';
import { unexplainedNumbers } from './helpers/report-numbers.js';

/**
 * The HTML report in a real headless Chromium (Debian's `chromium`; .ci/run installs it): a
 * quickstart with the offline classifier, then reports/index.html and each archetype's page opened
 * from file:// at desktop and phone widths. Screenshots go to .cache/screenshots/ for the record.
 */
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium).`);
  console.warn(`\n*** report-html.test.ts SKIPPED: ${CHROMIUM} is not installed (apt-get update && apt-get install -y chromium). CI installs it and runs these tests. ***\n`);
}
const SHOTS = path.join(REPO_ROOT, '.cache', 'screenshots');
const WIDTHS = [1280, 390];

let tmp: ReturnType<typeof tempDir>;
let qs: CliResult;
let out: { html: string; archetypes: Array<{ archetype: string; themes_status: string; paths: { report: string } }> };
let browser: Browser;
let profile: string;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  tmp = tempDir('dnr-html-');
  qs = await runDnr(['quickstart', '--fast', '--no-llm', '--engine', 'rules', '--json'], { cwd: tmp.dir });
  out = JSON.parse(qs.stdout);
  profile = mkdtempSync(path.join(tmpdir(), 'dnr-chromium-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
  });
  mkdirSync(SHOTS, { recursive: true });
}, 600_000);
afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  tmp?.cleanup();
});

interface PageCheck {
  errors: string[];
  brokenImages: string[];
  missingAlt: number;
  images: number;
  headings: number[];
  overflow: number;
  landmarks: string[];
  text: string;
}

/** Open a file:// page at a width and collect what a reader (and a screen reader) would hit. */
async function open(file: string, width: number, shot: string): Promise<PageCheck> {
  const page: Page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url().slice(0, 120)}`));
  await page.setViewport({ width, height: 900 });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const check = await page.evaluate(() => {
    const imgs = [...document.images];
    return {
      brokenImages: imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.alt),
      missingAlt: imgs.filter((i) => !i.alt.trim()).length,
      images: imgs.length,
      headings: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => Number(h.tagName[1])),
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      landmarks: [...document.querySelectorAll('main,nav,header,footer')].map((e) => e.tagName.toLowerCase()),
    };
  });
  await page.screenshot({ path: path.join(SHOTS, shot), fullPage: true });
  // What a reader sees (laid-out text, table cells apart), without code (run ids, commands) and quoted messages (verbatim comms).
  const text = await page.evaluate(() => {
    document.querySelectorAll('code,blockquote').forEach((e) => e.remove());
    return document.body.innerText;
  });
  await page.close();
  return { errors, ...check, text };
}

function headingsInOrder(levels: number[]): boolean {
  return levels[0] === 1 && levels.every((l, i) => i === 0 || l <= levels[i - 1] + 1);
}

describe.skipIf(!HAVE_CHROMIUM)('HTML report in headless Chromium', () => {
  it('quickstart --no-llm --engine rules classifies offline and prints the page to open', () => {
    expect(qs.exitCode, qs.stderr).toBe(0);
    for (const a of out.archetypes) expect(a.themes_status, a.archetype).toBe('ok');
    expect(out.html).toBe(path.join(tmp.dir, 'reports', 'index.html'));
    expect(existsSync(out.html)).toBe(true);
  });

  it('index and archetype pages load without errors, images load, no horizontal overflow, accessible structure', async () => {
    const pages = [{ file: out.html, name: 'index' }, ...out.archetypes.map((a) => ({ file: path.join(a.paths.report, 'report.html'), name: a.archetype }))];
    for (const p of pages) {
      for (const width of WIDTHS) {
        const c = await open(p.file, width, `${p.name}-${width}.png`);
        const where = `${p.name} at ${width}px`;
        expect(c.errors, where).toEqual([]);
        expect(c.brokenImages, where).toEqual([]);
        expect(c.missingAlt, where).toBe(0);
        expect(c.overflow, where).toBeLessThanOrEqual(0);
        expect(headingsInOrder(c.headings), `${where}: ${c.headings.join(',')}`).toBe(true);
        expect(c.landmarks, where).toContain('main');
        if (p.name !== 'index') {
          expect(c.images, where).toBe(6);
          expect(c.landmarks, where).toContain('nav');
        }
      }
    }
    for (const w of WIDTHS) expect(existsSync(path.join(SHOTS, `neobank-${w}.png`))).toBe(true);
  });

  it('every number on a page is a formatted value of exec_summary.json', async () => {
    for (const a of out.archetypes) {
      const summary = JSON.parse(readFileSync(path.join(a.paths.report, 'exec_summary.json'), 'utf8'));
      const c = await open(path.join(a.paths.report, 'report.html'), 1280, `${a.archetype}-numbers.png`);
      expect(c.text).toContain('Who is asking.');
      expect(unexplainedNumbers(c.text, summary), a.archetype).toEqual([]);
    }
  });

  it('a page is self-contained: copied alone into an empty folder (as when mailed), every image still loads', async () => {
    const alone = mkdtempSync(path.join(tmpdir(), 'dnr-mailed-'));
    try {
      const page = path.join(alone, 'report.html');
      copyFileSync(path.join(out.archetypes[0].paths.report, 'report.html'), page);
      const c = await open(page, 1280, 'mailed.png');
      expect(c.images).toBe(6);
      expect(c.brokenImages).toEqual([]);
      expect(c.errors).toEqual([]);
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  });
});
