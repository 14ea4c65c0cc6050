import { MCCS, SECTORS } from '@dnr/generate';
import { neobankTxnSql, num, round } from '../sql.js';
import type { ProfileSource } from '../source.js';

/** Observed behaviour of one segment over the window (declared values from behaviour.json alongside). */
export interface SegmentRow {
  segment: string;
  customers: number;
  /** customers ÷ all customers with a segment. */
  share: number;
  declared_share: number | null;
  /** Approved transactions per customer-month in which the customer made ≥ 1 approved transaction. */
  frequency: number | null;
  /** Median approved amount, USD. */
  median_ticket_usd: number | null;
  /** Share of approved transactions per sector (MCC → sector). */
  sector_mix: Record<string, number>;
  /** Share of approved transactions per channel (card_present, contactless, ecommerce). */
  channel_mix: Record<string, number>;
  /** Of the customers active in the first 3 window months, the share with no approved transaction in the last 3. */
  churn: number | null;
  /** Customers active in the first 3 window months (the churn base). */
  churn_base: number;
  /** Customers with a paid premium invoice in the window ÷ customers. */
  premium_share: number | null;
  /** declined ÷ (approved + declined) transactions. */
  decline_rate: number | null;
  /** Approved + declined transactions (the decline-rate base). */
  decided: number;
  /**
   * The decline rate's effective base: r(1 − r) ÷ its cluster-robust variance (customers as clusters:
   * k/(k − 1) · Σ(dᵢ − r·nᵢ)² ÷ (Σnᵢ)², dᵢ and nᵢ a customer's declined and decided transactions), at most
   * `decided`. Declines cluster on customers (each has their own risk), so the rate is as uncertain as a
   * binomial one over this many independent attempts, not over every attempt.
   */
  decided_effective: number;
  /** Customers with ≥ 1 approved transaction in the window. */
  transacting: number;
}

const SECTOR_OF = `(VALUES ${MCCS.map((m) => `(${m.mcc}, '${m.sector}')`).join(', ')}) AS s(mcc, sector)`;

/**
 * The segment table, from the behaviour truth's customer → segment assignment joined to the Parquet
 * facts. Returns null when the truth is absent (the segment is not observable from the data).
 */
