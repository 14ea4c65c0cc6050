import { countTokens } from '@dnr/core';
import { rangeRow, skipRow } from '../rows.js';
import type { GateFamily, GateRow, ValidateContext } from '../types.js';

const FAMILY = 'nlq_tokens';

async function tokenRow(ctx: ValidateContext, gate: string, sql: string, cap: number): Promise<GateRow> {
  const texts = await ctx.q<{ t: string | null }>(sql);
  let max = 0;
  let over = 0;
  for (const { t } of texts) {
    const n = countTokens(t ?? '', ctx.config.classification.model);
    if (n > max) max = n;
    if (n > cap) over++;
  }
  return rangeRow(FAMILY, gate, max, { max: cap }, { unit: 'tokens', detail: `${over} of ${texts.length} over the cap (${ctx.config.classification.model} encoding)` });
}

/** Token caps (NLQ ≤ 30, Slack message ≤ 80, email ≤ 180) and the share of NLQ SQL that DuckDB parses. */
export const nlqGates: GateFamily = {
  name: FAMILY,
  needs: ['comms'],
  async run(ctx) {
    const c = ctx.config.comms;
    const files = ctx.comms!.files;
    const rows: GateRow[] = [];
    if (!files.nlq && !files.slack_messages && !files.email_messages) return [skipRow(FAMILY, 'all', `no comms Parquet in ${ctx.comms!.dir} (see the comms gates)`)];
    if (files.nlq) rows.push(await tokenRow(ctx, 'nlq.max_tokens', 'SELECT query_text AS t FROM nlq', c.nlq_max_tokens));
    if (files.slack_messages) rows.push(await tokenRow(ctx, 'slack.max_tokens', 'SELECT text AS t FROM slack_messages', c.slack_max_tokens));
    if (files.email_messages) rows.push(await tokenRow(ctx, 'email.max_tokens', 'SELECT body_text AS t FROM email_messages', c.email_max_tokens));
    if (files.nlq) {
      // json_serialize_sql parses without binding, so the SQL need not run against this warehouse.
      const [p] = await ctx.q<{ rate: number | null; n: bigint }>(
        `SELECT avg(CASE WHEN json_serialize_sql(generated_sql)::JSON->>'error' = 'false' THEN 1 ELSE 0 END) AS rate, count(*) AS n FROM nlq WHERE generated_sql IS NOT NULL`,
      );
      rows.push(rangeRow(FAMILY, 'nlq.sql_parse_rate', p.rate, { min: ctx.config.validate.nlq_sql_parse_rate_min }, { detail: `${p.n} generated_sql parsed with DuckDB` }));
    }
    return rows;
  },
};
