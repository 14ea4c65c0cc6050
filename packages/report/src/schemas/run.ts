import { z } from 'zod';

export const RunRecordSchema = z
  .object({
    run_id: z.string(),
    archetype: z.string(),
    started_at: z.string().describe('Wall clock (ISO); run.json is the only report artefact with wall-clock values.'),
    finished_at: z.string(),
    duration_s: z.number(),
    stage_seconds: z.record(z.number()),
    peak_rss_mb: z.number(),
    options: z.object({
      warehouse: z.string(),
      comms: z.string(),
      out: z.string(),
      window_days: z.number(),
      engine: z.string(),
      no_llm: z.boolean(),
      api_cap_usd: z.number(),
      strict: z.boolean(),
      meta: z.string().nullable(),
    }),
    inputs: z.object({ warehouse_checksums: z.record(z.string()), comms_files: z.array(z.string()) }),
    outputs: z.array(z.string()),
    strict_failures: z.array(z.string()),
  })
  .describe('runs/{run_id}/run.json');
export type RunRecord = z.infer<typeof RunRecordSchema>;
