import { z } from 'zod';
import { isoDate, nonNegative, share } from '../common.js';
import { marketCurrency, marketDisputeReasons, marketFees, marketFraudRisk, marketShipping, marketTax } from './marketplace-money.js';
import {
  activityCurve,
  behaviourName,
  calendarEvents,
  checkBehaviourRefs,
  dayShape,
  inflow,
  lognormalLag,
  monthCurve,
  tenureHazard,
  trajectories,
  vintage,
  weekCurve,
} from './shared.js';

/**
 * The marketplace's behaviour model (an Etsy-like marketplace of handmade, vintage and supply goods):
 * buyers and sellers with segments, vintage and churn from sign-up; listings with appeal, price and
 * stock whose state machine follows sales and the shop's state; demand that picks a category, then a
 * listing by appeal and price, with seller loyalty and a home-country bias. Every number is a default a
 * config may override; docs/behaviour.md explains each block.
 */

const positive = z.number().finite().positive();

/** A [min, max] band of a measured value (min ≤ max). */
const band = (min: number, max: number, what: string) =>
  z
    .object({ min: share.default(min).describe(`${what}: lowest value that passes (default ${min}).`), max: share.default(max).describe(`${what}: highest value that passes (default ${max}).`) })
    .strict()
    .default({})
    .refine((b) => b.min <= b.max, { message: 'min must not exceed max' })
    .describe(`${what}: the band (default ${min}–${max}).`);

/** Top-level categories by key (the taxonomy's ten; keys used by popularity, affinities and calendar effects). */
export const MARKET_CATEGORY_KEYS = [
  'jewelry',
  'home_living',
  'clothing',
  'accessories',
  'art_collectibles',
  'craft_supplies',
  'weddings',
  'toys_games',
  'vintage',
  'bath_beauty',
] as const;

/**
 * Leaf categories of each top-level category, most popular first (the rank `listings.subcategory_zipf`
 * weights). The generator's taxonomy (dim_category) is built from these names.
 */
export const MARKET_LEAVES: Readonly<Record<(typeof MARKET_CATEGORY_KEYS)[number], readonly string[]>> = {
  jewelry: ['Necklaces', 'Earrings', 'Rings', 'Bracelets', 'Charms', 'Brooches', 'Anklets', 'Body Jewelry', 'Cufflinks', 'Watches', 'Jewelry Storage'],
  home_living: ['Home Decor', 'Wall Art', 'Candles', 'Kitchen Linens', 'Ceramics', 'Pillows', 'Lighting', 'Outdoor & Garden', 'Bedding', 'Storage', 'Rugs', 'Furniture'],
  clothing: ['Tops', 'Dresses', 'Sweaters', 'Kids Clothing', 'Costumes', 'Jackets', 'Skirts', 'Trousers', 'Sleepwear'],
  accessories: ['Bags', 'Hats', 'Hair Accessories', 'Scarves', 'Keychains', 'Wallets', 'Belts'],
  art_collectibles: ['Prints', 'Paintings', 'Photography', 'Drawings', 'Posters', 'Sculpture', 'Collectible Figures'],
  craft_supplies: ['Beads', 'Fabric', 'Patterns', 'Yarn', 'Stickers', 'Paper', 'Embellishments', 'Paints', 'Tools', 'Stamps', 'Sewing Notions'],
  weddings: ['Invitations', 'Decorations', 'Bridal Accessories', 'Favors', 'Gifts'],
  toys_games: ['Plush', 'Wooden Toys', 'Baby Toys', 'Puzzles', 'Dolls', 'Board Games'],
  vintage: ['Vintage Clothing', 'Vintage Home', 'Vintage Jewelry', 'Vintage Glassware', 'Vintage Toys', 'Vintage Books', 'Vintage Records'],
  bath_beauty: ['Soaps', 'Skin Care', 'Bath Bombs', 'Fragrance', 'Hair Care'],
};

const LEAF_NAMES = Object.values(MARKET_LEAVES).flat() as [string, ...string[]];

/**
 * Month-of-year shape of single leaf categories, January first, on top of their parent's season
 * (design values: costumes sell for Halloween in September–October and hardly after; sweaters and
 * scarves in the cold months; garden goods in spring; candles in autumn and the holidays). Each
 * averages about 1 over the year, so a leaf keeps roughly its share of its parent's year.
 */
const LEAF_SEASON: Record<string, number[]> = {
  Costumes: [0.5, 0.5, 0.55, 0.55, 0.6, 0.6, 0.65, 0.9, 2.0, 4.5, 0.5, 0.55],
  Sweaters: [1.5, 1.2, 0.9, 0.6, 0.45, 0.35, 0.35, 0.5, 0.9, 1.4, 1.7, 1.8],
  Scarves: [1.4, 1.1, 0.8, 0.6, 0.5, 0.4, 0.4, 0.5, 0.8, 1.3, 1.6, 1.7],
  'Outdoor & Garden': [0.5, 0.6, 1.1, 1.7, 1.9, 1.6, 1.3, 1.0, 0.8, 0.6, 0.5, 0.5],
  Candles: [0.9, 0.9, 0.85, 0.8, 0.85, 0.75, 0.7, 0.75, 1.0, 1.3, 1.35, 1.3],
};
export type MarketCategoryKey = (typeof MARKET_CATEGORY_KEYS)[number];

const categoryWeights = (d: Record<MarketCategoryKey, number>, what: string) =>
  z
    .object(Object.fromEntries(MARKET_CATEGORY_KEYS.map((k) => [k, nonNegative.default(d[k]).describe(`${what}: ${k} (default ${d[k]}).`)])) as Record<MarketCategoryKey, z.ZodDefault<z.ZodNumber>>)
    .strict()
    .default({} as never)
    .describe(what);

/** Share of demand per top-level category (relative; Etsy's public category mix: home, jewelry and craft supplies lead). */
const POPULARITY: Record<MarketCategoryKey, number> = {
  jewelry: 1.5,
  home_living: 1.9,
  clothing: 1.1,
  accessories: 0.9,
  art_collectibles: 0.8,
  craft_supplies: 1.4,
  weddings: 0.35,
  toys_games: 0.55,
  vintage: 0.7,
  bath_beauty: 0.8,
};

/**
 * Month-of-year shape of each top-level category's demand, January first (design values after the
 * public seasonality of handmade/vintage marketplaces and US retail: toys and gifts peak two to three
 * times over in December, weddings follow the May–September wedding season and fall away in the
 * holidays, home and garden lift in spring, clothing lifts in October (the Halloween costumes themselves: `listings.leaf_season`), craft
 * supplies are strongest in the winter making months and weakest in December, when makers buy gifts).
 * Relative to `month_of_year`, which keeps the total: in each month the categories' shares of demand
 * are popularity × this multiplier, normalised so the total follows `month_of_year`; popularity is
 * rescaled so each category keeps its `category_popularity` share of the year's demand.
 */
const CATEGORY_SEASON: Record<MarketCategoryKey, number[]> = {
  jewelry: [0.85, 1.2, 0.9, 0.95, 1.1, 0.9, 0.85, 0.85, 0.9, 0.95, 1.15, 1.45],
  home_living: [0.85, 0.9, 1.25, 1.45, 1.4, 1.15, 0.95, 0.9, 0.95, 0.9, 0.8, 0.65],
  clothing: [0.95, 0.9, 0.95, 0.95, 0.95, 0.9, 0.85, 0.95, 1.05, 1.25, 0.95, 0.9],
  accessories: [0.95, 1.0, 0.95, 0.95, 1.0, 0.95, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2],
  art_collectibles: [1.0, 0.95, 1.0, 1.0, 1.0, 0.95, 0.9, 0.95, 1.0, 1.0, 1.05, 1.15],
  craft_supplies: [1.35, 1.25, 1.2, 1.05, 0.95, 0.9, 0.9, 0.95, 1.1, 1.15, 0.8, 0.55],
  weddings: [0.55, 0.65, 0.9, 1.2, 1.55, 1.75, 1.6, 1.5, 1.4, 1.0, 0.5, 0.3],
  toys_games: [0.65, 0.65, 0.7, 0.75, 0.75, 0.7, 0.7, 0.75, 0.8, 0.95, 1.55, 2.3],
  vintage: [1.05, 1.0, 1.0, 1.0, 1.0, 0.95, 0.95, 0.95, 1.0, 1.0, 1.05, 1.05],
  bath_beauty: [0.9, 1.1, 0.95, 0.95, 1.1, 0.9, 0.85, 0.9, 0.95, 1.0, 1.2, 1.4],
};

const categorySeason = z
  .object(
    Object.fromEntries(
      MARKET_CATEGORY_KEYS.map((k) => [k, monthCurve(CATEGORY_SEASON[k], `Month-of-year multipliers of ${k} demand, January first (default ${CATEGORY_SEASON[k].join(', ')}).`)]),
    ) as Record<MarketCategoryKey, ReturnType<typeof monthCurve>>,
  )
  .strict()
  .default({} as never)
  .describe(
    "Seasonality per top-level category (category → 12 monthly multipliers, January first): each month's demand is shared among the categories by popularity × the category's multiplier, normalised so the month's total follows `month_of_year`, and popularity is rescaled so every category keeps its `category_popularity` share of the year (all ones = every category has the marketplace's season). Applies to every order's category, the buyers' favourite-category orders included (a favourite out of season yields orders to the in-season categories). Defaults: toys and gifts peak in December, weddings in May–September, home in spring, clothing in October (costumes; their own peak is in `listings.leaf_season`), craft supplies in winter.",
  );

interface BuyerSegmentDefaults {
  share: number;
  frequency: number;
  first_order: number;
  basket: number;
  category_focus: number;
  price_sensitivity: number;
  loyalty: number;
  affinity: Partial<Record<MarketCategoryKey, number>>;
  churn: { monthly: number; early_multiplier: number; early_months: number };
  activity: { ramp_days: number; long_run: number; half_life_days: number };
}

const buyerSegment = (d: BuyerSegmentDefaults, name: string) =>
  z
    .object({
      share: share.default(d.share).describe(`${name}: share of new buyers at the population mix (new-segment default ${d.share}); vintage tilts move it over time.`),
      frequency: positive.default(d.frequency).describe(`${name}: repeat-order intensity relative to the population (new-segment default ${d.frequency}).`),
      first_order: share.default(d.first_order).describe(`${name}: share of sign-ups who ever place a first order (new-segment default ${d.first_order}).`),
      basket: positive.default(d.basket).describe(`${name}: multiplier on the odds of each extra order line (new-segment default ${d.basket}; 1 = the population basket mix).`),
      category_focus: share.default(d.category_focus).describe(`${name}: share of orders in the buyer's two favourite categories (new-segment default ${d.category_focus}).`),
      price_sensitivity: share.default(d.price_sensitivity).describe(`${name}: share of orders chosen with the strong price elasticity (bargain search; new-segment default ${d.price_sensitivity}).`),
      loyalty: share.default(d.loyalty).describe(`${name}: share of repeat orders placed with a shop the buyer bought from before (new-segment default ${d.loyalty}).`),
      affinity: categoryWeights(
        Object.fromEntries(MARKET_CATEGORY_KEYS.map((k) => [k, d.affinity[k] ?? 1])) as Record<MarketCategoryKey, number>,
        `${name}: multipliers on category popularity when the buyer's favourite categories are drawn`,
      ),
      churn: tenureHazard(d.churn.monthly, d.churn.early_multiplier, d.churn.early_months, `${name}: buyer lapse (stops ordering)`),
      activity: activityCurve(d.activity, `${name}: order activity`),
    })
    .strict()
    .describe('A buyer segment: its share of new buyers and its behaviour.');

