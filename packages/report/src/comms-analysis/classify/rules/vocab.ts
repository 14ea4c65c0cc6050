import type { Theme } from '@dnr/core';
import { patterns, type WeightedPattern } from '../../text.js';

/*
 * Single-word vocabulary per theme: the words people reach for when they describe the problem
 * indirectly ("the data's late", "identical orders", "a seller that was deleted"). Each word is weak
 * evidence (≈0.3); several together make a theme. Phrases in lexicon.ts stay the strong evidence.
 */
export const THEME_VOCAB: Record<Theme, WeightedPattern[]> = {
  metric_definition_mismatch: patterns([
    ['defin\\w+|methodolog\\w+|semantics', 0.45],
    ['differ\\w*|different|disagree\\w*|conflict\\w*|contradict\\w*|diverg\\w*|reconcile', 0.3],
    ['(?:monthly|weekly|daily) active|actives?|retention|churn\\w*|aov|arpu|kpis?|numbers?', 0.2],
    ['decks?|memo|board pack|versions?|methodologies|teams', 0.15],
  ]),
  join_keys_orphans: patterns([
    ['orphan\\w*|dangling|unmatched|unlinked|cascad\\w*', 0.5],
    ['joins?|joined|joining|keys?|foreign', 0.3],
    ['deleted|purged|removed|hard-deleted|missing parent|no record of|(?:does|do)n\\\'?t exist|nonexistent', 0.3],
    ['referenc\\w+|point(?:s|ing)? (?:to|at)|linked', 0.25],
  ]),
  freshness_ingest_lag: patterns([
    ['late|stale\\w*|lagg?\\w*|delay\\w*|behind|backlog\\w*|stall\\w*|stuck|hung', 0.4],
    ['arriv\\w+|land(?:ed|s|ing)?|refresh\\w*|sync\\w*|load(?:ed|s|ing)?|ingest\\w*|consumer|stream', 0.25],
    ['hours?|since (?:\\d\\w*|yesterday|this morning|last night)|overnight|flat since|as of', 0.2],
    ['freshness|up to date|outdated|old data', 0.45],
  ]),
  duplicates_dedup: patterns([
    ['duplicat\\w*|dupes?|dedup\\w*|doubled?|twice|identical|repeated|copies', 0.45],
    ['retr(?:y|ies|ied)|resen[dt]\\w*|re-?sent|re-?delivered|again|same (?:second|minute|id|order|payment|row)', 0.3],
    ['inflat\\w*|overstat\\w*|overcount\\w*|distinct|unique', 0.25],
  ]),
  access_permissions_pii: patterns([
    ['access|acess|acces|permission\\w*|permision\\w*|grant\\w*|revok\\w*|restricted|authori[sz]\\w*', 0.4],
    ['pii|private|privacy|personal|sensitive|confidential|mask\\w*|redact\\w*|anonymi[sz]\\w*|hashed|auditors?|audit', 0.4],
    ['roles?|groups?|portal|approv\\w+|request\\w*|onboard(?:ing)? (?:a |the )?(?:new hire|analyst)|new hire', 0.2],
    ['bank|ssn|addresses|phone|birth|passport|card numbers?|account details|details', 0.25],
  ]),
  new_field_schema_request: patterns([
    ['fields?|columns?|attributes?|propert(?:y|ies)|schema\\w*', 0.35],
    ['add\\w*|expos\\w+|captur\\w+|track\\w*|store\\w*|log\\w*|instrument\\w*|include', 0.2],
    ['by hand|manually|manual|no way to|not available|missing', 0.25],
    ['get an? \\w+(?: \\w+)? (?:field|column|amount|reason|flag|type|date)|could (?:the|we|you) \\w+ (?:table|model) get', 0.5],
  ]),
  revenue_coverage_mapping: patterns([
    ['revenue|fees?|take rate|interchange|gmv|billing|invoic\\w+|payouts?|earnings|ledger|gl', 0.25],
    ['unmapped|uncategori[sz]ed|unassigned|unattributed|unaccounted|unallocated|mapp(?:ing|ed)|categor(?:y|ies)|sectors?|buckets?', 0.3],
    ['sums? to (?:less|more)|(?:where does|where did) the rest|the rest|short|leak\\w*|missing \\$|gap|retired|legacy|not counted|counted nowhere|anywhere', 0.3],
  ]),
  attribution_funnel_gaps: patterns([
    ['funnel\\w*|attribut\\w+|conversion\\w*|convert\\w*|campaigns?|utm\\w*|referr\\w+|acquisition|cohort\\w*', 0.45],
    ['onboarding|signup|sign-up|install\\w*|activation|checkout|cart|journey|touchpoints?|steps?|drop\\w*|stuck|abandon\\w*', 0.25],
    ['instrument\\w*|tracking|tracked|events?|firing|pixel|sdk|black box|in between', 0.25],
    ['sponsor\\w*|audience|awareness|webinars?', 0.3],
  ]),
};
