import { z } from 'zod';
import { nonNegative, share } from '../common.js';
import type { MarketCategoryKey } from './marketplace.js';

/**
 * The marketplace's money rates: the platform fee stack, sales tax by region and shipping by parcel
 * band and route. Amounts are USD cents; every number is a default a config may override
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

export const marketFees = z
  .object({
    transaction_pct: pct(50).default(4.5).describe('Transaction fee, % of the items after discount plus shipping (default 4.5).'),
    processing: z
      .record(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO-3166 alpha-2 code'), processingRate({ pct: 3, fixed_cents: 25 }, 'Country'))
      .default(PROCESSING)
      .describe('Payment processing by buyer country (ISO-2 → % and fixed cents); countries not listed use `processing_default`.'),
    processing_default: processingRate({ pct: 3, fixed_cents: 25 }, 'Other countries'),
    offsite_ads_pct: pct(50).default(12).describe('Offsite-ads fee, % of the items after discount, on orders whose last tracked touch before the order was a paid channel (default 12).'),
    offsite_ads_cap_cents: nonNegative.default(10000).describe('Cap of the offsite-ads fee per order, cents (default 10000).'),
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
  .describe('A tax region (state or province; `other` = the rest of the country): share of buyers and rate.');

/** US states by population share with combined state + average local sales tax (Tax Foundation 2024, rounded); 'other' is the rest. */
const US_STATES: Record<string, { share: number; rate_pct: number }> = {
  CA: { share: 11.7, rate_pct: 8.85 },
  TX: { share: 9.1, rate_pct: 8.2 },
  FL: { share: 6.8, rate_pct: 7.0 },
  NY: { share: 5.8, rate_pct: 8.53 },
  PA: { share: 3.9, rate_pct: 6.34 },
  IL: { share: 3.8, rate_pct: 8.86 },
  OH: { share: 3.5, rate_pct: 7.24 },
  GA: { share: 3.3, rate_pct: 7.38 },
  NC: { share: 3.2, rate_pct: 7.0 },
  MI: { share: 3.0, rate_pct: 6.0 },
  NJ: { share: 2.8, rate_pct: 6.6 },
  VA: { share: 2.6, rate_pct: 5.77 },
  WA: { share: 2.3, rate_pct: 9.38 },
  AZ: { share: 2.2, rate_pct: 8.37 },
  TN: { share: 2.1, rate_pct: 9.55 },
  MA: { share: 2.1, rate_pct: 6.25 },
  CO: { share: 1.8, rate_pct: 7.81 },
  OR: { share: 1.3, rate_pct: 0 },
  MT: { share: 0.3, rate_pct: 0 },
  NH: { share: 0.4, rate_pct: 0 },
  DE: { share: 0.3, rate_pct: 0 },
  other: { share: 27.7, rate_pct: 6.9 },
};

/** Canadian provinces: GST/HST and PST the marketplace collects. */
const CA_PROVINCES: Record<string, { share: number; rate_pct: number }> = {
  ON: { share: 38.5, rate_pct: 13 },
  QC: { share: 22, rate_pct: 14.975 },
  BC: { share: 13.6, rate_pct: 12 },
  AB: { share: 11.8, rate_pct: 5 },
  MB: { share: 3.6, rate_pct: 12 },
  SK: { share: 3, rate_pct: 11 },
  NS: { share: 2.6, rate_pct: 15 },
  other: { share: 4.9, rate_pct: 13 },
};

export const marketTax = z
  .object({
    regions: z
      .record(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO-3166 alpha-2 code'), z.record(z.string().min(1), region))
      .default({ US: US_STATES, CA: CA_PROVINCES })
      .describe('Sales-tax regions per buyer country (ISO-2 → region → share and rate). Each buyer lives in one region, drawn once from the shares; countries not listed collect no tax on top of the price (VAT is inside EU/UK/AU prices).'),
  })
  .strict()
  .default({})
  .describe('Sales tax collected by the platform (marketplace-facilitator rules) by the buyer\'s region.');

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
  })
  .strict()
  .default({})
  .describe('Shipping charged to the buyer: the largest parcel band of the order (seller-set price per listing), extra units, domestic or international route, free-shipping listings and threshold.');