/**
 * Buyer segments: gift shoppers buy a few times a year and spend on the gift (few bargain searches),
 * regulars monthly, crafters restock cheap supplies often (bargain searches, bigger baskets), collectors
 * chase vintage and art whatever the price — so order value differs by segment, and frequent buyers
 * (mostly crafters) place smaller orders than occasional gift buyers.
 *
 * Lapse is steep in the first weeks after sign-up and slow after (`early_multiplier` 48–56 fading
 * with `early_months` 1.3–1.5, then 0.5–1% a month), and activity is highest right after the first
 * order (`long_run` 0.5–0.75 of it after a few months): about half of a sign-up cohort's buyers order
 * once and never again, retention falls steeply over the first months and then flattens, and 6–11%
 * of the sign-ups of earlier years order in a given month. Design targets after Etsy's annual reports
 * (2021–2023): of some 90–96 million buyers active in a year, roughly 40–45% are repeat buyers
 * (purchases on two or more days in twelve months) and under a tenth habitual (six or more days and
 * $200+), who carry a large share of GMV.
 */
const BUYER_SEGMENTS: Record<string, BuyerSegmentDefaults> = {
  gift_shopper: {
    share: 0.42,
    frequency: 0.6,
    first_order: 0.92,
    basket: 0.8,
    category_focus: 0.35,
    price_sensitivity: 0.2,
    loyalty: 0.06,
    affinity: { jewelry: 1.6, home_living: 1.3, bath_beauty: 1.4, craft_supplies: 0.3, vintage: 0.6 },
    churn: { monthly: 0.01, early_multiplier: 56, early_months: 1.3 },
    activity: { ramp_days: 2, long_run: 0.5, half_life_days: 60 },
  },
  regular: {
    share: 0.3,
    frequency: 1.0,
    first_order: 0.94,
    basket: 1.0,
    category_focus: 0.55,
    price_sensitivity: 0.45,
    loyalty: 0.15,
    affinity: {},
    churn: { monthly: 0.007, early_multiplier: 54, early_months: 1.5 },
    activity: { ramp_days: 3, long_run: 0.6, half_life_days: 90 },
  },
  crafter: {
    share: 0.16,
    frequency: 1.6,
    first_order: 0.94,
    basket: 1.3,
    category_focus: 0.8,
    price_sensitivity: 0.92,
    loyalty: 0.28,
    affinity: { craft_supplies: 6, art_collectibles: 0.6, weddings: 0.6 },
    churn: { monthly: 0.005, early_multiplier: 48, early_months: 1.5 },
    activity: { ramp_days: 5, long_run: 0.75, half_life_days: 150 },
  },
  collector: {
    share: 0.12,
    frequency: 1.25,
    first_order: 0.93,
    basket: 0.9,
    category_focus: 0.85,
    price_sensitivity: 0.05,
    loyalty: 0.22,
    affinity: { vintage: 4, art_collectibles: 3, craft_supplies: 0.3, bath_beauty: 0.4 },
    churn: { monthly: 0.005, early_multiplier: 56, early_months: 1.5 },
    activity: { ramp_days: 5, long_run: 0.7, half_life_days: 150 },
  },
};

const NEW_BUYER_SEGMENT: BuyerSegmentDefaults = { ...BUYER_SEGMENTS.regular, share: 0 };

interface SellerSegmentDefaults {
  share: number;
  size: number;
  size_sigma: number;
  quality: number;
  stock: number;
  restock: number;
  vacation_per_year: number;
  churn: { monthly: number; early_multiplier: number; early_months: number };
}

const sellerSegment = (d: SellerSegmentDefaults, name: string) =>
  z
    .object({
      share: share.default(d.share).describe(`${name}: share of new shops (new-segment default ${d.share}).`),
      size: positive.default(d.size).describe(`${name}: listing-creation rate relative to the population (new-segment default ${d.size}).`),
      size_sigma: z.number().finite().min(0).max(3).default(d.size_sigma).describe(`${name}: log-sd of the per-shop size multiplier (new-segment default ${d.size_sigma}; sizes are heavy-tailed).`),
      quality: positive.default(d.quality).describe(`${name}: appeal multiplier of the shop's listings (photos, reviews, search rank; new-segment default ${d.quality}).`),
      stock: positive.default(d.stock).describe(`${name}: mean units per listing (one-of-a-kind items have 1; new-segment default ${d.stock}).`),
      restock: share.default(d.restock).describe(`${name}: chance a sold-out listing is restocked and goes live again (new-segment default ${d.restock}).`),
      vacation_per_year: nonNegative.default(d.vacation_per_year).describe(`${name}: vacation-mode spells per year (no sales while on vacation; new-segment default ${d.vacation_per_year}).`),
      churn: tenureHazard(d.churn.monthly, d.churn.early_multiplier, d.churn.early_months, `${name}: shop closure`),
    })
    .strict()
    .describe('A seller segment: its share of new shops, its size and its lifecycle.');

/** Seller segments: most shops are small hobbyists; a few professional and power sellers carry much of the catalogue and GMV. */
const SELLER_SEGMENTS: Record<string, SellerSegmentDefaults> = {
  hobbyist: { share: 0.55, size: 0.45, size_sigma: 0.55, quality: 0.85, stock: 1.6, restock: 0.15, vacation_per_year: 0.8, churn: { monthly: 0.015, early_multiplier: 2.5, early_months: 4 } },
  part_time: { share: 0.3, size: 1.0, size_sigma: 0.55, quality: 1.0, stock: 4, restock: 0.45, vacation_per_year: 1.2, churn: { monthly: 0.008, early_multiplier: 2, early_months: 4 } },
  professional: { share: 0.13, size: 2.6, size_sigma: 0.55, quality: 1.15, stock: 25, restock: 0.8, vacation_per_year: 0.6, churn: { monthly: 0.008, early_multiplier: 1.6, early_months: 6 } },
  power_seller: { share: 0.02, size: 6, size_sigma: 0.55, quality: 1.3, stock: 120, restock: 0.92, vacation_per_year: 0.2, churn: { monthly: 0.004, early_multiplier: 1.5, early_months: 6 } },
};

const NEW_SELLER_SEGMENT: SellerSegmentDefaults = { ...SELLER_SEGMENTS.part_time, share: 0 };

/**
 * When sellers list, on their own local clock. Most Etsy shops are run beside a job or caring (Etsy's
 * seller census "Celebrating Creative Entrepreneurship Around the Globe", 2019: most sellers work on
 * their shop part-time, from home), so listing is evening and weekend work: a weekday evening peak
 * 19:00–22:00 with a little daytime (the full-time shops), weekend days busy from late morning, and
 * the week's largest batch on Sunday (photos taken at the weekend, listed Sunday evening, the time
 * seller guides recommend for the Monday traffic). The shapes are assumptions in that spirit, not a
 * measured series.
 */
const LISTING_HOURS = {
  weekday: [0.6, 0.3, 0.15, 0.1, 0.1, 0.2, 0.5, 1.0, 1.6, 2.2, 2.6, 2.8, 2.9, 2.8, 2.7, 2.7, 2.9, 3.4, 4.4, 5.6, 6.2, 5.8, 3.8, 1.6],
  weekend: [0.8, 0.4, 0.2, 0.12, 0.1, 0.15, 0.4, 1.0, 2.0, 3.2, 4.0, 4.3, 4.2, 4.0, 3.9, 4.0, 4.4, 5.0, 5.8, 6.6, 7.0, 6.2, 4.0, 1.8],
};
/** Listing creation by weekday, Monday first: Sunday the largest batch, Saturday above the weekdays, Friday the quietest. */
const LISTING_DAYS = [0.95, 0.9, 0.9, 0.9, 0.8, 1.15, 1.6];
/**
 * When shops change their status (vacation mode on and off, closing the shop), on the seller's local
 * clock: a daytime setting changed at a desk or on the phone, 08:00–22:00 with a midday and an early
 * evening hump, almost never at night; weekends a little later in the morning. Suspensions are made by
 * the platform's trust & safety staff on the same daytime curve on the warehouse clock (its office).
 */
const STATUS_HOURS = {
  weekday: [0.3, 0.15, 0.1, 0.08, 0.08, 0.15, 0.6, 1.8, 3.6, 4.8, 5.2, 5.2, 5.0, 5.0, 4.8, 4.6, 4.4, 4.4, 4.6, 4.4, 3.6, 2.4, 1.2, 0.6],
  weekend: [0.4, 0.2, 0.1, 0.08, 0.08, 0.1, 0.3, 0.9, 2.2, 3.8, 4.8, 5.2, 5.2, 5.0, 4.8, 4.6, 4.4, 4.4, 4.6, 4.4, 3.6, 2.4, 1.2, 0.6],
};

/** A local-time curve whose hours are not all zero (a sampler needs some weight). */
const someHours = (d: { weekday: readonly number[]; weekend: readonly number[] }, what: string) =>
  dayShape(d, what)
    .refine((x) => x.weekday.some((w) => w > 0) && x.weekend.some((w) => w > 0), { message: 'every hour weight is 0 (need at least one positive weight on weekdays and on weekends)' })
    .describe(what);

/** Evening and weekend peaks, local time (web and app shopping after work). */
const ORDER_HOURS = {
  weekday: [1.2, 0.7, 0.4, 0.3, 0.3, 0.5, 1.0, 1.6, 2.2, 2.6, 2.9, 3.1, 3.4, 3.3, 3.2, 3.3, 3.8, 5.6, 7.2, 8.0, 8.2, 7.4, 4.8, 2.6],
  weekend: [1.6, 1.0, 0.6, 0.4, 0.3, 0.4, 0.8, 1.6, 2.8, 3.8, 4.4, 4.8, 5.0, 5.0, 4.9, 4.8, 5.0, 6.2, 7.2, 7.8, 7.8, 7.0, 4.8, 2.8],
};

/**
 * Northern Europe and the UK (GB, DE, NL): dinner around 18:00–19:00, so the evening peak comes an hour
 * or two earlier than in North America and falls off before 22:00 (assumption after the time-use
 * surveys of Eurostat HETUS 2010: main meal and screen time start earlier in the north).
 */
const NORTH_EUROPE_HOURS = {
  weekday: [0.8, 0.4, 0.25, 0.2, 0.2, 0.4, 1.1, 1.9, 2.4, 2.8, 3.0, 3.2, 3.6, 3.4, 3.2, 3.4, 4.2, 6.2, 7.8, 8.2, 7.4, 5.6, 3.4, 1.6],
  weekend: [1.2, 0.7, 0.4, 0.3, 0.25, 0.3, 0.7, 1.6, 3.0, 4.2, 4.8, 5.0, 5.0, 4.8, 4.8, 4.8, 5.2, 6.4, 7.4, 7.6, 6.8, 5.2, 3.4, 1.8],
};

