/**
 * Where the neobank's customers live and its stores trade: 35 US metropolitan statistical areas (MSAs),
 * largest first, each with its 2020 population, the IANA time zone of the whole metro and the towns
 * (principal city first, then suburbs and neighbouring cities, some across a state line) that card
 * descriptors print as `TOWN ST`.
 *
 * Populations: US Census Bureau, 2020 Census counts (April 1, 2020) of the MSAs as delineated in March
 * 2020 (New York-Newark-Jersey City, NY-NJ-PA 20,140,470 … Salt Lake City, UT 1,257,936; 160.6 million in
 * all). The list is the 33 largest MSAs without Cleveland and San Jose, plus Nashville (36th) and Salt
 * Lake City (47th): principal cities in 22 states and DC, towns in 30 states and DC.
 *
 * Zones: the zone.tab zone of the principal city (Eastern America/New_York, America/Detroit for
 * Michigan, America/Indiana/Indianapolis for central Indiana, all three on the same rules since 2007;
 * Central America/Chicago; Mountain America/Denver; Arizona America/Phoenix without daylight saving time;
 * Pacific America/Los_Angeles). Every town of a metro keeps its metro's clock (Covington KY and Vancouver
 * WA included), and each state code printed keeps one zone across the list.
 */
export interface Metro {
  /** Principal city (the first town). */
  city: string;
  /** USPS code of the principal city's state. */
  state: string;
  zone: string;
  /** 2020 Census count of the MSA (people). */
  population: number;
  /** Towns descriptors print, principal city first: city name as statements print it and USPS state code. */
  towns: ReadonlyArray<{ city: string; state: string }>;
}

const E = 'America/New_York';
const C = 'America/Chicago';
const M = 'America/Denver';
const P = 'America/Los_Angeles';

