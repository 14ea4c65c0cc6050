/**
 * Merchant category codes used by the neobank: 40 MCCs in 8 sectors. Weights are shares of card
 * transactions; amounts are lognormal with the given median (cents) and log-sd; interchange in bps
 * (regulated-debit-like ~110 for groceries up to ~200 for travel; the amount-weighted mean lands near
 * 150 bps, SPEC §4.4). ecommerce is the share of card-not-present transactions.
 */
export interface MccInfo {
  mcc: number;
  name: string;
  sector: string;
  weight: number;
  medianCents: number;
  sigma: number;
  interchangeBps: number;
  ecommerceShare: number;
}

const m = (mcc: number, name: string, sector: string, weight: number, medianCents: number, sigma: number, interchangeBps: number, ecommerceShare: number): MccInfo => ({
  mcc,
  name,
  sector,
  weight,
  medianCents,
  sigma,
  interchangeBps,
  ecommerceShare,
});

export const SECTORS = ['grocery', 'dining', 'transport', 'retail', 'travel', 'entertainment', 'services', 'health_utilities'] as const;

export const MCCS: MccInfo[] = [
  m(5411, 'Grocery Stores', 'grocery', 9.0, 4200, 0.7, 120, 0.08),
  m(5422, 'Meat Provisioners', 'grocery', 0.8, 3100, 0.6, 125, 0.02),
  m(5441, 'Candy Stores', 'grocery', 0.7, 900, 0.6, 130, 0.03),
  m(5451, 'Dairy Stores', 'grocery', 0.6, 1200, 0.5, 125, 0.02),
  m(5499, 'Convenience Food', 'grocery', 4.0, 1100, 0.7, 130, 0.02),
  m(5812, 'Restaurants', 'dining', 7.0, 3400, 0.6, 160, 0.05),
  m(5813, 'Bars', 'dining', 2.5, 2600, 0.6, 160, 0.01),
  m(5814, 'Fast Food', 'dining', 8.0, 1150, 0.5, 150, 0.10),
  m(5462, 'Bakeries', 'dining', 1.5, 900, 0.5, 150, 0.03),
  m(5811, 'Caterers', 'dining', 0.4, 9000, 0.8, 165, 0.20),
  m(4111, 'Commuter Transport', 'transport', 4.0, 350, 0.5, 140, 0.15),
  m(4121, 'Taxis and Rideshare', 'transport', 4.5, 2100, 0.6, 155, 0.85),
  m(5541, 'Service Stations', 'transport', 5.0, 4500, 0.5, 120, 0.02),
  m(7523, 'Parking', 'transport', 1.5, 1000, 0.6, 140, 0.30),
  m(4784, 'Tolls', 'transport', 1.0, 600, 0.4, 135, 0.60),
  m(5311, 'Department Stores', 'retail', 2.5, 5200, 0.8, 155, 0.30),
  m(5651, 'Clothing Stores', 'retail', 2.5, 4800, 0.7, 160, 0.40),
  m(5732, 'Electronics Stores', 'retail', 1.0, 9500, 1.0, 150, 0.50),
  m(5942, 'Book Stores', 'retail', 0.8, 2200, 0.6, 160, 0.55),
  m(5999, 'Misc Retail', 'retail', 4.0, 2800, 0.9, 160, 0.45),
  m(4511, 'Airlines', 'travel', 0.8, 28000, 0.8, 200, 0.90),
  m(7011, 'Hotels and Lodging', 'travel', 0.8, 21000, 0.7, 195, 0.70),
  m(7512, 'Car Rental', 'travel', 0.3, 24000, 0.6, 195, 0.80),
  m(4722, 'Travel Agencies', 'travel', 0.4, 35000, 0.9, 195, 0.95),
  m(4411, 'Cruise Lines', 'travel', 0.1, 90000, 0.6, 200, 0.95),
  m(7832, 'Cinemas', 'entertainment', 1.2, 2400, 0.4, 160, 0.45),
  m(7922, 'Theatrical Tickets', 'entertainment', 0.5, 8500, 0.7, 170, 0.85),
  m(7941, 'Sports Clubs', 'entertainment', 0.5, 5000, 0.6, 165, 0.50),
  m(7994, 'Video Game Arcades', 'entertainment', 0.4, 1500, 0.6, 165, 0.60),
  m(5815, 'Digital Media', 'entertainment', 4.0, 1100, 0.5, 170, 1.0),
  m(7230, 'Beauty Shops', 'services', 1.2, 4500, 0.6, 155, 0.15),
  m(7210, 'Laundry Services', 'services', 0.8, 1800, 0.5, 150, 0.10),
  m(7299, 'Misc Personal Services', 'services', 1.0, 3500, 0.8, 160, 0.40),
  m(8299, 'Schools and Education', 'services', 0.4, 12000, 0.9, 165, 0.75),
  m(7372, 'Software Services', 'services', 2.0, 1500, 0.7, 170, 1.0),
  m(4814, 'Telecom Services', 'health_utilities', 2.0, 6000, 0.4, 145, 0.90),
  m(4900, 'Utilities', 'health_utilities', 1.5, 9000, 0.5, 110, 0.85),
  m(5912, 'Pharmacies', 'health_utilities', 3.0, 2200, 0.7, 130, 0.10),
  m(8011, 'Doctors', 'health_utilities', 0.5, 9500, 0.8, 150, 0.30),
  m(8021, 'Dentists', 'health_utilities', 0.3, 14000, 0.8, 150, 0.20),
];

export const NAME_A = ['Blue', 'Cedar', 'Copper', 'Golden', 'Harbor', 'Maple', 'North', 'Oak', 'Pine', 'River', 'Silver', 'Summit', 'Sunny', 'Willow', 'Granite', 'Amber', 'Juniper', 'Lantern', 'Meadow', 'Orchard'];
export const NAME_B = ['Lane', 'Point', 'Street', 'Corner', 'Square', 'Bridge', 'Hill', 'Park', 'Grove', 'Bay', 'Field', 'Ridge', 'Valley', 'Crossing', 'Market', 'Yard'];

/** A synthetic, brand-free merchant name: "Cedar Bridge Grocery Stores #0042". */
export function merchantName(id: number, mccIndex: number): string {
  const a = NAME_A[(id * 7 + mccIndex) % NAME_A.length];
  const b = NAME_B[Math.floor(id / NAME_A.length) % NAME_B.length];
  return `${a} ${b} ${MCCS[mccIndex].name} #${String(id).padStart(4, '0')}`;
}

/** Split n merchants across MCCs by weight (largest remainder, at least one each). */
export function merchantsPerMcc(n: number): number[] {
  const total = MCCS.reduce((s, x) => s + x.weight, 0);
  const raw = MCCS.map((x) => Math.max(1, (n * x.weight) / total));
  const counts = raw.map((r) => Math.floor(r));
  let left = n - counts.reduce((s, c) => s + c, 0);
  const order = raw.map((r, j) => [r - Math.floor(r), j] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k][1]]++;
  // the one-per-MCC floor can overshoot small n: take back from the largest
  while (left < 0) {
    const j = counts.indexOf(Math.max(...counts));
    if (counts[j] <= 1) break;
    counts[j]--;
    left++;
  }
  return counts;
}