/**
 * Southern Europe (FR by default): a long lunch break with a 12:00–14:00 shopping bump and dinner at
 * 20:00 or later, so the evening peak is 21:00–22:00 and the night stays busier (assumption after
 * Eurostat HETUS 2010 meal times: the French lunch and late dinner).
 */
const SOUTH_EUROPE_HOURS = {
  weekday: [1.6, 0.9, 0.5, 0.3, 0.25, 0.3, 0.7, 1.3, 2.0, 2.5, 2.8, 3.4, 5.0, 5.4, 3.6, 3.0, 3.2, 3.8, 4.8, 6.0, 7.4, 8.4, 7.6, 3.8],
  weekend: [2.0, 1.2, 0.7, 0.4, 0.3, 0.3, 0.5, 1.1, 2.2, 3.4, 4.2, 4.8, 5.6, 5.6, 4.6, 4.4, 4.6, 5.2, 6.0, 6.8, 7.6, 8.0, 7.0, 3.6],
};

/**
 * US buyers' home zones by population: Eastern 47%, Central 29%, Mountain 7% (Arizona without DST 2%),
 * Pacific 17% (Alaska and Hawaii, under 1%, folded in), after US Census Bureau 2020 state populations
 * grouped by time zone.
 */
const US_ZONES = { 'America/New_York': 0.47, 'America/Chicago': 0.29, 'America/Denver': 0.05, 'America/Phoenix': 0.02, 'America/Los_Angeles': 0.17 };

/**
 * Canadian buyers' home zones by population (Statistics Canada 2021 census by province): Eastern
 * (ON, QC) 61%, Atlantic (NS, NB, PE, NL) 6%, Central (MB) 4%, Saskatchewan (no DST) 3%, Mountain
 * (AB) 12%, Pacific (BC) 14%.
 */
const CA_ZONES = { 'America/Toronto': 0.61, 'America/Halifax': 0.06, 'America/Winnipeg': 0.04, 'America/Regina': 0.03, 'America/Edmonton': 0.12, 'America/Vancouver': 0.14 };

/**
 * Australian buyers' home zones by population (ABS 2021 census by state): NSW, ACT, VIC and TAS on
 * Sydney time 61.5%, QLD (no DST) 20%, WA 10.5%, SA 7% (UTC+9:30 with DST), NT 1%.
 */
const AU_ZONES = { 'Australia/Sydney': 0.615, 'Australia/Brisbane': 0.2, 'Australia/Perth': 0.105, 'Australia/Adelaide': 0.07, 'Australia/Darwin': 0.01 };

const country = z
  .object({
    buyer_share: share.describe('Share of new buyers from this country (at 2024-01-01, before `buyer_growth_pct_per_year` and the quarterly mix noise of `buyers.country_mix_quarter_sigma`).'),
    buyer_growth_pct_per_year: z
      .number()
      .finite()
      .min(-90)
      .max(500)
      .default(0)
      .describe("Compounding change per year of the country's odds among new buyers from 2024-01-01 (default 0): the acquisition mix drifts toward growing markets."),
    seller_share: share.describe('Share of new shops from this country.'),
    tz: z.string().nullable().default(null).describe("IANA time zone of the country's shops, and of its buyers unless `zones` is set (null = the warehouse's warehouse.tz)."),
    zones: z
      .record(z.string(), nonNegative)
      .default({})
      .describe(
        "Buyers' home time zones in a multi-zone country: IANA zone → population share (normalised; empty = every buyer on `tz`). Each buyer draws one zone and orders and signs up on its local clock (DST included).",
      ),
    hour_of_day: dayShape(ORDER_HOURS, "Hour-of-day curve of the country's orders, buyer-local time")
      .nullable()
      .default(null)
      .describe("Hour-of-day curve of the country's orders, buyer-local time (null = behaviour.marketplace.hour_of_day)."),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO-4217 code').default('USD').describe("Currency of the country's shops (ISO-4217; their listings and orders are priced in it; default USD). Needs a rate in warehouse.currency_rates."),
    price_sensitivity_odds: positive.default(1).describe("Odds multiplier of an order being a bargain search for the country's buyers (income level; default 1)."),
    basket: positive.default(1).describe("Multiplier on the odds of each extra order line for the country's buyers (default 1)."),
    payment_failure_multiplier: positive
      .default(1)
      .describe("Odds multiplier of a failed payment attempt for the country's buyers (issuer risk rules, Strong Customer Authentication; default 1)."),
  })
  .strict()
  .describe('A market: its share of buyers and shops and its time zone.');

/**
 * Payment failures by market: the EEA's Strong Customer Authentication (PSD2, in force since 2021) adds
 * a 3-D Secure step that a share of buyers fail, so DE, FR and NL fail more than the US, where issuers
 * approve most card-not-present payments without a challenge; GB (its own SCA rules) sits between.
 * Design multipliers on the configured failure rate, not published rates.
 *
 * Markets: shares, time zones, shop currencies, and buyers' spend. Buyer shares are a design mix near
 * Etsy's (about 60–65% of buyers in the US), drifting toward Europe (DE, NL, FR, GB grow a few percent a
 * year, the US share eases): richer markets search less for
 * bargains (US), markets with costly shipping or lower incomes more (FR, DE); far-away AU buyers place
 * fewer, dearer lines per order.
 */
const COUNTRIES = {
  US: { buyer_share: 0.625, buyer_growth_pct_per_year: -2, seller_share: 0.6, tz: null, zones: US_ZONES, hour_of_day: null, currency: 'USD', price_sensitivity_odds: 0.45, basket: 1.25, payment_failure_multiplier: 0.85 },
  GB: { buyer_share: 0.11, buyer_growth_pct_per_year: 3, seller_share: 0.12, tz: 'Europe/London', zones: {}, hour_of_day: NORTH_EUROPE_HOURS, currency: 'GBP', price_sensitivity_odds: 1.3, basket: 0.95, payment_failure_multiplier: 1.1 },
  CA: { buyer_share: 0.068, buyer_growth_pct_per_year: 0, seller_share: 0.06, tz: 'America/Toronto', zones: CA_ZONES, hour_of_day: null, currency: 'CAD', price_sensitivity_odds: 1.1, basket: 1.0, payment_failure_multiplier: 1.0 },
  DE: { buyer_share: 0.071, buyer_growth_pct_per_year: 6, seller_share: 0.08, tz: 'Europe/Berlin', zones: {}, hour_of_day: NORTH_EUROPE_HOURS, currency: 'EUR', price_sensitivity_odds: 2.0, basket: 0.75, payment_failure_multiplier: 1.3 },
  FR: { buyer_share: 0.048, buyer_growth_pct_per_year: 5, seller_share: 0.05, tz: 'Europe/Paris', zones: {}, hour_of_day: SOUTH_EUROPE_HOURS, currency: 'EUR', price_sensitivity_odds: 2.3, basket: 0.7, payment_failure_multiplier: 1.4 },
  AU: { buyer_share: 0.043, buyer_growth_pct_per_year: 1, seller_share: 0.05, tz: 'Australia/Sydney', zones: AU_ZONES, hour_of_day: null, currency: 'AUD', price_sensitivity_odds: 0.6, basket: 1.4, payment_failure_multiplier: 1.05 },
  NL: { buyer_share: 0.035, buyer_growth_pct_per_year: 8, seller_share: 0.04, tz: 'Europe/Amsterdam', zones: {}, hour_of_day: NORTH_EUROPE_HOURS, currency: 'EUR', price_sensitivity_odds: 1.7, basket: 0.75, payment_failure_multiplier: 1.2 },
};

const listings = z
  .object({
    appeal_sigma: z.number().finite().min(0).max(4).default(2).describe('Log-sd of a listing\'s appeal (photos, reviews, search rank; default 2: a few listings take most views, most rarely or never sell).'),
    price_sigma: z.number().finite().min(0).max(2).default(0.6).describe("Log-sd of a listing's price around its leaf category's median (default 0.6)."),
    price_elasticity: nonNegative.default(0.7).describe('Demand ∝ (price ÷ category median)^−elasticity for every buyer (default 0.7).'),
    bargain_elasticity: nonNegative.default(1.8).describe('The elasticity of price-sensitive orders (default 1.8).'),
    own_category_share: share
      .default(0.78)
      .describe(
        "Mean share of a multi-category shop's listings in its main top-level category (default 0.78); each such shop draws its own share from a beta distribution around it (`own_category_concentration`). Single-category shops (`single_category_share`) list only in their main category.",
      ),
    own_category_concentration: positive
      .default(10)
      .describe("Concentration a + b of the beta distribution of a multi-category shop's main-category share around `own_category_share` (default 10: most shops between 0.6 and 0.95; larger = every shop nearer the mean)."),
    single_category_share: share
      .default(0.6)
      .describe('Share of shops that list only in their main top-level category (default 0.6: most handmade shops sell one kind of goods).'),
    second_category_share: share
      .default(0.8)
      .describe(
        "Share of a multi-category shop's listings outside its main category that go to its secondary category (default 0.8); the rest spread over the categories by popularity. The secondary category is drawn by popularity, excluding the main one.",
      ),
    subcategory_zipf: nonNegative
      .default(1.1)
      .describe(
        'Zipf exponent s of leaf-category popularity inside a top-level category: the r-th leaf of the taxonomy (most popular first) takes a share ∝ r^−s of its parent\'s listings, so of its demand (default 1.1: the first leaf has 6–15 times the listings of the last; 0 = leaves evenly filled).',
      ),
    leaf_season: z
      .record(z.enum(LEAF_NAMES), z.array(nonNegative).length(12, 'expected 12 monthly multipliers, January first'))
      .default(LEAF_SEASON)
      .describe(
        `Month-of-year multipliers (January first) on the demand weight of the listings of single leaf categories, within their top-level category (whose own season, \`category_month_of_year\`, keeps the category's total): leaf name → 12 multipliers; leaves not named have none. Defaults: ${Object.entries(LEAF_SEASON)
          .map(([k, v]) => `${k} ${v.join(', ')}`)
          .join('; ')} (costumes for Halloween, sweaters and scarves in the cold months, garden goods in spring, candles in autumn; each about 1 on average over the year).`,
      ),
    expiry_days: positive.default(120).describe('Days a listing stays live before it expires (default 120, Etsy\'s four months).'),
    renew_probability: share.default(0.2).describe('Chance an expiring listing that did not sell in its period is renewed (default 0.2); otherwise it becomes inactive.'),
    renew_if_sold: share.default(0.7).describe('Chance an expiring listing that sold in its period is renewed (default 0.7).'),
    auto_renew_share: share
      .default(0.1)
      .describe(
        "Share of listings on auto-renew (Etsy's setting: renewed at every expiry for as long as the shop keeps them; default 0.1). They live until the seller deletes them or the shop closes, so the catalogue holds listings created years ago by long-tenured shops.",
      ),
    reactivation_share: share.default(0.15).describe('Chance an expired (inactive) listing is renewed by its seller later, after `reactivation_lag` (default 0.15): the status goes inactive → active.'),
    reactivation_lag: lognormalLag(30 * 24, 1, 'Expiry to the seller renewing an inactive listing (at least two days)'),
    renewal_delay: lognormalLag(
      72,
      1.2,
      'Expiry to the moment the seller renews a listing (a renewal is the seller acting, so it comes hours to weeks after the expiry; a listing whose dim_listing.created_at is re-stamped by its last renewal carries that moment)',
    ),
    removal_per_month: z.number().finite().min(0).max(1).default(0.02).describe('Hazard per month that the seller deletes a live listing (status removed; default 0.02).'),
    price_change_sigma: z.number().finite().min(0).max(1).default(0.08).describe('Log-sd of the price change at a renewal or restock (default 0.08; 0 = prices never change).'),
    price_change_share: share.default(0.35).describe('Share of renewals and restocks that change the price (default 0.35).'),
    restock_lag: lognormalLag(96, 0.9, 'Restock of a sold-out listing'),
    creation_hour_of_day: someHours(LISTING_HOURS, "Hour of day a seller creates a listing, the seller's local time (its country's `tz`): every listing's created_at, in the window and before it; default a weekday evening peak 19:00–22:00 and busy weekend afternoons and evenings"),
    creation_day_of_week: weekCurve(LISTING_DAYS, `Relative weights of the weekday a seller creates a listing on, Monday first, the seller's local calendar (default ${LISTING_DAYS.join(', ')}: Sunday the largest batch).`).refine(
      (w) => w.some((x) => x > 0),
      'every weekday weight is 0 (need at least one positive weight)',
    ).describe(`Relative weights of the weekday a seller creates a listing on, Monday first, the seller's local calendar (default ${LISTING_DAYS.join(', ')}: Sunday the largest batch).`),
    dead_cleanup_per_month: z
      .number()
      .finite()
      .min(0)
      .max(1)
      .default(0.12)
      .describe(
        "Mean hazard per month that a shop deletes a listing that has left its catalogue (expired and not renewed, or sold out and not restocked; default 0.12). Deleted before the warehouse's first load (the catalogue start) a listing is gone from dim_listing; deleted since, it turns `removed`. So a long-open shop's dim_listing rows span its whole life, thinning with age. 0 = dead listings are kept for ever.",
      ),
    dead_cleanup_shape: z
      .number()
      .finite()
      .min(0.1)
      .max(50)
      .default(0.8)
      .describe(
        'Gamma shape of the shops\' clean-up rates around `dead_cleanup_per_month` (default 0.8: most shops rarely delete their dead listings, a few purge them within weeks, so some shops keep years of expired and sold-out listings; large = every shop at the mean).',
      ),
    retired_sold_out_share: share
      .default(0.3)
      .describe('Share of the listings that left the catalogue before the window by selling out (sold_out, not restocked) rather than by expiring unrenewed (inactive) (default 0.3, about the split of the listings created in the window).'),
    history_days: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(365)
      .describe(
        "Days of market history simulated before the window (listings created then are in dim_listing with their simulated life; older ones are the stationary catalogue live at its start and the dead listings their shops have not deleted; default 365). The stationary catalogue's mean live time ignores sell-outs, so it starts with too many (and too appealing) live listings, which sell out and expire over about half a year; a year of history lets the live catalogue settle before the window (with 45 days it fell by a tenth in the window's first spring).",
      ),
  })
  .strict()
  .default({})
  .describe('Listings: appeal, price, stock and their state machine (active → sold_out | inactive | removed; restock and renewal back to active).');

