import { z } from 'zod';
import { THEMES } from '@dnr/core';

const SourceSummarySchema = z.object({
  items: z.number(),
  afterPrefilter: z.number(),
  sent: z.number(),
  classified: z.number(),
  parseErrors: z.number(),
  refusals: z.number().describe('Answers the model refused to give (LLM engine).'),
  errors: z.number().describe('Requests that failed after retries (LLM engine).'),
  coveragePct: z.number(),
  belowFloor: z.boolean(),
  partial: z.boolean(),
  partialReason: z.string().nullable(),
  weight: z.number(),
});

export const ThemeDemandSchema = z.object({
  theme: z.enum(THEMES),
  demand: z.number().describe('0..1 post-stratified weighted share across sources.'),
  bySource: z.record(z.object({ items: z.number(), weightedShare: z.number() })),
  peakDay: z.string().nullable(),
  classConfidence: z.number(),
  entityConfidence: z.number(),
  agreement: z.number(),
  unmetShare: z.number(),
  tables: z.array(z.object({ table: z.string(), mentions: z.number(), confidence: z.number() })),
});

export const ThemesSchema = z
  .object({
    schema_version: z.literal(1),
    archetype: z.string(),
    status: z.enum(['ok', 'skipped', 'partial']),
    skipped_reason: z.string().nullable(),
    status_reason: z.string().nullable().describe('Why the status is partial: the early stop, or the first partial source and its reason (null when ok or skipped).'),
    engine: z.enum(['llm', 'rules', 'none']),
    sources: z.record(SourceSummarySchema).describe('Per source (slack, email, nlq); empty when skipped.'),
    budget: z.object({ capUsd: z.number(), estimateUsd: z.number(), actualUsd: z.number(), earlyStop: z.boolean(), sampled: z.boolean() }),
    parse_errors: z.number(),
    themes: z.array(ThemeDemandSchema).describe('Sorted by demand, highest first; empty when skipped.'),
  })
  .describe('reports/{arch}/themes.json: the comms analysis (prefilter, budget, classification, entities) and the demand per theme.');
export type ThemesReport = z.infer<typeof ThemesSchema>;
