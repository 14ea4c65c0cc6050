import { commsVolumes, sqlIdent } from '@dnr/core';
import { COMMS_SCHEMAS } from '@dnr/comms';
import { COMMS_FILES } from '../context.js';
import { checkRow, rangeRow } from '../rows.js';
import type { GateFamily, GateRow, ValidateContext } from '../types.js';

const FAMILY = 'comms';

/** The planned volume: gen-comms records it in manifest.json counts (flags override config there); else config. */
export function commsTarget(ctx: ValidateContext, key: 'slack_threads' | 'email_threads' | 'nlq'): { target: number; from: string } {
  const counts = (ctx.comms?.manifest as { counts?: Record<string, unknown> } | undefined)?.counts;
  const v = counts?.[key === 'email_threads' ? 'email_messages' : key];
  if (typeof v === 'number') return { target: v, from: 'comms manifest.json' };
  return { target: commsVolumes(ctx.config.comms, ctx.config.warehouse.scale)[key], from: `config comms volumes (${ctx.config.warehouse.scale})` };
}

/** Largest |observed − target| share, in percentage points, over the keys of a mix. */
export function mixDeviation(observed: Map<string, number>, target: Record<string, number>): { maxPp: number; worst: string; text: string } {
  const total = [...observed.values()].reduce((a, b) => a + b, 0);
  const wsum = Object.values(target).reduce((a, b) => a + b, 0);
  let maxPp = 0;
  let worst = 'none';
  const parts: string[] = [];
  for (const [k, w] of Object.entries(target)) {
    const share = total > 0 ? (observed.get(k) ?? 0) / total : 0;
    const dev = Math.abs(share - w / wsum) * 100;
    parts.push(`${k} ${(share * 100).toFixed(1)}% (target ${((100 * w) / wsum).toFixed(1)}%)`);
    if (dev > maxPp) {
      maxPp = dev;
      worst = k;
    }
  }
  const unexpected = [...observed.keys()].filter((k) => !(k in target));
  if (unexpected.length) {
    maxPp = Math.max(maxPp, 100);
    worst = `unexpected ${unexpected.join(', ')}`;
  }
  return { maxPp, worst, text: parts.join(', ') };
}

async function counts(ctx: ValidateContext, sql: string): Promise<Map<string, number>> {
  const rows = await ctx.q<{ k: string; n: bigint }>(sql);
  return new Map(rows.map((r) => [String(r.k), Number(r.n)]));
}

/** Comms files and columns, volumes, thread sizes, window, bucket and role mix (docs/comms.md). */
export const commsVolumeGates: GateFamily = {
  name: FAMILY,
  needs: ['comms'],
  async run(ctx) {
    const c = ctx.config.comms;
    const v = ctx.config.validate;
    const rows: GateRow[] = [];
    const files = ctx.comms!.files;
    for (const file of COMMS_FILES) {
      const spec = COMMS_SCHEMAS[file];
      const want = Object.entries(spec).map(([c, t]) => `${c} ${t}`).join(', ');
      if (!files[file]) {
        rows.push(checkRow(FAMILY, `${file}.schema`, false, 'missing', `${file}.parquet with ${want}`, `no ${file}.parquet in ${ctx.comms!.dir}`));
        continue;
      }
      const have = new Map((await ctx.q<{ column_name: string; column_type: string }>(`DESCRIBE ${sqlIdent(file)}`)).map((r) => [r.column_name, r.column_type]));
      const problems = Object.entries(spec).flatMap(([c, t]) => (!have.has(c) ? [`missing column ${c}`] : have.get(c) !== t ? [`${c} is ${have.get(c)}, expected ${t}`] : []));
      rows.push(checkRow(FAMILY, `${file}.schema`, problems.length === 0, problems.length ? problems.join('; ') : 'ok', `columns and types: ${want}`));
    }
    if (rows.some((r) => r.verdict === 'fail')) return rows;

    const tol = v.comms_volume_tolerance_pct / 100;
    const volume = async (gate: string, sql: string, { target, from }: { target: number; from: string }) => {
      const [{ n }] = await ctx.q<{ n: bigint }>(sql);
      rows.push(rangeRow(FAMILY, gate, Number(n), { min: Math.floor(target * (1 - tol)), max: Math.ceil(target * (1 + tol)) }, { detail: `target ${target} (${from})` }));
    };
    await volume('slack_threads', 'SELECT count(DISTINCT thread_id) AS n FROM slack_messages', commsTarget(ctx, 'slack_threads'));
    await volume('email_threads', 'SELECT count(DISTINCT thread_id) AS n FROM email_messages', commsTarget(ctx, 'email_threads'));
    await volume('nlq', 'SELECT count(*) AS n FROM nlq', commsTarget(ctx, 'nlq'));

    const [sizes] = await ctx.q<{ lo: bigint | null; hi: bigint | null }>('SELECT min(n) AS lo, max(n) AS hi FROM (SELECT thread_id, count(*) AS n FROM slack_messages GROUP BY 1)');
    rows.push(
      checkRow(
        FAMILY,
        'slack_messages_per_thread',
        Number(sizes.lo) >= c.slack_messages_min && Number(sizes.hi) <= c.slack_messages_max,
        `${sizes.lo}–${sizes.hi}`,
        `[${c.slack_messages_min}, ${c.slack_messages_max}]`,
      ),
    );

    const end = ctx.manifest.end_date;
    const [w] = await ctx.q<{ lo: string | null; hi: string | null; outside: bigint }>(`
      WITH ts AS (SELECT ts FROM slack_messages UNION ALL SELECT ts FROM email_messages UNION ALL SELECT ts FROM nlq)
      SELECT min(local_ts(ts))::DATE::VARCHAR AS lo, max(local_ts(ts))::DATE::VARCHAR AS hi,
             count(*) FILTER (WHERE local_ts(ts)::DATE <= DATE '${end}' - INTERVAL ${c.window_months} MONTH OR local_ts(ts)::DATE > DATE '${end}') AS outside
      FROM ts`);
    rows.push(checkRow(FAMILY, 'window', Number(w.outside) === 0, `${w.lo} … ${w.hi}`, `last ${c.window_months} months up to ${end}`, Number(w.outside) ? `${w.outside} items outside` : undefined));

    const tolPp = v.mix_tolerance_pp;
    const mixRow = (gate: string, observed: Map<string, number>, target: Record<string, number>) => {
      const d = mixDeviation(observed, target);
      rows.push(rangeRow(FAMILY, gate, d.maxPp, { max: tolPp }, { unit: 'pp', detail: `max deviation (${d.worst}): ${d.text}` }));
    };
    mixRow('bucket_mix.slack', await counts(ctx, 'SELECT channel_cat AS k, count(DISTINCT thread_id) AS n FROM slack_messages GROUP BY 1'), c.bucket_mix);
    mixRow('bucket_mix.email', await counts(ctx, 'SELECT list_cat AS k, count(DISTINCT thread_id) AS n FROM email_messages GROUP BY 1'), c.bucket_mix);
    mixRow('role_mix', await counts(ctx, 'SELECT role AS k, count(*) AS n FROM comms_users GROUP BY 1'), c.role_weights);
    return rows;
  },
};
