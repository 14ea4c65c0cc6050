/**
 * Card-statement descriptors of merchants (dim_merchant.name), in the shapes issuers receive them:
 * chain locations (`BRAND #0412 CITY ST`, fuel stations with a long site number), online merchants
 * (`BRAND.COM`, `BRAND*SERVICE` with a phone number or the city), small merchants behind a payment
 * processor's prefix (`SQ *`, `TST* `, `PAYPAL *`, `SP `) and local independents. Every brand is
 * fictitious; the processor prefixes are the generic descriptor conventions of card processing. The
 * places are real: a town of one of the US metro areas (metros.ts), printed `TOWN ST`.
 */
import { CITY_COUNT, metroIndex, townOf } from './metros.js';

export { CITY_COUNT, cityOf, METROS, metroIndex, metroShare, metroZone, PLACES, townOf, type Metro } from './metros.js';

/** Uniform (index of the NameDraws) choosing the town within the merchant's metro. */
const TOWN_DRAW = 8;

/** How an MCC's merchants are named: its chains (most used first), independents' nouns, and the descriptor style. */
interface MccNaming {
  chains: string[];
  /** Nouns of independents' names ("TAQUERIA", "DENTAL"). */
  nouns: string[];
  /** store: BRAND #0412; fuel: BRAND 57442345; online: BRAND.COM / BRAND*SERVICE; plain: BRAND CITY. */
  style: 'store' | 'fuel' | 'online' | 'plain';
  /** Processor prefixes independents use here (one drawn per merchant when it has one). */
  prefixes: string[];
  /** "THE <WORD>" alone is a name here (bars: THE RUSTY ANCHOR). */
  bare?: boolean;
  /** Every merchant of the MCC sells only online (digital media, software). */
  onlineOnly?: boolean;
}

const DINING = ['TST* ', 'TST* ', 'SQ *', 'SQ *', 'CLV*'];
const SHOP = ['SQ *', 'SQ *', 'SQ *', 'CLV*'];
/** Shops that also sell online (clothing, books, misc retail): PayPal and Shopify checkouts too. */
const SHOP_ONLINE = ['SQ *', 'SQ *', 'PAYPAL *', 'SP ', 'CLV*'];
const SERVICE = ['SQ *', 'SQ *', 'CLV*'];
const ONLINE = ['PAYPAL *', 'PAYPAL *', 'SP '];

const n = (chains: string[], nouns: string[], style: MccNaming['style'], prefixes: string[] = []): MccNaming => ({ chains, nouns, style, prefixes });