export async function segmentProfile(src: ProfileSource): Promise<SegmentRow[] | null> {
  if (!src.truth) return null;
  const tx = await neobankTxnSql(src);
  const [lo, hi] = edgeMonths(src.window.start, src.window.end);
  const rows = await src.q<Record<string, unknown>>(`
    WITH seg AS (SELECT e.customer_id, e.segment FROM behaviour_entities e JOIN dim_customer USING (customer_id)),
    t AS (SELECT x.*, s.segment FROM ${tx} x JOIN seg s USING (customer_id)),
    ap AS (SELECT * FROM t WHERE auth_result = 'approved'),
    cm AS (SELECT segment, customer_id, count(*) AS n FROM ap GROUP BY segment, customer_id, date_trunc('month', lt)),
    freq AS (SELECT segment, sum(n) / count(*) AS frequency FROM cm GROUP BY 1),
    txs AS (SELECT segment, median(amount_cents) FILTER (WHERE auth_result = 'approved') / 100 AS median_ticket_usd,
              count(*) FILTER (WHERE auth_result = 'declined') / nullif(count(*) FILTER (WHERE auth_result IN ('approved', 'declined')), 0) AS decline_rate,
              count(*) FILTER (WHERE auth_result IN ('approved', 'declined')) AS decided
            FROM t GROUP BY 1),
    dc AS (SELECT segment, customer_id, count(*) FILTER (WHERE auth_result = 'declined')::DOUBLE AS d,
              count(*) FILTER (WHERE auth_result IN ('approved', 'declined'))::DOUBLE AS n FROM t GROUP BY 1, 2),
    dv AS (SELECT segment, count(*) FILTER (WHERE n > 0) AS dk, sum(d) AS sd, sum(n) AS sn, sum(d * d) AS sdd, sum(d * n) AS sdn, sum(n * n) AS snn FROM dc GROUP BY 1),
    per AS (SELECT customer_id, bool_or(lt < TIMESTAMP '${lo}') AS early, bool_or(lt >= TIMESTAMP '${hi}') AS late FROM ap GROUP BY 1),
    prem AS (SELECT DISTINCT customer_id FROM ${await src.first('fact_subscription_invoice')} WHERE amount_cents > 0 AND paid_at IS NOT NULL),
    cust AS (SELECT s.segment, count(*) AS customers,
               count(*) FILTER (WHERE p.early) AS early, count(*) FILTER (WHERE p.early AND NOT p.late) AS gone,
               count(*) FILTER (WHERE pr.customer_id IS NOT NULL) AS premium, count(p.customer_id) AS transacting
             FROM seg s LEFT JOIN per p USING (customer_id) LEFT JOIN prem pr USING (customer_id) GROUP BY 1)
    SELECT * FROM cust LEFT JOIN freq USING (segment) LEFT JOIN txs USING (segment) LEFT JOIN dv USING (segment) ORDER BY segment`);
  const mix = await src.q<{ segment: string; kind: string; key: string; share: number }>(`
    WITH ap AS (SELECT x.*, e.segment FROM ${tx} x JOIN behaviour_entities e USING (customer_id) WHERE auth_result = 'approved')
    SELECT segment, 'sector' AS kind, s.sector AS key, count(*) / sum(count(*)) OVER (PARTITION BY segment) AS share
    FROM ap JOIN dim_merchant m USING (merchant_id) JOIN ${SECTOR_OF} ON s.mcc = m.mcc GROUP BY segment, s.sector
    UNION ALL
    SELECT segment, 'channel', channel, count(*) / sum(count(*)) OVER (PARTITION BY segment) FROM ap GROUP BY segment, channel`);
  const total = rows.reduce((a, r) => a + num(r.customers), 0);
  const declared = src.truth.segments ?? {};
  return rows.map((r) => {
    const seg = String(r.segment);
    const pick = (kind: string, keys: readonly string[]) =>
      Object.fromEntries(keys.map((k) => [k, round(mix.find((m) => m.segment === seg && m.kind === kind && m.key === k)?.share ?? 0) ?? 0]));
    const early = num(r.early);
    return {
      segment: seg,
      customers: num(r.customers),
      share: round(num(r.customers) / total) ?? 0,
      declared_share: declared[seg]?.declared_share ?? null,
      frequency: round(r.frequency as number | null, 3),
      median_ticket_usd: round(r.median_ticket_usd as number | null, 2),
      sector_mix: pick('sector', SECTORS),
      channel_mix: pick('channel', ['card_present', 'contactless', 'ecommerce']),
      churn: early ? round(num(r.gone) / early) : null,
      churn_base: early,
      premium_share: round(num(r.premium) / num(r.customers)),
      decline_rate: round(r.decline_rate as number | null),
      decided: num(r.decided ?? 0),
      decided_effective: effectiveBase(num(r.dk ?? 0), num(r.sd ?? 0), num(r.sn ?? 0), num(r.sdd ?? 0), num(r.sdn ?? 0), num(r.snn ?? 0)),
      transacting: num(r.transacting),
    };
  });
}

/**
 * Effective base of a ratio r = Σd ÷ Σn over k clusters (SegmentRow.decided_effective) from the sums
 * Σd, Σn, Σd², Σdn, Σn²: r(1 − r) ÷ (k/(k − 1) · Σ(d − r·n)² ÷ (Σn)²), capped at Σn; Σn when the
 * variance is 0 or there are fewer than 2 clusters. Rounded down to a whole number.
 */
export function effectiveBase(k: number, sd: number, sn: number, sdd: number, sdn: number, snn: number): number {
  if (k < 2 || sn <= 0) return Math.floor(sn);
  const r = sd / sn;
  const ss = Math.max(0, sdd - 2 * r * sdn + r * r * snn);
  const variance = ((k / (k - 1)) * ss) / (sn * sn);
  if (!(variance > 0) || r <= 0 || r >= 1) return Math.floor(sn);
  return Math.floor(Math.min(sn, (r * (1 - r)) / variance));
}

/** Local timestamps: the end of the first 3 window months and the start of the last 3. */
export function edgeMonths(start: string, end: string): [string, string] {
  const add = (date: string, months: number) => {
    const [y, m] = date.split('-').map(Number);
    const k = y * 12 + (m - 1) + months;
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01 00:00:00`;
  };
  return [add(start, 3), add(end, -2)];
}
