#!/usr/bin/env node
/**
 * `node scripts/analyst-neobank.mjs WAREHOUSE_DIR [--json] [--only=finding,…]`
 *
 * The neobank read as a data analyst would, from the Parquet files alone (plus the manifest for the
 * time zone and the window): one DuckDB query per finding of the "does this look synthetic?" review
 * (cohorts, trend across the window start, segments, merchant mix and names, loyalty, declines and their
 * reasons, calendar days,
 * funnel, subscriptions, id fingerprints, defect patterns, DST). No generator code and no ground truth
 * is used. Prints one block per finding (or, with --json, `{finding: rows[]}`), so the numbers can be
 * compared between generator versions. Used by the behaviour work, the profile stream and the QA pass.
 *
 * Local time: timestamps are UTC; `loc(ts)` converts them to the warehouse's business time zone (months,
 * cohorts); the hour-of-day and DST findings read card transactions from `card_local`, whose `lt` is the
 * wall clock of where each happened (the zone of the state an in-person merchant's descriptor names, else
 * the customer's home zone: the zone most of their in-person transactions name).
 * "Active" = at least one approved card transaction in the month.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
const asJson = args.includes('--json');
if (!dir) {
  process.stderr.write('usage: analyst-neobank.mjs WAREHOUSE_DIR [--json] [--only=finding,…]\n');
  process.exitCode = 2;
} else {
  await analyse(dir);
}

async function analyse(dir) {
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const tz = manifest.tz;
const start = manifest.start_date;
const end = manifest.end_date;
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** Finding id → SQL. Every query reads only the views named after the Parquet tables. */
const FINDINGS = {
  // ── cohorts and churn ────────────────────────────────────────────────────────────────────────
  cohort_activity_by_signup_year: `
    WITH base AS (SELECT c.customer_id, year(c.created_at) AS signup_year FROM dim_customer c WHERE c.kyc_status = 'verified'),
    act AS (SELECT DISTINCT a.customer_id, date_trunc('month', loc(t.event_time)) AS m
            FROM fact_card_transaction t JOIN dim_card k USING (card_id) JOIN dim_account a USING (account_id)
            WHERE t.auth_result = 'approved')
    SELECT signup_year, count(*) AS customers,
      round(100 * avg((EXISTS (SELECT 1 FROM act WHERE act.customer_id = b.customer_id AND act.m = DATE '2025-01-01'))::INT), 1) AS active_jan2025_pct,
      round(100 * avg((EXISTS (SELECT 1 FROM act WHERE act.customer_id = b.customer_id AND act.m = DATE '2026-06-01'))::INT), 1) AS active_jun2026_pct
    FROM base b WHERE signup_year <= 2024 GROUP BY 1 ORDER BY 1`,
  closed_before_window: `
    SELECT count(*) FILTER (WHERE a.created_at < ${q(start)}) AS accounts_before_window,
      round(100 * count(*) FILTER (WHERE h.valid_from < ${q(start)}) / count(*) FILTER (WHERE a.created_at < ${q(start)}), 1) AS closed_before_window_pct
    FROM dim_account a LEFT JOIN (SELECT account_id, min(valid_from) AS valid_from FROM dim_account_status_history WHERE status = 'closed' GROUP BY 1) h USING (account_id)`,
  monthly_cohort_retention_m3_m6: `
    WITH c AS (SELECT customer_id, date_trunc('month', created_at) AS cohort FROM dim_customer WHERE kyc_status = 'verified' AND created_at >= ${q(start)}),
    act AS (SELECT DISTINCT a.customer_id, date_trunc('month', loc(t.event_time)) AS m
            FROM fact_card_transaction t JOIN dim_card k USING (card_id) JOIN dim_account a USING (account_id) WHERE t.auth_result = 'approved')
    SELECT cohort, count(DISTINCT c.customer_id) AS n,
      round(100 * count(DISTINCT act.customer_id) FILTER (WHERE act.m = cohort + INTERVAL 3 MONTH) / count(DISTINCT c.customer_id), 1) AS m3_pct,
      round(100 * count(DISTINCT act.customer_id) FILTER (WHERE act.m = cohort + INTERVAL 6 MONTH) / count(DISTINCT c.customer_id), 1) AS m6_pct
    FROM c LEFT JOIN act USING (customer_id) WHERE cohort <= DATE ${q(end)} - INTERVAL 7 MONTH GROUP BY 1 ORDER BY 1`,
  // retention curve: of each monthly sign-up cohort (verified, signed up in the window), the share with an
  // approved transaction in calendar month M0 (sign-up month) … M12; pooled over the cohorts that reach Mk
  retention_curve_pooled: `
    WITH c AS (SELECT customer_id, date_trunc('month', loc(created_at)) AS cohort FROM dim_customer WHERE kyc_status = 'verified' AND created_at >= ${q(start)}),
    act AS (SELECT DISTINCT a.customer_id, date_trunc('month', loc(t.event_time)) AS m
            FROM fact_card_transaction t JOIN dim_card k USING (card_id) JOIN dim_account a USING (account_id) WHERE t.auth_result = 'approved'),
    last AS (SELECT max(m) AS lm FROM act),
    k AS (SELECT unnest([0, 1, 2, 3, 4, 6, 9, 12]) AS k),
    ck AS (SELECT c.customer_id, c.cohort, k.k FROM c, k, last WHERE c.cohort + to_months(k.k) <= last.lm - INTERVAL 1 MONTH)
    SELECT 'M' || k AS month, count(DISTINCT cohort) AS cohorts, count(*) AS customers,
      round(100 * avg((act.customer_id IS NOT NULL)::INT), 1) AS active_pct
    FROM ck LEFT JOIN act ON act.customer_id = ck.customer_id AND act.m = ck.cohort + to_months(ck.k) GROUP BY k ORDER BY k`,
  // ── trend across the window start ────────────────────────────────────────────────────────────
  signups_per_month: `
    SELECT date_trunc('month', loc(created_at))::DATE AS month, count(*) AS signups FROM dim_customer
    WHERE loc(created_at) >= DATE ${q(start)} - INTERVAL 6 MONTH GROUP BY 1 ORDER BY 1`,
  signup_trend_fit: `
    WITH m AS (SELECT date_trunc('month', loc(created_at)) AS month, count(*) AS n FROM dim_customer GROUP BY 1),
    w AS (SELECT row_number() OVER (ORDER BY month) AS i, n, month FROM m WHERE month >= ${q(start)} AND month < ${q(end)}::DATE - INTERVAL 0 DAY)
    SELECT round(regr_slope(n, i), 2) AS slope_per_month, round(regr_r2(n, i), 3) AS r2,
      (SELECT n FROM m WHERE month = DATE ${q(start)} - INTERVAL 1 MONTH) AS last_month_before,
      (SELECT n FROM m WHERE month = DATE ${q(start)}) AS first_month_in
    FROM w`,
  actives_vs_verified_base: `
    WITH months AS (SELECT DISTINCT date_trunc('month', loc(event_time)) AS m FROM fact_card_transaction WHERE event_time IS NOT NULL),
    act AS (SELECT date_trunc('month', loc(t.event_time)) AS m, count(DISTINCT a.customer_id) AS actives
            FROM fact_card_transaction t JOIN dim_card k USING (card_id) JOIN dim_account a USING (account_id) WHERE auth_result = 'approved' GROUP BY 1)
    SELECT months.m::DATE AS month, actives,
      (SELECT count(*) FROM dim_customer WHERE kyc_status = 'verified' AND created_at < months.m + INTERVAL 1 MONTH) AS verified_base
    FROM months JOIN act USING (m) ORDER BY 1`,
  // ── customers differ in more than frequency ──────────────────────────────────────────────────
  mix_dispersion_vs_binomial: `
    WITH t AS (SELECT a.customer_id, t.channel = 'ecommerce' AS ecom, m.mcc IN (5812, 5813, 5814, 5462, 5811) AS dining, t.amount_cents
               FROM fact_card_transaction t JOIN dim_card k USING (card_id) JOIN dim_account a USING (account_id) JOIN dim_merchant m USING (merchant_id)
               WHERE auth_result = 'approved'),
    c AS (SELECT customer_id, count(*) AS n, avg(ecom::INT) AS ecom, avg(dining::INT) AS dining, median(amount_cents) AS ticket FROM t GROUP BY 1 HAVING count(*) >= 50),
    p AS (SELECT avg(ecom) AS pe, avg(dining) AS pd, avg(1.0 / n) AS inv_n FROM c)
    SELECT count(*) AS customers_50plus,
      round(var_samp(ecom) / (pe * (1 - pe) * inv_n), 1) AS ecommerce_share_var_over_binomial,
      round(var_samp(dining) / (pd * (1 - pd) * inv_n), 1) AS dining_share_var_over_binomial,
      round(quantile_cont(ticket, 0.9) / quantile_cont(ticket, 0.1), 2) AS median_ticket_p90_over_p10
    FROM c, p GROUP BY pe, pd, inv_n`,
  spend_quintiles: `
    WITH t AS (SELECT a.customer_id, t.channel, m.mcc, t.amount_cents FROM fact_card_transaction t JOIN dim_card k USING (card_id) JOIN dim_account a USING (account_id) JOIN dim_merchant m USING (merchant_id) WHERE auth_result = 'approved'),
    c AS (SELECT customer_id, sum(amount_cents) AS spend, count(*) AS n, avg(amount_cents) AS ticket, avg((channel = 'ecommerce')::INT) AS ecom,
            avg((mcc IN (4511, 7011, 7512, 4722, 4411))::INT) AS travel, avg((mcc IN (5411, 5422, 5441, 5451, 5499))::INT) AS grocery FROM t GROUP BY 1),
    qq AS (SELECT *, ntile(5) OVER (ORDER BY spend) AS quintile FROM c)
    SELECT quintile, count(*) AS customers, round(avg(n)) AS txns, round(avg(ticket) / 100, 2) AS avg_ticket_usd, round(100 * avg(ecom), 1) AS ecom_pct,
      round(100 * avg(travel), 2) AS travel_pct, round(100 * avg(grocery), 1) AS grocery_pct FROM qq GROUP BY 1 ORDER BY 1`,
  premium_vs_free_spend: `
    WITH prem AS (SELECT DISTINCT i.customer_id, date_trunc('month', i.period_start) AS m FROM fact_subscription_invoice i JOIN dim_plan p USING (plan_id) WHERE p.price_cents > 0 AND p.cadence = 'monthly'),
    s AS (SELECT a.customer_id, date_trunc('month', loc(t.event_time)) AS m, sum(amount_cents) AS spend, count(*) AS n
          FROM fact_card_transaction t JOIN dim_card k USING (card_id) JOIN dim_account a USING (account_id) WHERE auth_result = 'approved' GROUP BY 1, 2)
    SELECT CASE WHEN prem.customer_id IS NULL THEN 'free' ELSE 'premium' END AS plan, count(*) AS customer_months,
      round(avg(spend) / 100, 0) AS spend_per_active_month_usd, round(avg(n), 1) AS txns_per_active_month
    FROM s LEFT JOIN prem USING (customer_id, m) GROUP BY 1 ORDER BY 1`,
  // ── merchant mix ─────────────────────────────────────────────────────────────────────────────
  bars_share_by_hour: `
    SELECT hour(lt) AS local_hour, count(*) AS txns, round(100 * avg((m.mcc = 5813)::INT), 2) AS bars_pct
    FROM card_local t JOIN dim_merchant m USING (merchant_id) GROUP BY 1 ORDER BY 1`,
  dining_hours_by_mcc: `
    WITH h AS (SELECT m.mcc, hour(lt) AS h, count(*) AS n FROM card_local t JOIN dim_merchant m USING (merchant_id)
               WHERE m.mcc IN (5812, 5813, 5814, 5462) AND event_time IS NOT NULL GROUP BY 1, 2),
    s AS (SELECT mcc, h, n / sum(n) OVER (PARTITION BY mcc) AS p FROM h)
    SELECT mcc, arg_max(h, p) AS peak_hour, round(100 * sum(p) FILTER (WHERE h BETWEEN 11 AND 13), 1) AS lunch_11_13_pct,
      round(100 * sum(p) FILTER (WHERE h BETWEEN 17 AND 20), 1) AS dinner_17_20_pct, round(100 * sum(p) FILTER (WHERE h BETWEEN 21 AND 23), 1) AS late_21_23_pct,
      round(100 * sum(p) FILTER (WHERE h BETWEEN 0 AND 4), 1) AS night_0_4_pct, round(100 * sum(p) FILTER (WHERE h BETWEEN 6 AND 9), 1) AS morning_6_9_pct
    FROM s GROUP BY 1 ORDER BY 1`,
  travel_share_by_month: `
    SELECT date_trunc('month', loc(event_time))::DATE AS month, round(100 * avg((m.mcc IN (4511, 7011, 7512, 4722, 4411))::INT), 2) AS travel_pct,
      round(100 * avg((m.mcc IN (5311, 5651, 5732, 5942, 5999))::INT), 2) AS retail_pct
    FROM fact_card_transaction t JOIN dim_merchant m USING (merchant_id) WHERE event_time IS NOT NULL GROUP BY 1 ORDER BY 1`,
  heavy_user_loyalty: `
    WITH t AS (SELECT a.customer_id, merchant_id, amount_cents FROM fact_card_transaction t JOIN dim_card k USING (card_id) JOIN dim_account a USING (account_id) WHERE auth_result = 'approved' AND merchant_id IS NOT NULL),
    c AS (SELECT customer_id, count(*) AS n, count(DISTINCT merchant_id) AS merchants, sum(amount_cents) AS spend FROM t GROUP BY 1 HAVING count(*) >= 100),
    fav AS (SELECT customer_id, max(s) AS top_spend, max(k) AS top_txns FROM (SELECT customer_id, merchant_id, sum(amount_cents) AS s, count(*) AS k FROM t GROUP BY 1, 2) GROUP BY 1)
    SELECT count(*) AS heavy_customers, round(100 * avg(merchants / n), 1) AS distinct_merchant_ratio_pct,
      round(100 * avg(top_spend / spend), 1) AS favourite_share_of_spend_pct, round(100 * avg(top_txns / n), 1) AS favourite_share_of_txns_pct
    FROM c JOIN fav USING (customer_id)`,
  merchant_id_rank_vs_popularity: `
    WITH n AS (SELECT m.mcc, m.merchant_id, count(t.merchant_id) AS txns FROM dim_merchant m LEFT JOIN fact_card_transaction t USING (merchant_id) GROUP BY 1, 2),
    r AS (SELECT *, rank() OVER (PARTITION BY mcc ORDER BY merchant_id) AS id_rank, rank() OVER (PARTITION BY mcc ORDER BY txns DESC) AS pop_rank FROM n),
    g AS (SELECT mcc, 1 - 2 * sum(cum) / (count(*) * sum(txns)) + 1.0 / count(*) AS gini
          FROM (SELECT mcc, txns, sum(txns) OVER (PARTITION BY mcc ORDER BY txns ROWS UNBOUNDED PRECEDING) AS cum FROM n) GROUP BY mcc),
    per AS (SELECT mcc, corr(id_rank, pop_rank) AS rho, bool_or(id_rank = 1 AND pop_rank = 1) AS lowest_busiest FROM r GROUP BY mcc)
    SELECT count(*) AS mccs, count(*) FILTER (WHERE lowest_busiest) AS mccs_lowest_id_busiest,
      round(avg(rho), 3) AS mean_within_mcc_spearman_id_vs_popularity, round(avg(gini), 2) AS mean_gini_within_mcc FROM per JOIN g USING (mcc)`,
  txn_share_vs_merchant_share: `
    WITH a AS (SELECT mcc, count(*) AS merchants FROM dim_merchant GROUP BY 1),
    b AS (SELECT m.mcc, count(*) AS txns FROM fact_card_transaction t JOIN dim_merchant m USING (merchant_id) GROUP BY 1),
    s AS (SELECT mcc, merchants / sum(merchants) OVER () AS ms, txns / sum(txns) OVER () AS ts FROM a JOIN b USING (mcc))
    SELECT round(corr(ms, ts), 3) AS corr_txn_share_merchant_share, round(max(ts / ms), 2) AS max_ratio, round(min(ts / ms), 2) AS min_ratio FROM s`,
  // merchant names as card-statement descriptors: store numbers, processor prefixes, online shapes, the
  // MCC's category label inside the name (a generator tell), and how repeated brand names spread
  merchant_name_patterns: `
    WITH m AS (SELECT *, regexp_replace(regexp_replace(name, '^(SQ \\*|TST\\* |PAYPAL \\*|SP |CLV\\*)', ''), '( #?[0-9]{3,}| [A-Z][A-Z]+ [A-Z]{2}$| [0-9]{3}-[0-9]{3}-[0-9]{4}).*$', '') AS brand FROM dim_merchant),
    b AS (SELECT brand, count(*) AS locations FROM m GROUP BY 1)
    SELECT count(*) AS merchants, count(DISTINCT name) AS distinct_names,
      round(100 * avg(regexp_matches(name, ' #?[0-9]{3,}')::INT), 1) AS store_number_pct,
      round(100 * avg(regexp_matches(name, '^(SQ \\*|TST\\* |PAYPAL \\*|SP |CLV\\*)')::INT), 1) AS processor_prefix_pct,
      round(100 * avg(regexp_matches(name, '\\.COM|\\*[A-Z]')::INT), 1) AS online_shape_pct,
      round(100 * avg(regexp_matches(lower(name), 'grocery stores|restaurants|fast food|service stations|pharmacies|department stores|misc retail|convenience food|taxis and rideshare|digital media')::INT), 1) AS category_label_in_name_pct,
      round(100 * avg((b.locations >= 3)::INT), 1) AS in_brand_with_3plus_locations_pct
    FROM m JOIN b USING (brand)`,
  // a few chains dominate groceries and fuel: approved volume share of the top brand and top 3 brands per MCC
  chain_concentration: `
    WITH m AS (SELECT merchant_id, mcc, regexp_replace(regexp_replace(name, '^(SQ \\*|TST\\* |PAYPAL \\*|SP |CLV\\*)', ''), '( #?[0-9]{3,}| [A-Z][A-Z]+ [A-Z]{2}$| [0-9]{3}-[0-9]{3}-[0-9]{4}).*$', '') AS brand FROM dim_merchant),
    v AS (SELECT m.mcc, m.brand, count(*) AS txns, count(DISTINCT m.merchant_id) AS locations FROM fact_card_transaction t JOIN m USING (merchant_id) WHERE t.auth_result = 'approved' GROUP BY 1, 2),
    r AS (SELECT *, row_number() OVER (PARTITION BY mcc ORDER BY txns DESC) AS rk, txns / sum(txns) OVER (PARTITION BY mcc) AS sh FROM v)
    SELECT mcc, max(brand) FILTER (WHERE rk = 1) AS top_brand, max(locations) FILTER (WHERE rk = 1) AS top_locations,
      round(100 * sum(sh) FILTER (WHERE rk = 1), 1) AS top_brand_pct, round(100 * sum(sh) FILTER (WHERE rk <= 3), 1) AS top3_brands_pct, count(*) AS brands
    FROM r WHERE mcc IN (5411, 5541, 5812, 5814, 5912, 5815) GROUP BY 1 ORDER BY 1`,
  price_points: `
    WITH t AS (SELECT m.mcc, amount_cents FROM fact_card_transaction t JOIN dim_merchant m USING (merchant_id) WHERE m.mcc IN (5815, 7372, 4814, 5411)),
    k AS (SELECT mcc, amount_cents, count(*) AS n FROM t GROUP BY 1, 2)
    SELECT mcc, sum(n) AS txns, count(*) AS distinct_amounts,
      round(100 * (SELECT sum(n) FROM (SELECT n FROM k k2 WHERE k2.mcc = k.mcc ORDER BY n DESC LIMIT 5)) / sum(n), 1) AS top5_amounts_pct,
      round(100 * sum(n) FILTER (WHERE amount_cents % 100 = 99) / sum(n), 1) AS ends_99_pct
    FROM k GROUP BY mcc ORDER BY mcc`,
  // ── declines ─────────────────────────────────────────────────────────────────────────────────
  declines_by_account_state: `
    WITH t AS (SELECT t.*, k.account_id FROM fact_card_transaction t JOIN dim_card k USING (card_id)),
    s AS (SELECT t.auth_result, coalesce(h.status, 'not yet open') AS account_state FROM t ASOF LEFT JOIN dim_account_status_history h
          ON h.account_id = t.account_id AND t.event_time >= h.valid_from)
    SELECT account_state, count(*) AS txns, round(100 * avg((auth_result = 'declined')::INT), 2) AS declined_pct,
      round(100 * avg((auth_result = 'approved')::INT), 2) AS approved_pct FROM s GROUP BY 1 ORDER BY 1`,
  declines_by_card_state: `
    WITH s AS (SELECT t.auth_result, coalesce(h.status, 'before issue') AS card_state FROM fact_card_transaction t ASOF LEFT JOIN dim_card_status_history h
          ON h.card_id = t.card_id AND t.event_time >= h.valid_from WHERE t.card_id IS NOT NULL)
    SELECT card_state, count(*) AS txns, round(100 * avg((auth_result = 'declined')::INT), 2) AS declined_pct, round(100 * avg((auth_result = 'approved')::INT), 2) AS approved_pct
    FROM s GROUP BY 1 ORDER BY 1`,
  declines_by_amount_decile: `
    WITH t AS (SELECT auth_result, ntile(10) OVER (ORDER BY amount_cents) AS decile, amount_cents FROM fact_card_transaction)
    SELECT decile, max(amount_cents) / 100 AS max_usd, round(100 * avg((auth_result = 'declined')::INT), 2) AS declined_pct FROM t GROUP BY 1 ORDER BY 1`,
  declines_by_channel: `
    SELECT channel, count(*) AS txns, round(100 * avg((auth_result = 'declined')::INT), 2) AS declined_pct, round(100 * avg((auth_result = 'reversed')::INT), 2) AS reversed_pct
    FROM fact_card_transaction GROUP BY 1 ORDER BY 1`,
  retries_after_decline: `
    WITH t AS (SELECT card_id, merchant_id, event_time, auth_result, amount_cents,
                 lead(event_time) OVER w AS next_time, lead(auth_result) OVER w AS next_result, lead(amount_cents) OVER w AS next_amount
               FROM fact_card_transaction WHERE card_id IS NOT NULL AND merchant_id IS NOT NULL WINDOW w AS (PARTITION BY card_id, merchant_id ORDER BY event_time))
    SELECT auth_result AS first_result, count(*) AS attempts,
      round(100 * avg((next_time - event_time <= INTERVAL 1 HOUR)::INT), 2) AS same_merchant_within_1h_pct,
      round(100 * avg((next_time - event_time <= INTERVAL 1 HOUR AND next_result = 'approved')::INT), 2) AS approved_retry_within_1h_pct,
      round(100 * avg((next_time - event_time <= INTERVAL 1 HOUR AND next_amount = amount_cents)::INT), 2) AS same_amount_within_1h_pct
    FROM t GROUP BY 1 ORDER BY 1`,
  // decline reasons (fact_authorization_decline, when the warehouse has it): mix, and per channel
  decline_reasons: `
    WITH t AS (SELECT DISTINCT ON (txn_id) txn_id, channel FROM fact_card_transaction WHERE auth_result = 'declined')
    SELECT coalesce(r.reason_code, '(no reason row)') AS reason_code, any_value(r.response_code) AS iso, count(*) AS declines,
      round(100 * count(*) / sum(count(*)) OVER (), 2) AS share_pct,
      round(100 * avg((t.channel = 'card_present')::INT), 1) AS card_present_pct, round(100 * avg((t.channel = 'contactless')::INT), 1) AS contactless_pct,
      round(100 * avg((t.channel = 'ecommerce')::INT), 1) AS ecommerce_pct
    FROM t LEFT JOIN fact_authorization_decline r USING (txn_id) GROUP BY 1 ORDER BY declines DESC`,
  // reason against the account's and the card's state at the attempt
  decline_reason_by_state: `
    WITH t AS (SELECT DISTINCT ON (t.txn_id) t.txn_id, t.event_time, t.card_id, k.account_id FROM fact_card_transaction t JOIN dim_card k USING (card_id) WHERE t.auth_result = 'declined'),
    a AS (SELECT t.*, coalesce(h.status, 'not yet open') AS account_state FROM t ASOF LEFT JOIN dim_account_status_history h ON h.account_id = t.account_id AND t.event_time >= h.valid_from),
    c AS (SELECT a.*, coalesce(h.status, 'before issue') AS card_state FROM a ASOF LEFT JOIN dim_card_status_history h ON h.card_id = a.card_id AND a.event_time >= h.valid_from)
    SELECT account_state, card_state, r.reason_code, count(*) AS declines FROM c JOIN fact_authorization_decline r USING (txn_id) GROUP BY ALL ORDER BY 1, 2, 4 DESC`,
  // per amount decile: decline rate by reason (insufficient funds and limits should climb with the amount)
  decline_reasons_by_amount_decile: `
    WITH t AS (SELECT f.txn_id, f.auth_result, ntile(10) OVER (ORDER BY amount_cents) AS decile, amount_cents FROM fact_card_transaction f)
    SELECT decile, max(amount_cents) / 100 AS max_usd, round(100 * avg(coalesce(r.reason_code = 'insufficient_funds', false)::INT), 2) AS nsf_pct,
      round(100 * avg(coalesce(r.reason_code = 'suspected_fraud', false)::INT), 2) AS fraud_pct, round(100 * avg(coalesce(r.reason_code = 'limit_exceeded', false)::INT), 2) AS limit_pct
    FROM t LEFT JOIN fact_authorization_decline r USING (txn_id) GROUP BY 1 ORDER BY 1`,
  // insufficient-funds declines per attempt by day of month class (the days before the 1st/15th paydays)
  nsf_by_payday_class: `
    WITH t AS (SELECT f.txn_id, f.auth_result, loc(f.event_time)::DATE AS day FROM fact_card_transaction f WHERE f.event_time IS NOT NULL)
    SELECT CASE WHEN day(day) IN (1, 2, 15, 16) THEN 'pay 1-2 / 15-16' WHEN day(day) IN (12, 13, 14, 28, 29, 30, 31) THEN 'days before pay' ELSE 'other' END AS day_class,
      count(*) AS attempts, round(100 * avg(coalesce(r.reason_code = 'insufficient_funds', false)::INT), 3) AS nsf_pct, round(100 * avg((t.auth_result = 'declined')::INT), 3) AS declined_pct
    FROM t LEFT JOIN fact_authorization_decline r USING (txn_id) GROUP BY 1 ORDER BY 1`,
  // ── calendar ─────────────────────────────────────────────────────────────────────────────────
  named_days_vs_same_weekday: `
    WITH d AS (SELECT loc(event_time)::DATE AS day, count(*) AS n FROM fact_card_transaction WHERE event_time IS NOT NULL GROUP BY 1),
    named(name, day) AS (VALUES ('July 4', DATE '2025-07-04'), ('Labor Day', DATE '2025-09-01'), ('Thanksgiving', DATE '2025-11-27'),
      ('Black Friday', DATE '2025-11-28'), ('Cyber Monday', DATE '2025-12-01'), ('Christmas Eve', DATE '2025-12-24'), ('Christmas Day', DATE '2025-12-25'),
      ('New Year''s Day', DATE '2026-01-01'), ('Memorial Day', DATE '2025-05-26'), ('Valentine''s', DATE '2026-02-14'))
    SELECT name, named.day, d.n AS txns,
      round((SELECT avg(n) FROM d d2 WHERE dayofweek(d2.day) = dayofweek(named.day) AND abs(d2.day - named.day) BETWEEN 7 AND 21 AND d2.day NOT IN (SELECT day FROM named)), 0) AS same_weekday_mean,
      round(100 * (d.n / (SELECT avg(n) FROM d d2 WHERE dayofweek(d2.day) = dayofweek(named.day) AND abs(d2.day - named.day) BETWEEN 7 AND 21 AND d2.day NOT IN (SELECT day FROM named)) - 1), 1) AS diff_pct
    FROM named JOIN d USING (day) ORDER BY named.day`,
  payday_cycle: `
    WITH d AS (SELECT loc(event_time)::DATE AS day, count(*) AS n FROM fact_card_transaction WHERE event_time IS NOT NULL AND auth_result = 'approved' GROUP BY 1),
    r AS (SELECT day, n / avg(n) OVER (PARTITION BY dayofweek(day), date_trunc('month', day)) AS rel FROM d)
    SELECT CASE WHEN day(day) IN (1, 2, 15, 16) THEN 'pay 1-2 / 15-16' WHEN day(day) IN (13, 14, 28, 29, 30, 31) OR day(day) IN (12) THEN 'days before pay'
                ELSE 'other' END AS day_class, count(*) AS days, round(avg(rel), 3) AS volume_vs_month_weekday_mean
    FROM r GROUP BY 1 ORDER BY 1`,
  weekday_profile: `
    SELECT dayname(loc(event_time)) AS weekday, count(*) AS txns FROM fact_card_transaction WHERE event_time IS NOT NULL GROUP BY 1, dayofweek(loc(event_time)) ORDER BY dayofweek(loc(event_time))`,
  signups_and_activations_by_hour: `
    WITH s AS (SELECT hour(loc(created_at)) AS h, count(*) AS n FROM dim_customer GROUP BY 1),
    a AS (SELECT hour(loc(activated_at)) AS h, count(*) AS n FROM dim_card WHERE activated_at IS NOT NULL GROUP BY 1)
    SELECT h AS local_hour, round(100 * s.n / sum(s.n) OVER (), 2) AS signups_pct, round(100 * a.n / sum(a.n) OVER (), 2) AS activations_pct
    FROM s FULL JOIN a USING (h) ORDER BY 1`,
  daily_overdispersion: `
    WITH d AS (SELECT loc(event_time)::DATE AS day, count(*) AS n FROM fact_card_transaction WHERE event_time IS NOT NULL GROUP BY 1),
    e AS (SELECT day, n, avg(n) OVER (PARTITION BY dayofweek(day), date_trunc('month', day)) AS expected FROM d)
    SELECT count(*) AS days, round(avg(n)) AS mean_daily, round(var_samp(n - expected) / avg(expected), 1) AS residual_var_over_mean,
      round(100 * stddev_samp(n / expected), 2) AS residual_cv_pct FROM e`,
  // ── funnel ───────────────────────────────────────────────────────────────────────────────────
  kyc_mix_by_signup_year: `
    SELECT year(created_at) AS signup_year, count(*) AS customers, round(100 * avg((kyc_status = 'verified')::INT), 1) AS verified_pct,
      round(100 * avg((kyc_status = 'pending')::INT), 1) AS pending_pct, round(100 * avg((kyc_status = 'rejected')::INT), 1) AS rejected_pct
    FROM dim_customer GROUP BY 1 ORDER BY 1`,
  pending_kyc_with_products: `
    SELECT c.kyc_status, count(DISTINCT c.customer_id) AS customers, count(DISTINCT a.customer_id) AS with_account,
      count(DISTINCT a.customer_id) FILTER (WHERE k.card_id IS NOT NULL) AS with_card
    FROM dim_customer c LEFT JOIN dim_account a USING (customer_id) LEFT JOIN dim_card k USING (account_id) GROUP BY 1 ORDER BY 1`,
  funnel_conversion: `
    WITH chk AS (SELECT customer_id, min(created_at) AS opened FROM dim_account WHERE type = 'checking' GROUP BY 1),
    card AS (SELECT a.customer_id, min(k.activated_at) AS activated, count(*) AS cards FROM dim_card k JOIN dim_account a USING (account_id) GROUP BY 1),
    first_txn AS (SELECT a.customer_id, min(t.event_time) AS first_spend FROM fact_card_transaction t JOIN dim_card k USING (card_id) JOIN dim_account a USING (account_id) WHERE auth_result = 'approved' GROUP BY 1)
    SELECT count(*) AS signups, round(100 * avg((kyc_status = 'verified')::INT), 1) AS verified_pct,
      round(100 * avg((chk.opened IS NOT NULL)::INT), 1) AS account_pct, round(100 * avg((card.cards IS NOT NULL)::INT), 1) AS card_pct,
      round(100 * avg((card.activated IS NOT NULL)::INT), 1) AS activated_pct,
      round(100 * count(card.activated) FILTER (WHERE card.cards IS NOT NULL) / count(*) FILTER (WHERE card.cards IS NOT NULL), 1) AS activated_of_carded_pct,
      round(100 * count(first_spend) FILTER (WHERE c.created_at >= ${q(start)}) / count(*) FILTER (WHERE c.created_at >= ${q(start)} AND card.activated IS NOT NULL), 1) AS first_spend_of_activated_in_window_pct
    FROM dim_customer c LEFT JOIN chk USING (customer_id) LEFT JOIN card USING (customer_id) LEFT JOIN first_txn USING (customer_id)`,
  funnel_lag_hours: `
    WITH chk AS (SELECT customer_id, min(created_at) AS opened FROM dim_account WHERE type = 'checking' GROUP BY 1),
    sav AS (SELECT customer_id, min(created_at) AS opened FROM dim_account WHERE type = 'savings' GROUP BY 1),
    card AS (SELECT a.customer_id, min(k.activated_at) AS activated FROM dim_card k JOIN dim_account a USING (account_id) GROUP BY 1),
    lags AS (
      SELECT 'signup→checking' AS step, epoch(chk.opened - c.created_at) / 3600 AS h FROM dim_customer c JOIN chk USING (customer_id)
      UNION ALL SELECT 'checking→card activated', epoch(card.activated - chk.opened) / 3600 FROM chk JOIN card USING (customer_id)
      UNION ALL SELECT 'checking→savings', epoch(sav.opened - chk.opened) / 3600 FROM chk JOIN sav USING (customer_id))
    SELECT step, count(*) AS n, round(quantile_cont(h, 0.1), 1) AS p10, round(quantile_cont(h, 0.5), 1) AS p50, round(quantile_cont(h, 0.9), 1) AS p90,
      round(quantile_cont(h, 0.99), 1) AS p99, round(min(h), 2) AS min, round(max(h), 1) AS max FROM lags GROUP BY 1 ORDER BY 1`,
  // ── subscriptions ────────────────────────────────────────────────────────────────────────────
  subscription_start_offset_days: `
    WITH first_paid AS (SELECT customer_id, min(period_start) AS started FROM fact_subscription_invoice i JOIN dim_plan p USING (plan_id) WHERE p.price_cents > 0 GROUP BY 1),
    o AS (SELECT f.started - c.created_at::DATE AS days FROM first_paid f JOIN dim_customer c USING (customer_id))
    SELECT count(*) AS subscribers, round(100 * avg((abs(days) <= 1)::INT), 1) AS within_1_day_of_signup_pct,
      round(quantile_cont(days, 0.1)) AS p10_days, round(quantile_cont(days, 0.5)) AS p50_days, round(quantile_cont(days, 0.9)) AS p90_days FROM o`,
  subscription_end_vs_account_close: `
    WITH last_paid AS (SELECT customer_id, max(period_end) AS ended FROM fact_subscription_invoice i JOIN dim_plan p USING (plan_id) WHERE p.price_cents > 0 GROUP BY 1),
    closed AS (SELECT a.customer_id, min(h.valid_from)::DATE AS closed FROM dim_account_status_history h JOIN dim_account a USING (account_id) WHERE h.status = 'closed' AND a.type = 'checking' GROUP BY 1)
    SELECT count(*) FILTER (WHERE ended < DATE ${q(end)} - 31) AS ended_subscriptions,
      count(*) FILTER (WHERE ended < DATE ${q(end)} - 31 AND abs(closed - ended) <= 31) AS ended_within_month_of_close,
      count(*) FILTER (WHERE ended < DATE ${q(end)} - 31 AND closed IS NULL) AS ended_account_still_open FROM last_paid LEFT JOIN closed USING (customer_id)`,
  plan_transitions_from_invoices: `
    WITH i AS (SELECT customer_id, p.name AS plan, period_start, lag(p.name) OVER (PARTITION BY customer_id ORDER BY period_start) AS prev
               FROM fact_subscription_invoice i JOIN dim_plan p USING (plan_id) WHERE customer_id IS NOT NULL)
    SELECT prev || ' → ' || plan AS transition, count(*) AS n FROM i WHERE prev IS NOT NULL AND prev <> plan GROUP BY 1 ORDER BY 2 DESC`,
  subscription_events: `SELECT event_type, count(*) AS n FROM fact_subscription_event GROUP BY 1 ORDER BY 2 DESC`,
  unpaid_invoices: `
    WITH i AS (SELECT DISTINCT ON (invoice_id) customer_id, plan_id, period_start, paid_at FROM fact_subscription_invoice WHERE customer_id IS NOT NULL),
    n AS (SELECT *, lead(plan_id) OVER (PARTITION BY customer_id ORDER BY period_start) AS next_plan FROM i),
    p AS (SELECT plan_id, price_cents FROM dim_plan)
    SELECT count(*) FILTER (WHERE paid_at IS NULL) AS unpaid, round(100 * avg((paid_at IS NULL)::INT), 2) AS unpaid_pct,
      count(*) FILTER (WHERE paid_at IS NULL AND next_plan = plan_id) AS unpaid_then_same_plan_billed,
      count(*) FILTER (WHERE paid_at IS NULL AND next_plan IS DISTINCT FROM plan_id) AS unpaid_then_changed_or_ended
    FROM n JOIN p USING (plan_id) WHERE p.price_cents > 0`,
  // ── id fingerprints and defect patterns ──────────────────────────────────────────────────────
  txn_id_encodes_card: `
    SELECT round(100 * avg((txn_id >> 16 = card_id)::INT), 2) AS txn_id_shr16_eq_card_pct,
      round(corr(txn_id::DOUBLE, epoch(event_time)), 3) AS corr_txn_id_time FROM fact_card_transaction WHERE card_id IS NOT NULL`,
  orphan_id_positions: `
    WITH mx AS (SELECT min(card_id) AS lo, max(card_id) AS hi FROM dim_card),
    o AS (SELECT t.card_id FROM fact_card_transaction t ANTI JOIN dim_card k USING (card_id) WHERE t.card_id IS NOT NULL)
    SELECT 'card_id' AS col, count(*) AS orphan_rows, count(DISTINCT card_id) AS orphan_ids, round(100 * avg((card_id > hi)::INT), 1) AS above_max_pct,
      round(100 * avg((card_id BETWEEN lo AND hi)::INT), 1) AS inside_range_pct FROM o, mx
    UNION ALL
    SELECT 'merchant_id', count(*), count(DISTINCT o.merchant_id), round(100 * avg((o.merchant_id > hi)::INT), 1), round(100 * avg((o.merchant_id BETWEEN lo AND hi)::INT), 1)
    FROM (SELECT t.merchant_id FROM fact_card_transaction t ANTI JOIN dim_merchant m USING (merchant_id) WHERE t.merchant_id IS NOT NULL) o,
         (SELECT min(merchant_id) AS lo, max(merchant_id) AS hi FROM dim_merchant)`,
  null_spike_days: `
    WITH d AS (SELECT loc(event_time)::DATE AS day, avg((card_id IS NULL)::INT) AS card_null, avg((merchant_id IS NULL)::INT) AS merchant_null, count(*) AS n
               FROM fact_card_transaction WHERE event_time IS NOT NULL GROUP BY 1),
    b AS (SELECT median(card_null) AS mc, median(merchant_null) AS mm FROM d)
    SELECT day, n, round(100 * card_null, 2) AS card_null_pct, round(100 * merchant_null, 2) AS merchant_null_pct
    FROM d, b WHERE card_null > mc + 0.03 OR merchant_null > mm + 0.03 ORDER BY day`,
  null_spike_hours_on_spike_days: `
    WITH d AS (SELECT loc(event_time)::DATE AS day, avg((card_id IS NULL)::INT) + avg((merchant_id IS NULL)::INT) AS nulls FROM fact_card_transaction WHERE event_time IS NOT NULL GROUP BY 1),
    s AS (SELECT day FROM d ORDER BY nulls DESC LIMIT 6)
    SELECT loc(event_time)::DATE AS day, count(DISTINCT hour(loc(event_time))) FILTER (WHERE card_id IS NULL OR merchant_id IS NULL) AS hours_with_nulls,
      round(100 * max(h_null), 1) AS worst_hour_null_pct
    FROM (SELECT event_time, card_id, merchant_id, avg(((card_id IS NULL) OR (merchant_id IS NULL))::INT) OVER (PARTITION BY date_trunc('hour', event_time)) AS h_null
          FROM fact_card_transaction WHERE loc(event_time)::DATE IN (SELECT day FROM s)) GROUP BY 1 ORDER BY 1`,
  duplicate_reload_delays: `
    WITH d AS (SELECT txn_id, epoch(max(loaded_at) - min(loaded_at)) / 3600 AS h, min(loaded_at) AS first_load FROM fact_card_transaction GROUP BY 1 HAVING count(*) > 1)
    SELECT count(*) AS duplicated_ids, round(quantile_cont(h, 0.05), 2) AS p05_h, round(quantile_cont(h, 0.25), 2) AS p25_h, round(quantile_cont(h, 0.5), 2) AS p50_h,
      round(quantile_cont(h, 0.75), 2) AS p75_h, round(quantile_cont(h, 0.95), 2) AS p95_h, round(max(h), 1) AS max_h,
      count(DISTINCT loc(first_load)::DATE) AS days_with_duplicates FROM d`,
  ingest_lag_minutes: `
    WITH l AS (SELECT epoch(loaded_at - event_time) / 60 AS m FROM fact_card_transaction WHERE event_time IS NOT NULL)
    SELECT round(quantile_cont(m, 0.05)) AS p05, round(quantile_cont(m, 0.5)) AS p50, round(quantile_cont(m, 0.95)) AS p95, round(quantile_cont(m, 0.99)) AS p99,
      round(100 * avg((m > 240)::INT), 2) AS over_4h_pct FROM l`,
  // ── DST ──────────────────────────────────────────────────────────────────────────────────────
  dst_fall_back_2025_11_02: `
    SELECT strftime(date_trunc('hour', event_time), '%H:00') AS utc_hour, strftime(lt, '%H:00') AS local_hour, count(*) AS txns
    FROM card_local WHERE event_time >= TIMESTAMP '2025-11-02 06:00:00' AND event_time < TIMESTAMP '2025-11-02 12:00:00' GROUP BY 1, 2 ORDER BY 1`,
  // each UTC hour of the repeated local hour should carry about an ordinary hour's volume: ratio to the same
  // local hour on the Sundays a week before and after (≈ 1 per copy; ≈ 0.5 if the hour's volume is split)
  dst_fall_back_hour_vs_neighbour_sundays: `
    WITH f AS (SELECT count(*) / 2.0 AS per_copy FROM card_local WHERE lt::DATE = DATE '2025-11-02' AND hour(lt) = 1),
    n AS (SELECT count(*) / 2.0 AS ordinary FROM card_local
          WHERE lt::DATE IN (DATE '2025-10-26', DATE '2025-11-09') AND hour(lt) = 1)
    SELECT per_copy, ordinary, round(per_copy / ordinary, 2) AS per_copy_over_ordinary FROM f, n`,
  dst_spring_forward_2025_03_09: `
    SELECT lt::DATE AS local_day, hour(lt) AS local_hour, count(*) AS txns FROM card_local
    WHERE lt::DATE IN (DATE '2025-03-02', DATE '2025-03-09') AND hour(lt) BETWEEN 0 AND 4 GROUP BY 1, 2 ORDER BY 1, 2`,
};