/** Naming per MCC code (defaults for an MCC not listed: a plain store style with SHOP prefixes). */
export const MCC_NAMING: Record<number, MccNaming> = {
  5411: n(['GROVEMART', 'BRIGHTCART FOODS', 'PANTRYWISE', 'HOMESTEAD MARKET', 'THRIFTLY FOODS', 'VALLEY FRESH'], ['MARKET', 'GROCERY', 'FOODS', 'SUPERMARKET', 'MERCADO'], 'store', SHOP),
  5422: n(['PRIME CUTS MEAT CO'], ['BUTCHER SHOP', 'MEATS', 'MEAT MARKET', 'SMOKEHOUSE'], 'plain', SHOP),
  5441: n(['SUGARLANE CANDY'], ['CANDY', 'SWEETS', 'CHOCOLATES', 'FUDGE SHOP'], 'plain', SHOP),
  5451: n(['MEADOWBROOK DAIRY'], ['CREAMERY', 'DAIRY', 'CHEESE SHOP'], 'plain', SHOP),
  5499: n(['ZIPSTOP', 'CORNERWAY', 'HANDY PANTRY', 'QUIKWAY MARKET'], ['MINI MART', 'FOOD MART', 'DELI', 'CORNER STORE', 'MARKET'], 'store', SHOP),
  5812: n(['HEARTHSTONE GRILL', 'RED LANTERN BISTRO', 'OLIVETO TRATTORIA', 'PRAIRIE KITCHEN'], ['GRILL', 'BISTRO', 'TAQUERIA', 'KITCHEN', 'DINER', 'CAFE', 'PHO', 'SUSHI', 'TRATTORIA', 'BBQ', 'THAI'], 'store', DINING),
  5813: { ...n(['TAPHOUSE 21'], ['TAVERN', 'PUB', 'SALOON', 'TAPROOM', 'LOUNGE', 'BREWING CO'], 'plain', DINING), bare: true },
  5814: n(['BURGERBARN', 'TACO PRONTO', 'CLUCKHOUSE', 'PIZZA ROYALE', 'SUBSTATION', 'BEAN & BREW'], ['BURGERS', 'PIZZA', 'TACOS', 'SUBS', 'COFFEE', 'WINGS'], 'store', DINING),
  5462: n(['GOLDEN CRUST BAKERY'], ['BAKERY', 'DONUTS', 'BAKE SHOP', 'PATISSERIE', 'BAGELS'], 'plain', DINING),
  5811: n([], ['CATERING', 'EVENTS CATERING'], 'plain', SERVICE),
  4111: n(['CITYLINK TRANSIT', 'METRORIDE FARES', 'BAY RAIL TICKETS'], ['TRANSIT'], 'plain'),
  4121: n(['RIDEGO *TRIP', 'ZOOMCAB *RIDE'], ['TAXI', 'CAB CO', 'LIMO'], 'online', SERVICE),
  5541: n(['PETROLUX', 'QUIKFUEL', 'STARLINE GAS', 'REDWING FUEL', 'NORTHSTAR PETRO'], ['GAS', 'FUEL', 'SERVICE STATION'], 'fuel'),
  7523: n(['PARKRIGHT', 'CITYPARK GARAGE'], ['PARKING', 'PARKING LOT', 'GARAGE'], 'store', SERVICE),
  4784: n(['STATE TOLLWAY', 'EXPRESSPASS TOLL'], ['TOLL BRIDGE'], 'plain'),
  5311: n(['BRANDT & COLE', 'MERIDIAN DEPT STORE', 'TALLIS'], ['DEPARTMENT STORE'], 'store', SHOP),
  5651: n(['THREADLINE', 'NORTHWEAVE', 'URBAN LOOM'], ['BOUTIQUE', 'APPAREL', 'CLOTHING CO', 'THREADS'], 'store', SHOP_ONLINE),
  5732: n(['VOLTEDGE', 'CIRCUITHAUS'], ['ELECTRONICS', 'PHONE REPAIR', 'COMPUTERS'], 'store', SHOP),
  5942: n(['PAGETURNER BOOKS'], ['BOOKS', 'BOOKSHOP', 'COMICS'], 'store', SHOP_ONLINE),
  5999: n(['DOLLAR HAVEN', 'CRAFTLY', 'PETPATCH'], ['GIFTS', 'SUPPLY', 'FLORIST', 'PET SUPPLY', 'VAPE SHOP', 'HARDWARE'], 'store', SHOP_ONLINE),
  4511: n(['SKYLARK AIR', 'BLUEHERON AIRLINES', 'PACIFICA AIR'], ['AIR'], 'online'),
  7011: n(['STAYWELL SUITES', 'HARBORVIEW INN', 'LAKESIDE LODGE'], ['MOTEL', 'INN', 'LODGE', 'BED & BREAKFAST'], 'store', SERVICE),
  7512: n(['DRIVEWAY RENTALS', 'ROADSTAR CAR RENTAL'], ['CAR RENTAL'], 'store'),
  4722: n(['TRIPNEST', 'WANDERLY', 'FARECOMPASS'], ['TRAVEL'], 'online', ONLINE),
  4411: n(['SEAVISTA CRUISES', 'CORAL WAVE CRUISE'], ['CRUISES'], 'online'),
  7832: n(['STARLIGHT CINEMAS', 'REELHOUSE'], ['CINEMA', 'THEATRE'], 'store', SERVICE),
  7922: n(['TIXPORT', 'STAGEPASS'], ['THEATER', 'PLAYHOUSE', 'ARTS CENTER'], 'online', ONLINE),
  7941: n(['IRONCORE FITNESS', 'PULSE GYM', 'SUMMIT ATHLETIC CLUB'], ['FITNESS', 'YOGA', 'CROSSFIT', 'MARTIAL ARTS', 'CLIMBING GYM'], 'store', SERVICE),
  7994: n(['PIXEL PALACE', 'GAMEZONE ARCADE'], ['ARCADE', 'FUN CENTER'], 'store', SERVICE),
  5815: { ...n(['TUNEBOX', 'STREAMLY', 'APPVAULT', 'PLAYMORE', 'READLY BOOKS'], ['MEDIA'], 'online', ONLINE), onlineOnly: true },
  7230: n(['GREAT SHEARS', 'CLIPPERS & CO'], ['NAILS', 'SALON', 'BARBERSHOP', 'LASHES', 'SPA', 'HAIR STUDIO'], 'store', SERVICE),
  7210: n(['SUDSY LAUNDRY'], ['LAUNDROMAT', 'DRY CLEANERS', 'WASH & FOLD'], 'plain', SERVICE),
  7299: n(['HANDYPRO SERVICES'], ['TAILORING', 'PHOTO STUDIO', 'CAR WASH', 'PET GROOMING', 'LOCKSMITH', 'TAX SERVICE'], 'plain', SERVICE),
  8299: n(['LEARNLY', 'SKILLPATH ACADEMY'], ['MUSIC ACADEMY', 'TUTORING', 'DRIVING SCHOOL', 'DANCE STUDIO'], 'online', SERVICE),
  7372: { ...n(['CLOUDNEST', 'SNAPDOC', 'TASKLY', 'PIXELFORGE', 'SECUREBOX'], ['SOFTWARE'], 'online', ONLINE), onlineOnly: true },
  4814: n(['CELLWAVE WIRELESS', 'SKYLINK MOBILE', 'FIBERLINE INTERNET'], ['WIRELESS'], 'online'),
  4900: n(['PACIFIC GRID ENERGY', 'CLEARWATER UTILITIES', 'METRO GAS & ELECTRIC'], ['WATER DEPT', 'ELECTRIC CO', 'UTILITIES'], 'online'),
  5912: n(['WELLPATH PHARMACY', 'CAREPOINT DRUG', 'MEDIWAY'], ['PHARMACY', 'DRUG', 'APOTHECARY'], 'store', SHOP),
  8011: n(['CITYCARE MEDICAL', 'ONEHEALTH CLINIC'], ['MEDICAL GROUP', 'FAMILY MEDICINE', 'URGENT CARE', 'PEDIATRICS'], 'plain', SERVICE),
  8021: n(['BRIGHTSMILE DENTAL'], ['DENTAL', 'FAMILY DENTISTRY', 'ORTHODONTICS'], 'plain', SERVICE),
};