/** [zone, 2020 population, 'TOWN ST' …] per metro, largest first. */
const DEFS: Array<[string, number, ...string[]]> = [
  [E, 20_140_470, 'NEW YORK NY', 'BROOKLYN NY', 'BRONX NY', 'JERSEY CITY NJ', 'NEWARK NJ', 'YONKERS NY'],
  [P, 13_200_998, 'LOS ANGELES CA', 'LONG BEACH CA', 'ANAHEIM CA', 'SANTA ANA CA', 'IRVINE CA', 'PASADENA CA'],
  [C, 9_618_502, 'CHICAGO IL', 'NAPERVILLE IL', 'JOLIET IL', 'EVANSTON IL', 'ELGIN IL', 'KENOSHA WI'],
  [C, 7_637_387, 'DALLAS TX', 'FORT WORTH TX', 'ARLINGTON TX', 'PLANO TX', 'IRVING TX', 'GARLAND TX'],
  [C, 7_122_240, 'HOUSTON TX', 'SUGAR LAND TX', 'THE WOODLANDS TX', 'KATY TX', 'PEARLAND TX', 'BAYTOWN TX'],
  [E, 6_385_162, 'WASHINGTON DC', 'ALEXANDRIA VA', 'SILVER SPRING MD', 'BETHESDA MD', 'FAIRFAX VA', 'ROCKVILLE MD'],
  [E, 6_245_051, 'PHILADELPHIA PA', 'CAMDEN NJ', 'CHERRY HILL NJ', 'WILMINGTON DE', 'NORRISTOWN PA'],
  [E, 6_138_333, 'MIAMI FL', 'FORT LAUDERDALE FL', 'HIALEAH FL', 'MIAMI BEACH FL', 'POMPANO BEACH FL', 'WEST PALM BEACH FL'],
  [E, 6_089_815, 'ATLANTA GA', 'SANDY SPRINGS GA', 'ALPHARETTA GA', 'MARIETTA GA', 'DECATUR GA', 'ROSWELL GA'],
  [E, 4_941_632, 'BOSTON MA', 'CAMBRIDGE MA', 'NEWTON MA', 'QUINCY MA', 'SOMERVILLE MA', 'NASHUA NH'],
  ['America/Phoenix', 4_845_832, 'PHOENIX AZ', 'MESA AZ', 'CHANDLER AZ', 'SCOTTSDALE AZ', 'TEMPE AZ', 'GLENDALE AZ'],
  [P, 4_749_008, 'SAN FRANCISCO CA', 'OAKLAND CA', 'BERKELEY CA', 'SAN MATEO CA', 'HAYWARD CA', 'DALY CITY CA'],
  [P, 4_599_839, 'RIVERSIDE CA', 'SAN BERNARDINO CA', 'ONTARIO CA', 'CORONA CA', 'FONTANA CA', 'TEMECULA CA'],
  ['America/Detroit', 4_392_041, 'DETROIT MI', 'WARREN MI', 'DEARBORN MI', 'LIVONIA MI', 'TROY MI', 'ROYAL OAK MI'],
  [P, 4_018_762, 'SEATTLE WA', 'TACOMA WA', 'BELLEVUE WA', 'EVERETT WA', 'KENT WA', 'REDMOND WA'],
  [C, 3_690_261, 'MINNEAPOLIS MN', 'ST PAUL MN', 'BLOOMINGTON MN', 'EDINA MN', 'EAGAN MN', 'HUDSON WI'],
  [P, 3_298_634, 'SAN DIEGO CA', 'CHULA VISTA CA', 'CARLSBAD CA', 'OCEANSIDE CA', 'ESCONDIDO CA', 'EL CAJON CA'],
  [E, 3_175_275, 'TAMPA FL', 'ST PETERSBURG FL', 'CLEARWATER FL', 'BRANDON FL', 'LARGO FL'],
  [M, 2_963_821, 'DENVER CO', 'AURORA CO', 'LAKEWOOD CO', 'LITTLETON CO', 'ARVADA CO', 'WESTMINSTER CO'],
  [E, 2_844_510, 'BALTIMORE MD', 'COLUMBIA MD', 'TOWSON MD', 'GLEN BURNIE MD', 'ELLICOTT CITY MD'],
  [C, 2_820_253, 'ST LOUIS MO', 'ST CHARLES MO', 'CHESTERFIELD MO', 'FLORISSANT MO', 'BELLEVILLE IL'],
  [E, 2_673_376, 'ORLANDO FL', 'KISSIMMEE FL', 'SANFORD FL', 'WINTER PARK FL', 'ALTAMONTE SPRINGS FL'],
  [E, 2_660_329, 'CHARLOTTE NC', 'CONCORD NC', 'GASTONIA NC', 'HUNTERSVILLE NC', 'ROCK HILL SC'],
  [C, 2_558_143, 'SAN ANTONIO TX', 'NEW BRAUNFELS TX', 'SCHERTZ TX', 'UNIVERSAL CITY TX'],
  [P, 2_512_859, 'PORTLAND OR', 'VANCOUVER WA', 'HILLSBORO OR', 'BEAVERTON OR', 'GRESHAM OR', 'LAKE OSWEGO OR'],
  [P, 2_397_382, 'SACRAMENTO CA', 'ROSEVILLE CA', 'FOLSOM CA', 'ELK GROVE CA', 'DAVIS CA'],
  [E, 2_370_930, 'PITTSBURGH PA', 'MONROEVILLE PA', 'BETHEL PARK PA', 'MCKEESPORT PA'],
  [C, 2_283_371, 'AUSTIN TX', 'ROUND ROCK TX', 'GEORGETOWN TX', 'CEDAR PARK TX', 'SAN MARCOS TX', 'PFLUGERVILLE TX'],
  [P, 2_265_461, 'LAS VEGAS NV', 'HENDERSON NV', 'PARADISE NV', 'SPRING VALLEY NV'],
  [E, 2_256_884, 'CINCINNATI OH', 'COVINGTON KY', 'FLORENCE KY', 'HAMILTON OH', 'MASON OH'],
  [C, 2_192_035, 'KANSAS CITY MO', 'KANSAS CITY KS', 'OVERLAND PARK KS', 'INDEPENDENCE MO', 'OLATHE KS', 'LEES SUMMIT MO'],
  [E, 2_138_926, 'COLUMBUS OH', 'DUBLIN OH', 'WESTERVILLE OH', 'GROVE CITY OH', 'HILLIARD OH'],
  ['America/Indiana/Indianapolis', 2_111_040, 'INDIANAPOLIS IN', 'CARMEL IN', 'FISHERS IN', 'NOBLESVILLE IN', 'ANDERSON IN'],
  [C, 1_989_519, 'NASHVILLE TN', 'MURFREESBORO TN', 'FRANKLIN TN', 'BRENTWOOD TN', 'HENDERSONVILLE TN'],
  [M, 1_257_936, 'SALT LAKE CITY UT', 'WEST VALLEY CITY UT', 'SANDY UT', 'WEST JORDAN UT', 'MURRAY UT'],
];

