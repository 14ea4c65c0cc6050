import type { Theme } from '@dnr/core';
import { patterns, type WeightedPattern } from '../../text.js';

/*
 * The rules-engine lexicon, written from how analysts, engineers and finance people describe data
 * problems (not from the comms generator's grammar). Weights are evidence strengths: ~1.0 is a phrase
 * that on its own names the theme, ~0.4 a word that leans toward it. Stems tolerate plurals, tense and
 * the common misspellings people type in chat (dupe/dup/duplicat…, permision, stale/staleness).
 */

const DUP = 'dup(?:e|es|ed|licat\\w*|licit\\w*|s)|dedup\\w*|de-dup\\w*';

export const THEME_LEXICON: Record<Theme, WeightedPattern[]> = {
  metric_definition_mismatch: patterns([
    ["(?:metric|kpi|measure)s? (?:definition|logic|calc\\w*)", 1.2],
    ['definition of (?:an? )?(?:active|churn\\w*|mau|dau|wau|retained|new|gmv|revenue|customer|user|conversion|aov)', 1.2],
    ['(?:how|which way) (?:do|does|should) (?:we|finance|product|they) (?:define|count|calculate|compute)', 1.1],
    ["(?:don'?t|doesn'?t|do not|does not|won'?t|never|dont|doesnt) (?:match|tie|agree|line up|reconcile|add up)", 0.9],
    ['(?:numbers?|counts?|figures?|totals?|metrics?|kpis?) (?:differ\\w*|disagree\\w*|(?:are|is) (?:off|different|inconsistent))', 1.0],
    ['discrepanc\\w+|mismatch\\w*|inconsisten\\w+', 0.7],
    ['(?:different|differs?|diverge\\w*|disagree\\w*) (?:between|in|across|from)|why (?:is|are|does|do) (?:\\w+ ){1,5}(?:different|differ|higher|lower|off)', 1.3],
    ['(?:calendar|fiscal) (?:month|week|quarter|year) vs\\.?|trailing \\d+ days? vs\\.?|vs\\.? trailing|net of (?:refunds|fees|returns|chargebacks)|gross of|(?:approved|captured|settled) only', 0.9],
    ['official (?:\\w+ ){0,2}(?:figure|number|metric|kpi|definition)|(?:finance|product|marketing|ops) definition', 1.0],
    ['(?:says|shows|reports|is at|at) \\$?\\d[\\d.,]*[k%]? (?:but|while|whereas) (?:the )?(?:\\w+ ){0,3}(?:says|shows|reports|has|is)|what gives', 0.9],
    ['(?:including|excluding|includes|excludes|include|exclude) (?:shipping|tax|taxes|refunds|fees|discounts|frozen|closed|test|internal|cancel\\w*)', 0.6],
    ['(?:settle|agree|align) on (?:one|a|the|which)|nobody (?:documented|defined|agreed)|(?:document|documented) (?:the )?(?:definition|logic|metric)', 0.9],
    ['(?:retention|churn|gmv|aov|arpu|ltv|active (?:users?|customers?|buyers?|sellers?)|conversion|take rate|revenue) (?:in|on) (?:the )?(?:\\w+ )?(?:report|dashboard|deck|explore|pack|email)', 0.5],
    ['(?:agreed|single|one|consistent|official|standard|shared|common|same) (?:metric )?definitions?|definitions? (?:differ|of the metric)|never agreed', 1.0],
    ['definitions?|defined', 0.4],
    ["which (?:one|number|figure|version|dashboard|report)? ?(?:is|do (?:i|we)) (?:right|correct|true|send|use|trust|quote)|which (?:one|number) is right", 0.8],
    ['(?:says|shows|reports?) \\$?\\d[\\d.,]*[k%]? (?:when|while|but|and|vs\\.?)|\\d[\\d.,]*[k%]? in (?:looker|tableau|the dashboard|the report|the explore)', 0.6],
    ['(?:two|2|different|both|conflicting) (?:dashboards?|reports?|definitions?|versions?|numbers)', 0.8],
    ['source of truth|single version of the truth|golden (?:metric|dataset)|canonical (?:metric|definition)', 0.9],
    ['semantic layer|metrics? layer|metric store|dbt metrics?', 0.8],
    ['(?:counted|calculated|computed|defined|measured) differently', 1.1],
    ['(?:mau|dau|wau|active (?:users?|customers?|buyers?|sellers?))', 0.5],
    ['apples to apples|off by \\d+|higher than|lower than|vs\\.? (?:finance|looker|the dashboard)', 0.35],
    ['(?:in|on|from) (?:looker|tableau|the dashboard|the explore|the report) (?:vs\\.?|versus|and|compared (?:to|with)) (?:the )?(?:\\w+ )?(?:pack|report|dashboard|deck|finance|email|sheet)', 0.8],
    ['(?:looker|dashboard|tableau|report) (?:says|shows|has)', 0.35],
    ['churn (?:rate|definition|number)|retention (?:rate|number|definition)|aov|average order value|take rate (?:definition|calc\\w*)', 0.4],
    ['gross vs\\.? net|net vs\\.? gross|rolling (?:7|28|30)|calendar vs rolling|timezone (?:cutoff|boundary)|utc vs local', 0.6],
  ]),
  join_keys_orphans: patterns([
    ['orphan\\w*', 1.3],
    ['foreign keys?|fk (?:check|failure|violation|test|constraint)s?|fks?\\b|referential integrity', 1.2],
    ['(?:join|joins|joining|joined|left join|inner join) (?:drops?|dropping|loses?|losing|lost|fans? out|explod\\w*|returns? nulls?|produces? nulls?)', 1.3],
    ['(?:rows?|records?|transactions?|orders?|payments?|items?) (?:fall|falling|fell|drop|dropping) (?:out|off)', 1.0],
    ['(?:no|without a|without|missing|without any) (?:matching|corresponding|parent) (?:rows?|records?|customers?|accounts?|cards?|merchants?|buyers?|sellers?|listings?|orders?|ids?)', 1.2],
    ['(?:unmatched|dangling|unknown|nonexistent|non-existent|invalid) (?:ids?|keys?|customer_ids?|account_ids?|card_ids?|merchant_ids?|buyer_ids?|seller_ids?|listing_ids?|order_ids?)', 1.2],
    ["(?:ids?|keys?) (?:that )?(?:don'?t|do not|doesn'?t) exist|(?:does not|doesn'?t|do not|don'?t|no longer) exist", 1.1],
    ['(?:ids?|keys?|rows?) (?:\\w+ )?(?:missing|absent) from (?:the )?(?:\\w+ )?(?:table|dim\\w*|dimension)', 1.1],
    ['join keys?|key mismatch|keys? (?:don\'?t|do not) (?:line up|match)|(?:null|missing|blank) (?:keys?|foreign keys?)', 1.0],
    ['(?:customer|account|card|merchant|buyer|seller|listing|order|category)_id (?:is )?(?:null|missing|blank|empty)', 0.9],
    ['(?:before|earlier than|predates?) (?:the )?(?:account|customer|card|listing|seller|buyer) (?:was )?(?:created|opened|existed)', 1.1],
    ['lookup (?:fails?|misses)|(?:dim|dimension) (?:table )?(?:is )?missing|(?:isn\'?t|is not|aren\'?t|are not|not) (?:in|found in) (?:the )?(?:dim_\\w+|dim\\b|dimension)', 0.9],
    ['(?:reference|references|referencing|point(?:s|ing)? (?:at|to)) (?:\\w+ ){0,2}(?:ids?|keys?|rows?) (?:that|which) (?:were|are|got|no longer|don\'?t|do not)', 1.0],
    ['hard[- ]deleted|(?:parent|dim) rows? (?:deleted|purged|missing)|(?:deleted|purged) (?:parents?|customers?|accounts?|listings?|sellers?|orders?)', 0.6],
    ['(?:join\\w*) (?:\\w+ ){1,2}(?:drops?|loses?|losing|lost|drops? rows)', 1.0],
    ['left join|inner join|anti[- ]join|join (?:on|key|condition)', 0.5],
    ['(?:dated |timestamped |occur\\w* )?(?:before|earlier than|prior to) (?:the )?(?:linked |parent |related )?(?:\\w+ ){0,3}(?:row |record )?(?:was |were )?(?:created|opened|activated|existed|signed up)', 1.2],
    ['(?:vanish|disappear|go missing|drop out|fall out)\\w* (?:when|after|in|on) (?:we |you )?(?:join|joining|the join)', 1.2],
    ['(?:\\w+_id) ?(?:=|is) ?null|null (?:\\w+_ids?|keys?)|unknown (?:merchant|customer|account|card|buyer|seller|listing|plan|category) (?:row|record|bucket|id)', 1.0],
    ['(?:not|isn\'?t|is not|aren\'?t) in (?:the )?(?:\\w+ )?(?:dim_\\w+|dimension|lookup|parent) ?(?:table)?|(?:carry|carries|have|has) an? (?:\\w+_id|id|key) that', 0.9],
  ]),
  freshness_ingest_lag: patterns([
    ['stale\\w*|fresh(?:ness)? (?:check|sla|alert|issue|test)|not fresh|data freshness', 1.2],
    ['(?:ingest\\w*|load\\w*|pipeline|etl|elt|sync|replication|data) (?:lag\\w*|delay\\w*|latency|behind|late)', 1.3],
    ['lag(?:ging)? (?:behind|by)|(?:hours?|hrs?|days?|\\d+ ?h) (?:behind|late|of lag|delay)', 1.1],
    ['(?:hasn\'?t|has not|didn\'?t|did not|never|not) (?:been )?(?:refresh\\w*|updated?|land\\w*|load\\w*|arriv\\w*|come in|run)', 1.0],
    ["(?:yesterday'?s|today'?s|this morning'?s|last night'?s) (?:data|numbers|load|partition|batch)", 0.8],
    ['loaded_at|max\\(loaded_at\\)|last (?:updated|refresh\\w*|load\\w*|sync\\w*)|as of \\d', 0.9],
    ['sla (?:miss\\w*|breach\\w*)|missed (?:the )?sla|late (?:data|arriving|load|partition|batch|rows)', 1.2],
    ['(?:dag|airflow|job|pipeline|load|sync|fivetran|batch|run) (?:is )?(?:stuck|delayed|failed|failing|slow|still running|timed out|hung)', 1.0],
    ['delay\\w*|latency|lag\\w*|behind', 0.35],
    ['did (?:the )?(?:overnight|nightly|daily|morning|hourly)? ?(?:load|job|run|refresh|sync|dag|pipeline|etl) (?:run|finish|fail|complete|land)', 1.0],
    ['(?:arrived|landed|came in|loaded|delivered) (?:\\w+ )?late|late again|(?:landed|arrived) at \\d', 1.0],
    ['still (?:show\\w*|on|at|has|have) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last week|last night|the \\d+)', 1.0],
    ['(?:overnight|nightly|daily|morning) (?:load|job|run|refresh|batch|sync)', 0.5],
    ['real[- ]?time|near real[- ]?time|intraday|hourly refresh|refresh (?:cadence|schedule)', 0.5],
    ['up[- ]to[- ]date|(?:not|never|wasn\'?t|weren\'?t) (?:been )?refreshed|data (?:from|as of) (?:\\w+ )?(?:days?|hours?) ago|through (?:last night|yesterday|today)', 0.9],
    ['(?:running|is|are|was|were) (?:~|about |around )?\\d+ ?(?:h|hrs?|hours?|min\\w*|days?) (?:behind|late|delayed)|replication (?:lag|is|delay)', 1.1],
    ['(?:fail|failed|broke|died|crashed) (?:overnight|last night|this morning)|something fail\\w* overnight', 0.8],
  ]),
  duplicates_dedup: patterns([
    [`(?:${DUP})`, 1.0],
    ['double[- ]?count\\w*|counted twice|count(?:ing)? (?:it |them )?twice|twice in|shows? up twice|appears? twice|two copies|same (?:txn|transaction|order|invoice|payment|row|record|id)\\w* (?:twice|more than once|again)', 1.3],
    ['(?:loaded|ingested|inserted|written|processed|replayed|sent) (?:twice|two times|again|more than once)', 1.1],
    ['(?:re-?processed|replay\\w*|re-?ingest\\w*|re-?delivered|at[- ]least[- ]once|idempoten\\w*)', 0.8],
    ['inflat\\w+ (?:counts?|numbers?|totals?|revenue|gmv|spend)|(?:counts?|numbers?|totals?) (?:are )?inflated', 0.9],
    ['count\\(distinct|row_number\\(\\)|qualify|distinct on|unique (?:key|constraint|test)|uniqueness', 0.7],
    ['(?:txn|transaction|order|invoice|payment)_id (?:is )?(?:not unique|repeated|repeats)', 1.2],
    ['repeated (?:rows?|records?|ids?|transactions?|orders?|invoices?)', 1.0],
    ['count\\w* (?:\\w+ ){1,2}twice|(?:exactly|almost|about|nearly|roughly) (?:double|2x|twice)|double (?:what|the) (?:i|we) (?:expect\\w*|see)', 1.0],
    ['re-?insert\\w*|inserted (?:\\w+ )?(?:again|a second time|twice)|a second time|more than once', 0.8],
    ['(?:recorded|booked|charged|shows? up|showing up|counted|paid|billed|logged|stored|written|wrote (?:the \\w+ )?again) twice|(?:wrote|written|sent|resent|loaded) (?:the )?(?:batch|file|rows|events) again|resent (?:a|the) (?:file|batch)', 1.1],
    ['overstated|over-?count\\w*|unique (?:test|check) on', 0.7],
    ['(?:row )?count(?:\\(\\*\\))? vs\\.? (?:count )?distinct|distinct (?:\\w+_id|ids?|keys?) vs|count distinct|(?:ids?|keys?|\\w+_id) (?:that )?(?:appear|occur|show up)', 1.2],
  ]),
  access_permissions_pii: patterns([
    ['(?:access|permissions?|perms|grants?) (?:to|on|for) (?:the )?(?:\\w+ )?(?:tables?|schemas?|datasets?|warehouse|dashboards?|explores?|models?|data|bucket|snowflake|bigquery|looker|dbt|prod|db|database|views?)', 1.3],
    ['permission denied|access denied|not authori[sz]ed|unauthori[sz]ed|insufficient privileges?|forbidden|\\b403\\b', 1.3],
    ['(?:read|write|select|admin) (?:access|permissions?|grants?|role)', 1.0],
    ['pii|personally identifiable|sensitive (?:data|fields?|columns?)|gdpr|ccpa|hipaa|data privacy|privacy review', 1.3],
    ['(?:un)?mask\\w*|(?:un)?redact\\w*|tokeni[sz]\\w*|pseudonymi[sz]\\w*|anonymi[sz]\\w*|hash(?:ed|ing)? (?:emails?|ssns?|names?|phone)', 1.0],
    ['row[- ]level security|column[- ]level security|rls|rbac|least privilege|service account|access (?:request|review|policy|control)', 1.1],
    ['(?:grant|revoke) (?:select|usage|access|role)', 1.2],
    ["(?:can'?t|cannot|unable to|can not) (?:see|query|access|open|view) (?:the )?(?:\\w+ )?(?:tables?|schemas?|datasets?|dashboards?|explores?|data|columns?)", 1.1],
    ['(?:ssn|social security|date of birth|dob|home address|phone numbers?|emails?) (?:exposed|visible|in (?:the )?(?:clear|logs?|export))', 1.2],
    ['permissions?|privileges?|entitlements?', 0.45],
    ['kyc (?:documents?|docs|files|images?)|legal names?|home addresses?|(?:personal|sensitive) (?:data|info\\w*|details)|dates? of birth|passport\\w*|government ids?|tax ids?|ssns?|email addresses', 1.1],
    ['(?:raw|full|unmasked|export\\w*|download\\w*|dump) (?:\\w+ ){0,2}(?:names?|addresses|phone numbers?|emails?|documents?|kyc|pii)', 0.8],
    ["(?:don'?t|do not|doesn'?t) have (?:the )?(?:right )?(?:permission|access|rights)|no (?:permission|access) (?:to|for)|(?:is|are|it'?s) restricted|access (?:will be |is |was )?revoked|revoke\\w*", 1.1],
    ['(?:add|added) (?:you|them|me|him|her) to (?:the )?[\\w-]+ (?:group|role)|(?:readers?|viewers?|admins?) group|roles? (?:can|that can|with access|allowed to) (?:read|see|query|access|view)', 1.0],
    ['bank (?:details|account numbers?)|(?:customer|user|buyer|seller) (?:names|addresses|emails|phone numbers)|card numbers|pan data|raw (?:access|customer)', 0.7],
  ]),
  new_field_schema_request: patterns([
    ['(?:add|adding|expose|exposing|surface|include|bring in|pull in) (?:a |an |the )?(?:new )?(?:column|field|attribute|dimension|flag|property)', 1.3],
    ['new (?:column|field|attribute|dimension|property|event property)s?', 1.1],
    ['(?:need|want|request\\w*|missing|lack\\w*|no) (?:a |an |the )?(?:column|field|attribute) (?:for|with|that|to)', 1.1],
    ['schema (?:change|migration|drift|update|evolution|request|gap)|(?:column|field) (?:was |got )?(?:renamed|dropped|removed|added)', 1.2],
    ['(?:can we|could we|can you|please) (?:add|track|capture|store|log)', 0.8],
    ['(?:isn\'?t|is not|not) (?:in|available in|exposed in) (?:the )?(?:model|schema|warehouse|table|explore|dataset)', 0.9],
    ['(?:written|writing|came through|coming through|landed|landing) (?:as )?(?:null|empty|blank)', 0.9],
    ['alter table|add column|data contract|schema registry|avro|protobuf', 0.8],
    ['is there an? (?:\\w+ ){0,4}(?:column|field|attribute|flag|dimension)|(?:do we|does it|does the \\w+) (?:have|store|track|capture) (?:an? |the )?(?:\\w+ ){0,3}(?:column|field|attribute)', 1.2],
    ['null (?:rate|share|ratio|percentage|pct|%)|(?:share|percentage|%) (?:of )?nulls?|nulls? by day|(?:went|became|turned|started coming in) (?:all )?null', 0.8],
    ['as a (?:new )?(?:column|field)|(?:only|just) lives in (?:the )?(?:app|backend|prod|source|raw)|(?:add|include) (?:the |a )?\\w+(?: \\w+){0,5} to (?:the )?\\w+ (?:table|model|schema|explore)', 0.9],
    ['(?:exposes?|exposing) (?:it|this|that|them)|once (?:eng|engineering|the backend) (?:exposes|adds|ships)', 0.6],
    ['backfill\\w* (?:the )?(?:column|field|data|history|values?)', 0.7],
    ['(?:is there|do we have|we have no|there is no|there\'s no) (?:a |an )?(?:field|column|attribute) (?:for|with|that)|(?:get|have|got) (?:it|this|that|them) added|no (?:field|column) for|(?:field|column) for (?:it|this|that)', 0.8],
    ['(?:captured|stored|logged|collected|available) (?:\\w+ ){0,3}(?:but|yet) (?:not|isn\'?t|there is no)', 0.6],
  ]),
  revenue_coverage_mapping: patterns([
    ['(?:revenue|interchange|fees?|gmv|subscriptions?|billing|invoices?) (?:is |are )?(?:not mapped|unmapped|missing|uncategori[sz]ed|unallocated|unattributed|not captured|not covered)', 1.4],
    ['unmapped|uncategori[sz]ed|unallocated|unclassified|mapping (?:table|gap|issue|file|missing)|missing mappings?', 1.1],
    ['(?:mcc|merchant category|category|sku|plan|product|gl|ledger|cost center|account) (?:mapping|codes? (?:are )?missing|lookup)', 1.1],
    ['revenue (?:coverage|leak\\w*|recognition|gap|attribution|by (?:category|merchant|segment|plan|sector))|coverage (?:of|gap)', 1.1],
    ["(?:doesn'?t|does not|don'?t|do not|won'?t) (?:tie|reconcile) (?:to|with|out)|(?:tie|tied|ties) out|reconcil\\w+ (?:to|with|against) (?:the )?(?:gl|ledger|finance|billing|stripe|bank|processor)", 0.9],
    ['(?:interchange|take rate|platform fees?|subscription revenue|net revenue|arr|mrr)', 0.55],
    ['(?:revenue|money|dollars|\\$\\d[\\d,.]*k?) (?:missing|gap|short|unaccounted)|falls? into (?:other|unknown)|(?:other|unknown) bucket', 1.0],
    ['(?:finance|accounting|fp&a|controller)', 0.3],
    ['no (?:sector|category|plan|segment|gl|product) (?:mapping|assigned|code)|(?:assigns?|assigned|attributes?|puts?) (?:\\w+ ){0,4}(?:revenue )?to no (?:sector|category|segment)|(?:revenue|interchange|fees?) split|out of the (?:rollup|revenue|total)', 1.1],
    ['(?:without|with no|missing a|has no|have no) (?:a )?parent (?:category|mapping)|(?:new|unknown) (?:sub)?categor(?:y|ies) (?:without|with no|not mapped)|extend the mapping|(?:sector|category) mapping', 1.0],
  ]),
  attribution_funnel_gaps: patterns([
    ['attribut\\w+', 1.0],
    ['funnel\\w*', 1.1],
    ['utm\\w*|campaign (?:ids?|source|data|tags?|tracking)|referr\\w+ (?:source|data|code|channel)|first[- ]touch|last[- ]touch|multi[- ]touch', 1.3],
    ['campaigns?|utms?|ad (?:spend|clicks?|source)|paid social|affiliates?', 0.8],
    ['conversion (?:rate|event|tracking|path|window)|convert\\w* (?:from|to) (?:signup|sign-up|trial|paid|premium|purchase|checkout)', 1.1],
    ['drop[- ]?offs?|fall[- ]?off (?:between|from|at)|abandon\\w*|checkout (?:steps?|flow|events?)', 1.0],
    ['(?:signup|sign-up|onboarding|activation|checkout|trial|acquisition) (?:to|->|→) \\w+|(?:signup|onboarding|activation) (?:flow|rate|steps?|events?)', 1.0],
    ['(?:tracking|analytics|segment|amplitude|mixpanel|pixel|sdk) (?:events? )?(?:missing|broken|gaps?|dropped|not firing)|events? (?:not firing|missing|dropped)', 1.1],
    ['(?:marketing|paid|organic) (?:channel|spend|source|campaign)s?|cac|roas|ltv|cohort\\w*', 0.7],
    ['sessions?|click[- ]?through|ctr|impressions?', 0.35],
    ['referr\\w+|acquisition (?:report|channel|source|data)|(?:campaigns?|prompts?|emails?|ads?|channels?) (?:drive|drove|bring|brought|led to)|what (?:drove|drives|brought)', 0.9],
    ['(?:stopped|isn\'?t|is not|not|never) (?:being )?(?:firing|tracked|tracking|captured)|tracking (?:is )?(?:broken|missing)', 0.9],
    ["(?:can'?t|cannot|unable to) (?:connect|tie|link) (?:the |an? )?(?:\\w+ ){0,2}to (?:anything|a campaign|the campaign|marketing|a channel|a source)|where (?:do|did) (?:\\w+ ){0,3}come from", 0.9],
  ]),
};

