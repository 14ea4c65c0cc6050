import { z } from 'zod';

/**
 * The marketplace's behaviour model. Empty for now: the marketplace generator still uses its built-in
 * constants; its section is composed from the same shared blocks as the neobank's (./shared.ts).
 */
export const MarketplaceBehaviourSchema = z.object({}).strict().default({}).describe('Marketplace behaviour (composed from the shared behaviour blocks).');

export type MarketplaceBehaviour = z.infer<typeof MarketplaceBehaviourSchema>;
