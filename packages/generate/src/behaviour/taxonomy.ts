/**
 * Compact marketplace taxonomy: 10 top-level categories × 8 leaves, each leaf with a price median
 * in cents (handmade/vintage goods marketplace).
 */
export interface CategoryInfo {
  categoryId: number;
  name: string;
  parentId: number | null;
  /** Median listing price in cents (leaves only). */
  medianCents: number;
}

const TREE: Array<[string, number, string[]]> = [
  ['Jewelry', 3200, ['Necklaces', 'Earrings', 'Rings', 'Bracelets', 'Anklets', 'Brooches', 'Charms', 'Body Jewelry']],
  ['Home & Living', 4200, ['Candles', 'Wall Art', 'Pillows', 'Rugs', 'Ceramics', 'Lighting', 'Storage', 'Kitchen Linens']],
  ['Clothing', 3800, ['Dresses', 'Tops', 'Sweaters', 'Jackets', 'Skirts', 'Trousers', 'Sleepwear', 'Kids Clothing']],
  ['Accessories', 2600, ['Hats', 'Scarves', 'Bags', 'Wallets', 'Belts', 'Keychains', 'Hair Accessories', 'Sunglasses']],
  ['Art & Collectibles', 5500, ['Prints', 'Paintings', 'Photography', 'Sculpture', 'Drawings', 'Collectible Figures', 'Posters', 'Mixed Media']],
  ['Craft Supplies', 1400, ['Yarn', 'Beads', 'Fabric', 'Patterns', 'Paper', 'Paints', 'Tools', 'Stamps']],
  ['Weddings', 6500, ['Invitations', 'Decorations', 'Bridal Accessories', 'Favors', 'Cake Toppers', 'Guest Books', 'Veils', 'Gifts']],
  ['Toys & Games', 2900, ['Plush', 'Puzzles', 'Board Games', 'Dolls', 'Wooden Toys', 'Baby Toys', 'Learning Toys', 'Outdoor Toys']],
  ['Vintage', 4800, ['Vintage Clothing', 'Vintage Home', 'Vintage Jewelry', 'Vintage Books', 'Vintage Toys', 'Vintage Cameras', 'Vintage Records', 'Vintage Glassware']],
  ['Bath & Beauty', 1800, ['Soaps', 'Skin Care', 'Bath Bombs', 'Hair Care', 'Fragrance', 'Makeup', 'Lip Care', 'Essential Oils']],
];

export const TOP_CATEGORIES = TREE.length;
export const LEAVES_PER_TOP = 8;

/** Top-level ids 1..10; leaf ids top*100 + 1..8. */
export const CATEGORIES: CategoryInfo[] = TREE.flatMap(([name, median, leaves], t) => [
  { categoryId: t + 1, name, parentId: null, medianCents: median },
  ...leaves.map((leaf, j) => ({
    categoryId: (t + 1) * 100 + j + 1,
    name: leaf,
    parentId: t + 1,
    // leaves spread ±40% around their parent's median, deterministic by position
    medianCents: Math.round(median * (0.6 + (0.8 * ((j * 5) % 8)) / 7)),
  })),
]);

export const LEAF_CATEGORIES = CATEGORIES.filter((c) => c.parentId !== null);