/** Words that put a message in data territory at all (tools, objects, verbs of analysis). */
export const DATA_SENSE = patterns([
  ['tables?|columns?|rows?|records?|schemas?|fields?|datasets?|views?', 0.45],
  ['(?:sql|query|queries|select|warehouse|dwh|snowflake|bigquery|redshift|duckdb|postgres)', 0.6],
  ['dbt|looker|tableau|metabase|airflow|dag|fivetran|etl|elt|pipeline (?:run|job|failed|is)|data pipeline|lineage', 0.6],
  ['dashboards?|reports?|explores?|kpis?|metrics?', 0.4],
  ['fact_\\w+|dim_\\w+|snapshot_\\w+|\\w+_id\\b|\\w+_at\\b|\\w+_cents\\b', 0.8],
  ['(?:the )?data (?:team|issue|quality|problem|model|is|looks|for)|data quality|dq (?:check|test|alert)', 0.6],
  ['transactions?|invoices?|orders?|payments?|listings?|merchants?|interchange|gmv|revenue|spend', 0.25],
]);

/**
 * Non-data senses of data words ("hard negatives"): meetings, calendars, buildings, hiring, food.
 * Each match is evidence that a data-sounding word is used in everyday sense.
 */
export const TRAP_SENSE = patterns([
  ['join (?:the|our|a|us|me|this|today\'?s|tomorrow\'?s)? ?(?:call|meeting|zoom|meet|huddle|standup|stand-up|sync|bridge|hangout|webinar|session|team|lunch|offsite|channel|fun|party|celebration|retro|demo)', 1.4],
  ['(?:duplicate|double|dupe|repeated|two) (?:invites?|calendar \\w+|meeting (?:invites?|requests?)|bookings?|reservations?|emails?|reminders?|notifications?|events? on (?:my|the) calendar)', 1.4],
  ['(?:office|building|door|badge|floor|parking|garage|gym|wifi|wi-fi|vpn|laptop|printer|kitchen|front desk|elevator|visitor|guest|keycard|key card) (?:access|badges?|pass(?:es)?|permits?|keys?|codes?|passwords?)', 1.5],
  ['access (?:badges?|cards?|to the (?:office|building|floor|gym|kitchen|parking|lounge|garage))|badge (?:reader|access|isn\'?t working)', 1.5],
  ['(?:coffee|fruit|bagels?|snacks?|pizza|donuts?|lunch|food|flowers|paint|air) (?:is |are )?(?:fresh|stale|late|delayed)|fresh (?:coffee|fruit|bagels?|pizza|snacks?|batch of|start|eyes|pair of eyes)', 1.4],
  ['(?:audio|video|zoom|wifi|wi-fi|connection|internet|mic|screen ?share|call|vpn)(?: \\w+)? (?:is |are )?(?:super |so |really |very |a bit |kind of )?(?:lag\\w*|delay\\w*|choppy|frozen|dropping|dropped|laggy)|lag(?:gy)? (?:on|in) (?:the )?(?:call|zoom|video)|jet ?lag', 1.4],
  ['(?:sales|hiring|recruiting|candidate|deal|talent) pipeline|pipeline (?:review|of candidates|of deals)', 1.3],
  ['backfill\\w* (?:the |a |her |his |their |\\w+\'s )?(?:role|position|headcount|req|seat|opening|job)', 1.5],
  ['(?:lunch|dinner|ping[- ]?pong|pool|conference|picnic|round) table|table (?:tennis|for \\d|reservation|at the restaurant)|book(?:ed)? a table', 1.5],
  ['(?:expense|travel|pto|vacation|time[- ]off|swag|offsite|party|parking) (?:reports?|requests?|approvals?|budgets?)', 1.0],
  ['(?:wi-?fi|guest|network|vpn|laptop|printer) (?:access|password|permissions?)|(?:access|permission) (?:to|for) (?:the )?(?:wi-?fi|guest network|printer|kitchen|lounge|rooftop)', 1.4],
  ['calendar (?:invites?|holds?|events?)|invites?|rsvp|agenda|reschedul\\w*', 0.5],
  ['(?:key|keys) (?:to|for) (?:the )?(?:office|door|room|car|locker|cabinet)|keynote|key takeaways?|key ?card', 1.2],
  ['(?:attribut\\w+|credit) (?:the )?(?:quote|photo|image|slide|design|idea)|photo credits?', 1.2],
  ['(?:quick|weekly|daily|our|a|the|team|monthly) (?:sync|catch[- ]up)s?\\b|1:1s?|one[- ]on[- ]ones?|coffee chats?', 0.5],
  ['(?:merge|merged) (?:the )?(?:slides?|decks?|docs?|teams?|calendars?)|schema of the (?:deck|doc)|column in the (?:newsletter|paper|blog)', 1.2],
]);