const FIRST = ['MARIA', 'JOE', 'TONY', 'LINDA', 'SAM', 'ROSA', 'KIM', 'ANNA', 'LUIS', 'NICK', 'DEE', 'RAY', 'MEI', 'OMAR', 'GINA', 'FRANK', 'PRIYA', 'HANK', 'LUCY', 'ANDRE'];
const LAST = ['HENDERSON', 'NGUYEN', 'GARCIA', 'PATEL', 'OKAFOR', 'KOWALSKI', 'RIVERA', 'BRENNAN', 'LINDQVIST', 'MORALES', 'CHEN', 'FISCHER', 'DUBOIS', 'HARTLEY'];
const WORDS = ['BLUE DOOR', 'GOLDEN', 'RUSTY ANCHOR', 'LUCKY', 'LITTLE', 'OLD TOWN', 'MAIN STREET', 'CEDAR', 'MAPLE', 'HARBOR', 'RED OAK', 'SUNNY', 'COPPER', 'WILLOW', 'UPTOWN', 'CORNER', 'IVY', 'SILVER'];

/** The uniforms a merchant's descriptor is drawn from (each in [0, 1)). */
export type NameDraws = (k: number) => number;

/**
 * A merchant's descriptor and where it trades: `city` is the metro index (metros.ts METROS; drawn even
 * when the descriptor does not print its town), −1 for an online-only merchant;
 * `online` marks merchants that take only card-not-present payments (`BRAND.COM`, `BRAND*BILL …`,
 * app rides, independents behind an online checkout's prefix `PAYPAL *` / `SP `, digital media and software).
 */
export interface Descriptor {
  name: string;
  city: number;
  online: boolean;
  /** Metro index of the business's seat (the metro drawn for the descriptor, also for an online-only merchant): its billing clock. */
  seat: number;
}

const pick = <T>(xs: readonly T[], u: number): T => xs[Math.min(xs.length - 1, Math.floor(u * xs.length))];

/** Index of a chain brand, Zipf with exponent a over the MCC's chains (the first is the biggest). */
export function chainBrand(count: number, a: number, u: number): number {
  const w = Array.from({ length: count }, (_, j) => Math.pow(j + 1, -a));
  const total = w.reduce((x, y) => x + y, 0);
  let acc = 0;
  for (let j = 0; j < count - 1; j++) if (u < (acc += w[j] / total)) return j;
  return count - 1;
}

/**
 * Descriptor of a chain location: its brand, store number (unique within the brand) and, by style, its
 * town (metro among the first `metros` by population, metroIndex; town within it, townOf). Online-style chains are online-only (ecommerce) except a brand
 * printed with its city (an airline's or carrier's counter, a telecom store), which trades in that city.
 * A share `webShare` of a store or plain chain's locations are its web shop instead (`BRAND.COM ST`, online-only).
 */
