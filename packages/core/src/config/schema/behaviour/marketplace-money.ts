import { z } from 'zod';
import { nonNegative, share } from '../common.js';
import { lognormalLag } from './shared.js';
import type { MarketCategoryKey } from './marketplace.js';

/**
 * The marketplace's money rates: the platform fee stack, sales tax by region and shipping by parcel
 * band and route. Cent amounts are USD (converted to the shop's currency at warehouse.currency_rates);
 * every number is a default a config may override
 * (docs/behaviour.md, "Money").
 */

const pct = (max: number) => z.number().finite().min(0).max(max);

const processingRate = (d: { pct: number; fixed_cents: number }, where: string) =>
  z
    .object({
      pct: pct(10).default(d.pct).describe(`${where}: payment-processing fee, % of what the buyer paid (default ${d.pct}).`),
      fixed_cents: nonNegative.default(d.fixed_cents).describe(`${where}: fixed payment-processing fee per order, cents (default ${d.fixed_cents}).`),
    })
    .strict()
    .default({})
    .describe(`${where}: payment-processing rate.`);

/** Card processing by buyer country (Etsy Payments' published rates, converted to USD cents). */
const PROCESSING: Record<string, { pct: number; fixed_cents: number }> = {
  US: { pct: 3, fixed_cents: 25 },
  CA: { pct: 3, fixed_cents: 25 },
  GB: { pct: 4, fixed_cents: 25 },
  DE: { pct: 4, fixed_cents: 32 },
  FR: { pct: 4, fixed_cents: 32 },
  NL: { pct: 4, fixed_cents: 32 },
  AU: { pct: 3, fixed_cents: 16 },
};

/**
 * Loading of each currency's daily USD move on the broad dollar factor: design values that reproduce
 * the usual co-movement of the majors against the dollar (daily EUR/GBP correlation near 0.7, the
 * commodity currencies AUD and CAD near 0.5 with each other and less with the euro).
 */
const FX_USD_FACTOR: Record<string, number> = { EUR: 0.85, GBP: 0.8, AUD: 0.72, CAD: 0.62 };

/** Chargeback fee per currency, local cents (the local fee tables payment processors publish; design values in their range). */
const DISPUTE_FEES: Record<string, number> = { USD: 1500, CAD: 1500, GBP: 2000, EUR: 2000, AUD: 2500 };