/** Resolution language for the met/unmet heuristic (SPEC §7.3). */
export const RESOLVED = patterns([
  ['fixed|fix (?:is )?(?:deployed|merged|shipped|live|out|in)|hotfix(?:ed)? (?:deployed|merged|shipped|out)', 1.0],
  ['merged|shipped|deployed|released|rolled out|went live|is live now', 0.9],
  ['resolved|resolving this|closing (?:this|the ticket|out)|closed (?:the|this) (?:ticket|issue)|marking (?:this )?(?:as )?(?:done|resolved)', 1.0],
  ['backfill(?:ed)? (?:is )?(?:done|complete\\w*|finished)|backfilled|re-?ran (?:the )?(?:job|dag|model)|rerun (?:is )?(?:done|complete)', 0.9],
  ['(?:looks|all) good now|working now|numbers? (?:match|tie) now|should be (?:good|fixed|resolved) now|confirmed (?:fixed|working)|thanks?,? (?:that )?(?:fixed|worked|did it)', 0.9],
  ['access (?:granted|added|provisioned)|granted (?:you )?(?:access|select)|added you to', 0.9],
  ['(?:pr|pull request) (?:is )?(?:merged|landed)|landed (?:the|a) (?:fix|change|pr)', 1.0],
]);

export const UNRESOLVED = patterns([
  ['still (?:broken|failing|missing|seeing|wrong|off|stale|behind|happening|no)|any update|bump(?:ing)?|\\+1|same here|also seeing|no (?:fix|eta|owner|update) yet|not fixed', 0.8],
  ['(?:reopen\\w*|regress\\w*|broke again|back again|happening again)', 0.9],
]);

/** Link domains that signal a data tool (prefilter structure, met/unmet closure). */
export const DATA_TOOL_DOMAINS = ['dbt.example', 'looker.example', 'github.example', 'jira.example', 'docs.example', 'wiki.example', 'status.example'];
export const CLOSURE_DOMAINS = ['dbt.example', 'looker.example'];
