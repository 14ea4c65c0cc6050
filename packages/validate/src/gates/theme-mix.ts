import { rangeRow, checkRow } from '../rows.js';
import type { GateFamily, GateRow } from '../types.js';
import { mixDeviation } from './comms-volumes.js';

const FAMILY = 'theme_mix';

/**
 * Oracle label mixes against config: theme shares of positive Slack/email threads and of NLQs
 * within ±theme_mix_tolerance_pp of comms.theme_mix[archetype]; relevance within ±mix_tolerance_pp.
 * Labels must cover exactly the comms items.
 */
export const themeMixGates: GateFamily = {
  name: FAMILY,
  needs: ['comms'],
  async run(ctx) {
    const rows: GateRow[] = [];
    const target = ctx.config.comms.theme_mix[ctx.archetype];
    const sources = [
      { source: 'slack', labels: 'labels_slack', id: 'thread_id', items: 'SELECT DISTINCT thread_id AS id FROM slack_messages', positiveOnly: true },
      { source: 'email', labels: 'labels_email', id: 'thread_id', items: 'SELECT DISTINCT thread_id AS id FROM email_messages', positiveOnly: true },
      { source: 'nlq', labels: 'labels_nlq', id: 'query_id', items: 'SELECT query_id AS id FROM nlq', positiveOnly: false },
    ];
    for (const s of sources) {
      if (!ctx.labels.has(s.labels)) {
        rows.push(checkRow(FAMILY, `${s.source}.labels`, false, 'missing', `${s.labels}.parquet in ${ctx.metaDir}`));
        continue;
      }
      const [cov] = await ctx.q<{ unlabelled: bigint; orphan: bigint }>(`
        SELECT (SELECT count(*) FROM (${s.items}) i WHERE i.id NOT IN (SELECT ${s.id} FROM ${s.labels})) AS unlabelled,
               (SELECT count(*) FROM ${s.labels} l WHERE l.${s.id} NOT IN (SELECT id FROM (${s.items}))) AS orphan`);
      rows.push(
        checkRow(FAMILY, `${s.source}.labels_match_items`, Number(cov.unlabelled) === 0 && Number(cov.orphan) === 0, `${cov.unlabelled} unlabelled, ${cov.orphan} labels without item`, '= 0 and 0'),
      );
      const themes = await ctx.q<{ k: string; n: bigint }>(
        `SELECT theme AS k, count(*) AS n FROM ${s.labels} ${s.positiveOnly ? "WHERE relevance = 'positive'" : ''} GROUP BY 1`,
      );
      const d = mixDeviation(new Map(themes.map((t) => [String(t.k), Number(t.n)])), target);
      rows.push(rangeRow(FAMILY, `${s.source}.themes`, d.maxPp, { max: ctx.config.validate.theme_mix_tolerance_pp }, { unit: 'pp', detail: `max deviation (${d.worst}): ${d.text}` }));
      if (s.positiveOnly) {
        const rel = await ctx.q<{ k: string; n: bigint }>(`SELECT relevance AS k, count(*) AS n FROM ${s.labels} GROUP BY 1`);
        const r = mixDeviation(new Map(rel.map((t) => [String(t.k), Number(t.n)])), ctx.config.comms.relevance_mix);
        rows.push(rangeRow(FAMILY, `${s.source}.relevance`, r.maxPp, { max: ctx.config.validate.mix_tolerance_pp }, { unit: 'pp', detail: `max deviation (${r.worst}): ${r.text}` }));
        const [bad] = await ctx.q<{ n: bigint }>(`SELECT count(*) AS n FROM ${s.labels} WHERE (relevance = 'positive') <> (theme IS NOT NULL)`);
        rows.push(checkRow(FAMILY, `${s.source}.theme_iff_positive`, Number(bad.n) === 0, Number(bad.n), '= 0 labels with a theme but not positive, or positive without a theme'));
      }
    }
    return rows;
  },
};