/**
 * Basket size odds (1–20 lines from one shop): a decreasing tail whose successive ratios (0.26 … 0.45) stay below 1
 * even after the largest default tilts (crafter 1.3 × US 1.15 × December 1.2 per extra line), so big baskets stay rare;
 * past 10 lines each further line is a third as likely (0.33: the tilts above still keep it under 1), so the tail
 * thins out instead of stopping at a cap (a cap at 10 lines left a cliff: 1,259 orders with 10 lines, none with 11).
 */
const BASKET = [
  0.7, 0.18, 0.06, 0.024, 0.01, 0.0043, 0.0019, 0.00085, 0.00038, 0.00017, 5.6e-05, 1.9e-05, 6.1e-06, 2e-06, 6.7e-07, 2.2e-07, 7.2e-08, 2.4e-08, 7.9e-09, 2.6e-09,
] as const;

/** Coupon percentages and their odds: small coupons are common, deep ones rare (5–50% off). */
const DISCOUNT_PCTS = [5, 10, 15, 20, 25, 30, 40, 50] as const;

const discounts = z
  .object({
    share: share.default(0.05).describe('Share of orders on ordinary days that use a coupon (default 0.05).'),
    promo_share: share.default(0.3).describe("Share of orders on the big sale days (a calendar day with an 'orders' effect ≥ 1.3: Black Friday, Cyber Monday, the shipping cut-off) that use a coupon (default 0.3)."),
    pct: z
      .array(z.number().int().min(1).max(90))
      .min(1)
      .max(20)
      .default([...DISCOUNT_PCTS])
      .describe(`Coupon sizes in percent off the subtotal (default ${DISCOUNT_PCTS.join(', ')}).`),
    odds: z.array(nonNegative).min(1).max(20).default([0.22, 0.3, 0.2, 0.12, 0.07, 0.045, 0.03, 0.015]).describe('Relative odds of each `pct` on ordinary days (default 0.22, 0.3, 0.2, 0.12, 0.07, 0.045, 0.03, 0.015: 10% off is the most common, 50% rare).'),
    promo_odds: z.array(nonNegative).min(1).max(20).default([0.04, 0.14, 0.2, 0.22, 0.17, 0.12, 0.08, 0.03]).describe('Relative odds of each `pct` on the big sale days (default 0.04, 0.14, 0.2, 0.22, 0.17, 0.12, 0.08, 0.03: deeper coupons).'),
  })
  .strict()
  .default({})
  .superRefine((d, ctx) => {
    for (const k of ['odds', 'promo_odds'] as const) {
      if (d[k].length !== d.pct.length) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: `needs one odds per pct (${d.pct.length}), got ${d[k].length}` });
      else if (d[k].every((x) => x === 0)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: 'at least one odds must be > 0' });
    }
  })
  .describe('Coupons: the share of orders that use one (ordinary and big sale days) and the percent off, 5–50% by default.');

const orders = z
  .object({
    basket: z
      .array(positive)
      .min(1)
      .max(40)
      .default([...BASKET])
      .describe(`Relative odds of 1, 2, 3, … (at most 40) order lines from one shop (default ${BASKET.join(', ')}: a decreasing tail).`),
    basket_month_of_year: monthCurve(
      [0.97, 0.97, 0.98, 0.98, 1.0, 0.97, 0.94, 0.96, 0.98, 1.03, 1.12, 1.2],
      'Multiplier by month (January first) on the odds of each extra order line: holiday gift lists make November and December baskets bigger, so order value moves with the season.',
    ),
    regularity: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(3)
      .describe(
        'Erlang shape k of the gaps between a buyer\'s repeat orders (in the buyer\'s own time scale: intensity × activity × season; default 3: repeat buying is more regular than a Poisson process, whose gaps are k = 1 exponential). The mean gap is unchanged.',
      ),
    frequency_bargain_elasticity: nonNegative
      .default(0.8)
      .describe(
        "Odds of a bargain search × (the buyer's own intensity draw)^elasticity, the draw having mean 1 (default 0.8: a buyer who orders four times as often as a segment peer bargain-hunts at 3× the odds, so frequent buyers buy cheaper items: replenishment and add-on orders).",
      ),
    frequency_basket_elasticity: nonNegative
      .default(0.5)
      .describe(
        "Odds of each extra order line × ((1 + the buyer's own intensity draw g) ÷ 2)^−elasticity, g having mean 1 (default 0.5: a buyer with g = 4 adds each extra line at 0.63× the odds of a typical one (g = 1), a buyer with g near 0 at most 1.41×, so frequent buyers place smaller baskets; 0 = basket size independent of frequency).",
      ),
    discounts: discounts,
    quantity: z.array(positive).min(1).max(10).default([0.9, 0.08, 0.02]).describe('Relative odds of a line quantity of 1, 2, 3, … units (default 0.9, 0.08, 0.02).'),
    cross_border_bargain_odds: positive
      .default(0.4)
      .describe(
        'Odds multiplier of a bargain search when the chosen shop is in another country (default 0.4: a cheap item rarely justifies international shipping and import VAT, so cross-border orders buy dearer items — cross-border e-commerce reports higher order values than domestic; the buyer countries that buy abroad most pay the most per order).',
      ),
    cross_border_basket: positive.default(0.7).describe("Multiplier on the odds of each extra order line when the shop is in another country (default 0.7: buyers add fewer items to an international parcel; domestic baskets are larger)."),
    home_country_bias: z.number().finite().min(1).max(50).default(3).describe('Odds multiplier of buying from a shop in the buyer\'s own country (default 3: shipping costs and times favour domestic shops).'),
    first_order_lag: lognormalLag(6, 2.2, 'Sign-up to first order'),
  })
  .strict()
  .default({})
  .describe('Orders: basket size, quantities, home-country bias and the sign-up → first order step.');

/** A short wait in seconds (lognormal): checkout and payment-processor steps. */
const secondsLag = (median: number, sigma: number, what: string) =>
  z
    .object({
      median_seconds: positive.default(median).describe(`${what}: median, seconds (default ${median}).`),
      sigma: z.number().finite().min(0).max(4).default(sigma).describe(`${what}: log-standard deviation (0 = always the median; default ${sigma}).`),
    })
    .strict()
    .default({})
    .describe(`${what}: lognormal wait in seconds.`);

interface PaymentMethodDefaults {
  share: number;
  failure_multiplier: number;
  country_odds: Record<string, number>;
  capture: { median: number; sigma: number };
  currencies?: string[];
}