/** Views over `{dir}/parquet/{table}.parquet` or `{table}/*.parquet`. */
function viewSql() {
  const out = [];
  for (const [table, entry] of Object.entries(manifest.tables)) {
    const files = entry.files.map((f) => q(path.join(dir, 'parquet', f)));
    if (files.every((f) => existsSync(f.slice(1, -1)))) out.push(`CREATE VIEW ${table} AS SELECT * FROM read_parquet([${files.join(', ')}]);`);
  }
  return out.join('\n');
}

const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
await con.run(`SET TimeZone = 'UTC'; ${viewSql()}`);
await con.run(`CREATE MACRO loc(ts) AS timezone(${q(tz)}, ts AT TIME ZONE 'UTC')`);
// Customers live in 35 US metros (the descriptors end with TOWN ST): a card transaction's local time
// is the zone of the state its in-person merchant names, else the customer's home zone (the zone most of
// their in-person transactions name), else the warehouse's. An analyst's map of the states' zones.
const STATE_ZONES = {
  NY: 'America/New_York', NJ: 'America/New_York', PA: 'America/New_York', DE: 'America/New_York', MD: 'America/New_York', DC: 'America/New_York',
  VA: 'America/New_York', FL: 'America/New_York', GA: 'America/New_York', MA: 'America/New_York', NH: 'America/New_York', NC: 'America/New_York',
  SC: 'America/New_York', OH: 'America/New_York', KY: 'America/New_York', MI: 'America/Detroit', IN: 'America/Indiana/Indianapolis',
  IL: 'America/Chicago', WI: 'America/Chicago', TX: 'America/Chicago', MN: 'America/Chicago', MO: 'America/Chicago', KS: 'America/Chicago',
  TN: 'America/Chicago', CO: 'America/Denver', UT: 'America/Denver', AZ: 'America/Phoenix', CA: 'America/Los_Angeles', WA: 'America/Los_Angeles',
  OR: 'America/Los_Angeles', NV: 'America/Los_Angeles',
};
if (manifest.tables.fact_card_transaction && manifest.tables.dim_merchant) {
  const states = Object.entries(STATE_ZONES).map(([st, zone]) => `(${q(st)}, ${q(zone)})`).join(', ');
  await con.run(`CREATE TEMP TABLE card_zone AS
    WITH mz AS (SELECT m.merchant_id, z.zone FROM dim_merchant m JOIN (VALUES ${states}) z(st, zone) ON regexp_extract(m.name, ' ([A-Z]{2})$', 1) = z.st AND m.name NOT LIKE '%.COM %'),
    t AS (SELECT t.txn_id, t.event_time, t.channel, a.customer_id, mz.zone FROM fact_card_transaction t LEFT JOIN dim_card k USING (card_id) LEFT JOIN dim_account a USING (account_id) LEFT JOIN mz USING (merchant_id)),
    home AS (SELECT customer_id, mode(zone) AS zone FROM t WHERE channel <> 'ecommerce' AND zone IS NOT NULL AND customer_id IS NOT NULL GROUP BY 1)
    SELECT DISTINCT t.txn_id, CASE WHEN t.channel <> 'ecommerce' AND t.zone IS NOT NULL THEN t.zone ELSE coalesce(h.zone, ${q(tz)}) END AS zone
    FROM t LEFT JOIN home h USING (customer_id)`);
  // card transactions with their local wall clock `lt`: where each happened
  await con.run(`CREATE TEMP TABLE card_local AS SELECT t.*, timezone(coalesce(z.zone, ${q(tz)}), t.event_time AT TIME ZONE 'UTC') AS lt FROM fact_card_transaction t LEFT JOIN card_zone z USING (txn_id)`);
} else if (manifest.tables.fact_card_transaction) {
  await con.run(`CREATE TEMP TABLE card_local AS SELECT *, loc(event_time) AS lt FROM fact_card_transaction`);
}
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const results = {};
for (const [id, sql] of Object.entries(FINDINGS)) {
  if (only && !only.includes(id)) continue;
  const t0 = Date.now();
  try {
    const reader = await con.runAndReadAll(sql);
    results[id] = reader.getRowObjectsJson();
  } catch (error) {
    results[id] = [{ error: error instanceof Error ? error.message : String(error) }];
  }
  if (!asJson) {
    process.stdout.write(`\n## ${id}  (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    console.table(results[id]);
  }
}
if (asJson) process.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
}