export function chainDescriptor(naming: MccNaming, brand: string, store: number, d: NameDraws, metros: number = CITY_COUNT, webShare = 0): Descriptor {
  const ci = metroIndex(d(0), metros);
  const [c, st] = townOf(ci, d(TOWN_DRAW));
  const at = (name: string): Descriptor => ({ name, city: ci, online: false, seat: ci });
  if ((naming.style === 'store' || naming.style === 'plain') && webShare > 0 && d(7) < webShare) return { name: `${brand.replace(/[^A-Z0-9]/g, '')}.COM ${st}`, city: -1, online: true, seat: ci };
  if (naming.style === 'fuel') return at(`${brand} ${String(57000000 + store * 137 + Math.floor(d(1) * 137))} ${c} ${st}`);
  if (naming.style === 'online') return onlineDescriptor(brand, d, metros, naming.onlineOnly === true);
  if (naming.style === 'plain') return at(d(1) < 0.5 ? `${brand} ${c} ${st}` : `${brand} ${c}`);
  const num = String(store).padStart(4, '0');
  return at(d(1) < 0.6 ? `${brand} #${num} ${c} ${st}` : `${brand} ${num} ${c} ${st}`);
}

/**
 * An online merchant: BRAND.COM, BRAND*SERVICE with a (fictitious 555) phone number (both online-only),
 * an app brand such as `RIDEGO *TRIP` with its city (online-only: in-app payments), or BRAND with its
 * home city (a location trading in person unless the whole MCC is online, `onlineOnly`).
 */
function onlineDescriptor(brand: string, d: NameDraws, metros: number, onlineOnly: boolean): Descriptor {
  const ci = metroIndex(d(2), metros);
  const [c, st] = townOf(ci, d(TOWN_DRAW));
  if (brand.includes('*')) return { name: `${brand} ${c} ${st}`, city: -1, online: true, seat: ci };
  const u = d(3);
  if (u < 0.4) return { name: `${brand.replace(/ /g, '')}.COM ${st}`, city: -1, online: true, seat: ci };
  if (u < 0.75)
    return { name: `${brand}*${pick(['SUBSCRIPTION', 'ORDER', 'PURCHASE', 'MEMBERSHIP', 'BILL'], d(4))} ${pick(['800', '833', '855', '888'], d(5))}-555-${String(100 + Math.floor(d(6) * 99)).padStart(4, '0')}`, city: -1, online: true, seat: ci };
  return onlineOnly ? { name: `${brand} ${c} ${st}`, city: -1, online: true, seat: ci } : { name: `${brand} ${c} ${st}`, city: ci, online: false, seat: ci };
}

/**
 * An independent: an owner's name, a word and a noun, or the noun and a place; sometimes behind its
 * processor's prefix. Online-only when the MCC is (naming.onlineOnly) or its prefix is an online
 * checkout's (`PAYPAL *`, `SP `); otherwise it trades in its town (metro among the first `metros` by population, town within it).
 */
export function independentDescriptor(naming: MccNaming, prefixShare: number, d: NameDraws, metros: number = CITY_COUNT): Descriptor {
  const noun = pick(naming.nouns, d(0));
  const ci = metroIndex(d(1), metros);
  const [c, st] = townOf(ci, d(TOWN_DRAW));
  const u = d(2);
  const base =
    u < 0.3 ? `${pick(FIRST, d(3))}'S ${noun}` : u < 0.6 ? `${pick(WORDS, d(3))} ${noun}` : u < 0.75 ? `${pick(LAST, d(3))} ${noun}` : u < 0.88 ? `${c} ${noun}` : `THE ${pick(WORDS, d(3))}${naming.bare ? '' : ` ${noun}`}`;
  const prefixed = naming.prefixes.length > 0 && d(4) < prefixShare;
  const prefix = prefixed ? pick(naming.prefixes, d(5)) : '';
  const name = `${prefix}${base}`;
  const online = naming.onlineOnly === true || ONLINE_PREFIXES.has(prefix);
  // the processor's descriptor carries the city; a direct acquirer's often the city and state
  return { name: d(6) < 0.75 ? `${name} ${c} ${st}` : prefixed ? `${name} ${c}` : name, city: online ? -1 : ci, online, seat: ci };
}

/** Processor prefixes of online checkouts: a merchant behind one sells card-not-present only. */
const ONLINE_PREFIXES = new Set(['PAYPAL *', 'SP ']);

/** The naming of an MCC code. */
export const namingOf = (mcc: number): MccNaming => MCC_NAMING[mcc] ?? n([], ['STORE', 'SHOP', 'SERVICES'], 'plain', SHOP);
