import { z } from 'zod';

export const RunRecordSchema = z
  .object({
    run_id: z.string(),
    archetype: z.string(),
    started_at: z.string().describe('Wall clock (ISO); run.json is the only report artefact with wall-clock values.'),
    finished_at: z.string(),
    duration_s: z.number(),
    stage_seconds: z.record(z.number()),
    stage_counts: z
      .record(z.object({ done: z.number().int().describe('Items the stage finished.'), total: z.number().int().describe('0 when the step did not know its size in advance.') }))
      .optional()
      .describe('What each stage of stage_seconds counted (items, messages, threads), under the same key; stages that counted nothing are absent.'),
    peak_rss_mb: z.number(),
    options: z.object({
      warehouse: z.string(),
      comms: z.string().nullable().describe('The comms folder, or null when none was given (demand not measured).'),
      contract: z.string().optional().describe('The warehouse contract: a file path, or built-in:{name}.'),
      out: z.string(),
      window_days: z.number(),
      engine: z.string(),
      no_llm: z.boolean(),
      api_cap_usd: z.number(),
      strict: z.boolean(),
      truth: z.string().nullable().describe('--truth: the ground truth compared with the detected events, or null.'),
    }),
    inputs: z.object({
      warehouse_checksums: z.record(z.string()),
      comms_files: z.array(z.string()),
      comms_dir: z.string().nullable().optional().describe('The comms folder the run classified: relative to the run folder when it lies in the same project (so a copied project points at its own copy), else absolute; null when the run had no comms.'),
      warehouse_commit: z.string().nullable().optional().describe('Commit id of the warehouse folder read (from its .dnr-output.json).'),
      comms_commit: z.string().nullable().optional().describe('Commit id of the comms folder read.'),
      comms_truth: z
        .record(z.string().describe('sha256 (hex) of that label file.'))
        .optional()
        .describe('sha256 of each oracle-label file of that comms folder (labels_slack, …): eval-labels checks the labels it is given against these.'),
    }),
    report: z
      .object({ out_dir: z.string().describe('The report folder (--out), as given.'), commit_id: z.string().describe('Commit id of that report folder.') })
      .optional()
      .describe('The report folder this run wrote and its commit id (the same id is in that folder’s .dnr-output.json): a report and a run folder belong together only when the ids match.'),
    outputs: z.array(z.string()),
    strict_failures: z.array(z.string()),
  })
  .describe('runs/{run_id}/run.json');
export type RunRecord = z.infer<typeof RunRecordSchema>;