const paymentMethod = z
  .object({
    share: nonNegative.default(0.1).describe('Relative odds of the method for a buyer (new-method default 0.1).'),
    failure_multiplier: positive.default(1).describe("Failure odds multiplier of the method's attempts (new-method default 1)."),
    country_odds: z.record(z.string(), nonNegative).default({}).describe('Odds multiplier of the method per buyer country (ISO-2 → multiplier; unset = 1).'),
    capture: secondsLag(5, 0.7, "Successful attempt to the capture (authorisation and settlement of the method's network; new-method default 5 s)"),
    currencies: z
      .array(z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'))
      .default([])
      .describe("Order currencies the method can charge (ISO 4217 codes; empty = any). A buyer whose method cannot charge an order's currency (a Dutch iDEAL user buying from a US shop) pays that order with a fallback method, drawn once per buyer from the methods that can."),
  })
  .strict()
  .describe('A payment method: its share of buyers, its failure odds, its market tilt, the currencies it can charge and how long its capture takes.');

/**
 * Payment methods: cards dominate; PayPal is strongest in Germany (about half of German online
 * payments by most surveys) and the UK; wallets in the US and Australia; pay-later (Klarna) in
 * Germany, the Netherlands and the UK; iDEAL (bank redirect, euro only) only in the Netherlands, where it carries
 * most online payments. Capture times: tokenised wallets and cards are authorised in a couple of
 * seconds, PayPal's redirect and risk checks take several, Klarna's credit check tens of seconds, an
 * iDEAL bank confirmation minutes. Failure multipliers and waits are design values.
 */
const PAYMENT_METHODS: Record<string, PaymentMethodDefaults> = {
  card: { share: 0.6, failure_multiplier: 1, country_odds: {}, capture: { median: 2.6, sigma: 0.65 } },
  paypal: { share: 0.22, failure_multiplier: 0.55, country_odds: { DE: 3, GB: 1.3, FR: 1.2, NL: 1.2 }, capture: { median: 8, sigma: 0.6 } },
  wallet: { share: 0.14, failure_multiplier: 0.45, country_odds: { US: 1.2, AU: 1.3, DE: 0.6, FR: 0.8 }, capture: { median: 1.7, sigma: 0.5 } },
  klarna: { share: 0.04, failure_multiplier: 1.8, country_odds: { DE: 2.5, NL: 2.5, GB: 1.5, US: 0.8, CA: 0.5 }, capture: { median: 38, sigma: 0.8 } },
  ideal: { share: 0.012, failure_multiplier: 0.6, country_odds: { NL: 55, US: 0, GB: 0, CA: 0, DE: 0, FR: 0, AU: 0 }, capture: { median: 140, sigma: 0.75 }, currencies: ['EUR'] },
};

const paymentMethodDefaults = Object.fromEntries(
  Object.entries(PAYMENT_METHODS).map(([k, v]) => [k, { share: v.share, failure_multiplier: v.failure_multiplier, country_odds: v.country_odds, capture: { median_seconds: v.capture.median, sigma: v.capture.sigma }, currencies: v.currencies ?? [] }]),
);

/** Why a payment attempt fails (relative odds; card-network decline families). */
const FAILURE_REASONS = { card_declined: 0.45, insufficient_funds: 0.25, authentication_failed: 0.2, processing_error: 0.1 };

/**
 * Refund reasons of full and partial refunds: relative odds and the lag from the capture (a design mix,
 * not published rates). Not-as-described refunds come soon after delivery, damaged items a little
 * later, not-received ones only after the delivery estimate has passed (three to four weeks), returned
 * items after the parcel travels back, goodwill credits whenever the seller settles a complaint.
 */
const REFUND_REASONS = {
  not_received: { kind: 'full', odds: 0.33, days: 24, sigma: 0.3, why: 'after the delivery estimate has passed' },
  not_as_described: { kind: 'full', odds: 0.67, days: 6, sigma: 0.5, why: 'soon after delivery' },
  damaged: { kind: 'partial', odds: 0.47, days: 8, sigma: 0.45, why: 'after delivery, with photos' },
  returned_item: { kind: 'partial', odds: 0.31, days: 19, sigma: 0.35, why: 'once the item is back at the shop' },
  goodwill: { kind: 'partial', odds: 0.22, days: 11, sigma: 0.7, why: 'when the seller settles a complaint' },
} as const;

const payments = z
  .object({
    failure_rate: share.default(0.045).describe('Share of first payment attempts that fail (default 0.045); international orders fail `international_multiplier` times as often.'),
    international_multiplier: z.number().finite().min(0).max(10).default(1.8).describe('Failure and not-received refund odds multiplier when buyer and shop are in different countries (default 1.8).'),
    retry_failure_rate: share.default(0.3).describe("Share of retries that fail again at the average order's risk (default 0.3); an order's own risk multiplier scales it by its square root (at most 0.95)."),
    methods: z
      .record(behaviourName, paymentMethod)
      .default(paymentMethodDefaults)
      .describe(
        "Payment methods (name → share, failure multiplier, country odds, capture time; defaults card, paypal, wallet, klarna, ideal). Each buyer pays with one method (drawn once from the shares × its country's odds), recorded in fact_payment_attempt.payment_method. Wallets (Apple Pay, Google Pay: tokenised and device-authenticated) and PayPal (stored funding, its own risk checks) fail least, pay-later credit checks most (design multipliers after card-not-present authorisation reports: tokenised wallet payments approve a few points more often than keyed cards).",
      ),
    amount_elasticity: nonNegative
      .default(0.4)
      .describe("Failure odds × (the order's items in USD ÷ amount_reference_usd)^elasticity (default 0.4: a $200 order fails about 1.7× as often as a $50 one — issuers' risk scores and the buyer's available balance bite harder on bigger amounts; 0 = amount does not matter)."),
    amount_reference_usd: positive.default(50).describe('Order item value, USD, at which the amount effect is 1 (default 50).'),
    give_up_rate: share.default(0.3).describe('Chance the buyer gives up after each failed attempt instead of retrying (default 0.3): the order stays unpaid (no fact_payment row, no capture, no refund).'),
    max_failures: z.number().int().min(0).max(5).default(3).describe('Failed attempts after which an order is given up unpaid (default 3).'),
    checkout_lag: secondsLag(6, 0.6, 'Order created to its first payment attempt (checkout submitted → authorisation request)'),
    retry_lag: lognormalLag(2 / 60, 1.1, 'Failed attempt to the next attempt (the buyer fixes or changes the card)'),
    failure_reasons: z
      .object(Object.fromEntries(Object.entries(FAILURE_REASONS).map(([k, v]) => [k, nonNegative.default(v).describe(`Relative odds of ${k} (default ${v}).`)])) as Record<keyof typeof FAILURE_REASONS, z.ZodDefault<z.ZodNumber>>)
      .strict()
      .default({})
      .describe('Relative odds of each failure reason.'),
    cancellation_rate: share.default(0.012).describe('Share of paid orders cancelled before shipping (fully refunded within days; default 0.012).'),
    cancellation_lag: lognormalLag(20, 1, 'Capture to cancellation'),
    full_refund_rate: share.default(0.018).describe('Share of paid orders refunded in full after delivery (not received, not as described; default 0.018) at a `refund_month_of_year` multiplier of 1.'),
    partial_refund_rate: share.default(0.02).describe('Share of paid orders partly refunded (a line returned, a damaged item, a goodwill credit; default 0.02) at a `refund_month_of_year` multiplier of 1.'),
    refund_reasons: z
      .object(
        Object.fromEntries(
          Object.entries(REFUND_REASONS).map(([k, v]) => [
            k,
            z
              .object({
                odds: nonNegative.default(v.odds).describe(`Relative odds of ${k} among ${v.kind} refunds (default ${v.odds})${k === 'not_received' ? '; cross-border orders × `international_multiplier`' : ''}.`),
                lag: lognormalLag(v.days * 24, v.sigma, `Capture to a ${k} refund (${v.why})`),
              })
              .strict()
              .default({})
              .describe(`${v.kind === 'full' ? 'Full' : 'Partial'} refunds of reason ${k}: relative odds and lag.`),
          ]),
        ) as Record<keyof typeof REFUND_REASONS, z.ZodDefault<z.ZodObject<{ odds: z.ZodDefault<z.ZodNumber>; lag: ReturnType<typeof lognormalLag> }>>>,
      )
      .strict()
      .default({})
      .describe('Reasons of full refunds (not_received, not_as_described) and partial ones (damaged, returned_item, goodwill): how often each is given and how long after the capture it comes.'),
    refund_month_of_year: monthCurve(
      [1.1, 0.95, 0.93, 0.94, 0.97, 0.94, 0.92, 0.93, 0.95, 1.0, 1.1, 1.36],
      "Multiplier by the order's local month (January first) on the full and partial refund odds: holiday gifts are returned and complained about more, so December orders are refunded most — mostly in January, after the lag.",
    ),
    dispute_rate: share.default(0.003).describe("Share of captured orders (not cancelled or refunded) the buyer disputes with the card issuer (chargeback; default 0.003), split by `dispute_reasons` odds; fraud follows the order's risk (`fraud_risk`), the other reasons are × `international_multiplier` cross-border."),
    dispute_reasons: marketDisputeReasons,
    fraud_risk: marketFraudRisk,
    category_refund_multiplier: categoryWeights(
      { jewelry: 1.1, home_living: 1, clothing: 1.8, accessories: 1.2, art_collectibles: 0.8, craft_supplies: 0.6, weddings: 1.3, toys_games: 0.9, vintage: 1.2, bath_beauty: 0.7 },
      "Refund odds multiplier by the order's top-level category (fit and sizing make clothing the most returned)",
    ),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const k of Object.keys(p.fraud_risk.method_multiplier)) {
      // a default method name may stay listed when a config drops that method
      if (!(k in p.methods) && !(k in paymentMethodDefaults)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['fraud_risk', 'method_multiplier', k], message: `unknown payment method "${k}" (not a payments.methods key)` });
    }
  })
  .default({})
  .describe('Payments: failed attempts with retries before capture (or an unpaid order when the buyer gives up), cancellations, full or partial refunds and chargeback disputes after it (fact_payment_attempt, fact_refund, fact_dispute).');

interface ChannelDefaults {
  acquisition: number;
  touch: number;
  paid: boolean;
  growth_pct_per_year: number;
  tracked_share: number;
  touch_conversion: number;
  cpc_cents: number;
  segment_tilt: Record<string, number>;
  opener: number;
  closer: number;
  campaign_rate: number;
  always_on: string[];
  day_of_week: number[];
  hour_tilt: number[];
  first_order: number;
}

