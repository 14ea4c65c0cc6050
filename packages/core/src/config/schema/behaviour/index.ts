import { z } from 'zod';
import { MarketplaceBehaviourSchema } from './marketplace.js';
import { NeobankBehaviourSchema } from './neobank.js';

export * from './shared.js';
export { NeobankBehaviourSchema, PAY_SCHEDULE_NAMES, type NeobankBehaviour, type NeobankSegment } from './neobank.js';
export { MarketplaceBehaviourSchema, MARKET_CATEGORY_KEYS, MARKET_EFFECT_KEYS, MARKET_LEAVES, type MarketplaceBehaviour, type MarketBuyerSegment, type MarketSellerSegment, type MarketCategoryKey } from './marketplace.js';
export { MCCS, MCC_CODES, SECTORS, PRICE_STYLES, type MccInfo, type Sector, type PriceStyle } from './neobank-mcc.js';

/** Every behavioural assumption of the generator, per archetype (docs/behaviour.md explains each block). */
export const BehaviourSchema = z
  .object({
    neobank: NeobankBehaviourSchema,
    marketplace: MarketplaceBehaviourSchema,
  })
  .strict()
  .default({})
  .describe('Behaviour model of the synthetic warehouses: segments, vintage, churn, calendar, funnels and state machines, per archetype.');

export type Behaviour = z.infer<typeof BehaviourSchema>;
