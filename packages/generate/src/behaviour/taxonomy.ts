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
 * Top-level categories (in MARKET_CATEGORY_KEYS order) with their median price (cents) and leaves,
 * most popular leaf first (the order is the leaf's popularity rank: listings.subcategory_zipf). Parents
 * have 5–12 leaves, as a real taxonomy is uneven (jewelry, home and craft supplies are finely split,
 * toys and bath products less).
 */
const TREE: Array<[string, number, string[]]> = [
  ['Jewelry', 3200, ['Necklaces', 'Earrings', 'Rings', 'Bracelets', 'Charms', 'Brooches', 'Anklets', 'Body Jewelry', 'Cufflinks', 'Watches', 'Jewelry Storage']],
  ['Home & Living', 4200, ['Home Decor', 'Wall Art', 'Candles', 'Kitchen Linens', 'Ceramics', 'Pillows', 'Lighting', 'Outdoor & Garden', 'Bedding', 'Storage', 'Rugs', 'Furniture']],
  ['Clothing', 3800, ['Tops', 'Dresses', 'Sweaters', 'Kids Clothing', 'Costumes', 'Jackets', 'Skirts', 'Trousers', 'Sleepwear']],
  ['Accessories', 2600, ['Bags', 'Hats', 'Hair Accessories', 'Scarves', 'Keychains', 'Wallets', 'Belts']],
  ['Art & Collectibles', 5500, ['Prints', 'Paintings', 'Photography', 'Drawings', 'Posters', 'Sculpture', 'Collectible Figures']],
  ['Craft Supplies', 1400, ['Beads', 'Fabric', 'Patterns', 'Yarn', 'Stickers', 'Paper', 'Embellishments', 'Paints', 'Tools', 'Stamps', 'Sewing Notions']],
  ['Weddings', 6500, ['Invitations', 'Decorations', 'Bridal Accessories', 'Favors', 'Gifts']],
  ['Toys & Games', 2900, ['Plush', 'Wooden Toys', 'Baby Toys', 'Puzzles', 'Dolls', 'Board Games']],
  ['Vintage', 4800, ['Vintage Clothing', 'Vintage Home', 'Vintage Jewelry', 'Vintage Glassware', 'Vintage Toys', 'Vintage Books', 'Vintage Records']],
  ['Bath & Beauty', 1800, ['Soaps', 'Skin Care', 'Bath Bombs', 'Fragrance', 'Hair Care']],
];

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
