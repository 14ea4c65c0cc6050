import { neobankTxnSql, num, round } from '../sql.js';
import type { ProfileSource } from '../source.js';

/** One cell of the retention heatmap. */
export interface CohortCell {
  /** Signup month (YYYY-MM, local). */
  cohort: string;
  /** Calendar month of activity (YYYY-MM, local, inside the window). */
  month: string;
  /** Whole months since the signup month (0 = the signup month). */
  age: number;
  /** Customers of the cohort with ≥ 1 approved card transaction that month. */
  active: number;
  /** active ÷ cohort size. */
  share: number;
}

export interface CohortProfile {
  /** Cohort sizes (all customers who signed up that month, whatever their KYC outcome). */
  sizes: Array<{ cohort: string; customers: number }>;
  cells: CohortCell[];
  /** Per signup year: share active in the first and in the last window month. */
  by_year: Array<{ year: number; customers: number; active_first_month: number | null; active_last_month: number | null }>;
}

/**
 * Cohort retention from the Parquet alone: customers by local signup month (dim_customer.created_at)
 * × months since signup, cell = share of the cohort with at least one approved card transaction in that
 * calendar month (transactions → card → account → customer; deduplicated on txn_id). Only window
 * months have transactions, so older cohorts show their later ages only.
 */
export async function cohortProfile(src: ProfileSource): Promise<CohortProfile> {
  const tx = await neobankTxnSql(src);
  const sizes = await src.q<{ cohort: string; customers: bigint }>(`
    SELECT strftime(date_trunc('month', local_ts(created_at)), '%Y-%m') AS cohort, count(*) AS customers
    FROM dim_customer GROUP BY 1 ORDER BY 1`);
  const active = await src.q<{ cohort: string; month: string; age: number; active: bigint }>(`
    WITH act AS (SELECT DISTINCT customer_id, date_trunc('month', lt) AS m FROM ${tx} WHERE auth_result = 'approved'),
    c AS (SELECT customer_id, date_trunc('month', local_ts(created_at)) AS cm FROM dim_customer)
    SELECT strftime(cm, '%Y-%m') AS cohort, strftime(m, '%Y-%m') AS month, datediff('month', cm, m)::INTEGER AS age, count(*) AS active
    FROM act JOIN c USING (customer_id) WHERE m >= cm GROUP BY ALL`);
  const size = new Map(sizes.map((s) => [s.cohort, num(s.customers)]));
  const months = windowMonths(src.window.start, src.window.end);
  const found = new Map(active.map((a) => [`${a.cohort}|${a.month}`, num(a.active)]));
  const cells: CohortCell[] = [];
  for (const { cohort } of sizes) {
    for (const month of months) {
      if (month < cohort) continue;
      const n = found.get(`${cohort}|${month}`) ?? 0;
      cells.push({ cohort, month, age: monthDiff(cohort, month), active: n, share: round(n / (size.get(cohort) ?? 1)) ?? 0 });
    }
  }
  return { sizes: sizes.map((s) => ({ cohort: s.cohort, customers: num(s.customers) })), cells, by_year: byYear(sizes, cells, months) };
}

function byYear(sizes: Array<{ cohort: string; customers: bigint }>, cells: CohortCell[], months: string[]): CohortProfile['by_year'] {
  const years = [...new Set(sizes.map((s) => Number(s.cohort.slice(0, 4))))];
  const first = months[0];
  const last = months[months.length - 1];
  return years.map((year) => {
    const customers = sizes.filter((s) => s.cohort.startsWith(String(year))).reduce((a, s) => a + num(s.customers), 0);
    const inYear = (month: string) => {
      const eligible = sizes.filter((s) => s.cohort.startsWith(String(year)) && s.cohort <= month);
      const n = eligible.reduce((a, s) => a + num(s.customers), 0);
      const act = cells.filter((c) => c.month === month && c.cohort.startsWith(String(year))).reduce((a, c) => a + c.active, 0);
      return n ? round(act / n) : null;
    };
    return { year, customers, active_first_month: inYear(first), active_last_month: inYear(last) };
  });
}

/** YYYY-MM of every month in [start, end] (YYYY-MM-DD). */
export function windowMonths(start: string, end: string): string[] {
  const out: string[] = [];
  let [y, m] = start.split('-').map(Number);
  const [ey, em] = end.split('-').map(Number);
  while (y < ey || (y === ey && m <= em)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

const monthDiff = (a: string, b: string) => (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));

