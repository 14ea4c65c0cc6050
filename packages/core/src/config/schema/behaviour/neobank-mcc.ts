/**
 * Merchant category codes of the neobank: 40 MCCs in 8 sectors (taxonomy data shared by the config
 * schema, the generator and validate). Weights are shares of card transactions; amounts are
 * lognormal with the given median (cents) and log-sd; interchange in bps (regulated-debit-like ~110
 * for groceries up to ~200 for travel; the amount-weighted mean lands near 150 bps). `ecommerceShare`
 * is the share of card-not-present transactions. `merchantDensity` is merchants per unit of
 * transaction weight (many small restaurants and salons, few big grocery chains, a handful of
 * streaming services), so merchant-count shares differ from transaction shares. `priceStyle` shapes
 * the cents of an amount: exact (fuel, groceries), charm (x.99 / x.49 shelf prices), whole (whole
 * dollars), whole_tip (a bill with tax, untipped at the counter, or plus a 15–25% tip, a third rounded up to a whole-dollar total), points (a short list of list prices: fares, tickets,
 * digital goods). `reversalRate` is the share of approved authorisations later reversed (fuel and
 * hotel pre-authorisations are released and re-captured).
 */
export interface MccInfo {
  mcc: number;
  name: string;
  sector: Sector;
  weight: number;
  medianCents: number;
  sigma: number;
  interchangeBps: number;
  ecommerceShare: number;
  merchantDensity: number;
  priceStyle: PriceStyle;
  reversalRate: number;
  /** List prices (cents) for the `points` style. */
  pricePoints?: number[];
}

export const SECTORS = ['grocery', 'dining', 'transport', 'retail', 'travel', 'entertainment', 'services', 'health_utilities'] as const;
export type Sector = (typeof SECTORS)[number];
export const PRICE_STYLES = ['exact', 'charm', 'whole', 'whole_tip', 'points'] as const;
export type PriceStyle = (typeof PRICE_STYLES)[number];

const m = (
  mcc: number,
  name: string,
  sector: Sector,
  weight: number,
  medianCents: number,
  sigma: number,
  interchangeBps: number,
  ecommerceShare: number,
  merchantDensity: number,
  priceStyle: PriceStyle,
  reversalRate: number,
  pricePoints?: number[],
): MccInfo => ({ mcc, name, sector, weight, medianCents, sigma, interchangeBps, ecommerceShare, merchantDensity, priceStyle, reversalRate, ...(pricePoints ? { pricePoints } : {}) });