const channel = (d: ChannelDefaults, name: string) =>
  z
    .object({
      acquisition: nonNegative.default(d.acquisition).describe(`${name}: relative odds of being the channel that acquires a new buyer (first touch before sign-up; new-channel default ${d.acquisition}).`),
      touch: nonNegative.default(d.touch).describe(`${name}: relative odds of the other touches before sign-ups and orders (new-channel default ${d.touch}).`),
      paid: z.boolean().default(d.paid).describe(`${name}: a paid channel (campaigns, spend; new-channel default ${d.paid}).`),
      growth_pct_per_year: z.number().finite().min(-90).max(500).default(d.growth_pct_per_year).describe(`${name}: compounding change of the acquisition odds per year from 2024-01-01 (new-channel default ${d.growth_pct_per_year}).`),
      tracked_share: z.number().finite().positive().max(1).default(d.tracked_share).describe(`${name}: share of the channel's sessions identified to a buyer and recorded in fact_touchpoint at the window start (new-channel default ${d.tracked_share}; paid clicks carry a click id, so paid channels are tracked best); the rest are counted in fact_channel_daily only.`),
      touch_conversion: z.number().finite().positive().max(1).default(d.touch_conversion).describe(`${name}: share of the channel's tracked touches that are converting touches (\`converted\`: the last touch before a sign-up or order); the others are earlier touches of those paths and browsing sessions that led nowhere. Touch-level conversion of e-commerce traffic is about 1–5% (new-channel default ${d.touch_conversion}).`),
      cpc_cents: nonNegative.default(d.cpc_cents).describe(`${name}: base cost per session of a paid channel, cents, before auction pressure (new-channel default ${d.cpc_cents}). The default channels' costs put total paid spend near 4–5% of GMV — about what a marketplace spends (Etsy's 2023 annual report: marketing about a quarter of revenue, roughly 5% of gross merchandise sales) — with last-touch ROAS about 5 for paid search, 4.5 for affiliates and 2 for paid social at the default conversion, order value and tracked shares.`),
      segment_tilt: z.record(behaviourName, nonNegative.describe('Acquisition odds multiplier for buyers of this segment.')).default(d.segment_tilt).describe(`${name}: acquisition odds multiplier per buyer segment (unset = 1).`),
      opener: nonNegative.default(d.opener).describe(`${name}: touch odds multiplier for the first touch of a multi-touch order path (discovery; new-channel default ${d.opener}).`),
      closer: nonNegative.default(d.closer).describe(`${name}: touch odds multiplier for the last touch of an order path (the click before buying; new-channel default ${d.closer}).`),
      campaign_rate: nonNegative
        .default(d.campaign_rate)
        .describe(`${name}: multiplier on \`campaigns_per_quarter\` for the channel's flight campaigns (paid channels and email only; new-channel default ${d.campaign_rate}).`),
      always_on: z
        .array(z.string().min(1).max(80))
        .max(10)
        .default([...d.always_on])
        .describe(`${name}: names of always-on campaigns of a paid channel or email, each started months before the window and live to its end (new-channel default none).`),
      day_of_week: z
        .array(positive)
        .length(7, 'expected 7 multipliers, Monday first')
        .default([...d.day_of_week])
        .describe(`${name}: multiplier by weekday (Monday first) on the channel's browsing sessions on top of the orders' weekly rhythm, renormalised so the channel's total is unchanged (new-channel default all 1). Defaults: search and affiliates lean to weekdays (people search at work), paid social and referrals to the weekend (feeds are read in leisure time).`),
      hour_tilt: z
        .array(nonNegative)
        .length(24, 'expected 24 hourly multipliers (00:00–23:00 local)')
        .refine((h) => h.some((x) => x > 0), 'at least one hour needs a multiplier > 0')
        .default([...d.hour_tilt])
        .describe(`${name}: multiplier by local hour on the order hour-of-day curve for the channel's browsing sessions (new-channel default all 1). Defaults: paid and organic search peak in working hours, paid social in the evening (feed time), email at its send hour (see \`email\`).`),
      first_order: nonNegative
        .default(d.first_order)
        .describe(`${name}: touch odds multiplier on the path of the first order of a buyer who signed up in the window (other orders: 1; new-channel default ${d.first_order}). Defaults: prospecting channels (paid social 2.2, affiliates 1.8, paid search 1.6) bring first orders, email (0.35) and direct (0.55) bring returning buyers back, as in marketplace channel reports where retention channels serve existing customers.`),
    })
    .strict()
    .describe('A marketing channel: its acquisition and touch odds, drift, tracking, touch conversion and cost.');

/** No hour tilt: the channel browses on the orders' hour-of-day curve. */
const FLAT_HOURS = Array.from({ length: 24 }, () => 1);
/** Working-hours tilt (search: people look things up at work and in the afternoon, less late at night). */
const DAY_HOURS = [0.6, 0.6, 0.6, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.35, 1.4, 1.4, 1.35, 1.35, 1.35, 1.3, 1.2, 1.0, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6];
/** Evening tilt (social feeds are read after work and in bed). */
const EVENING_HOURS = [1.3, 1.0, 0.8, 0.7, 0.6, 0.6, 0.7, 0.8, 0.75, 0.7, 0.7, 0.75, 0.85, 0.8, 0.75, 0.75, 0.8, 0.95, 1.2, 1.5, 1.7, 1.75, 1.6, 1.45];

/** Channels: search and direct lead; paid social grows fast and brings gift shoppers; crafters come from search and referrals. */
const CHANNELS: Record<string, ChannelDefaults> = {
  organic_search: { acquisition: 0.3, touch: 0.24, paid: false, growth_pct_per_year: 0, tracked_share: 0.2, touch_conversion: 0.04, cpc_cents: 0, segment_tilt: { crafter: 1.4, collector: 1.3 }, opener: 1.6, closer: 0.7, campaign_rate: 1, always_on: [], day_of_week: [1.05, 1.05, 1.04, 1.03, 1.0, 0.92, 0.91], hour_tilt: DAY_HOURS, first_order: 1.25 },
  paid_search: { acquisition: 0.17, touch: 0.14, paid: true, growth_pct_per_year: 0, tracked_share: 0.8, touch_conversion: 0.045, cpc_cents: 20, segment_tilt: {}, opener: 1.1, closer: 1.3, campaign_rate: 0.55, always_on: ['brand-search-always-on', 'Generic_Search_AO'], day_of_week: [1.07, 1.07, 1.06, 1.04, 0.99, 0.89, 0.88], hour_tilt: DAY_HOURS, first_order: 1.6 },
  paid_social: { acquisition: 0.12, touch: 0.12, paid: true, growth_pct_per_year: 40, tracked_share: 0.6, touch_conversion: 0.015, cpc_cents: 19, segment_tilt: { gift_shopper: 1.7, crafter: 0.6, collector: 0.7 }, opener: 2, closer: 0.5, campaign_rate: 1.45, always_on: ['social_prospecting_evergreen'], day_of_week: [0.94, 0.93, 0.94, 0.96, 1.0, 1.12, 1.11], hour_tilt: EVENING_HOURS, first_order: 2.2 },
  email: { acquisition: 0, touch: 0.2, paid: false, growth_pct_per_year: 0, tracked_share: 0.85, touch_conversion: 0.045, cpc_cents: 0, segment_tilt: {}, opener: 0.4, closer: 2.4, campaign_rate: 1.1, always_on: ['welcome_series', 'Weekly Newsletter'], day_of_week: [1, 1, 1, 1, 1, 1, 1], hour_tilt: FLAT_HOURS, first_order: 0.35 },
  affiliate: { acquisition: 0.07, touch: 0.05, paid: true, growth_pct_per_year: 0, tracked_share: 0.8, touch_conversion: 0.05, cpc_cents: 30, segment_tilt: { gift_shopper: 1.2 }, opener: 0.8, closer: 1.6, campaign_rate: 0.5, always_on: ['Affiliate Network - Always On'], day_of_week: [1.06, 1.06, 1.05, 1.03, 1.0, 0.9, 0.9], hour_tilt: DAY_HOURS, first_order: 1.8 },
  referral: { acquisition: 0.12, touch: 0.04, paid: false, growth_pct_per_year: 0, tracked_share: 0.28, touch_conversion: 0.05, cpc_cents: 0, segment_tilt: { crafter: 1.5, collector: 1.3 }, opener: 1.3, closer: 0.8, campaign_rate: 1, always_on: [], day_of_week: [0.97, 0.97, 0.97, 0.98, 1.0, 1.06, 1.05], hour_tilt: EVENING_HOURS, first_order: 1.3 },
  direct: { acquisition: 0.22, touch: 0.21, paid: false, growth_pct_per_year: 0, tracked_share: 0.42, touch_conversion: 0.06, cpc_cents: 0, segment_tilt: {}, opener: 0.5, closer: 1.8, campaign_rate: 1, always_on: [], day_of_week: [1, 1, 1, 1, 1, 1, 1], hour_tilt: FLAT_HOURS, first_order: 0.55 },
};

const NEW_CHANNEL: ChannelDefaults = { acquisition: 0.1, touch: 0.1, paid: true, growth_pct_per_year: 0, tracked_share: 0.5, touch_conversion: 0.03, cpc_cents: 25, segment_tilt: {}, opener: 1, closer: 1, campaign_rate: 1, always_on: [], day_of_week: [1, 1, 1, 1, 1, 1, 1], hour_tilt: FLAT_HOURS, first_order: 1 };

