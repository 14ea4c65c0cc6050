import type { Theme } from '@dnr/core';

/**
 * What people say about each data problem. Patterns use the grammar of grammar.ts.
 * roots name the problem; indirect roots only hint at it (the replies carry the theme);
 * exec roots are how leadership asks; diag/detail replies carry the theme's own words;
 * fix replies close the loop (met), pending replies leave it open (unmet).
 */
export interface ThemeLexicon {
  roots: string[];
  indirect: string[];
  exec: string[];
  diag: string[];
  detail: string[];
  fix: string[];
  pending: string[];
  subjects: string[];
  emailBodies: string[];
}

export const THEME_LEXICON: Record<Theme, ThemeLexicon> = {
  metric_definition_mismatch: {
    roots: [
      "(big|weird|annoying) discrepancy (between|in) {metric}: {dash} (vs|and) the {team} (export|extract|numbers). (same|identical) (filters|date range), different (result|answer)",
      "(are we|is everyone) (counting|measuring) {metric} the same way? {team} (gets|got) {big}, (we|I) (get|got) {big} (for|over) the same (month|period)",
      "(why|how come) does {metric} on the {dash} (not match|differ from|disagree with) the number finance (reports|sends out|has in the deck)?",
      "{metric} is {pct} (higher|lower) in {dash} than in the (finance sheet|board deck|monthly close pack). which one is right",
      "(we have|there are) (two|three|at least two) definitions of {metric} floating around, (can we|we need to) (agree on one|pick a source of truth)",
      "(quick q|question): (is|does) {metric} (count|include) (refunds|reversed txns|declined ones|cancelled orders|test accounts) or not?",
      "the {metric} (metric|KPI) in {model} (uses a different|has a different) (definition|filter|time window) than the one in {dash}",
      "(hey|hi all|morning), {team} and product (are reporting|keep reporting) different {metric} numbers (again|for last month). (whose calc is right|who owns the definition)?",
      "(numbers don't tie out|the numbers dont tie|nothing ties out): {metric} in {dash} vs the {team} (report|spreadsheet) (is off by|differs by) {pct}",
      "what's the (official|canonical|agreed) definition of {metric}? (30 day or calendar month|trailing 30d vs calendar month|gross or net)?",
      "{metric} changed (overnight|last week) in {dash} but nothing (happened|changed) in the business. did someone change the (definition|calc|logic)?",
      "(is|are) {metric} (defined|calculated) on (event time or load time|local time or UTC|gross or net amounts)? getting different answers (from|in) different dashboards",
    ],
    indirect: [
      "(anyone else|does anyone) (seeing|see) (weird|odd|funny) numbers on {dash} (today|this week)?",
      "(not sure|unsure) which number to (put in|use for) the (board deck|WBR|QBR) for {metric}",
      "(hmm|huh), the {metric} (chart|tile) (looks|seems) off vs what {team} (told|sent) us",
    ],
    exec: [
      "Team, I (have|am seeing) two different {metric} numbers for last month. I need one (agreed|signed-off) definition before the board meeting.",
      "(Why|How) (are|is) our {metric} (figures|number) different between the {dash} and the finance pack? Please align and (send me|share) a (one-pager|short note).",
      "Which {metric} number is the source of truth? I don't want to (present|show) two versions again.",
    ],
    diag: [
      "(looks like|I think|pretty sure) {dash} (counts|uses) {metric} (on a trailing 30 days|by calendar month|incl. refunds) while finance (uses|does) (calendar month|net of refunds|trailing 30d)",
      "the (definition|logic|calc) (drifted|changed) when {model} was (refactored|rewritten). the old (version|one) (excluded|filtered out) (test accounts|reversals|cancelled orders)",
      "(yeah|yep) it's a definition (mismatch|issue), not a data bug. (both numbers are|each number is) right for (its|their) own definition",
      "(we never|nobody ever) (documented|wrote down|agreed) what counts as (active|a conversion|revenue) for {metric}, so every team (rolled|built) their own",
      "(the|one) difference is (timezone|UTC vs local day|gross vs net|whether we dedupe first): that alone explains most of the {pct} gap",
      "{dash} uses the (old|legacy|v1) {metric} (definition|calc) and the (deck|sheet) uses the (new|v2) one",
    ],
    detail: [
      "(here's|heres) the (diff|comparison): {dash} says {big}, the (finance sheet|board deck) says {big}. {looker}",
      "(metric spec|definition doc) (is here|lives here|is out of date): {wiki}",
      "[(repro|query|fwiw|what I ran|here you go|check this):] {sql}[ (returns|gives|shows) {big}]",
      "(filed|opened|logged) {jira} to (write down|document|agree on) one definition of {metric}",
      "(semantic layer|metrics layer) (would|could) fix this, (right now|rn|today) every (dashboard|team) (re-implements|recomputes) {metric}",
    ],
    fix: [
      "(aligned|agreed) with {team}: {metric} = (trailing 30 days|calendar month|net of refunds), (updated|changed) {dash} (and|+) the (doc|spec). {gh}",
      "(merged|shipped) the (definition|metric) change in {model}, numbers (now|should now) (tie out|match) finance",
      "(documented|wrote up) the (agreed|official) definition (here|in the wiki) {wiki}. closing this",
    ],
    pending: [
      "(still|we still) (don't|dont) have an (owner|agreed definition) for {metric}. (parking|leaving) this until the metrics review",
      "(no decision yet|not decided yet), finance wants (net|calendar month), product wants (gross|trailing 30d)",
    ],
    subjects: [
      "(Which|What is the) (definition|source of truth) for {metric}?",
      "{metric} mismatch between {dash} and the (finance pack|board deck)",
      "(Aligning|Align on) {metric} (definition|calculation) (before|ahead of) (the board meeting|month-end close|the QBR)",
      "(Re: |)(Different|Conflicting) {metric} numbers (in|across) (reports|dashboards)",
    ],
    emailBodies: [
      "(Two|Three) (decks|reports) (this week|in the last review) (quoted|used) different {metric} (figures|numbers) ({big} and {big}). (I'd like|We need) (one number|a single figure) (and|with) (the reasoning|an owner) behind it (before|by) {day}.",
      "(Following up|Picking this up) (from|after) (the review|yesterday's meeting): the {metric} gap (comes from|is explained by) (refunds being netted in one place only|calendar month vs trailing 30 days|UTC vs local day boundaries). (Proposal|My proposal): (document|publish) (one|a single) definition in {wiki} and (point|repoint) {dash} (at|to) it.",
      "We (currently|now) have (two|several) versions of {metric}: {dash} shows {big} while the (finance pack|board deck) shows {big}. The difference (comes from|seems to be) (the time window|refunds|test accounts|timezone handling). (Could|Can) the data team (propose|write down) one definition and (update|align) the dashboards?",
      "(Following up on|Re) {metric}: the {team} (report|sheet) and {dash} (disagree|do not match) by about {pct}. (Before|Ahead of) (month-end|the board meeting) we need (a single|one agreed) definition and an owner. (Draft|Proposal) here: {wiki}",
      "(Quick|Short) note: {metric} in {model} (was|has been) (redefined|changed) (last sprint|recently), so (historical|last quarter's) numbers (no longer|don't) match what we (reported|sent). (Please|Can we) (document|version) metric definitions so this does not happen again?",
    ],
  },

  join_keys_orphans: {
    roots: [
      "{tbl} (don't|doesn't|do not) join (cleanly|properly) to {dimh} (anymore|since the migration): (ids|keys) (mismatch|don't line up) for (about|~){pct}",
      "(mismatch|id mismatch) between {table}.{key} and {dim}: (a chunk of|lots of) (ids|keys) (have no|without a) (parent|matching) row",
      "(the|our) join (between|of) {table} and {dim} (is dropping|drops|loses) (rows|about {pct} of rows) {when}",
      "(lots of|a bunch of|~{big}) {table} rows (have|with) a {key} that (doesn't exist|isn't|is not) in {dim}. orphans?",
      "{key} is (null|NULL|empty) on (a bunch of|{pct} of|many) {tbl} rows {when}, (so|which means) the join to {dimh} (fails|breaks|returns nothing)",
      "inner join to {dim} (gives|returns) (fewer|way fewer) rows than {table} alone. (missing|unmatched) {key}s?",
      "(seeing|found) orphan {key}s in {tbl}: (they point to|referencing) {dimh} that (don't exist|were never loaded|aren't in the dim)",
      "(FK|foreign key) (check|test) on {table}.{key} -> {dim} (is failing|failed) (again|{when}). {pct} (unmatched|orphaned)",
      "(some|a few) {tbl} (happen|are dated) before the {dimh} (were created|existed)? {key} (joins|matches) to a {dim} row with a later created_at",
      "left join {table} to {dim} on {key} and (count|look at) the nulls, (it's|its) {pct} {when}",
    ],
    indirect: [
      "(why|how) (do|does) (the|our) {metric} (drop|go down) when I (add|slice by) {dimh}?",
      "(totals|row counts) (don't|dont) (add up|match) once I (bring in|add) the {dimh} (info|attributes)",
      "(something's|something is) (off|weird) with {tbl} vs {dimh}, (numbers|counts) (differ|shrink) (a lot|by {pct})",
    ],
    exec: [
      "I'm told {pct} of {tbl} can't be (tied|linked) to a {dimh} record. What's the revenue impact and when is it fixed?",
      "Why are we losing (rows|transactions|orders) when reports join to {dimh}? I need this (resolved|explained) this week.",
    ],
    diag: [
      "(yeah|yep|confirmed), {pct} of {table}.{key} (values|rows) have no match in {dim}. (classic|looks like) orphan keys",
      "(it's|its) (null|missing) {key}s (mostly|largely) {when}. the upstream (feed|service) (stopped|isn't) (sending|populating) it",
      "(some|part of the) rows reference {dimh} (created|that show up) (later|after the fact): {dim} (lags|loads later), so the join (misses|drops) them (at query time|for a while)",
      "the inner join in {model} (silently|quietly) drops (the|these) unmatched {key}s, (that's|thats) where the (gap|missing volume) (comes from|is)",
      "referential integrity (between|of) {table} and {dim} (is broken|isn't enforced): {key}s that (never|don't) (exist|appear) in the dim",
      "(orphans|orphan rows) (come|are coming) from (deleted|purged|test) {dimh}. the fact (still|keeps) (points|pointing) at (them|ids that are gone)",
    ],
    detail: [
      "[(repro|query|fwiw|what I ran|here you go|check this):] {sql}[ (returns|gives|shows) {big}]",
      "(query|repro) (here|below): {sql}",
      "(opened|filed) {jira} for the (orphan|unmatched|missing) {key}s. (sample|examples) (attached|in the ticket)",
      "(dbt|the) relationships test on {key} (shows|reports) {big} failing rows: {dbt}",
      "(counted|checked): {big} (orphans|unmatched rows) out of {big}, (mostly|mainly) {when}",
    ],
    fix: [
      "(merged|shipped) a fix: {model} now (left joins|uses a left join) and (flags|tags) unknown {key} as -1. {gh}",
      "(backfilled|reloaded) {dim}, the orphan {key}s (now|all) (resolve|match). (re-ran|reran) the (test|check), (green|passing) now",
      "upstream (fixed|patched) the null {key}s, (new|fresh) rows (look|are) (clean|fine). (closing|resolving) {jira}",
    ],
    pending: [
      "(still|we still have) {pct} orphans {when}. (no owner|nobody owns) the {dim} feed (yet|right now)",
      "(not fixed yet|still open), (workaround|for now): left join and bucket unknown {dimh} as (other|unknown)",
    ],
    subjects: [
      "(Orphan|Unmatched) {key} (values|keys) in {table}",
      "{table} join to {dim} (losing|dropping) rows",
      "(Broken|Failing) (foreign key|FK|relationships) (check|test): {table}.{key}",
      "(Re: |)(Missing|Null) {key} on {tbl} {when}",
    ],
    emailBodies: [
      "(Lately|Recently|This week), (the|our) {metric} (numbers|totals) (drop|shrink) (as soon as|whenever) (we|anyone) (add|join in) {dimh} (attributes|details). (Could|Can) (someone|the data team) (check|look at) whether (keys|ids) (are missing|no longer match)?",
      "(Summary|Root cause) (of|for) (yesterday's|this week's) (gap|discrepancy): {pct} of {table}.{key} (values|rows) (point to|reference) {dimh} (that are not|not yet) (loaded|present) in {dim}. (Fix|A fix) (is|has been) (in review|merged): {gh}",
      "(Hi team|Hello all|Team), {when} about {pct} of rows in {table} carry a {key} that does not (exist|appear) in {dim}. Any report that inner joins (them|the two) (undercounts|drops) {metric}. (Ticket|Details): {jira}. Can the owners of the {dimh} feed (look into|investigate) the orphan keys?",
      "(We|I) ran the relationships check on {table}.{key} -> {dim}: {big} (orphan|unmatched) rows, plus (some|a few) rows dated before the {dimh} (was|were) created. (Please|Could you) (confirm|check) whether the {dim} load is (late|incomplete) and whether we (should|can) backfill.",
      "(Heads up|FYI): {key} is null on {pct} of {tbl} {when}, so (joins|lookups) to {dimh} fail and {dash} (understates|misses) {metric}. A left join with an unknown bucket is in place as a (stopgap|workaround) until upstream fixes the (key|field).",
    ],
  },

  freshness_ingest_lag: {
    roots: [
      "{dash} (is|looks) out of date (again|today), (latest|last) (data point|row) is from {hrs} hours ago",
      "(data|load) (latency|delay) on {tbl} (is|went) (way|well) (over|above) the SLA {when}, (anything|something) (stuck|broken) upstream?",
      "{tbl} (is|are) (stale|not updated|behind) (again|{when}). (last load|latest loaded_at|max loaded_at) is {hrs}h (ago|old)",
      "(is|was) the {table} (load|pipeline|job) (late|delayed|stuck) (today|this morning|{when})? {dash} still shows (yesterday's|old) numbers",
      "(data|the data) in {dash} is {hrs} hours behind, (exec|leadership|finance) (is asking|noticed|wants it for the 9am)",
      "(freshness|the freshness check|the freshness SLA) on {table} (failed|is red|is breached) {when}",
      "{tbl} (didn't|did not|never) (land|arrive|refresh) (overnight|last night|this morning). (airflow|the scheduler|the DAG) (shows|says) (success|green) though",
      "(ingest|load) lag on {table} (is way up|jumped|spiked): some rows (arrive|land) {hrs}h after the event",
      "(why|how come) (is|are) (today's|this morning's|last night's) {tbl} (missing|not there) (in|from) {dash}? (refresh|load) (late|lagging)?",
      "the {model} (run|build) (is|was) (late|slow|hours late) so everything downstream (is stale|hasn't refreshed)",
    ],
    indirect: [
      "(hmm|hm), {dash} still (says|shows) (yesterday|Friday) (at|for) {metric}, (is that|is this) expected?",
      "(anyone know|does anyone know) when {dash} (updates|refreshes)? (numbers|the numbers) (look|seem) (old|the same as yesterday)",
      "(weird|odd|strange): {metric} for today is (zero|almost zero|tiny) in {dash}",
    ],
    exec: [
      "The {dash} I opened this morning still had (yesterday's|last week's) numbers. (When|How often) does it refresh, and why was it late?",
      "(We|I) can't run the (morning|daily) review on stale data. (What|Who) is fixing the (load delays|late pipelines)?",
    ],
    diag: [
      "(yeah|yep), the {table} load (ran|finished) {hrs}h late. (upstream|the source) (export|extract|feed) was (delayed|slow|stuck)",
      "(p95|95th pct) ingest lag (is|went to) {hrs}h {when}, (normally|usually) (it's|its) under 3h",
      "(loaded_at|load time) vs {col} (shows|says) (a|the) {hrs}h (lag|delay) for (a chunk|{pct}) of rows {when}",
      "the (DAG|job|airflow task) (is|was) (green|successful) but (loaded|picked up) (zero|0|only part of the) rows, (so|hence) the (stale|old) data",
      "(late-arriving|late arriving) (rows|events) (are|were) (landing|arriving) after (the|our) (cutoff|daily snapshot), so (yesterday|the day) (looks|looked) (short|incomplete)",
      "(source|upstream) (API|replica|export) was (throttled|down|lagging) (overnight|{when}), (so|and) (ingestion|the load) (backed up|fell behind)",
    ],
    detail: [
      "[(repro|query|fwiw|what I ran|here you go|check this):] {sql}[ (returns|gives|shows) {big}]",
      "(status|incident) (page|update): {status}",
      "(opened|filed) {jira} to (add|alert on) (a freshness SLA|freshness checks|lag alerts) for {table}",
      "(last|latest) loaded_at (is|was) {hrs}h (old|behind) (at|as of) the time I (checked|looked). {dbt}",
      "(freshness|lag) (chart|graph): {looker}",
    ],
    fix: [
      "(rerun|re-ran|reran) the (load|backfill|job), {tbl} (are|is) (current|fresh|caught up) (now|again). {dash} (refreshed|updated)",
      "(added|shipped) a (freshness|lag) (alert|SLA check) on {table}, (we'll|we will) (get paged|know) before (exec|anyone) notices. {gh}",
      "(upstream|the source) (is|was) (fixed|back), lag (back|down) to (normal|~1h|under 2h). (closing|resolving) {jira}",
    ],
    pending: [
      "(still|it's still|its still) {hrs}h behind. (no ETA|no eta) from (upstream|the source team) (yet|so far)",
      "(not caught up yet|still catching up), (expect|hoping for) (fresh|current) data by (EOD|tonight|tomorrow morning)",
    ],
    subjects: [
      "{table} (data|load) (delayed|late|stale) {when}",
      "(Stale|Late) data in {dash}",
      "(Freshness SLA|Ingest lag) (breach|alert): {table}",
      "(Re: |)(When|Why) (does|did) {dash} (refresh|update) (late|so late)?",
    ],
    emailBodies: [
      "(Our|The) (morning|daily) review (ran|was run) on (yesterday's|old) numbers (again|twice this week). (Could|Can) (we|someone) (tell me|confirm) (when|at what time) {dash} is (expected|guaranteed) to be (current|up to date)?",
      "(Postmortem|Incident summary): the {table} load (stalled|was stuck) for {hrs} hours {when} after (an upstream timeout|a failed extract). (Backfill|Catch-up) (completed|finished) at {time}; (a freshness alert|lag alerting) (is now|has been) (in place|added). {status}",
      "(Hi all|Team|Hello), the {table} (load|pipeline) (was|has been) (delayed|late) {when}: the latest loaded_at is {hrs} hours behind the events, so {dash} (shows|showed) (stale|incomplete) {metric}. (Root cause|Cause) (looks like|appears to be) (a slow upstream export|a stuck job|throttling at the source). (Updates|Status) (here|at) {status}.",
      "(FYI|Heads up): (ingest|load) lag on {tbl} (crossed|breached) our (freshness|90-minute) SLA {when}. (About|Roughly) {pct} of rows arrived {hrs}h late. (We are|We're) (adding|setting up) (alerting|freshness checks) so this (is caught|gets caught) (earlier|before the morning review).",
      "(Could|Can) someone (confirm|tell me) when the {dash} numbers (will be|are) (current|up to date)? (As of|At) this morning (they|it) (still|only) (reflect|showed) (yesterday|Friday) and (we|I) need {metric} for (the review|a customer call|the forecast).",
    ],
  },

  duplicates_dedup: {
    roots: [
      "(some|a few|several) {tbl} (appear|show up) twice (with|under) the same {key}, (so|and) {metric} (is|looks) (double-counted|inflated)",
      "(repeated|duplicated) rows in {model} after the (rerun|re-run|retry) {when}, (do we|should we) (dedup|dedupe) (upstream|in the model)?",
      "(seeing|found|there are) duplicate {key}s in {table} ({when}|again|{when})",
      "{metric} is (inflated|double counted|too high) (because|bc|b/c) (some|a few|{pct} of) {tbl} (show up|appear|are loaded) twice",
      "(same|identical) {key} (twice|2x|three times) in {tbl}, only loaded_at (differs|is different). (dupes|duplicates) from a (retry|reload|replay)?",
      "(dupes|duplicates|double rows) in {table} (again|{when}). (count|count\\(*\\)) vs count distinct {key} (differ|is off) by {big}",
      "(do we|should we) dedupe {tbl} (before|when) (computing|summing) {metric}? (pretty sure|I think) (we're|we are) double counting",
      "(after|since) the (backfill|reload|replay) {when}, {tbl} (has|have) (dupes|duplicates|duplicate rows) on {key}",
      "(row counts|counts) in {table} (doubled|jumped) {when}. (duplicate|double) load?",
    ],
    indirect: [
      "{metric} (jumped|spiked|went up) {pct} {when} (with no|and there's no) (campaign|reason|real change) (behind it|that I know of)",
      "(totals|numbers) in {dash} (look|seem) (too high|inflated|bigger than they should be) {when}",
      "(why|how) (would|could) {metric} be higher than what (finance|the bank|payments) (sees|reports)?",
    ],
    exec: [
      "I'm hearing we double counted {metric} {when}. How much, and is anything we (sent out|reported) wrong?",
      "(Please|Can someone) (confirm|explain) whether the {metric} spike is real or a data duplication issue before I (share|forward) it.",
    ],
    diag: [
      "(yeah|yep|confirmed), {big} {key}s (appear|are there) (twice|more than once). the copies (only differ|differ only) in loaded_at",
      "(it's|its) a (retry|replay|double load) (upstream|in the loader): the same (batch|file|partition) (was|got) (loaded|ingested) twice {when}",
      "{model} (doesn't|does not) dedupe on {key}, (so|and) (every|each) (reload|retry) (adds|creates) (duplicates|dupes|extra copies)",
      "(the|those) dupes (inflate|add) about {pct} to {metric} {when}",
      "(need|we need) a row_number\\(\\) over \\(partition by {key} order by loaded_at\\) (keeping|to keep) the earliest (load|copy)",
      "(not|no) real (transactions|orders|payments), (they're|they are) (exact|byte for byte) copies with a later load timestamp",
    ],
    detail: [
      "[(repro|query|fwiw|what I ran|here you go|check this):] {sql}[ (returns|gives|shows) {big}]",
      "(dup|dupe|duplicate) (check|query) (here|below): {sql}",
      "(opened|filed) {jira} to (dedupe|add dedup to) {model}",
      "(uniqueness|unique) test on {key} (is failing|fails): {dbt}",
      "(attached|exported) the (duplicate|dupe) {key}s",
    ],
    fix: [
      "(merged|shipped) dedup (logic|step) in {model}: (keep|keeps) the earliest loaded_at per {key}. {gh}",
      "(cleaned up|deleted|removed) the (dupes|duplicates) and (added|turned on) a unique test on {key}. {metric} (is back to normal|looks right now)",
      "(loader|ingestion) is (now|) idempotent, (replays|retries) (no longer|won't) (create|produce) (dupes|duplicates). (closing|resolving) {jira}",
    ],
    pending: [
      "(still|there are still) {big} (dupes|duplicates) {when}. (dedup|the dedup fix) (isn't|is not) (merged|deployed) yet",
      "(workaround|for now): (select|use) distinct on {key} in (your|the) query until {model} (dedupes|is fixed)",
    ],
    subjects: [
      "Duplicate {key}s in {table}",
      "{metric} (double counted|inflated by duplicates) {when}",
      "(Dedup|Deduplication) (needed|missing) (in|for) {model}",
      "(Re: |)(Duplicate|Double) (rows|loads) in {tbl}",
    ],
    emailBodies: [
      "(Before|Prior to) (sharing|sending) the {metric} (update|numbers) (externally|to the board), (can|could) (someone|the data team) (confirm|double-check) the (recent|latest) (spike|jump)? (It looks|It seems) too (large|good) to be real.",
      "(Update|Resolution): the {metric} (spike|jump) {when} was (caused by|due to) (a retried load|a replayed batch) that (wrote|inserted) {big} {tbl} twice. (Duplicates|The dupes) (are|have been) removed and {model} now (dedupes|keeps one row per {key}). {gh}",
      "(Hi team|Team|Hello), (we|I) found {big} duplicate {key}s in {table} {when}. The copies are identical except for a later loaded_at, (which|so this) (points to|suggests) a (replayed|retried) load. {metric} in {dash} is (overstated|inflated) by (about|roughly) {pct} (for those days|until we dedupe). (Ticket|Tracking): {jira}",
      "(Quick|Short) (update|note) on the {metric} spike: it is not real demand, it is duplicate rows in {tbl} (from|after) (the backfill|a reload) {when}. (We are|We're) adding a dedup step (keeping the earliest load|on {key}) in {model} and (a|an) uniqueness test.",
      "(Could|Can) the data team (confirm|check) whether {tbl} (are|is) (deduplicated|de-duped) before {metric} is computed? The numbers (we|I) (pulled|got) (look|seem) double counted (against|vs) (the finance ledger|the processor report|payments).",
    ],
  },

  access_permissions_pii: {
    roots: [
      "(locked out|got locked out) of {model} (after|since) (the|my) (team change|role change|SSO migration), (getting|I get) 403 on (every|each) query",
      "(can I get|could I get|need|requesting) (read|select) access to {table}? (getting|I get) permission denied",
      "(permission denied|access denied|insufficient privileges) (on|when querying) {table} {when}. did (my role|the grants|permissions) change?",
      "(is it ok to|are we allowed to|can we) (share|export|put) {pii} (in|to|into) (a dashboard|the {dash}|a spreadsheet|the vendor)? (feels like|sounds like|that's) PII",
      "{pii} (are|is) (visible|unmasked|exposed) in {dash}. (shouldn't|should not) (that|those) be masked?",
      "(who|which role) (approves|grants) access to the PII (columns|schema|tables)? need {pii} for (a fraud case|a compliance request|an audit)",
      "(my|the) (service account|role|group) (lost|doesn't have) access to {model} (after|since) the (permissions|RBAC|role) (cleanup|migration|change)",
      "(GDPR|privacy|DSAR) (request|ticket): (need to|have to) (find|delete) everything we (hold|store) (on|for) (a customer|one user id)",
      "(row-level|column-level) (security|masking) on {table} (hides|blocks) (what I need|the {team} rows). (can we|how do we) get an exception?",
      "(new|a new) (analyst|contractor|hire) on {team} (needs|is waiting for) (warehouse|read|query) access (to|for) {model} (and|plus) {dash}, (who|which group) (approves|grants) (that|it)?",
      "(why|how come) (can|do) (all|everyone in) {team} (see|query) {pii} (in|on) {table}? (that|this) (should be|needs to be) (restricted|masked|locked down)",
      "(the|my) (access|grant) (request|ticket) for {table} (has been|is) (sitting|stuck|pending) for {n} days, (who|can someone) (can|) (approve|unblock) it?",
      "(audit|compliance) (wants|needs) a list of (everyone|all roles) with (access|read access) to {pii} (by|before) {day}",
    ],
    indirect: [
      "(hmm|hm), {dash} (is blank|shows nothing|errors out) for me but {user} (can see|sees) it fine",
      "(my|the) (query|notebook|export) (started failing|fails) (this morning|{when}) with a (weird|403|privileges) error",
      "(someone|a contractor) (asked|is asking) for a raw extract of {tbl} (incl|with) {pii}. (is that ok|ok to send)?",
    ],
    exec: [
      "Why do (analysts|contractors) (still|) have (unmasked|raw) {pii} access? I want a (review|list) of who can see PII by Friday.",
      "(Finance|The {team} team) can't (open|access) {dash} (for|before) the (close|review). Please (fix|sort) the access today.",
    ],
    diag: [
      "(the|your) role (was|got) (removed|dropped) in the (RBAC|grants|permissions) cleanup {when}, (that's|thats) why (you get|it says) permission denied",
      "{pii} (sit|live) in (the|a) restricted (schema|columns), (you need|it needs) (a|an) (approved|signed) access request (from|via) {team}",
      "(masking|the masking policy) (wasn't|was not) applied to {dash}, (so|and) {pii} (leaked|showed) (unmasked|in clear text) (to|for) everyone with access",
      "(the|that) (service account|group) (never had|lacks) (select|usage) on {table}, only on the (old|legacy) schema",
      "(we|we really) (shouldn't|should not) (export|share) {pii} (at all|outside the warehouse); (use|send) (hashed ids|an aggregated view|the masked view) instead",
    ],
    detail: [
      "(access|permission) request (filed|opened|raised): {jira}",
      "(policy|the data access policy|PII handling doc) (is here|lives here): {wiki}",
      "(error|the error) (is|says): permission denied for (table|relation) {table}",
      "(grant|role) change (PR|diff): {gh}",
    ],
    fix: [
      "(granted|restored|added) read access to {table} for your (role|group). (try|retry) (now|again)",
      "(masking|the masking policy) (is now|now) (applied|on) for {pii} in {dash}. (audited|checked) who (saw|accessed) it. {gh}",
      "(approved|signed off): access to the (masked|aggregated) view only, raw {pii} (stays|remains) restricted",
    ],
    pending: [
      "(still waiting|waiting) on (security|compliance|the data owner) to approve the (access|grant) request",
      "(no|not) (approval|sign-off) yet. (in the meantime|meanwhile), (use|try) the masked view",
    ],
    subjects: [
      "(Access|Permission) request: {table}",
      "(PII|Personal data) (exposed|visible) in {dash}",
      "(Who can see|Access to) {pii}?",
      "(Re: |)(Permission denied|Lost access) (on|to) {model}",
    ],
    emailBodies: [
      "(I|We) (am|are) (still|) unable to open {dash} (or|and) (query|run anything on) {table} {when}. (Who|Which team) (should|can) (approve|grant) (this|the access)?",
      "(Security|Compliance) (note|reminder): {pii} (must not|may not) (leave|be exported from) the warehouse. (Use|Please use) the masked views (or|and) (request|file) (access|an exception) (via|through) {jira} (if|when) (you need|raw values are needed).",
      "(Hi|Hello) (data team|data platform|team), {when} my role gets permission denied on {table}, (which|and this) blocks the {metric} (report|refresh) for {team}. (Could you|Can you) restore read access or (tell me|point me to) the right (access request|approval) process?",
      "(We|I) noticed that {pii} (are|is) visible unmasked in {dash} to everyone with (dashboard|viewer) access. (This|That) is PII and (should|must) be masked or removed. (Please|Could you) apply the masking policy and (review|audit) who accessed it. (Policy|Reference): {wiki}",
      "(A|One) (partner|vendor|contractor) asked for a raw export of {tbl} including {pii}. (Before|Prior to) sharing anything, (can|could) compliance (confirm|advise) whether (this is|we are) (allowed|permitted), or whether an aggregated or hashed extract (is|would be) (enough|acceptable)?",
    ],
  },

  new_field_schema_request: {
    roots: [
      "(can|could) (we|engineering) (start tracking|capture|log) {field} (on|for) {tbl}? (it's|its) (not|nowhere) in the (schema|warehouse) (today|yet)",
      "(can we|could we|any chance we can) (add|get|expose) {field} (to|in) {table}? (need|needed) it for (the|a) {metric} (breakdown|analysis)",
      "(feature request|request|ask): (add|expose) (a|the) {field} (column|field|attribute) (in|to) {model}",
      "{col} (is|has been) (null|empty|NULL) (for|in) {table} {when}. (did|was there) a schema change (upstream|in the release)?",
      "(the|a) (new|latest) (release|app version|deploy) (stopped writing|dropped|renamed) {col}, (now|and now) {model} (has|shows) nulls",
      "(we|I) (need|want) to (slice|break down|segment) {metric} by {field} but (there's no|we don't have a|no) column for it",
      "(schema change|schema drift) (on|in) {table}: {col} (missing|went null|changed type) {when}",
      "(is there|do we have) (a|any) (field|column|attribute) for {field}? (can't|cannot) find it in {table} or {model}",
      "(please|pls) (add|track) {field} (as a|as) (column|field) (going forward|from now on), (product|{team}) (keeps asking|asks every week)",
    ],
    indirect: [
      "(how|where) (would|can) I (get|find) {field} (for|per) {tbl}?",
      "(the|my) {metric} (split|breakdown) (by|per) {field} (is|comes back) (all|mostly) (unknown|blank) {when}",
      "(product|{team}) (wants|asked for) {metric} by {field}, (not sure|no idea) (we|if we) (capture|have) that",
    ],
    exec: [
      "We keep (being unable|failing) to answer questions about {field}. (Can|Could) we (start capturing|add) it (in|to) the warehouse this quarter?",
      "Why (did|does) {col} (go|come back) empty (after|since) the (release|migration)? (Who|Which team) owns the schema?",
    ],
    diag: [
      "(the|that) (upstream|app) release {when} (renamed|dropped) the (field|column) (that|which) (fed|populated) {col}, (so|and) the load (writes|wrote) NULL",
      "{col} (was|got) written as null for (three|3|a few) days (during|after) the schema (change|migration); (a|the) backfill (fills|filled) most of it (later|after)",
      "(we|the source) (don't|doesn't) (capture|send|emit) {field} (at all|today|yet). (it'd|it would) need (a|an) (tracking|schema|event) change (upstream|in the app)",
      "(adding|to add) {field} (means|needs) a (contract|schema) change with (the|{team}|the app) team (and|plus) a (new column|migration) in {model}",
      "(schema|the schema) (contract|registry) (didn't|did not) (catch|flag) the (rename|type change) of {col}",
    ],
    detail: [
      "(schema|field) (request|ticket) (filed|opened): {jira}",
      "[(repro|query|fwiw|what I ran|here you go|check this):] {sql}[ (returns|gives|shows) {big}]",
      "(proposed|draft) (schema|column) (change|PR): {gh}",
      "(spec|tracking plan) (for|with) {field} (here|is here): {docs}",
    ],
    fix: [
      "(added|shipped) {field} (to|in) {model} (as a new column|as a column). (backfilled|available) (from|since) (January|last quarter|the start of the year). {gh}",
      "(backfill|the backfill) of {col} (is done|finished): (95%|almost all) of the (null|empty) rows (have|got) (values|their value) back",
      "(the|) upstream (restored|re-added) the (field|column), {col} (is|comes) (populated|filled) (again|now)",
    ],
    pending: [
      "(still|it's still|its still) (null|missing) {when}. (backfill|the backfill) (is|has been) (queued|scheduled|pending)",
      "(no capacity|not prioritised|not planned) (this sprint|this quarter) for {field}, (added|putting it) (to|on) the (backlog|roadmap)",
    ],
    subjects: [
      "(Request|Feature request): (add|expose) {field} (in|to) {table}",
      "{col} (empty|null) {when}",
      "(Schema change|Schema drift) (on|in) {table}",
      "(Re: |)(New field|New column) (for|needed for) {metric} (analysis|breakdown)",
    ],
    emailBodies: [
      "(We keep|I keep) (getting|receiving) (questions|requests) about {metric} by {field} (and|but) (cannot|can't) answer them from the warehouse. (What would it take|How hard would it be) to (add|capture) (it|that)?",
      "(Schema change notice|Heads up on a schema change): the (app|upstream service) (renamed|will rename) the field behind {col} (on|from) {day}. {model} (needs|will need) (a mapping update|a migration) (or|otherwise) {col} (will be|goes) NULL.",
      "(Hi|Hello) (data team|team), {team} (needs|would like) to (break down|analyse) {metric} by {field}, but (the warehouse has|we have) no (column|field) for it. (Could|Can) we add {field} to {model} (and backfill|going forward)? (Tracking plan|Spec): {docs}",
      "(Since|After) the (release|migration) {when}, {col} (has been|is) written as NULL in {table}. (Reports|Dashboards) that depend on it (show|are showing) gaps. (Could|Can) the owners (confirm|check) the schema change and (schedule|run) a backfill?",
      "(Proposal|Request): (start capturing|add) {field} as a (first-class|new) column. (Today|Right now) analysts (parse|derive) it from (free text|logs) and (every|each) team (gets|ends up with) a different answer. (Ticket|Details): {jira}",
    ],
  },

  revenue_coverage_mapping: {
    roots: [
      "(revenue leakage|missing revenue): {rev} (for|from) {item} (never|doesn't) (shows up|show up|make it) in {model}, (so|and) {dash} (is|looks) (short|low)",
      "{pct} of {rev} (isn't|is not|doesn't get) mapped to (a|any) {unit}. (it all|everything) (lands|ends up) in (unknown|other|unmapped)",
      "(revenue|{rev}) (by|per) {unit} (doesn't|does not) (add up|sum) to (total|the total|the ledger). {item} (seems|looks) (missing|unmapped)",
      "(the|our) {unit} (mapping|lookup|mapping table) (is|looks) (out of date|incomplete|stale): {item} (has|have) no (revenue|{rev}) mapping",
      "(finance|{team}) (sees|reports) {big} more {rev} than (we|our model|the dashboard) (do|shows). (coverage|mapping) gap?",
      "(how do we|how should we) (attribute|allocate|map) {rev} (for|on) {item}? (it's|its) (not|missing) in the (mapping|revenue model)",
      "{rev} (coverage|mapping coverage) (dropped|fell) to {pct} {when}. (new|unknown) {unit} (codes|values) (not in|missing from) the (lookup|seed)",
      "(we're|we are) (missing|not counting) {rev} (from|for) {item} in {model}, (so|which means) (revenue|net revenue) (is understated|looks low)",
      "(the|our) {unit} (conversion|mapping) (for|on) {item} (is|looks) (missing|wrong), (so|and) {rev} (totals|numbers) (are|is) (off|understated)",
      "(month-end|the close|recon) (is blocked|is stuck): {rev} in {dash} (doesn't|does not) (tie|reconcile) to the (ledger|GL|invoices) (by|, off by) {big}",
      "(where does|where should) {rev} (for|from) {item} (go|land|map)? (it's|its) (sitting|stuck) in (unknown|unmapped|other) (in|on) {dash}",
    ],
    indirect: [
      "(why is|why's) (revenue|{metric}) in {dash} (lower|less) than (the bank statement|the ledger|what finance booked)?",
      "(the|our) (category|sector|plan) (split|breakdown) (has|shows) a (big|huge|growing) (other|unknown) (slice|bucket)",
      "(reconciling|tried to reconcile) {dash} (to|with) the (GL|general ledger|invoice totals) and (it's|its) (short|off) by {big}",
    ],
    exec: [
      "(How much|What share) of our {rev} (can we|do we) actually (attribute|map) to {unit}? I need (coverage|the number) for the board.",
      "Finance and the {dash} (disagree|differ) on revenue by {big}. Is this a mapping gap, and what is it costing us in (reporting|decisions)?",
    ],
    diag: [
      "(yes|yep), (new|a few new) {unit} (codes|values) {when} (are not|aren't) in the mapping (seed|table), (so|and) their {rev} (falls|goes) into unknown",
      "{model} (maps|joins) {rev} (on|via) {unit}, (and|but) {item} (has|have) no row in the (lookup|mapping), (so|hence) the coverage (gap|hole)",
      "(revenue|{rev}) coverage (is|sits at) {pct} {when}: the rest (can't|cannot) be (tied|mapped) to a {unit}",
      "(the|that) (gap|difference) (is|comes from) {rev} (on|for) {item} that (never|doesn't) (make it|get mapped) into {model}",
      "the {unit} (lookup|seed|mapping table) (is missing|lacks) {item}, (so|and) (those|the) (amounts|rows) (are|get) (dropped|zeroed|left out) (from|in) {rev}",
    ],
    detail: [
      "[(repro|query|fwiw|what I ran|here you go|check this):] {sql}[ (returns|gives|shows) {big}]",
      "(mapping|lookup) (seed|table) (is here|lives here): {dbt}",
      "(reconciliation|recon) (sheet|workbook) (attached|here)",
      "(opened|filed) {jira} to (extend|fix) the {unit} mapping",
    ],
    fix: [
      "(added|mapped) {item} (to|in) the {unit} (mapping|lookup). {rev} coverage (back|up) to (99%|~100%|99.5%). {gh}",
      "(reconciled|tied out): {dash} (now|) (matches|ties to) the (ledger|GL) within (0.5%|rounding) after the mapping fix",
      "(added|we added) a (test|check) that fails when {rev} coverage (drops|falls) below (98%|99%). (closing|resolving) {jira}",
    ],
    pending: [
      "(still|we still have) {pct} of {rev} unmapped. (waiting on|need) {team} to (tell us|confirm) (where|how) {item} (belongs|should map)",
      "(mapping|the mapping fix) (not merged|isn't merged) yet, (revenue|{rev}) by {unit} (is|stays) understated (until then|for now)",
    ],
    subjects: [
      "{rev} (not mapped|unmapped) (to|by) {unit}",
      "(Revenue|{rev}) (coverage|reconciliation) gap (in|vs) {dash}",
      "(Mapping|Lookup) (missing|out of date) for {item}",
      "(Re: |)(Revenue|{rev}) (doesn't|does not) tie to the (ledger|GL)",
    ],
    emailBodies: [
      "(The|Our) (category|sector|plan) (breakdown|split) in {dash} (has|shows) (a growing|a large) (unknown|other) (bucket|slice), (now|currently) {pct} of {rev}. (Can|Could) (we|someone) (find out|check) (where|what) (that|it) (should|belongs)?",
      "(Month-end|Close) (update|status): {rev} in {dash} (is|was) {big} (short of|below) the (ledger|GL). (The|Our) (recon|reconciliation) (traces|ties) (it|the gap) to {item} (missing|absent) from the {unit} (mapping|lookup). (Fix|Mapping update): {gh}",
      "(Hi|Hello) (all|team), {when} about {pct} of {rev} could not be mapped to a {unit}: {item} (is|are) missing from the mapping table, so (revenue|{rev}) by {unit} in {dash} (understates|misses) {big}. (Could|Can) (we|the data team) extend the mapping and (add|set up) a coverage check? (Ticket|Tracking): {jira}",
      "(Finance|{team}) (booked|reports) {big} more {rev} than the {dash} (shows|reports) for last month. (Our|The) (reconciliation|recon) points to a coverage gap in the {unit} mapping (for|on) {item}. (Please|Could you) (confirm|review) before (month-end close|the close).",
      "(Request|Ask): (we|finance) need {rev} (fully|100%) attributed to {unit} for (the board pack|planning). (Today|Currently) (coverage|mapped share) is {pct} and the (remainder|rest) sits in an unknown bucket. (What|Which) (mapping|lookup) changes would close the gap?",
    ],
  },

  attribution_funnel_gaps: {
    roots: [
      "(first touch|last touch) vs (last touch|first touch) (gives|shows) (totally|very) different (channel|campaign) (numbers|credit) for {source}, (which|what) (do we|should we) (report|use)?",
      "(the|our) (funnel|conversion funnel) from {step1} to {step2} (has|shows) a (gap|hole|drop) (we can't|we cannot|nobody can) explain",
      "(can't|cannot|we can't) attribute {pct} of (signups|new customers|new buyers|orders) to (a|any) (source|channel|campaign). (utm|UTM|source) (missing|empty)?",
      "(conversion|conversion rate) {step1} -> {step2} (dropped|fell) {pct} {when}. (tracking|event tracking) (broken|missing)?",
      "(how do we|how should we) (attribute|credit) (signups|orders|revenue) (to|between) {source} and {source}? (last touch|first touch|last-touch) (says|gives) (one thing|something else)",
      "{source} (shows|reports) {big} (conversions|signups) but (we|our warehouse) (only see|only sees|sees) (half|a fraction) (of that|of them)",
      "(events|tracking events) for {step2} (stopped|aren't) (firing|being sent|coming through) {when}, (so|and) the funnel (looks|is) broken",
      "(cohort|funnel) (report|analysis): (there's no way to|we can't|we cannot) (join|link|tie) {step1} (events|rows) to {step2} (without|because there's no) a (session|user|click) id",
      "(attribution|channel attribution) (for|on) {source} (looks|is) (off|wrong|broken): (everything|most of it) (goes|falls) to (direct|organic|unknown)",
    ],
    indirect: [
      "(how many|what share of) (people|users|buyers) (who|that) {step1} (actually|end up) (get to|reach) {step2}? (getting|I get) (weird|different) answers",
      "(growth|marketing) (says|claims) {source} (is working|drove {big} signups) but (I|we) (can't|cannot) (see|find) it (in the data|anywhere)",
      "(the|our) (weekly|monthly) (growth|acquisition) (chart|numbers) (look|looks) (flat|off) even though (spend|the campaign) (doubled|went up)",
    ],
    exec: [
      "I need to know which channels actually drive {step2}. Right now (growth|marketing) and (data|finance) give me different (answers|attribution).",
      "(Why|How) (can't|can we not) we (say|tell) (where|which campaign) {pct} of our new (customers|buyers) came from? This (blocks|affects) the (budget|spend) decision.",
    ],
    diag: [
      "(utm|UTM|source) (params|parameters) (get|are) (dropped|stripped|lost) on the redirect {when}, (so|hence) those (signups|sessions) (show|land) as direct",
      "(the|a) {step2} event (isn't|is not) (tracked|emitted) on (android|the new app version|web), (that's|thats) the funnel hole",
      "(no|there is no) (shared|common) (id|key) between the (marketing|ad) (clicks|touches) and {step1}, (so|and) attribution (falls back|defaults) to last touch",
      "(attribution|the attribution) (model|logic) in {model} (only|just) (looks at|credits) the last (click|touch) (within|in) 7 days, {source} (gets|is) (under-credited|missed)",
      "(about|roughly|~){pct} of {step2} (rows|events) have no (source|channel|campaign) (at all|attached|populated)",
    ],
    detail: [
      "[(repro|query|fwiw|what I ran|here you go|check this):] {sql}[ (returns|gives|shows) {big}]",
      "(funnel|conversion) (dashboard|chart): {looker}",
      "(tracking|event) (plan|spec) (here|is here): {docs}",
      "(opened|filed) {jira} for the (missing|dropped) (tracking|utm|funnel) events",
    ],
    fix: [
      "(fixed|patched) the redirect, utm (params|parameters) (are|now) (kept|preserved) (again|now). attribution (looks|is) (sane|back to normal) (from|since) (today|yesterday)",
      "(shipped|added) the {step2} event on (all platforms|android and web), the funnel (is|looks) complete {when}. {gh}",
      "(moved|switched) {model} to (position-based|multi-touch) attribution, {source} (now|) (gets|shows) credit (in line|consistent) with the (ad platform|campaign tool)",
    ],
    pending: [
      "(still|we still) (can't|cannot) (attribute|explain) {pct} of {step2}. (tracking fix|the fix) (is|sits) in the (app|mobile) release (next|in two) (week|weeks)",
      "(no|not) (agreement|decision) (yet|so far) on (the|an) attribution model, (growth|marketing) (wants|prefers) (first|last) touch",
    ],
    subjects: [
      "(Funnel|Conversion) gap (between|from) {step1} (and|to) {step2}",
      "(Attribution|Channel attribution) (for|of) {source}",
      "(Missing|Dropped) (UTM|tracking) (data|parameters) {when}",
      "(Re: |)(Where did|Which channel drove) our new (customers|buyers) (come from|last month)?",
    ],
    emailBodies: [
      "(Marketing|Growth) (says|reports) {source} (drove|brought in) {big} (signups|new buyers|customers) (last month|this quarter) (but|while) (our|the warehouse) (numbers|data) (show|shows) (far fewer|about half). (Which|What) (should|do) (we|I) (believe|use) for the budget?",
      "(Tracking|Funnel) (update|fix): {step2} events (were|had been) (missing|not sent) on (android|web|the new app version) (since|from) {day}; (they are|tracking is) (restored|back) (now|as of today). (Conversion|Funnel) numbers (for|between) {day} (and|to) {day2} (are|stay) (understated|incomplete).",
      "(Hi|Hello) (team|all), {when} (the|our) funnel from {step1} to {step2} (shows|has) a drop of {pct} that (growth|marketing) (cannot|can't) explain. (It|This) (looks like|seems to be) (missing|broken) tracking on {step2}, not a real change in behaviour. (Could|Can) (we|the data team) (check|verify) the events? (Dashboard|Chart): {looker}",
      "(We|I) (cannot|can't) attribute about {pct} of new (customers|buyers|signups) to any channel: the (utm|source) (fields|parameters) are empty. {source} (reports|claims) {big} conversions, (our|the warehouse) (numbers|data) (show|shows) far fewer. (Before|Ahead of) the budget review we need (a fix|an explanation) and an agreed attribution model.",
      "(Request|Ask): (please|could we) (add|build) (a|an) (end-to-end|complete) funnel ({step1} to {step2}) (with|by) channel (attribution|split) to {model}. (Today|Right now) there is no id linking (ad clicks|touches) to {step1}, so every team (computes|estimates) conversion differently. (Spec|Tracking plan): {docs}",
    ],
  },
};
