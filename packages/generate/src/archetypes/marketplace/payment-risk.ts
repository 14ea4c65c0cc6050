import { pickIndex } from '../../behaviour/segments.js';
import type { Currencies } from './currency.js';
import type { MarketResult } from './market.js';
import { cumulative, type MarketModel } from './model.js';
import type { Buyers, Sellers } from './parties.js';

/** Per order: the buyer's payment method and the failure odds multiplier of its attempts. */
export interface PaymentRisk {
  /** Method names (`payments.methods` keys with a share > 0), in config order. */
  methods: string[];
  /** Per order: index into `methods`. */
  method: Uint8Array;
  /**
   * Per order: failure odds multiplier = method × buyer country × (items USD ÷ reference)^elasticity,
   * scaled so that its mean weighted by the cross-border multiplier is that multiplier's mean: the
   * configured `failure_rate` stays the overall first-attempt failure rate.
   */
  mult: Float64Array;
  /**
   * Per order: fraud-dispute odds multiplier = first order × new account × amount × cross-border ×
   * method (`payments.fraud_risk`), scaled to mean 1 over the window's orders.
   */
  fraud: Float64Array;
}

/** Largest amount effect on the fraud odds. */
const MAX_FRAUD_AMOUNT_EFFECT = 5;

/** Largest amount effect (a $10,000 basket does not fail every time). */
const MAX_AMOUNT_EFFECT = 4;

/**
 * Each buyer's payment method (drawn once per buyer from `payments.methods` shares × the method's
 * odds for the buyer's country: a saved card or wallet is reused; for an order in a currency the method
 * cannot charge (`currencies`), the buyer's fallback, drawn once per buyer and currency from the methods
 * that can) and each window order's failure
 * odds multiplier: the method's `failure_multiplier`, the buyer country's `payment_failure_multiplier`
 * and the order's items in USD (shop currency at its configured rate) relative to
 * `amount_reference_usd`, to the power `amount_elasticity` (capped at ×4). Deterministic in the seed.
 */
export function paymentRisk(m: MarketModel, buyers: Buyers, sellers: Sellers, market: MarketResult, currencies: Currencies): PaymentRisk {
  const p = m.b.payments;
  const methods = Object.keys(p.methods).filter((k) => p.methods[k].share > 0);
  const odds = (c: string, k: string): number => p.methods[k].share * (p.methods[k].country_odds[c] ?? 1);
  const cum = m.countries.map((c) => cumulative(methods.map((k) => odds(c, k))));
  const charges = (k: string, code: string): boolean => p.methods[k].currencies.length === 0 || p.methods[k].currencies.includes(code);
  // fallback odds per currency × buyer country: only methods that charge the currency (all methods when none has odds there)
  const fallback = currencies.codes.map((code) =>
    m.countries.map((c) => {
      const w = methods.map((k) => (charges(k, code) ? odds(c, k) : 0));
      return cumulative(w.some((x) => x > 0) ? w : methods.map((k) => odds(c, k)));
    }),
  );
  const can = methods.map((k) => currencies.codes.map((code) => charges(k, code)));
  const rs = m.rs('payments.method');
  const o = market.orders;
  const li = market.lines;
  const usd = new Float64Array(o.n);
  for (let j = 0; j < li.n; j++) usd[li.order[j]] += (li.qty[j] * li.price[j] * currencies.anchor[currencies.seller[li.seller[j]]]) / 100;
  const cross = new Uint8Array(o.n);
  const cur = new Uint8Array(o.n);
  for (let j = 0; j < li.n; j++) {
    if (li.line[j] !== 1) continue;
    cross[li.order[j]] = sellers.country[li.seller[j]] !== buyers.country[o.buyer[li.order[j]]] ? 1 : 0;
    cur[li.order[j]] = currencies.seller[li.seller[j]];
  }
  const method = new Uint8Array(o.n);
  const mult = new Float64Array(o.n);
  let weighted = 0;
  let base = 0;
  for (let j = 0; j < o.n; j++) {
    const i = o.buyer[j];
    const c = buyers.country[i];
    method[j] = pickIndex(cum[c], rs.uniform(i));
    if (!can[method[j]][cur[j]]) method[j] = pickIndex(fallback[cur[j]][c], rs.uniform(i, cur[j] + 1));
    const amount = Math.min(MAX_AMOUNT_EFFECT, Math.pow(Math.max(usd[j], 1) / p.amount_reference_usd, p.amount_elasticity));
    mult[j] = p.methods[methods[method[j]]].failure_multiplier * m.b.countries[m.countries[c]].payment_failure_multiplier * amount;
    const intl = cross[j] ? p.international_multiplier : 1;
    weighted += mult[j] * intl;
    base += intl;
  }
  const scale = weighted > 0 ? base / weighted : 1;
  for (let j = 0; j < o.n; j++) mult[j] *= scale;
  return { methods, method, mult, fraud: fraudRisk(m, buyers, market, usd, cross, methods, method) };
}

/**
 * Fraud-dispute odds multiplier per window order (`payments.fraud_risk`): × `first_order_multiplier`
 * on the buyer's first order (the earliest window order of a buyer whose first order falls in the
 * window), × `new_account_multiplier` within `new_account_days` of the sign-up, × (items USD ÷
 * `amount_reference_usd`)^`amount_elasticity` (at most ×5), × `cross_border_multiplier` abroad, × the
 * method's `method_multiplier`; scaled to mean 1 over the window's orders. Deterministic (no draw).
 */
function fraudRisk(m: MarketModel, buyers: Buyers, market: MarketResult, usd: Float64Array, cross: Uint8Array, methods: string[], method: Uint8Array): Float64Array {
  const p = m.b.payments;
  const f = p.fraud_risk;
  const o = market.orders;
  const methodMult = methods.map((k) => f.method_multiplier[k] ?? 1);
  // the buyer's earliest window order, when the buyer's first order falls in the window
  const firstOf = new Int32Array(buyers.n).fill(-1);
  for (let j = 0; j < o.n; j++) {
    const i = o.buyer[j];
    if (buyers.firstOrder[i] >= m.startUtc && (firstOf[i] < 0 || o.utc[j] < o.utc[firstOf[i]])) firstOf[i] = j;
  }
  const out = new Float64Array(o.n);
  let sum = 0;
  for (let j = 0; j < o.n; j++) {
    const i = o.buyer[j];
    const amount = Math.min(MAX_FRAUD_AMOUNT_EFFECT, Math.pow(Math.max(usd[j], 1) / p.amount_reference_usd, f.amount_elasticity));
    const fresh = o.utc[j] - buyers.signup[i] < f.new_account_days * 86400 ? f.new_account_multiplier : 1;
    out[j] = (firstOf[i] === j ? f.first_order_multiplier : 1) * fresh * amount * (cross[j] ? f.cross_border_multiplier : 1) * methodMult[method[j]];
    sum += out[j];
  }
  const scale = sum > 0 ? o.n / sum : 1;
  for (let j = 0; j < o.n; j++) out[j] *= scale;
  return out;
}
