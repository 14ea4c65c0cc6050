import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMS_SCHEMAS, DEFECT_THEME_MAP, localToUtcMs } from '../packages/comms/dist/index.js';
import { countTokens, queryRows, withDuckDB } from '../packages/core/dist/index.js';
import { runDnr, tempDir } from './helpers/cli.js';

type Arch = 'neobank' | 'marketplace';
const PREFIX: Record<Arch, string> = { neobank: 'nb', marketplace: 'mk' };
const ALL_THEMES = [
  'metric_definition_mismatch',
  'join_keys_orphans',
  'freshness_ingest_lag',
  'duplicates_dedup',
  'access_permissions_pii',
  'new_field_schema_request',
  'revenue_coverage_mapping',
  'attribution_funnel_gaps',
];
// Defaults of comms.theme_mix / relevance_mix / role_weights / bucket_mix (configs/default.yaml).
const THEME_MIX: Record<Arch, number[]> = {
  neobank: [0.16, 0.14, 0.16, 0.12, 0.1, 0.1, 0.14, 0.08],
  marketplace: [0.14, 0.14, 0.14, 0.12, 0.08, 0.1, 0.14, 0.14],
};
const ROLE_WEIGHTS: Record<string, number> = { exec: 3, data_eng: 12, analytics_eng: 8, bi: 7, product_analytics: 5, eng_platform: 10, pm: 10, finance: 5, other: 40 };
const ALLOWED = ['dbt.example', 'looker.example', 'jira.example', 'github.example', 'docs.example', 'wiki.example', 'status.example'];

/** A docs/warehouse.md defects manifest with dated events (spikes, a 3-day schema gap, a lag incident) and undated background rates. */
function defectsFixture(archetype: Arch) {
  const fact = archetype === 'neobank' ? 'fact_card_transaction' : 'fact_order';
  const key = archetype === 'neobank' ? 'merchant_id' : 'buyer_id';
  const gap = archetype === 'neobank' ? 'interchange_bps' : 'shipping_cents';
  const d = (kind: string, column: string, days: string[]) => ({ kind, table: fact, column, target_rate: 0.02, rows_affected: 100, rows_total: 5000, days, params: {} });
  return {
    archetype,
    quality: 'typical',
    seed: 42,
    defects: [
      d('key_null', key, []),
      d('fk_missing', key, []),
      d('duplicate', 'order_id', []),
      d('null_spike', key, ['2025-08-14']),
      d('null_spike', key, ['2025-11-03']),
      d('null_spike', key, ['2026-02-17']),
      d('null_spike', key, ['2026-05-06']),
      d('schema_gap', gap, ['2026-03-10', '2026-03-11', '2026-03-12']),
      d('ingest_lag', 'loaded_at', ['2026-01-21']),
      // before the 12-month comms window: must be ignored
      d('null_spike', key, ['2025-03-02']),
    ],
  };
}

function writeFixture(dir: string, archetype: Arch) {
  mkdirSync(path.join(dir, 'meta', archetype), { recursive: true });
  writeFileSync(path.join(dir, 'meta', archetype, 'defects.json'), JSON.stringify(defectsFixture(archetype)));
}

async function rows<T>(sql: string): Promise<T[]> {
  return withDuckDB({ timeZone: 'UTC' }, (c) => queryRows<T>(c, sql));
}

const DATA_WORDS = /\b(join|joins|joined|duplicate|access|pipeline|backfill|stale|fresh|lag|laggy|lagging|table|schema|field|metric|refresh|attribution|revenue|funnel|dashboard|key|map|load)\b/i;
const STRONG_DATA = /\b(fact_\w+|dim_\w+|loaded_at|dedupe|orphan|etl|dbt|sql|null|foreign key|ingest)\b/i;
const DATA_PROBLEM = /\b(definitions?|calc|mapping|mapped|lookup|tracking|conversion|utm|source of truth|permission|pii|masked|dupes|double count\w*|coverage|reconcil\w*|numbers)\b/i;

