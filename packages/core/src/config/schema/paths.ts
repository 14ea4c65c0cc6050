import { z } from 'zod';

export const PathsSchema = z
  .object({
    data: z.string().min(1).default('data').describe('Root folder of generated warehouses (data/{archetype}).'),
    comms: z.string().min(1).default('comms').describe('Root folder of generated communications corpora (comms/{archetype}).'),
    reports: z.string().min(1).default('reports').describe('Root folder of reports (reports/{archetype}).'),
    meta: z.string().min(1).default('meta').describe('Root folder of ground truth: defects manifests and oracle labels (meta/{archetype}).'),
    runs: z.string().min(1).default('runs').describe('Root folder of per-run artefacts: predictions, entities, budget (runs/{run_id}).'),
  })
  .strict()
  .default({})
  .describe('Where outputs go, relative to the working folder.');
