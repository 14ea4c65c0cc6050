import type { BoostEvent } from './prefilter/prefilter.js';
import type { Archetype, Bucket, Config, Progress, Relevance, Role, Theme } from '@dnr/core';
import type { Asking } from '../schemas/exec-summary.js';
import type { LlmSpendJson } from './classify/llm/clients.js';
import type { EntitiesBudgetJson } from './entities/llm.js';

export type CommsSource = 'slack' | 'email' | 'nlq';
export const COMMS_SOURCES: readonly CommsSource[] = ['slack', 'email', 'nlq'];
export type ThreadSource = 'slack' | 'email';

export interface AnalyzeCommsOptions {
  archetype: Archetype;
  /** Folder with slack_messages/email_messages/comms_users/nlq parquet. */
  commsDir: string;
  /** Data events detected in the warehouse (data_health.json events) for the ±24 h correlation boost. */
  events?: readonly BoostEvent[];
  config: Config;
  /** API key from env[config.classification.env_key_var], OPENAI_BASE_URL. */
  env: NodeJS.ProcessEnv;
  /** runs/{run_id} (or its staging folder): preds/{slack,email,nlq}.parquet, entities.parquet and budget.json are written here. */
  runDir: string;
  /** Where the LLM spend ledgers live: the final runs/{run_id}, so a resumed run starts from them (default runDir). */
  ledgerDir?: string;
  /** The report folder: an interrupted run (another run id) that wrote it hands its LLM spend over to this run. */
  outDir?: string;
  engine: 'llm' | 'rules';
  /** true ⇒ no network call; with engine 'llm' themes are 'skipped'. */
  noLlm: boolean;
  /** Report window end (default: max ts in comms); later items are ignored. */
  windowEndUtc?: Date;
  /** Report window in local days: who-is-asking counts and examples prefer items inside it. */
  window?: { start: string; end: string };
  progress?: Progress;
}

export interface SourceSummary {
  items: number;
  afterPrefilter: number;
  sent: number;
  classified: number;
  parseErrors: number;
  /** Answers the model refused (LLM engine). */
  refusals: number;
  /** Requests that failed after retries (LLM engine). */
  errors: number;
  coveragePct: number;
  belowFloor: boolean;
  partial: boolean;
  partialReason: string | null;
  weight: number;
}

export interface ThemeDemand {
  theme: Theme;
  /** 0..1, post-stratified weighted share across sources (sums to 1 over themes). */
  demand: number;
  bySource: Record<CommsSource, { items: number; weightedShare: number }>;
  /** Local YYYY-MM-DD with most mentions. */
  peakDay: string | null;
  /** Mean confidence of items assigned the theme. */
  classConfidence: number;
  /** Mean confidence of extracted entities for the theme. */
  entityConfidence: number;
  /** 0..1: how consistently sources see the theme — smallest over largest share across sources with themed items. */
  agreement: number;
  /** Share of slack/email threads of the theme judged unmet. */
  unmetShare: number;
  tables: Array<{ table: string; mentions: number; confidence: number }>;
}

export interface CommsAnalysis {
  status: 'ok' | 'skipped' | 'partial';
  skippedReason: string | null;
  /** Why the status is partial (the early stop, or the first partial source and its reason); null otherwise. */
  statusReason: string | null;
  /** LLM spend and outcome counts of classification and entity extraction; null when no LLM was used. */
  llm: { classify: LlmSpendJson & { model: string; cap_usd: number }; entities: EntitiesBudgetJson } | null;
  engine: 'llm' | 'rules' | 'none';
  sources: Record<CommsSource, SourceSummary>;
  budget: { capUsd: number; estimateUsd: number; actualUsd: number; earlyStop: boolean; sampled: boolean };
  /** Empty when skipped. */
  themes: ThemeDemand[];
  /** Who asks about each classified theme, with example messages (empty when skipped). */
  voices: Partial<Record<Theme, Asking>>;
  parseErrors: number;
}

/** One Slack or email message, normalised across the two sources. */
export interface CommsMessage {
  messageId: string;
  ts: Date;
  userId: string;
  role: Role;
  /** Slack text, or email subject + body. */
  text: string;
  isRoot: boolean;
  hasLink: boolean;
  linkDomains: string[];
  hasAttachment: boolean;
  attachmentNames: string[];
  hasCode: boolean;
}

export interface CommsThread {
  id: string;
  source: ThreadSource;
  /** Slack channel_id or email list_cat. */
  channel: string;
  bucket: Bucket | string;
  /** Root message time. */
  ts: Date;
  /** Root first, then replies by time. */
  messages: CommsMessage[];
}

export interface NlqItem {
  id: string;
  source: 'nlq';
  ts: Date;
  userId: string;
  role: Role;
  app: string;
  text: string;
  sql: string | null;
  success: boolean | null;
}

export interface CommsCorpus {
  slack: CommsThread[];
  email: CommsThread[];
  nlq: NlqItem[];
}

export type PredictionStatus = 'ok' | 'parse_error' | 'refusal' | 'error' | 'not_sent' | 'skipped';

/** One row of runs/{run_id}/preds/{source}.parquet (plus in-memory extras). */
export interface Prediction {
  id: string;
  source: CommsSource;
  relevance: Relevance | null;
  theme: Theme | null;
  confidence: number;
  engine: 'llm' | 'rules';
  status: PredictionStatus;
}

export interface EntityMention {
  /** thread_id or query_id. */
  id: string;
  source: CommsSource;
  theme: Theme | null;
  table: string;
  /** null when the mention is of the table only. */
  column: string | null;
  confidence: number;
  /** How it was found: identifier | sql | alias | column | llm. */
  method: string;
  engine: 'llm' | 'rules';
}
