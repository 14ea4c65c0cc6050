import { MARKET_LEAVES } from '@dnr/core';
/**
 * Compact marketplace taxonomy: 10 top-level categories with 5–12 leaves each (80 leaves), each leaf
 * with a price median in cents (handmade/vintage goods marketplace).
 */
export interface CategoryInfo {
  categoryId: number;
  name: string;
  parentId: number | null;
  /** Median listing price in cents (leaves only). */
  medianCents: number;
}

/**
 * Top-level categories (in MARKET_CATEGORY_KEYS order) with their median price (cents) and leaves (MARKET_LEAVES),
 * most popular leaf first (the order is the leaf's popularity rank: listings.subcategory_zipf). Parents
 * have 5–12 leaves, as a real taxonomy is uneven (jewelry, home and craft supplies are finely split,
 * toys and bath products less).
 */
const TREE: Array<[string, number, readonly string[]]> = (
  [
    ['Jewelry', 3200, 'jewelry'],
    ['Home & Living', 4200, 'home_living'],
    ['Clothing', 3800, 'clothing'],
    ['Accessories', 2600, 'accessories'],
    ['Art & Collectibles', 5500, 'art_collectibles'],
    ['Craft Supplies', 1400, 'craft_supplies'],
    ['Weddings', 6500, 'weddings'],
    ['Toys & Games', 2900, 'toys_games'],
    ['Vintage', 4800, 'vintage'],
    ['Bath & Beauty', 1800, 'bath_beauty'],
  ] as const
).map(([name, median, key]) => [name, median, MARKET_LEAVES[key]]);

export const TOP_CATEGORIES = TREE.length;

/** Leaves per top-level category (index 0–9 = top-level id − 1). */
export const LEAVES_PER_TOP: readonly number[] = TREE.map(([, , leaves]) => leaves.length);

/** Top-level ids 1..10; leaf ids top*100 + 1..n (n = that parent's leaf count). */
export const CATEGORIES: CategoryInfo[] = TREE.flatMap(([name, median, leaves], t) => [
  { categoryId: t + 1, name, parentId: null, medianCents: median },
  ...leaves.map((leaf, j) => ({
    categoryId: (t + 1) * 100 + j + 1,
    name: leaf,
    parentId: t + 1,
    // leaves spread ±40% around their parent's median, deterministic by position (golden-ratio steps, so
    // popularity rank and price are unrelated)
    medianCents: Math.round(median * (0.6 + 0.8 * ((0.5 + j * 0.6180339887) % 1))),
  })),
]);

export const LEAF_CATEGORIES = CATEGORIES.filter((c) => c.parentId !== null);