const marketing = z
  .object({
    channels: z
      .record(behaviourName, channel(NEW_CHANNEL, 'Channel'))
      .default(CHANNELS as Record<string, z.input<ReturnType<typeof channel>>>)
      .describe("Marketing channels (name → parameters; defaults organic_search, paid_search, paid_social, email, affiliate, referral, direct). Default touch conversions are touch-level rates of 1.5% (paid social) to 6% (direct); default costs per session (paid search 20¢, paid social 19¢, affiliate 30¢) put paid spend near 4–5% of GMV, about what a marketplace spends (Etsy's 2023 annual report: marketing about a quarter of revenue, roughly 5% of gross merchandise sales), with last-touch ROAS about 5 for paid search, 4.5 for affiliates and 2 for paid social."),
    touches_before_signup: nonNegative.default(1.2).describe('Mean touches before a sign-up besides the acquiring one (geometric; default 1.2).'),
    touches_before_order: nonNegative.default(1.6).describe('Mean tracked touches before an order (geometric, 0 = untracked; default 1.6).'),
    acquisition_retouch: share.default(0.3).describe("Chance each touch before a repeat order comes through the buyer's acquisition channel (default 0.3)."),
    email: z
      .object({
        send_weekdays: z
          .array(z.number().int().min(0).max(6))
          .min(1)
          .max(7)
          .default([1])
          .refine((d) => new Set(d).size === d.length, 'send weekdays must not repeat')
          .describe('Weekdays the newsletter goes out (0 = Monday … 6 = Sunday; default [1]: Tuesday, the usual e-commerce send day).'),
        send_hour: z.number().int().min(0).max(23).default(10).describe('Local hour of the send (warehouse clock; default 10).'),
        decay_hours: z.number().finite().positive().max(168).default(12).describe('Mean hours from a send to a click (exponential; default 12: most clicks the same day, nearly all within two days of the send).'),
        send_share: share.default(0.65).describe("Share of email browsing sessions that follow a newsletter send (default 0.65); the rest are triggered mails (receipts, shipping, back-in-stock) on the channel's own day and hour curves."),
        welcome_campaign: z.string().min(1).max(80).default('welcome_series').describe("Name of the email campaign that welcomes new buyers (default welcome_series, one of email's `always_on` campaigns): only buyers within `welcome_days` of sign-up get it, and an email touch of theirs is from it (`welcome_share`)."),
        welcome_days: z.number().int().min(1).max(90).default(21).describe('Days after sign-up the welcome series runs (default 21: a three-week onboarding sequence), after which buyers get the newsletter and promotions instead.'),
        welcome_share: share.default(0.8).describe("Share of a new buyer's email touches right after sign-up that come from the welcome series (default 0.8), falling as exp(−4 × days since sign-up ÷ `welcome_days`): the series sends most in the first days; the others are the live promotions of that day."),
        welcome_reach: share.default(0.45).describe('Share of buyers who sign up in the window and click at least one welcome mail (default 0.45); their welcome clicks are browsing sessions in the days after sign-up (taken from the channel\'s browsing total, so email touch counts and conversion stay as configured).'),
        welcome_clicks: nonNegative.default(1.5).describe('Mean welcome-mail clicks of such a buyer (1 + geometric with this mean − 1; default 1.5), each an exponential lag after sign-up with mean welcome_days ÷ 4, within welcome_days.'),
      })
      .strict()
      .default({})
      .describe('Email timing and targeting: the newsletter send days and hour with clicks decaying after each send, and the welcome series that reaches new buyers in their first weeks.'),
    tracking: z
      .object({
        country_coverage: z
          .record(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO-3166 alpha-2 code'), share.describe("Multiplier (0–1) on the chance an order of a buyer from this country is tracked."))
          .default({ GB: 0.78, DE: 0.7, FR: 0.74, NL: 0.74 })
          .describe("Multiplier on the chance an order path is tracked (has touches) by the buyer's country (unset = 1). Defaults: GDPR/ePrivacy consent banners in the EU and UK let many visitors refuse marketing cookies, so about a quarter fewer of those orders are attributed."),
        new_buyer: share.default(0.82).describe("Multiplier on the chance the first order of a buyer who signed up in the window is tracked (default 0.82: a new buyer has not logged in on this device before and has no stored identity; returning buyers are signed in)."),
        step_date: isoDate
          .nullable()
          .default('2025-09-15')
          .describe('Date (YYYY-MM-DD, warehouse clock) a tracking change takes effect, e.g. a consent-banner redesign; null = none (default 2025-09-15).'),
        step_factor: share.default(0.85).describe('Multiplier on the chance an order is tracked from `step_date` on (default 0.85: a consent banner with an equally prominent "reject all" button).'),
      })
      .strict()
      .default({})
      .describe('Tracking coverage of orders: the chance an order path has touches (`touches_before_order`) times these multipliers, so attributed shares differ by buyer country, new vs returning buyers and before vs after a tracking change.'),
    touch_lag: lognormalLag(18, 1.4, 'An earlier touch of a path to the converting session that follows it'),
    converting_session: lognormalLag(0.2, 1.0, 'Start of the converting session (the path\'s last touch) to the order or sign-up made in it (e-commerce sessions that convert last minutes; default median 12 min)'),
    campaigns_per_quarter: z
      .number()
      .finite()
      .min(0)
      .max(20)
      .default(2.4)
      .describe(
        "Mean flight campaigns per paid channel and email each quarter (default 2.4) × the channel's `campaign_rate`; the count of each channel and month is Poisson with that mean ÷ 3 × `campaign_month_of_year`, so channels and quarters differ. Each flight starts in its month and runs `campaign_days`; always-on campaigns, big-sale bursts and email sends for big sale days come on top.",
      ),
    campaign_month_of_year: monthCurve(
      [0.85, 1.25, 0.85, 0.9, 1.2, 0.75, 0.65, 0.8, 0.95, 1.15, 1.75, 0.9],
      'Multiplier by month (January first) on the flight campaigns started that month: Valentine\'s Day, Mother\'s Day and the holiday season bring bursts, summer is quiet.',
    ),
    campaign_days: z
      .object({ min: z.number().int().min(1).max(365).default(14).describe('Shortest campaign, days (default 14).'), max: z.number().int().min(1).max(365).default(75).describe('Longest campaign, days (default 75).') })
      .strict()
      .default({})
      .refine((c) => c.min <= c.max, { message: 'campaign_days.min must not exceed campaign_days.max' })
      .describe('Campaign length range, days (uniform).'),
    campaign_quality_sigma: z.number().finite().min(0).max(2).default(0.45).describe("Log-sd of a campaign's quality: it multiplies the touch conversion of its touches and divides its bid (default 0.45; 0 = every campaign performs like its channel)."),
    tracking_loss_pct_per_year: z.number().finite().min(0).max(50).default(8).describe('Yearly fall of every tracked share from the window start (cookie and consent loss; default 8).'),
    session_noise_sigma: z.number().finite().min(0).max(1).default(0.12).describe('Log-sd of day-to-day noise of sessions per channel around tracked touches ÷ tracked share (default 0.12).'),
    browsing: z
      .object({
        lead_days: z.number().int().min(0).max(14).default(3).describe('Days ahead whose calendar order effect lifts browsing (research before a gifting day; default 3).'),
        lead_share: share.default(0.4).describe("Weight of the mean order effect of the next `lead_days` days in a day's browsing effect, the rest being the day's own (default 0.4): browsing climbs before Black Friday and the Christmas shipping cut-off."),
        day_sigma: z.number().finite().min(0).max(1).default(0.05).describe('Log-sd of day-to-day noise of browsing shared by every channel (news, weather, outages; default 0.05).'),
        buyer_days: z.number().int().min(1).max(90).default(14).describe("A browsing touch belongs to the buyer of a random path touch of the same channel within this many days of it (default 14: people who buy browse around their purchases)."),
      })
      .strict()
      .default({})
      .describe(
        "Browsing sessions that led nowhere (fact_touchpoint rows converting nothing): generated forward in time, day by day, so they follow the demand calendar — the level of the window's orders (28-day average), the configured day of week and the named days (with a lead before gifting days) — up to the window end.",
      ),
    auction: z
      .object({
        month_of_year: monthCurve([0.95, 0.9, 0.93, 0.95, 0.97, 0.95, 0.93, 0.96, 0.99, 1.06, 1.32, 1.42], 'Cost-per-session multiplier by month (Q4 bid pressure).'),
        day_of_week: z.array(positive).length(7).default([1.02, 1.03, 1.03, 1.01, 0.98, 0.95, 0.97]).describe('Cost-per-session multiplier by weekday, Monday first (default 1.02, 1.03, 1.03, 1.01, 0.98, 0.95, 0.97).'),
        calendar_elasticity: nonNegative.default(0.6).describe("Cost per session × (the day's calendar order effect)^elasticity: Black Friday and Cyber Monday bids (default 0.6)."),
        launch_pct: z.number().finite().min(0).max(300).default(25).describe('Extra cost per session on the first day of a campaign, fading linearly over `launch_days` (default 25).'),
        launch_days: z.number().int().min(1).max(60).default(10).describe('Days a campaign launch lifts bids (default 10).'),
        walk_sigma: z.number().finite().min(0).max(0.5).default(0.035).describe('Daily log-sd of the random walk of each paid channel\'s cost per session (competitor bids; default 0.035).'),
        walk_reversion: z.number().finite().min(0).max(1).default(0.04).describe('Daily pull of that walk back to 0 (default 0.04: a half-life of about 17 days).'),
      })
      .strict()
      .default({})
      .describe('Auction pressure on the cost per session of paid channels: season, weekday, big sale days, campaign launches and a mean-reverting random walk.'),
  })
  .strict()
  .default({})
  .describe('Marketing and attribution: channels, campaigns, the touches that lead to sign-ups and orders, daily sessions and spend (dim_campaign, fact_touchpoint, fact_channel_daily).');

const INFLOW = {
  launch_date: '2019-03-04',
  ramp_months: 18,
  trend_pct_per_month: -0.7,
  month_of_year: [1.12, 1.0, 1.0, 0.96, 0.95, 0.92, 0.92, 0.96, 0.98, 1.02, 1.12, 1.08],
  day_of_week: [1.04, 1.0, 0.98, 0.98, 0.96, 1.0, 1.06],
  hour_of_day: {
    weekday: [1.0, 0.6, 0.35, 0.25, 0.25, 0.4, 0.9, 1.6, 2.2, 2.8, 3.2, 3.4, 3.6, 3.5, 3.4, 3.5, 4.0, 5.2, 6.4, 7.0, 7.2, 6.4, 4.2, 2.2],
    weekend: [1.4, 0.9, 0.5, 0.3, 0.3, 0.35, 0.7, 1.4, 2.6, 3.6, 4.2, 4.6, 4.8, 4.8, 4.7, 4.6, 4.8, 5.6, 6.4, 6.8, 6.8, 6.0, 4.2, 2.4],
  },
};


/**
 * A gifting run-up as one named day per day (calendar events are single days): `name_<n>d` falls n days
 * before `target`, for n from `from` down to `to`; `effects(n)` gives that day's multipliers (orders
 * climb toward the last safe shipping days, then ease off).
 */
function runUp(name: string, target: string, from: number, to: number, effects: (n: number) => Record<string, number>) {
  return Object.fromEntries(
    Array.from({ length: from - to + 1 }, (_, k) => from - k).map((n) => [`${name}_${n}d`, { rule: { relative_to: target, offset_days: -n }, effects: effects(n) }]),
  );
}

/**
 * The days after `source` as one named day per day: `name_<n>d` falls n days after it, for n from 1 to
 * `effects.length`, with multipliers `effects[n − 1]` on orders.
 */
function runOn(name: string, source: string, effects: readonly number[]) {
  return Object.fromEntries(effects.map((x, k) => [`${name}_${k + 1}d`, { rule: { relative_to: source, offset_days: k + 1 }, effects: { orders: x } }]));
}

/** Rounded to two decimals (multipliers read as data in docs). */
const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Shopping days with their effect on orders per category ('orders' = every category not named,
 * 'signup' = buyer sign-ups, 'shops' = shop openings). Gifting drives Q4; the two weeks before
 * Valentine's Day (Feb 1–13) and the ten days before Mother's Day lift orders, most of all jewelry;
 * the day itself is quieter (too late to ship a gift). December peaks in the week before the shipping
 * cut-off (Dec 15), falls to about 0.6 by Dec 23 and stays low until New Year (design values after
 * the public holiday-season pattern of gift marketplaces: orders fall away once standard shipping can
 * no longer deliver by Christmas).
 */
const CALENDAR = {
  ...runUp('valentines_run_up', 'valentines_day', 13, 1, (n) => {
    // peak about a week out (standard shipping), easing in the last days
    const lift = n >= 7 ? 1 + 0.03 * (14 - n) : 1.21 - 0.03 * (7 - n);
    return { orders: r2(lift), jewelry: r2(lift * 1.45), accessories: r2(lift * 1.15), bath_beauty: r2(lift * 1.2), art_collectibles: r2(lift * 1.1) };
  }),
  valentines_day: { rule: { month: 2, day: 14 }, effects: { orders: 0.9, jewelry: 1.05 } },
  mothers_day: { rule: { month: 5, weekday: 'sun' as const, nth: 2 }, effects: { orders: 0.9, jewelry: 1.1 } },
  ...runUp('mothers_day_run_up', 'mothers_day', 10, 2, (n) => {
    const lift = n >= 6 ? 1 + 0.03 * (11 - n) : 1.15 - 0.03 * (6 - n);
    return { orders: r2(lift), jewelry: r2(lift * 1.35), home_living: r2(lift * 1.15), bath_beauty: r2(lift * 1.2) };
  }),
  independence_day: { rule: { month: 7, day: 4 }, effects: { orders: 0.75, signup: 0.7 } },
  halloween_run_up: { rule: { month: 10, day: 20 }, effects: { clothing: 1.35, craft_supplies: 1.2 } },
  thanksgiving: { rule: { month: 11, weekday: 'thu' as const, nth: 4 }, effects: { orders: 0.7, signup: 0.7 } },
  black_friday: { rule: { relative_to: 'thanksgiving', offset_days: 1 }, effects: { orders: 2.6, signup: 1.8 } },
  small_business_saturday: { rule: { relative_to: 'thanksgiving', offset_days: 2 }, effects: { orders: 1.15, signup: 1.2 } },
  cyber_sunday: { rule: { relative_to: 'thanksgiving', offset_days: 3 }, effects: { orders: 1.25 } },
  cyber_monday: { rule: { relative_to: 'thanksgiving', offset_days: 4 }, effects: { orders: 2.3, signup: 1.7 } },
  // gift orders climb through the last week of standard shipping and fall away once a parcel can no
  // longer arrive by Christmas; the days between Christmas and New Year are a lull
  ...runUp('shipping_cutoff_run_up', 'shipping_cutoff', 6, 1, (n) => ({ orders: r2(1 + 0.05 * (7 - n)) })),
  shipping_cutoff: { rule: { month: 12, day: 15 }, effects: { orders: 1.35 } },
  ...runOn('after_shipping_cutoff', 'shipping_cutoff', [1.05, 0.9, 0.8, 0.72, 0.66, 0.62, 0.6, 0.58]),
  christmas_eve: { rule: { month: 12, day: 24 }, effects: { orders: 0.5 } },
  christmas_day: { rule: { month: 12, day: 25 }, effects: { orders: 0.45, signup: 0.6 } },
  boxing_day: { rule: { month: 12, day: 26 }, effects: { orders: 0.7 } },
  ...runOn('year_end_lull', 'boxing_day', [0.72, 0.72, 0.75, 0.8, 0.85]),
  new_years_day: { rule: { month: 1, day: 1 }, effects: { orders: 0.7, signup: 1.2 } },
};

/** Calendar effect keys: top-level categories, orders (all categories not named), buyer sign-ups and shop openings. */
export const MARKET_EFFECT_KEYS = [...MARKET_CATEGORY_KEYS, 'orders', 'signup', 'shops'] as const;

export const MarketplaceBehaviourSchema = z
  .object({
    buyers: z
      .object({
        // buyers lapse slowly after their first months, so the base keeps growing unless sign-ups ease faster than shops'
        inflow: inflow({ ...INFLOW, trend_pct_per_month: -1.2 }, 'Buyer sign-ups'),
        segments: z
          .record(behaviourName, buyerSegment(NEW_BUYER_SEGMENT, 'Buyer segment'))
          .default(BUYER_SEGMENTS as Record<string, z.input<ReturnType<typeof buyerSegment>>>)
          .describe('Buyer segments (name → parameters; defaults gift_shopper, regular, crafter, collector). A new segment takes the regular defaults for anything unset.'),
        vintage: vintage(
          {
            // early adopters: engaged makers and collectors
            '2019-03-01': { activity: 1.15, churn: 0.8, segment_tilt: { crafter: 1.4, collector: 1.3 } },
            // pandemic wave: many one-off mask and gift buyers
            '2020-06-01': { activity: 0.85, churn: 1.35, segment_tilt: { gift_shopper: 1.5 } },
            '2022-01-01': { activity: 1.0, churn: 1.0, segment_tilt: {} },
            // paid social and coupon acquisition: more gift shoppers, weaker retention
            '2025-03-01': { activity: 0.92, churn: 1.15, segment_tilt: { gift_shopper: 1.25, crafter: 0.85 } },
          },
          'Buyer vintage',
        ),
        country_mix_quarter_sigma: z
          .number()
          .finite()
          .min(0)
          .max(1)
          .default(0.06)
          .describe(
            "Log-sd of a per-country, per-calendar-quarter factor on the countries' buyer odds (default 0.06): campaigns, partnerships and press move the acquisition mix from quarter to quarter, so sign-up shares wander around the drifting `buyer_share`s instead of sitting on them (0 = no quarterly noise).",
          ),
        heterogeneity: z
          .object({
            activity_shape: z
              .number()
              .finite()
              .min(0.05)
              .max(100)
              .default(0.9)
              .describe(
                "Shape of the gamma-distributed per-buyer order intensity (mean 1, variance 1/shape) multiplying the segment's frequency (default 0.9: coefficient of variation 1.05 — with the steep early churn, orders per buyer are right-skewed with mode 1 and a minority of habitual buyers carrying a large share of GMV; smaller shapes spread buyers further). Replaces the lognormal `activity_sigma`.",
              ),
          })
          .strict()
          .default({})
          .describe('Buyers: per-buyer variation around the segment parameters.'),
      })
      .strict()
      .default({})
      .describe('Buyers: sign-ups, segments, vintage, churn from sign-up.'),
    sellers: z
      .object({
        inflow: inflow({ ...INFLOW, launch_date: '2019-01-07' }, 'Shop openings'),
        segments: z
          .record(behaviourName, sellerSegment(NEW_SELLER_SEGMENT, 'Seller segment'))
          .default(SELLER_SEGMENTS as Record<string, z.input<ReturnType<typeof sellerSegment>>>)
          .describe('Seller segments (name → parameters; defaults hobbyist, part_time, professional, power_seller). A new segment takes the part_time defaults for anything unset.'),
        vintage: vintage(
          {
            '2019-01-01': { activity: 1.1, churn: 0.85, segment_tilt: { professional: 1.3 } },
            // pandemic wave of hobby shops
            '2020-06-01': { activity: 0.9, churn: 1.3, segment_tilt: { hobbyist: 1.4 } },
            '2023-01-01': { activity: 1.0, churn: 1.0, segment_tilt: {} },
          },
          'Seller vintage',
        ),
        suspension_per_month: z.number().finite().min(0).max(1).default(0.0015).describe('Hazard per month that a shop is suspended by trust & safety (its listings become inactive; default 0.0015).'),
        vacation_length: lognormalLag(10 * 24, 0.6, 'Length of a vacation spell'),
        status_hour_of_day: someHours(
          STATUS_HOURS,
          "Hour of day of a shop's status changes (fact_shop_status.started_at and ended_at): vacation mode on and off and closures on the seller's local clock (its country's `tz`), suspensions on the warehouse clock (trust & safety staff); the day stays the one the hazards drew; default daytime 08:00–22:00",
        ),
        quality_sigma: z.number().finite().min(0).max(3).default(0.35).describe('Log-sd of a shop-level appeal multiplier shared by its listings (default 0.35).'),
        concentration: z
          .object({
            top1pct_gmv_share: band(0.15, 0.5, 'Share of window GMV held by the top 1% of shops (every shop in dim_seller, no sales = 0)'),
            gini: band(0.7, 0.95, 'Gini coefficient of window GMV over every shop (no sales = 0)'),
          })
          .strict()
          .default({})
          .describe(
            'The seller GMV concentration this model is meant to produce, checked by the behaviour gates of `dnr validate`: a design band for an Etsy-like marketplace (a heavy tail where the top 1% of shops carry about a quarter of GMV and most shops sell little), not a published statistic. Widen it when a config deliberately changes shop sizes.',
          ),
      })
      .strict()
      .default({})
      .describe('Sellers: shop openings, segments (size, stock, quality), closure from opening, vacations and suspensions.'),
    countries: z
      .record(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO-3166 alpha-2 code'), country)
      .default(COUNTRIES)
      .describe("Markets (ISO-2 → buyer share, shop share, time zone, shops' currency, buyers' bargain odds and basket size)."),
    category_popularity: categoryWeights(POPULARITY, 'Relative demand per top-level category'),
    category_month_of_year: categorySeason,
    listings,
    orders,
    payments,
    fees: marketFees,
    tax: marketTax,
    currency: marketCurrency,
    shipping: marketShipping(MARKET_CATEGORY_KEYS),
    marketing,
    month_of_year: monthCurve(
      [0.9, 0.86, 0.94, 0.95, 0.98, 0.94, 0.92, 0.95, 0.97, 1.02, 1.2, 1.5],
      "Monthly seasonality of orders (holiday gifting in Q4). December's weight is carried by its first half: the shipping cut-off and the post-Christmas lull in `calendar` bring its days back to about 1.35 on average.",
    ),
    day_of_week: weekCurve(
      [1.0, 0.98, 0.96, 0.95, 0.92, 1.07, 1.15],
      'Day-of-week weights of orders, Monday first. Defaults: a modest weekend lift (Saturday–Sunday about 15% over Monday–Friday; hobby and gift shopping is browsed at leisure, Sunday evening the busiest time) with Friday the quietest day, so the big sale days stand out from any weekend.',
    ),
    hour_of_day: dayShape(ORDER_HOURS, 'Hour-of-day curve of orders, local time of the buyer'),
    calendar: calendarEvents(CALENDAR, 'Shopping days'),
    trajectories: trajectories({
      T1: { inflow_growth_pct_per_month: null, churn_multiplier_at_end: 1, churn_rise_months: 24 },
      T2: { inflow_growth_pct_per_month: 4, churn_multiplier_at_end: 1, churn_rise_months: 24 },
      T3: { inflow_growth_pct_per_month: 0, churn_multiplier_at_end: 7, churn_rise_months: 24 },
    }),
  })
  .strict()
  .superRefine((b, ctx) => {
    checkBehaviourRefs({ segments: b.buyers.segments, vintage: b.buyers.vintage }, MARKET_EFFECT_KEYS, ctx, ['buyers']);
    checkBehaviourRefs({ segments: b.sellers.segments, vintage: b.sellers.vintage }, MARKET_EFFECT_KEYS, ctx, ['sellers']);
    checkBehaviourRefs({ calendar: b.calendar }, MARKET_EFFECT_KEYS, ctx);
    for (const [name, c] of Object.entries(b.marketing.channels)) {
      for (const seg of Object.keys(c.segment_tilt)) {
        if (!(seg in b.buyers.segments)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['marketing', 'channels', name, 'segment_tilt', seg], message: `unknown buyer segment "${seg}" (segments: ${Object.keys(b.buyers.segments).join(', ')})` });
      }
    }
    for (const cc of Object.keys(b.marketing.tracking.country_coverage)) {
      if (!(cc in b.countries)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['marketing', 'tracking', 'country_coverage', cc], message: `unknown country "${cc}" (countries: ${Object.keys(b.countries).join(', ')})` });
    }
    if (Object.values(b.marketing.channels).every((c) => c.acquisition === 0)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['marketing', 'channels'], message: 'at least one channel needs acquisition odds > 0' });
    if (Object.values(b.marketing.channels).every((c) => c.touch === 0)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['marketing', 'channels'], message: 'at least one channel needs touch odds > 0' });
    for (const side of ['buyer_share', 'seller_share'] as const) {
      const total = Object.values(b.countries).reduce((s, c) => s + c[side], 0);
      if (Math.abs(total - 1) > 1e-6) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['countries'], message: `country ${side}s must sum to 1 (got ${Number(total.toFixed(6))})` });
    }
    for (const [code, c] of Object.entries(b.countries)) {
      for (const [tz, path] of [[c.tz, ['countries', code, 'tz']], ...Object.keys(c.zones).map((z) => [z, ['countries', code, 'zones', z]])] as [string | null, string[]][]) {
        if (tz === null) continue;
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
        } catch {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `unknown IANA time zone "${tz}"` });
        }
      }
      if (Object.keys(c.zones).length && Object.values(c.zones).every((x) => x === 0)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['countries', code, 'zones'], message: 'at least one zone needs a share > 0' });
    }
    if (Object.values(b.payments.methods).every((x) => x.share === 0)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['payments', 'methods'], message: 'at least one payment method needs a share > 0' });
    if (Object.values(b.category_popularity).every((x) => x === 0)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['category_popularity'], message: 'at least one category needs demand' });
  })
  .default({})
  .describe('Marketplace behaviour: buyers and sellers (segments, vintage, churn), listings (appeal, price, stock, state machine), demand (category, price, loyalty, home country), calendar and time-of-use curves.');

export type MarketplaceBehaviour = z.infer<typeof MarketplaceBehaviourSchema>;
export type MarketBuyerSegment = MarketplaceBehaviour['buyers']['segments'][string];
export type MarketSellerSegment = MarketplaceBehaviour['sellers']['segments'][string];