export const marketFees = z
  .object({
    transaction_pct: pct(50).default(5).describe('Transaction fee, % of the items after discount plus shipping (default 5: with processing and the offsite-ads fee on ad-attributed orders the take rate lands near 12% of the subtotal).'),
    processing: z
      .record(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO-3166 alpha-2 code'), processingRate({ pct: 3, fixed_cents: 25 }, 'Country'))
      .default(PROCESSING)
      .describe('Payment processing by buyer country (ISO-2 → % and fixed cents); countries not listed use `processing_default`.'),
    processing_default: processingRate({ pct: 3, fixed_cents: 25 }, 'Other countries'),
    offsite_ads_pct: pct(50).default(12).describe('Offsite-ads fee, % of the items after discount, on orders whose last tracked touch before the order was a paid channel (default 12).'),
    offsite_ads_cap_cents: nonNegative.default(10000).describe('Cap of the offsite-ads fee per order, cents (default 10000).'),
    dispute_fee_cents: z
      .record(z.string().regex(/^[A-Z]{3}$/, 'expected an ISO-4217 code'), nonNegative)
      .default(DISPUTE_FEES)
      .describe(
        `The card issuer's chargeback fee per dispute in each currency's own cents (ISO-4217 → cents; default ${Object.entries(DISPUTE_FEES)
          .map(([c, v]) => `${c} ${v}`)
          .join(', ')}: processors publish a local fee per currency, e.g. $15, £20, €20, A$25). A currency not listed pays the USD fee converted at the order day's rate.`,
      ),
  })
  .strict()
  .default({})
  .describe('Platform fee stack (fact_payment.platform_fee_cents): transaction fee + payment processing (% + fixed, by buyer country) + offsite-ads fee on ad-attributed orders.');

const region = z
  .object({
    share: nonNegative.describe("Relative share of the country's buyers living there."),
    rate_pct: pct(30).describe('Sales tax rate collected on the items after discount, % (combined state/provincial and average local rate).'),
  })
  .strict()
  .describe('A tax region (state or province): share of buyers and rate.');

type Regions = Record<string, { share: number; rate_pct: number }>;
const regions = (rows: Array<[string, number, number]>): Regions => Object.fromEntries(rows.map(([k, share, rate_pct]) => [k, { share, rate_pct }]));

/**
 * Every US state and DC: share of the population (Census 2023, %) and combined state + average local
 * sales tax (Tax Foundation, 2024). DE, MT, NH and OR have no general sales tax; AK's is local only.
 */
const US_STATES = regions([
  ['AL', 1.52, 9.29], ['AK', 0.22, 1.82], ['AZ', 2.21, 8.38], ['AR', 0.91, 9.45], ['CA', 11.64, 8.85], ['CO', 1.75, 7.81],
  ['CT', 1.08, 6.35], ['DE', 0.31, 0], ['DC', 0.2, 6.0], ['FL', 6.74, 7.0], ['GA', 3.26, 7.38], ['HI', 0.43, 4.5],
  ['ID', 0.58, 6.03], ['IL', 3.77, 8.86], ['IN', 2.04, 7.0], ['IA', 0.95, 6.94], ['KS', 0.88, 8.65], ['KY', 1.35, 6.0],
  ['LA', 1.36, 9.56], ['ME', 0.42, 5.5], ['MD', 1.84, 6.0], ['MA', 2.09, 6.25], ['MI', 3.0, 6.0], ['MN', 1.71, 8.04],
  ['MS', 0.87, 7.06], ['MO', 1.85, 8.39], ['MT', 0.34, 0], ['NE', 0.59, 6.97], ['NV', 0.95, 8.24], ['NH', 0.42, 0],
  ['NJ', 2.77, 6.6], ['NM', 0.63, 7.62], ['NY', 5.86, 8.53], ['NC', 3.21, 7.0], ['ND', 0.23, 7.04], ['OH', 3.5, 7.24],
  ['OK', 1.21, 8.99], ['OR', 1.26, 0], ['PA', 3.87, 6.34], ['RI', 0.33, 7.0], ['SC', 1.59, 7.5], ['SD', 0.27, 6.11],
  ['TN', 2.12, 9.55], ['TX', 9.1, 8.2], ['UT', 1.02, 7.25], ['VT', 0.19, 6.36], ['VA', 2.6, 5.77], ['WA', 2.33, 9.38],
  ['WV', 0.53, 6.57], ['WI', 1.76, 5.7], ['WY', 0.17, 5.44],
]);

/** Every Canadian province and territory: population share (%) and the GST/HST + PST the marketplace collects. */
const CA_PROVINCES = regions([
  ['ON', 38.5, 13], ['QC', 22.0, 14.975], ['BC', 13.6, 12], ['AB', 11.8, 5], ['MB', 3.6, 12], ['SK', 3.0, 11], ['NS', 2.6, 15],
  ['NB', 2.1, 15], ['NL', 1.4, 15], ['PE', 0.4, 15], ['NT', 0.1, 5], ['YT', 0.1, 5], ['NU', 0.1, 5],
]);

/** Standard VAT/GST rates by buyer country (2024), collected by the marketplace on imports. */
const VAT: Record<string, number> = { GB: 20, DE: 19, FR: 20, NL: 21, IE: 23, ES: 21, IT: 22, BE: 21, AT: 20, SE: 25, DK: 25, FI: 24, PL: 23, PT: 23, NO: 25, CH: 8.1, AU: 10, NZ: 15 };

/** EU member states (one VAT area: a shop anywhere in it is not an importer for a buyer anywhere in it). */
const EU = ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK'];

const iso2 = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO-3166 alpha-2 code');

export const marketTax = z
  .object({
    regions: z
      .record(iso2, z.record(z.string().min(1), region))
      .default({ US: US_STATES, CA: CA_PROVINCES })
      .describe('Sales-tax regions per buyer country (ISO-2 → region → share and rate; defaults: every US state and DC, every Canadian province and territory). Each buyer lives in one region, drawn once from the shares.'),
    vat_pct: z
      .record(iso2, pct(30).describe('VAT/GST rate of the country, %.'))
      .default(VAT)
      .describe('VAT/GST rate by buyer country, % (default: standard rates of the UK, EU members, NO, CH, AU and NZ). Charged on the items after discount plus shipping, in tax_cents.'),
    vat_scope: z
      .enum(['imports', 'all'])
      .default('imports')
      .describe("Which orders the marketplace collects VAT on: `imports` (default; marketplace-facilitator rules: the shop is outside the buyer's VAT area — the EU counts as one — and a domestic shop's price already includes the VAT it remits itself) or `all` (every order to a VAT country)."),
    vat_areas: z
      .record(z.string().min(1), z.array(iso2).min(1).describe('Member countries (ISO-2) of this VAT area.'))
      .default({ EU })
      .describe('Groups of countries forming one VAT area (default: the EU member states); a country in no group is its own area.'),
  })
  .strict()
  .default({})
  .describe('Tax collected by the platform (marketplace-facilitator rules): US sales tax by state, Canadian GST/HST/PST by province, VAT/GST on imports to VAT countries.');

/**
 * Price endings (cents after the unit) per shop currency, as sellers in each market price: US and
 * Canadian shops mostly charm-price (.99, .95), European and Australian shops more often round (.00)
 * or end in .90/.50 (EUR) and .95 (AUD); every market has some quarter endings (.25, .75), odd
 * endings (.45, .49, .80) and a few arbitrary cents ("xx": any of .00–.99, a handmade seller's own
 * arithmetic). Design shares, not a published statistic.
 */
const ENDINGS: Record<string, Record<string, number>> = {
  USD: { '99': 0.46, '00': 0.18, '95': 0.08, '50': 0.06, '49': 0.04, '25': 0.025, '75': 0.025, '98': 0.015, '45': 0.01, '89': 0.01, xx: 0.06 },
  EUR: { '00': 0.3, '99': 0.17, '50': 0.15, '90': 0.14, '95': 0.1, '80': 0.025, '49': 0.02, '45': 0.015, '75': 0.01, '25': 0.01, xx: 0.06 },
  GBP: { '99': 0.31, '00': 0.28, '50': 0.16, '95': 0.12, '49': 0.025, '75': 0.02, '25': 0.02, '45': 0.01, xx: 0.055 },
  CAD: { '99': 0.44, '00': 0.25, '50': 0.1, '95': 0.08, '49': 0.025, '75': 0.02, '25': 0.02, '45': 0.01, xx: 0.055 },
  AUD: { '00': 0.4, '95': 0.22, '50': 0.13, '99': 0.12, '90': 0.03, '45': 0.015, '75': 0.01, '25': 0.01, xx: 0.045 },
};

export const marketCurrency = z
  .object({
    price_endings: z
      .record(
        z.string().regex(/^[A-Z]{3}$/, 'expected an ISO-4217 code'),
        z
          .record(z.string().regex(/^([0-9]{2}|xx)$/, 'expected two digits (cents), e.g. "99", or "xx" for arbitrary cents'), nonNegative.describe('Relative share of listings with this ending.'))
          .describe('Endings of one currency (cents → share; "xx" = any cents .00–.99, uniformly).'),
      )
      .default(ENDINGS)
      .describe(
        'Price endings per shop currency (currency → cents ending such as "99", "50", "00", or "xx" for arbitrary cents → relative share; default: USD mostly .99, EUR .00/.99/.50/.90, GBP .99/.00, CAD .99, AUD .00/.95, each with some quarter, odd and arbitrary endings). A listing priced in that currency sits on one ending for life (a reprice keeps it); currencies not listed end in .99 or .00; when USD is not listed, USD listings keep the simulation\'s own price points (.99, some round .00, .49 under $10).',
      ),
    fx_daily_sigma_pct: z.number().finite().min(0).max(5).default(0.45).describe("Long-run daily log-sd of each currency's USD rate in dim_fx_rate on a trading day, % (default 0.45, about a major pair's daily move); jumps come on top."),
    fx_reversion: z
      .number()
      .finite()
      .min(0)
      .max(1)
      .default(0.004)
      .describe('Daily pull of each rate back towards warehouse.currency_rates (Ornstein-Uhlenbeck; default 0.004: half-life about six months, so a rate trends for months and wanders some 5% around its level).'),
    fx_usd_factor: z
      .record(z.string().regex(/^[A-Z]{3}$/, 'expected an ISO-4217 code'), share.describe('Correlation of the currency\'s daily move with the broad dollar move (0–1).'))
      .default(FX_USD_FACTOR)
      .describe(
        `How much of each currency's daily move is the broad dollar's (a common factor; the rest is the currency's own): currency → loading ρ, so two currencies' daily moves correlate ρ₁·ρ₂ (default ${Object.entries(FX_USD_FACTOR)
          .map(([c, v]) => `${c} ${v}`)
          .join(', ')}: EUR/GBP 0.68, AUD/CAD 0.45, as the majors co-move against the dollar). A currency not listed moves on its own.`,
      ),
    fx_garch: z
      .object({
        alpha: share.default(0.07).describe('Weight of yesterday\'s squared shock in today\'s variance (GARCH(1,1) alpha; default 0.07).'),
        beta: share.default(0.91).describe('Persistence of yesterday\'s variance (GARCH(1,1) beta; default 0.91). alpha + beta must stay below 1.'),
      })
      .strict()
      .default({})
      .refine((g) => g.alpha + g.beta < 1, { message: 'fx_garch.alpha + fx_garch.beta must be below 1 (else the variance explodes)' })
      .describe('Volatility clustering of daily FX moves (GARCH(1,1) on each factor, long-run variance = fx_daily_sigma_pct²): calm and turbulent stretches of weeks (defaults typical of fitted major-pair GARCH models).'),
    fx_tail_df: z
      .number()
      .int()
      .min(3)
      .max(100)
      .default(8)
      .describe("Degrees of freedom of the Student-t shocks of daily FX moves (default 8: with the volatility clustering daily moves have an excess kurtosis near 3–4 and moves of 4 sd a few times a year, as major pairs do; 100 ≈ normal)."),
    fx_jumps_per_year: z.number().finite().min(0).max(50).default(2).describe("Jumps per currency and year (a central-bank surprise or political shock moving one currency at the day's fix; default 2)."),
    fx_jump_sigma_pct: z.number().finite().min(0).max(10).default(1.2).describe('Log-sd of a jump, % (default 1.2).'),
  })
  .strict()
  .default({})
  .describe("Money in the shop's currency: listings are priced in the shop country's currency at local price points, orders are recorded in it, and dim_fx_rate holds a dated USD rate per currency (weekends repeat Friday's).");

const band = (d: { domestic_cents: number; international_cents: number; extra_item_pct: number }, name: string) =>
  z
    .object({
      domestic_cents: nonNegative.default(d.domestic_cents).describe(`${name}: typical domestic shipping, cents (default ${d.domestic_cents}).`),
      international_cents: nonNegative.default(d.international_cents).describe(`${name}: typical international shipping, cents (default ${d.international_cents}).`),
      extra_item_pct: pct(100).default(d.extra_item_pct).describe(`${name}: each extra unit adds this % of the first (default ${d.extra_item_pct}).`),
    })
    .strict()
    .default({})
    .describe(`${name} parcels.`);

/** Parcel band (0 letter … 3 large) each category's items usually ship in; a listing may be one band off. */
const CATEGORY_BAND: Record<MarketCategoryKey, number> = {
  jewelry: 0,
  home_living: 2,
  clothing: 1,
  accessories: 1,
  art_collectibles: 2,
  craft_supplies: 1,
  weddings: 1,
  toys_games: 2,
  vintage: 2,
  bath_beauty: 1,
};

/** Shipping block; the category keys come from the caller (marketplace.ts owns them). */
export const marketShipping = (categoryKeys: readonly MarketCategoryKey[]) =>
  z
  .object({
    letter: band({ domestic_cents: 150, international_cents: 450, extra_item_pct: 10 }, 'Letter'),
    small: band({ domestic_cents: 450, international_cents: 1400, extra_item_pct: 30 }, 'Small'),
    medium: band({ domestic_cents: 850, international_cents: 2600, extra_item_pct: 40 }, 'Medium'),
    large: band({ domestic_cents: 1500, international_cents: 4800, extra_item_pct: 50 }, 'Large'),
    category_band: z
      .object(Object.fromEntries(categoryKeys.map((k) => [k, z.number().int().min(0).max(3).default(CATEGORY_BAND[k]).describe(`Usual parcel band of ${k} (0 letter, 1 small, 2 medium, 3 large; default ${CATEGORY_BAND[k]}).`)])) as Record<MarketCategoryKey, z.ZodDefault<z.ZodNumber>>)
      .strict()
      .default({} as never)
      .describe('Usual parcel band per top-level category; 30% of listings ship one band smaller or larger.'),
    seller_price_sigma: z.number().finite().min(0).max(1).default(0.2).describe("Log-sd of a listing's shipping price around its band's rate (sellers set their own; default 0.2)."),
    free_shipping_share: share.default(0.3).describe('Share of listings that ship free domestically (price includes shipping; default 0.3).'),
    free_over_cents: nonNegative.default(3500).describe('Domestic orders from one shop at or above this item value ship free (US sellers\' $35 guarantee; default 3500).'),
    free_international: z
      .object({
        shop_share: share.default(0.15).describe('Share of shops that offer free international shipping (default 0.15: a minority of sellers absorb the international postage).'),
        over_share: share.default(0.6).describe('Share of those shops that offer it only at or above `over_cents` of items (default 0.6); the others on every order.'),
        over_cents: nonNegative.default(7500).describe('Item value, USD cents (converted to the shop\'s currency at its configured rate), from which a threshold shop ships abroad free (default 7500).'),
      })
      .strict()
      .default({})
      .describe('Free international shipping: a share of shops (drawn once per shop) ship cross-border orders free, most only above an item-value threshold. Design values: a minority of sellers, often above a threshold.'),
  })
  .strict()
  .default({})
  .describe('Shipping charged to the buyer: the largest parcel band of the order (seller-set price per listing), extra units, domestic or international route, free-shipping listings and threshold, shops shipping free abroad.');

/**
 * Why buyers dispute a payment with their card issuer: relative odds, the share the platform wins
 * (tracking or delivery proof; fraud is mostly lost), the share of disputes on a multi-unit order that
 * contest one item (one line of several, else one unit) rather than the whole payment, and the lags.
 * Lag design values after the card networks' timelines: a fraud dispute follows the statement the
 * cardholder reads (up to a month after the charge, then a few days); a not-received one only after
 * the delivery estimate and the wait issuers require; not-as-described soon after delivery; a
 * duplicate as soon as the two charges show; a credit-not-processed one after a return was not
 * credited. A contested dispute the platform wins takes the longest (about 30 days to answer with
 * evidence, then the issuer's review); a lost one is often accepted without contest and closes sooner.
 */
const DISPUTE_REASONS = {
  fraudulent: { odds: 0.45, win_rate: 0.2, partial_share: 0, open: [26, 0.45], won: [70, 0.25], lost: [14, 0.5], why: 'the cardholder finds the charge on a statement' },
  product_not_received: { odds: 0.3, win_rate: 0.6, partial_share: 0.35, open: [38, 0.3], won: [60, 0.3], lost: [35, 0.4], why: 'after the delivery estimate has passed' },
  not_as_described: { odds: 0.15, win_rate: 0.35, partial_share: 0.6, open: [16, 0.5], won: [65, 0.3], lost: [40, 0.4], why: 'soon after delivery' },
  duplicate: { odds: 0.05, win_rate: 0.5, partial_share: 0, open: [9, 0.6], won: [45, 0.3], lost: [20, 0.5], why: 'when the two charges show' },
  credit_not_processed: { odds: 0.05, win_rate: 0.45, partial_share: 0.6, open: [50, 0.4], won: [55, 0.3], lost: [30, 0.4], why: 'after a return that was not credited' },
} as const;

type DisputeReasonKey = keyof typeof DISPUTE_REASONS;
const disputeLag = ([days, sigma]: readonly [number, number], what: string) => lognormalLag(days * 24, sigma, what);

export const marketDisputeReasons = z
  .object(
    Object.fromEntries(
      Object.entries(DISPUTE_REASONS).map(([k, v]) => [
        k,
        z
          .object({
            odds: nonNegative.default(v.odds).describe(`Relative odds of ${k} (default ${v.odds}).`),
            win_rate: share.default(v.win_rate).describe(`Share of ${k} disputes the platform wins with evidence (default ${v.win_rate}).`),
            partial_share: share
              .default(v.partial_share)
              .describe(`Share of ${k} disputes of an order with more than one unit that contest one item (a line of several, else one unit) instead of the whole payment (default ${v.partial_share}).`),
            open_lag: disputeLag(v.open, `Capture to a ${k} dispute being opened (${v.why}; at least 2 days)`),
            won_lag: disputeLag(v.won, `A ${k} dispute opened to being won (evidence submitted, the issuer's review)`),
            lost_lag: disputeLag(v.lost, `A ${k} dispute opened to being lost (often accepted without contest)`),
          })
          .strict()
          .default({})
          .describe(`Disputes of reason ${k}: relative odds, share won, partial share and lags.`),
      ]),
    ) as Record<DisputeReasonKey, z.ZodDefault<z.ZodObject<{ odds: z.ZodDefault<z.ZodNumber>; win_rate: z.ZodDefault<z.ZodNumber>; partial_share: z.ZodDefault<z.ZodNumber>; open_lag: ReturnType<typeof lognormalLag>; won_lag: ReturnType<typeof lognormalLag>; lost_lag: ReturnType<typeof lognormalLag> }>>>,
  )
  .strict()
  .default({})
  .describe('Dispute reasons: relative odds, the share won (tracking proof wins not-received disputes; fraud is mostly lost), the share contesting one item, the lag from capture to opening and from opening to a win or a loss.');

/**
 * Fraud odds multipliers per payment method (design values after card-not-present fraud reports:
 * keyed cards carry most fraud; tokenised, device-authenticated wallets the least; PayPal and
 * pay-later providers screen the buyer themselves; an iDEAL bank transfer is authorised in the bank's
 * app and can hardly be disputed as unauthorised).
 */
const FRAUD_METHOD: Record<string, number> = { card: 1.4, paypal: 0.6, wallet: 0.3, klarna: 0.5, ideal: 0.05 };

export const marketFraudRisk = z
  .object({
    first_order_multiplier: z.number().finite().min(0).max(50).default(4).describe("Fraud-dispute odds multiplier on a buyer's first order (stolen cards are used on fresh accounts; default 4)."),
    new_account_days: nonNegative.default(7).describe('An order placed within this many days of the buyer signing up is a new-account order (default 7).'),
    new_account_multiplier: z.number().finite().min(0).max(50).default(2.5).describe('Fraud-dispute odds multiplier on new-account orders, on top of the first-order one (default 2.5).'),
    amount_elasticity: nonNegative
      .default(0.6)
      .describe("Fraud-dispute odds × (the order's items in USD ÷ payments.amount_reference_usd)^elasticity, at most ×5 (default 0.6: a $150 order about 5× a $10 one — fraudsters buy what resells)."),
    cross_border_multiplier: z.number().finite().min(0).max(50).default(3).describe('Fraud-dispute odds multiplier when buyer and shop are in different countries (default 3).'),
    method_multiplier: z
      .record(z.string().min(1), z.number().finite().min(0).max(50).describe('Fraud-dispute odds multiplier of this payment method.'))
      .default(FRAUD_METHOD)
      .describe(
        `Fraud-dispute odds multiplier per payment method (a payments.methods key, or a default method name a config dropped → multiplier; default ${Object.entries(FRAUD_METHOD)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}: keyed cards carry most fraud, device-authenticated wallets the least, bank-app payments almost none); methods not listed 1.`,
      ),
  })
  .strict()
  .default({})
  .describe(
    "Who is disputed as fraud: the odds of a fraudulent dispute follow the order's risk (first order, new account, amount, cross-border, payment method), scaled so their mean over the window's orders is 1 — `dispute_rate` × the fraudulent odds share stays fraud's overall rate.",
  );