export const MCCS: MccInfo[] = [
  m(5411, 'Grocery Stores', 'grocery', 9.0, 4200, 0.7, 120, 0.08, 0.35, 'exact', 0.004),
  m(5422, 'Meat Provisioners', 'grocery', 0.8, 3100, 0.6, 125, 0.02, 1.2, 'exact', 0.004),
  m(5441, 'Candy Stores', 'grocery', 0.7, 900, 0.6, 130, 0.03, 1.4, 'charm', 0.004),
  m(5451, 'Dairy Stores', 'grocery', 0.6, 1200, 0.5, 125, 0.02, 1.2, 'exact', 0.004),
  m(5499, 'Convenience Food', 'grocery', 4.0, 1100, 0.7, 130, 0.02, 1.0, 'exact', 0.004),
  m(5812, 'Restaurants', 'dining', 7.0, 3400, 0.6, 160, 0.05, 2.2, 'whole_tip', 0.012),
  m(5813, 'Bars', 'dining', 2.5, 2600, 0.6, 160, 0.01, 1.6, 'whole_tip', 0.012),
  m(5814, 'Fast Food', 'dining', 8.0, 1150, 0.5, 150, 0.10, 0.5, 'charm', 0.004),
  m(5462, 'Bakeries', 'dining', 1.5, 900, 0.5, 150, 0.03, 1.8, 'charm', 0.004),
  m(5811, 'Caterers', 'dining', 0.4, 9000, 0.8, 165, 0.20, 1.5, 'exact', 0.004),
  m(4111, 'Commuter Transport', 'transport', 4.0, 350, 0.5, 140, 0.15, 0.08, 'points', 0.004, [250, 275, 290, 550]),
  m(4121, 'Taxis and Rideshare', 'transport', 4.5, 2100, 0.6, 155, 0.85, 0.06, 'exact', 0.015),
  m(5541, 'Service Stations', 'transport', 5.0, 4500, 0.5, 120, 0.02, 0.5, 'exact', 0.05),
  m(7523, 'Parking', 'transport', 1.5, 1000, 0.6, 140, 0.30, 1.0, 'whole', 0.004),
  m(4784, 'Tolls', 'transport', 1.0, 600, 0.4, 135, 0.60, 0.1, 'points', 0.004, [150, 250, 400, 650, 800]),
  m(5311, 'Department Stores', 'retail', 2.5, 5200, 0.8, 155, 0.30, 0.25, 'charm', 0.004),
  m(5651, 'Clothing Stores', 'retail', 2.5, 4800, 0.7, 160, 0.40, 1.3, 'charm', 0.004),
  m(5732, 'Electronics Stores', 'retail', 1.0, 9500, 1.0, 150, 0.50, 0.5, 'charm', 0.004),
  m(5942, 'Book Stores', 'retail', 0.8, 2200, 0.6, 160, 0.55, 1.0, 'charm', 0.004),
  m(5999, 'Misc Retail', 'retail', 4.0, 2800, 0.9, 160, 0.45, 1.6, 'charm', 0.004),
  m(4511, 'Airlines', 'travel', 0.8, 28000, 0.8, 200, 0.90, 0.15, 'exact', 0.02),
  m(7011, 'Hotels and Lodging', 'travel', 0.8, 21000, 0.7, 195, 0.70, 1.8, 'exact', 0.06),
  m(7512, 'Car Rental', 'travel', 0.3, 24000, 0.6, 195, 0.80, 0.3, 'exact', 0.08),
  m(4722, 'Travel Agencies', 'travel', 0.4, 35000, 0.9, 195, 0.95, 0.8, 'exact', 0.02),
  m(4411, 'Cruise Lines', 'travel', 0.1, 90000, 0.6, 200, 0.95, 0.3, 'exact', 0.02),
  m(7832, 'Cinemas', 'entertainment', 1.2, 2400, 0.4, 160, 0.45, 0.5, 'points', 0.004, [1299, 1599, 2598, 3198]),
  m(7922, 'Theatrical Tickets', 'entertainment', 0.5, 8500, 0.7, 170, 0.85, 1.5, 'charm', 0.004),
  m(7941, 'Sports Clubs', 'entertainment', 0.5, 5000, 0.6, 165, 0.50, 1.4, 'points', 0.004, [1000, 1500, 2500, 4000]),
  m(7994, 'Video Game Arcades', 'entertainment', 0.4, 1500, 0.6, 165, 0.60, 1.2, 'whole', 0.004),
  m(5815, 'Digital Media', 'entertainment', 4.0, 1100, 0.5, 170, 1.0, 0.06, 'points', 0.004, [99, 199, 299, 499, 999, 1499, 1999]),
  m(7230, 'Beauty Shops', 'services', 1.2, 4500, 0.6, 155, 0.15, 2.2, 'whole_tip', 0.004),
  m(7210, 'Laundry Services', 'services', 0.8, 1800, 0.5, 150, 0.10, 1.8, 'whole', 0.004),
  m(7299, 'Misc Personal Services', 'services', 1.0, 3500, 0.8, 160, 0.40, 1.6, 'exact', 0.004),
  m(8299, 'Schools and Education', 'services', 0.4, 12000, 0.9, 165, 0.75, 1.5, 'exact', 0.004),
  m(7372, 'Software Services', 'services', 2.0, 1500, 0.7, 170, 1.0, 0.15, 'points', 0.004, [299, 999, 1499, 1999, 2999, 5999]),
  m(4814, 'Telecom Services', 'health_utilities', 2.0, 6000, 0.4, 145, 0.90, 0.05, 'whole', 0.004),
  m(4900, 'Utilities', 'health_utilities', 1.5, 9000, 0.5, 110, 0.85, 0.15, 'exact', 0.004),
  m(5912, 'Pharmacies', 'health_utilities', 3.0, 2200, 0.7, 130, 0.10, 0.35, 'exact', 0.004),
  m(8011, 'Doctors', 'health_utilities', 0.5, 9500, 0.8, 150, 0.30, 2.0, 'exact', 0.004),
  m(8021, 'Dentists', 'health_utilities', 0.3, 14000, 0.8, 150, 0.20, 2.0, 'exact', 0.004),
];

/** MCC codes as strings (config keys). */
export const MCC_CODES = MCCS.map((x) => String(x.mcc));