describe.each(['neobank', 'marketplace'] as const)('dnr gen-comms --archetype %s (template engine, default volumes)', (archetype) => {
  let tmp: ReturnType<typeof tempDir>;
  let result: Record<string, unknown> & { events: { total: number }; nlq_parse: { rate: number } };
  let out: string;
  let meta: string;
  const p = PREFIX[archetype];

  beforeAll(async () => {
    tmp = tempDir('dnr-comms-');
    writeFixture(tmp.dir, archetype);
    const r = await runDnr(['gen-comms', '--archetype', archetype, '--json', '--nlq-parse-only'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    result = JSON.parse(r.stdout);
    out = path.join(tmp.dir, 'comms', archetype);
    meta = path.join(tmp.dir, 'meta', archetype);
  });
  afterAll(() => tmp.cleanup());

  const file = (name: string) => `'${path.join(name.startsWith('labels') ? meta : out, `${name}.parquet`)}'`;

  it('writes the four files and three label files with exactly the docs/comms.md schemas', async () => {
    for (const [name, schema] of Object.entries(COMMS_SCHEMAS)) {
      const cols = await rows<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${file(name)}`);
      expect(Object.fromEntries(cols.map((c) => [c.column_name, c.column_type])), name).toEqual(schema);
    }
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.archetype).toBe(archetype);
    expect(manifest.counts).toEqual(result.counts);
  });

  it('has the default volumes: 3,000 threads of 4–8 messages, 800 e-mails, 1,000 NLQs, one label each', async () => {
    const [t] = await rows<{ threads: bigint; min_n: bigint; max_n: bigint; msgs: bigint; bad_reply: bigint }>(`
      WITH t AS (SELECT thread_id, count(*) AS n, count(*) FILTER (WHERE reply_to IS NULL) AS roots,
                        max(reply_count) AS rc FROM ${file('slack_messages')} GROUP BY 1)
      SELECT count(*) AS threads, min(n) AS min_n, max(n) AS max_n, sum(n) AS msgs,
             count(*) FILTER (WHERE roots <> 1 OR rc <> n - 1) AS bad_reply FROM t`);
    expect(Number(t.threads)).toBe(3000);
    expect(Number(t.min_n)).toBe(4);
    expect(Number(t.max_n)).toBe(8);
    expect(Number(t.bad_reply)).toBe(0);
    // replies point at their thread's root
    const [orphanReplies] = await rows<{ n: bigint }>(
      `SELECT count(*) AS n FROM ${file('slack_messages')} r LEFT JOIN ${file('slack_messages')} root ON r.reply_to = root.message_id AND root.thread_id = r.thread_id WHERE r.reply_to IS NOT NULL AND root.message_id IS NULL`,
    );
    expect(Number(orphanReplies.n)).toBe(0);
    const counts = await rows<{ f: string; n: bigint; u: bigint; pre: bigint }>(`
      SELECT 'email' AS f, count(*) AS n, count(DISTINCT thread_id) AS u, count(*) FILTER (WHERE thread_id LIKE '${p}-%') AS pre FROM ${file('email_messages')}
      UNION ALL SELECT 'nlq', count(*), count(DISTINCT query_id), count(*) FILTER (WHERE query_id LIKE '${p}-q%') FROM ${file('nlq')}
      UNION ALL SELECT 'labels_slack', count(*), count(DISTINCT thread_id), count(*) FILTER (WHERE thread_id LIKE '${p}-t%') FROM ${file('labels_slack')}
      UNION ALL SELECT 'labels_email', count(*), count(DISTINCT thread_id), count(*) FILTER (WHERE thread_id LIKE '${p}-e%') FROM ${file('labels_email')}
      UNION ALL SELECT 'labels_nlq', count(*), count(DISTINCT query_id), count(*) FILTER (WHERE query_id LIKE '${p}-q%') FROM ${file('labels_nlq')}
      UNION ALL SELECT 'slack_ids', count(*), count(DISTINCT message_id), count(*) FILTER (WHERE message_id LIKE '${p}-m%' AND user_id LIKE '${p}-u%') FROM ${file('slack_messages')}`);
    const want: Record<string, number> = { email: 800, nlq: 1000, labels_slack: 3000, labels_email: 800, labels_nlq: 1000, slack_ids: Number(t.msgs) };
    for (const c of counts) {
      expect([c.f, Number(c.n), Number(c.u), Number(c.pre)]).toEqual([c.f, want[c.f], want[c.f], want[c.f]]);
    }
    // every corpus thread has a label and vice versa
    const [unmatched] = await rows<{ n: bigint }>(
      `SELECT count(*) AS n FROM (SELECT DISTINCT thread_id FROM ${file('slack_messages')}) s FULL JOIN ${file('labels_slack')} l USING (thread_id) WHERE s.thread_id IS NULL OR l.thread_id IS NULL`,
    );
    expect(Number(unmatched.n)).toBe(0);
  });

  it('holds the token caps under the gpt-4o-mini encoding (o200k_base)', async () => {
    const slack = await rows<{ text: string }>(`SELECT text FROM ${file('slack_messages')}`);
    const email = await rows<{ body_text: string }>(`SELECT body_text FROM ${file('email_messages')}`);
    const nlq = await rows<{ query_text: string }>(`SELECT query_text FROM ${file('nlq')}`);
    const max = (xs: string[]) => xs.reduce((m, x) => Math.max(m, countTokens(x, 'gpt-4o-mini')), 0);
    const m = { slack: max(slack.map((r) => r.text)), email: max(email.map((r) => r.body_text)), nlq: max(nlq.map((r) => r.query_text)) };
    expect(m.slack).toBeLessThanOrEqual(80);
    expect(m.email).toBeLessThanOrEqual(180);
    expect(m.nlq).toBeLessThanOrEqual(30);
    expect(result.max_tokens).toEqual(m);
    expect(slack.every((r) => r.text.trim().length > 0)).toBe(true);
  });

  it('contains no e-mail addresses, phone numbers or links outside the allowlist; link flags match the text', async () => {
    const msgs = await rows<{ text: string; has_link: boolean; link_domains: string[]; has_code: boolean }>(
      `SELECT text, has_link, link_domains, has_code FROM ${file('slack_messages')}
       UNION ALL SELECT subject || ' ' || body_text, has_link, link_domains, has_code FROM ${file('email_messages')}
       UNION ALL SELECT query_text, false, []::VARCHAR[], false FROM ${file('nlq')}`,
    );
    let links = 0;
    for (const m of msgs) {
      expect(m.text).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/);
      expect(m.text).not.toMatch(/(\+\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/);
      const hosts = [...m.text.matchAll(/https?:\/\/([^/\s`]+)/g)].map((x) => x[1]);
      for (const h of hosts) expect(ALLOWED).toContain(h);
      expect(m.text).not.toMatch(/\bwww\.|\.(com|org|net|io)\b/);
      expect(m.has_link).toBe(hosts.length > 0);
      expect([...m.link_domains].sort()).toEqual([...new Set(hosts)].sort());
      links += hosts.length;
    }
    expect(links).toBeGreaterThan(100);
    expect(msgs.filter((m) => m.has_code).length).toBeGreaterThan(50);
  });

  it('matches the configured relevance, theme, role and bucket mixes (±8 pp; every theme and hard negatives present)', async () => {
    for (const source of ['slack', 'email'] as const) {
      const rel = await rows<{ relevance: string; n: bigint }>(`SELECT relevance, count(*) AS n FROM ${file(`labels_${source}`)} GROUP BY 1`);
      const total = rel.reduce((a, r) => a + Number(r.n), 0);
      const share = Object.fromEntries(rel.map((r) => [r.relevance, Number(r.n) / total]));
      expect(Math.abs(share.positive - 0.45)).toBeLessThan(0.08);
      expect(Math.abs(share.hard_negative - 0.2)).toBeLessThan(0.08);
      expect(Math.abs(share.negative - 0.35)).toBeLessThan(0.08);
      const [bad] = await rows<{ n: bigint }>(`SELECT count(*) AS n FROM ${file(`labels_${source}`)} WHERE (relevance = 'positive') <> (theme IS NOT NULL)`);
      expect(Number(bad.n)).toBe(0);
    }
    for (const [source, where] of [
      ['slack', `FROM ${file('labels_slack')} WHERE relevance = 'positive'`],
      ['email', `FROM ${file('labels_email')} WHERE relevance = 'positive'`],
      ['nlq', `FROM ${file('labels_nlq')}`],
    ] as const) {
      const th = await rows<{ theme: string; share: number }>(`SELECT theme, count(*) / sum(count(*)) OVER () AS share ${where} GROUP BY 1`);
      expect(th.map((t) => t.theme).sort(), source).toEqual([...ALL_THEMES].sort());
      for (const t of th) expect(Math.abs(t.share - THEME_MIX[archetype][ALL_THEMES.indexOf(t.theme)]), `${source} ${t.theme}`).toBeLessThan(0.08);
    }
    const roles = await rows<{ role: string; share: number }>(`SELECT role, count(*) / sum(count(*)) OVER () AS share FROM ${file('comms_users')} WHERE source = 'slack' GROUP BY 1`);
    for (const r of roles) expect(Math.abs(r.share - ROLE_WEIGHTS[r.role] / 100), r.role).toBeLessThan(0.01);
    expect(roles.length).toBe(9);
    const buckets = await rows<{ channel_cat: string; share: number }>(
      `SELECT channel_cat, count(*) / sum(count(*)) OVER () AS share FROM ${file('slack_messages')} WHERE reply_to IS NULL GROUP BY 1`,
    );
    const want: Record<string, number> = { platform: 0.35, analytics: 0.4, domain: 0.25 };
    for (const b of buckets) expect(Math.abs(b.share - want[b.channel_cat])).toBeLessThan(0.02);
    const lists = await rows<{ list_cat: string }>(`SELECT DISTINCT list_cat FROM ${file('email_messages')}`);
    expect(lists.map((l) => l.list_cat).sort()).toEqual(['analytics', 'domain', 'platform']);
  });

  it('keeps every timestamp inside the last 12 months of the warehouse window (UTC)', async () => {
    const [r] = await rows<{ lo: Date; hi: Date }>(
      `SELECT min(ts) AS lo, max(ts) AS hi FROM (SELECT ts FROM ${file('slack_messages')} WHERE reply_to IS NULL UNION ALL SELECT ts FROM ${file('email_messages')} UNION ALL SELECT ts FROM ${file('nlq')})`,
    );
    // 2025-07-01 00:00 local (PDT, UTC-7) .. 2026-07-01 00:00 local
    expect(r.lo.getTime()).toBeGreaterThanOrEqual(Date.parse('2025-07-01T07:00:00Z'));
    expect(r.hi.getTime()).toBeLessThan(Date.parse('2026-07-01T07:00:00Z'));
  });

  it('clusters threads of the matching theme within ±24 h of each injected defect event', async () => {
    const threads = await rows<{ ts: Date; theme: string | null }>(
      `SELECT s.ts, l.theme FROM ${file('slack_messages')} s JOIN ${file('labels_slack')} l USING (thread_id) WHERE s.reply_to IS NULL`,
    );
    const fixture = defectsFixture(archetype).defects.filter((d) => d.days.length > 0 && d.days.every((day) => day >= '2025-07-01'));
    expect(result.events.total).toBe(fixture.reduce((a, d) => a + d.days.length, 0));
    const themeOf = (kind: string) => DEFECT_THEME_MAP[kind as keyof typeof DEFECT_THEME_MAP];
    for (const d of fixture) {
      const theme = themeOf(d.kind);
      const all = threads.filter((t) => t.theme === theme);
      for (const day of d.days) {
        // ±24 h around the local day: [day 00:00 − 24 h, day 24:00 + 24 h)
        const start = localToUtcMs(Date.parse(`${day}T00:00:00Z`), 'America/Los_Angeles') - 86_400_000;
        const end = start + 3 * 86_400_000;
        const near = all.filter((t) => t.ts.getTime() >= start && t.ts.getTime() < end).length;
        const baseline = (all.length * 3) / 365;
        expect(near, `${d.kind} ${day}: ${near} ${theme} threads vs baseline ${baseline.toFixed(2)}`).toBeGreaterThanOrEqual(2.5 * baseline);
      }
    }
    expect(Object.values(DEFECT_THEME_MAP)).toContain('join_keys_orphans');
  });

  it('generates NLQ SQL over the real tables that DuckDB parses and binds (100%)', async () => {
    expect(result.nlq_parse.rate).toBe(1);
    const sql = await rows<{ generated_sql: string }>(`SELECT generated_sql FROM ${file('nlq')}`);
    const tables = new Set(sql.flatMap((r) => [...r.generated_sql.matchAll(/\b(?:FROM|JOIN)\s+(\w+)/gi)].map((m) => m[1])));
    const expected = archetype === 'neobank' ? ['fact_card_transaction', 'fact_subscription_invoice', 'dim_customer', 'dim_merchant'] : ['fact_order', 'fact_order_item', 'fact_payment', 'dim_buyer'];
    for (const t of expected) expect(tables).toContain(t);
  });

  it('reads like many people wrote it: varied n-grams, few duplicate messages, distinct roots', async () => {
    const msgs = await rows<{ text: string; root: boolean }>(`SELECT text, reply_to IS NULL AS root FROM ${file('slack_messages')}`);
    const counts = new Map<string, number>();
    for (const m of msgs) counts.set(m.text, (counts.get(m.text) ?? 0) + 1);
    const dupShare = msgs.filter((m) => (counts.get(m.text) ?? 0) > 1).length / msgs.length;
    const trigrams = new Set<string>();
    let total = 0;
    for (const m of msgs) {
      const w = m.text.toLowerCase().split(/\s+/);
      for (let i = 0; i + 2 < w.length; i++, total++) trigrams.add(`${w[i]} ${w[i + 1]} ${w[i + 2]}`);
    }
    const roots = msgs.filter((m) => m.root).map((m) => m.text);
    expect(dupShare).toBeLessThan(0.12);
    expect(trigrams.size / total).toBeGreaterThan(0.22);
    expect(new Set(roots).size / roots.length).toBeGreaterThan(0.9);
    const emails = await rows<{ body_text: string }>(`SELECT body_text FROM ${file('email_messages')}`);
    expect(new Set(emails.map((e) => e.body_text)).size / emails.length).toBeGreaterThan(0.97);
    const nlq = await rows<{ query_text: string }>(`SELECT query_text FROM ${file('nlq')}`);
    expect(new Set(nlq.map((q) => q.query_text)).size / nlq.length).toBeGreaterThan(0.75);
    // registers: lower-case terse writers, abbreviations, typos somewhere in the corpus
    const all = msgs.map((m) => m.text).join('\n');
    for (const marker of [/\b(pls|thx|ty|rn|tbh|fyi|w\/)\b/, /^[a-z]/m, /not sure if this is the right channel/, /^(Team|Why|Which|I need|I'm told)/m]) expect(all).toMatch(marker);
  });

  it('hard negatives use data words in an everyday sense; plain negatives avoid data vocabulary', async () => {
    const threads = await rows<{ relevance: string; text: string }>(
      `SELECT l.relevance, string_agg(s.text, ' ' ORDER BY s.message_id) AS text FROM ${file('slack_messages')} s JOIN ${file('labels_slack')} l USING (thread_id) GROUP BY l.thread_id, l.relevance`,
    );
    const hn = threads.filter((t) => t.relevance === 'hard_negative');
    const neg = threads.filter((t) => t.relevance === 'negative');
    const pos = threads.filter((t) => t.relevance === 'positive');
    expect(hn.filter((t) => DATA_WORDS.test(t.text)).length / hn.length).toBeGreaterThan(0.8);
    expect(hn.filter((t) => STRONG_DATA.test(t.text)).length / hn.length).toBeLessThan(0.05);
    expect(neg.filter((t) => STRONG_DATA.test(t.text)).length / neg.length).toBeLessThan(0.05);
    expect(pos.filter((t) => STRONG_DATA.test(t.text) || DATA_WORDS.test(t.text) || DATA_PROBLEM.test(t.text)).length / pos.length).toBeGreaterThan(0.99);
    for (const phrase of [/join the (call|zoom|meet|standup)/i, /duplicate (invite|calendar invite|meeting invite)/i, /office access badge/i]) {
      expect(hn.some((t) => phrase.test(t.text))).toBe(true);
    }
  });
});

describe('dnr gen-comms determinism and bad input', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir('dnr-comms-det-');
    writeFixture(tmp.dir, 'neobank');
  });
  afterAll(() => tmp.cleanup());
  const small = ['--slack', '200', '--email', '60', '--nlq', '80'];

  it('same seed ⇒ identical corpora and labels; another seed ⇒ different ones', async () => {
    const run = async (name: string, seed: string) => {
      const r = await runDnr(['gen-comms', '--archetype', 'neobank', ...small, '--seed', seed, '--out', name, '--json'], { cwd: tmp.dir });
      expect(r.exitCode).toBe(0);
      return JSON.parse(r.stdout).files as Record<string, { rows: number; checksum: string }>;
    };
    const a = await run('a', '7');
    const b = await run('b', '7');
    expect(b).toEqual(a);
    // the labels travel with their corpus, inside its folder
    for (const f of ['slack_messages', 'email_messages', 'nlq', 'comms_users', 'labels_slack', 'labels_email', 'labels_nlq']) {
      expect(readFileSync(path.join(tmp.dir, 'b', `${f}.parquet`)).equals(readFileSync(path.join(tmp.dir, 'a', `${f}.parquet`))), f).toBe(true);
    }
    const c = await run('c', '8');
    for (const f of ['slack_messages', 'email_messages', 'nlq', 'labels_slack']) expect(c[f].checksum, f).not.toBe(a[f].checksum);
    expect(c.slack_messages.rows).not.toBe(0);
  });

  it('a missing defects manifest is a clear input error (exit 2); sample_policy uniform runs without one', async () => {
    const r = await runDnr(['gen-comms', '--archetype', 'marketplace', ...small], { cwd: tmp.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(path.join(tmp.dir, 'meta', 'marketplace', 'defects.json'));
    expect(r.stderr).toMatch(/gen-warehouse|sample_policy/);
    const u = await runDnr(['gen-comms', '--archetype', 'marketplace', ...small, '--json'], { cwd: tmp.dir, env: { DNR_COMMS__SAMPLE_POLICY: 'uniform' } });
    expect(u.exitCode).toBe(0);
    expect(JSON.parse(u.stdout).events).toMatchObject({ total: 0, slack_clustered: 0, policy: 'uniform' });
  });

  it('a malformed defects manifest names the file and the field', async () => {
    mkdirSync(path.join(tmp.dir, 'bad'), { recursive: true });
    writeFileSync(path.join(tmp.dir, 'bad', 'defects.json'), JSON.stringify({
        archetype: 'neobank',
        quality: 'typical',
        seed: 42,
        defects: [{ kind: 'gremlins', table: 't', column: null, target_rate: 0.1, rows_affected: 1, rows_total: 10, days: [], params: {} }],
      }));
    const r = await runDnr(['gen-comms', '--archetype', 'neobank', ...small, '--meta', 'bad'], { cwd: tmp.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/defects\.json.*defects\.0\.kind/);
  });

  it('unknown engine, unknown archetype and a negative count are usage errors (exit 2)', async () => {
    for (const args of [['--engine', 'gpt'], ['--archetype', 'bank'], ['--slack', '-5']]) {
      const base = ['gen-comms', '--archetype', 'neobank', ...small];
      const r = await runDnr([...base, ...args], { cwd: tmp.dir });
      expect(r.exitCode, args.join(' ')).toBe(2);
    }
  });

  it('--out that is a file is an input error naming the flag; earlier corpora and the meta mirror stay as they were', async () => {
    const ok = await runDnr(['gen-comms', '--archetype', 'neobank', ...small, '--seed', '11', '--out', 'good'], { cwd: tmp.dir });
    expect(ok.exitCode).toBe(0);
    const labels = path.join(tmp.dir, 'good', 'labels_slack.parquet');
    const before = readFileSync(labels);
    // a corpus outside the default layout never touches meta/
    expect(readdirSync(path.join(tmp.dir, 'meta', 'neobank'))).toEqual(['defects.json']);
    const entries = readdirSync(tmp.dir).sort();
    writeFileSync(path.join(tmp.dir, 'blocker'), 'x');
    for (const out of ['blocker/comms', 'blocker']) {
      const r = await runDnr(['gen-comms', '--archetype', 'neobank', ...small, '--seed', '12', '--out', out], { cwd: tmp.dir });
      expect(r.exitCode, out).toBe(2);
      expect(r.stderr).toMatch(out === 'blocker' ? /--out blocker is an existing file, not a folder/ : /--out blocker\/comms: a part of that path is a file/);
    }
    expect(readFileSync(path.join(tmp.dir, 'blocker'), 'utf8')).toBe('x');
    expect(readFileSync(labels).equals(before)).toBe(true);
    expect(readdirSync(tmp.dir).sort()).toEqual([...entries, 'blocker'].sort());
  });

  it('--out that would swallow the ground truth or the warehouse is refused (exit 2) and deletes nothing', async () => {
    const defects = path.join(tmp.dir, 'meta', 'neobank', 'defects.json');
    for (const out of ['meta/neobank', 'meta']) {
      const r = await runDnr(['gen-comms', '--archetype', 'neobank', ...small, '--out', out], { cwd: tmp.dir });
      expect(r.exitCode, out).toBe(2);
      // meta/{arch} is a shared ground-truth mirror: never replaced, and no --out may hold it
      expect(r.stderr).toMatch(out === 'meta' ? /--out meta holds (neobank|marketplace)\/, a folder dnr shares with you/ : /--out meta\/neobank is a folder dnr shares with you .* dnr never replaces it/);
      expect(readFileSync(defects, 'utf8')).toContain('"defects"');
    }
    const m = await runDnr(['gen-comms', '--archetype', 'neobank', ...small, '--out', 'meta/neobank/comms', '--meta', 'meta/neobank'], { cwd: tmp.dir });
    expect(m.exitCode).toBe(2);
    expect(m.stderr).toMatch(/--out meta\/neobank\/comms lies inside the output --meta meta\/neobank/);
    const w = await runDnr(['gen-comms', '--archetype', 'neobank', ...small, '--out', 'data'], { cwd: tmp.dir });
    expect(w.exitCode).toBe(2);
    expect(w.stderr).toMatch(/--out data contains the input --warehouse/);
  });

  it('an unwritable --meta is an input error naming the flag', async () => {
    writeFileSync(path.join(tmp.dir, 'metafile'), 'x');
    const r = await runDnr(['gen-comms', '--archetype', 'neobank', ...small, '--meta', 'metafile'], { cwd: tmp.dir, env: { DNR_COMMS__SAMPLE_POLICY: 'uniform' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--meta metafile is an existing file, not a folder/);
    expect(readFileSync(path.join(tmp.dir, 'metafile'), 'utf8')).toBe('x');
  });

  it('--nlq-execute without a warehouse is a clear input error', async () => {
    const r = await runDnr(['gen-comms', '--archetype', 'neobank', ...small, '--nlq-execute', '--warehouse', 'nowhere'], { cwd: tmp.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--warehouse .*nowhere does not exist/);
  });
});