const place = (s: string) => ({ city: s.slice(0, -3), state: s.slice(-2) });

/** The metro areas, largest first (index = metro index of merchants and customers). */
export const METROS: ReadonlyArray<Metro> = DEFS.map(([zone, population, ...towns]) => {
  const t = towns.map(place);
  return { city: t[0].city, state: t[0].state, zone, population, towns: t };
});

/** Every town descriptors can print, with its metro index and that metro's zone (metro order, then town order). */
export const PLACES: ReadonlyArray<{ city: string; state: string; zone: string; metro: number }> = METROS.flatMap((m, metro) => m.towns.map((t) => ({ ...t, zone: m.zone, metro })));

/** Metro areas available. */
export const CITY_COUNT = METROS.length;

/** Cumulative population shares of the first k metros, per k (memoised: k is a handful of values). */
const cumulative = new Map<number, Float64Array>();
function cumShares(k: number): Float64Array {
  let c = cumulative.get(k);
  if (!c) {
    const total = METROS.slice(0, k).reduce((s, m) => s + m.population, 0);
    let acc = 0;
    c = Float64Array.from(METROS.slice(0, k), (m) => (acc += m.population) / total);
    cumulative.set(k, c);
  }
  return c;
}

/**
 * Index of a metro among the first `metros` (largest first), drawn in proportion to their 2020
 * populations from uniform u ∈ [0, 1): New York holds 20.1 ÷ 160.6 = 12.5% of the stores of all 35 metros
 * and 47% of the three largest.
 */
export function metroIndex(u: number, metros: number): number {
  const c = cumShares(Math.max(1, Math.min(CITY_COUNT, metros)));
  for (let j = 0; j < c.length - 1; j++) if (u < c[j]) return j;
  return c.length - 1;
}

/** Share of metro j among the first `metros` by 2020 population (0 for j outside them). */
export function metroShare(j: number, metros: number): number {
  const c = cumShares(Math.max(1, Math.min(CITY_COUNT, metros)));
  return j < 0 || j >= c.length ? 0 : c[j] - (j > 0 ? c[j - 1] : 0);
}

/**
 * The town of metro j a merchant's descriptor prints, from uniform u ∈ [0, 1): Zipf 1/(k + 1) over the
 * metro's towns in list order, so the principal city has the most stores (41% of a six-town metro,
 * 48% of a four-town one) and each suburb fewer. Returns [town, USPS state code].
 */
export function townOf(j: number, u: number): [string, string] {
  const towns = METROS[j].towns;
  const total = towns.reduce((s, _, k) => s + 1 / (k + 1), 0);
  let acc = 0;
  for (let k = 0; k < towns.length - 1; k++) if (u < (acc += 1 / (k + 1) / total)) return [towns[k].city, towns[k].state];
  const last = towns[towns.length - 1];
  return [last.city, last.state];
}

/** The principal city and state of metro index j (0 ≤ j < CITY_COUNT). */
export const cityOf = (j: number): [string, string] => [METROS[j].city, METROS[j].state];

/** The IANA time zone of metro index j (0 ≤ j < CITY_COUNT). */
export const metroZone = (j: number): string => METROS[j].zone;
