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
    ["(?:changed|switched|updated|tweaked|rewrote) the (?:formula|denominator|numerator|definition|logic|calc\\w*|filter|methodology)|(?:formula|denominator|numerator)s?\\b|\\d+(?:\\.\\d+)?%? apart|(?:includes?|excludes?|counts?) (?:\\w+[- ]){0,3}(?:contracts?|trials?|refunds?|renewals?|churned|paused|test accounts?|internal (?:users|accounts))", 1.0],
    // Asking what a metric means, and two money measures set side by side.
    ["what (?:does|do|is|are) (?:'|\")?[\\w -]{2,30}(?:'|\")? (?:actually |really |even |exactly )?mean|(?:meaning|definition) of\\b|how (?:is|are|do we|does \\w+) (?:\\w+ ){1,3}(?:defined|calculated|measured|computed|define|calculate|measure|compute)|tooltip", 1.1],
    ['(?:tcv|acv|arr|mrr|gmv|nrr|ndr|bookings|billings|gross|net|gaap|non-gaap) (?:vs\\.?|versus|or|and) (?:tcv|acv|arr|mrr|gmv|nrr|ndr|bookings|billings|gross|net|revenue|gaap|non-gaap)\\b|miles apart|far apart|(?:not|nowhere) (?:even )?close|way off', 1.0],
    // What is in or out of a metric, and one number quoted higher elsewhere.
    ["(?:leaves?|left|leaving) out|(?:are|is|were) (?:we|they|you|it) (?:still )?count(?:ing)? (?:\\w+ ){1,3}as\\b|count(?:s|ed|ing)? (?:\\w+ ){1,3}as (?:a |an )?(?:customers?|users?|actives?|churn\\w*|revenue|new|paying|signups?|conversions?)|with and without|incl(?:uding|\\.)? and excl(?:uding|\\.)?|(?:higher|lower|bigger|smaller|different) (?:number|figure|total|count) than|(?:agree|decide|align) (?:on )?(?:which|what|how) (?:\\w+ ){0,2}(?:count|go|sit|belong|goes|costs?)", 1.0],
    ['gross margin|contribution margin|p&l|ebitda|opex', 0.3],
    // Two sources quoting two values for one thing, or asking what separates two similar measures.
    ["(?:\\w+ ){1,2}(?:says|shows|reports|has it at|has) ~?\\$?\\d[\\d.,]*[km%]?(?: \\w+)?,? (?:and |but |while |whereas )?(?:\\w+ ){1,2}(?:says|shows|reports|has it at|has) ~?\\$?\\d|(?:difference|diff) between (?:\\w+ ){1,2}and (?:\\w+ ){1,2}(?:in|on|for) (?:our|the) (?:reports?|dashboards?|metrics?|numbers)", 1.0],
    ["(?:metric|kpi|measure)s? (?:definition|logic|calc\\w*)", 1.2],
    ['definition of (?:an? )?(?:active|churn\\w*|mau|dau|wau|retained|new|gmv|revenue|customer|user|conversion|aov)', 1.2],
    ['(?:how|which way) (?:do|does|should) (?:we|finance|product|they) (?:define|count|calculate|compute)', 1.1],
    ["(?:don'?t|doesn'?t|do not|does not|won'?t|never|dont|doesnt) (?:match|tie|agree|line up|reconcile|add up)", 0.9],
    ['(?:numbers?|counts?|figures?|totals?|metrics?|kpis?) (?:differ\\w*|disagree\\w*|(?:are|is) (?:off|different|inconsistent))', 1.0],
    ['discrepanc\\w+|mismatch\\w*|inconsisten\\w+', 0.7],
    // "by open date vs first transaction date": the same kind of thing counted two ways.
    ['by (?:\\w+ ){0,2}(\\w+) (?:vs\\.?|versus) (?:by )?(?:\\w+ ){0,2}\\1', 1.1],
    ["different meaning|(?:\\d[\\d.,]*k?|much|way|a lot) (?:more|less|fewer|higher|lower) than (?:what )?(?:\\w+ ){0,2}(?:told|said|showed|reported|says|shows)|counted by \\w+(?: \\w+)? (?:vs\\.?|versus)|(?:by|using) \\w+ (?:vs\\.?|versus) (?:by|using)|counts (?:every|all|only)(?= )", 1.0],
    ["(?:product|finance|marketing|ops|sales|growth|risk)(?:'s|s')? '?(?:gmv|revenue|aov|churn|conversion|retention|actives?|take rate|mau|dau)'? (?:includes?|excludes?|counts?|is)|with (?:\\w+ ){1,2}(?:vs\\.?|versus) without|the \\d+(?:\\.\\d+)?% gap", 1.0],
    ['(?:documented|agreed|single|one|consistent|standard) (?:\\w+ )?(?:calculation|formula|methodology)|glossary|different answers|(?:pick|choose) one (?:definition|number|version)?', 1.0],
    ["(?:does ?n[o']t|don'?t|do not) match (?:the one|what|the number|the figure)|(?:vs\\.?|versus) (?:with )?(?:a |an )?\\w+ in (?:\\d+|the last)", 0.8],
    ['(?:calc|calculation|logic|formula|definition|filter)s? (?:changed|differs?|was changed|got changed)|(?:old|new|previous) (?:calc|calculation|logic|formula|definition|version)(?= )|what (?:counts|qualifies) as|(?:own|their own|each team\'?s?) definition', 1.1],
    ['(?:incl|excl)\\.? (?:refunds|cancel\\w*|test|fees|tax\\w*|shipping|internal|frozen|reversals?)|(?:seems|looks|is) off (?:vs\\.?|versus|compared (?:to|with))|which number to (?:put|use|quote|report)', 1.0],
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
    ['apples to apples|off by \\d\\w*|higher than|lower than|vs\\.? (?:finance|looker|the dashboard)', 0.35],
    ['(?:in|on|from) (?:looker|tableau|the dashboard|the explore|the report) (?:vs\\.?|versus|and|compared (?:to|with)) (?:the )?(?:\\w+ )?(?:pack|report|dashboard|deck|finance|email|sheet)', 0.8],
    ['(?:looker|dashboard|tableau|report) (?:says|shows|has)', 0.35],
    ['churn (?:rate|definition|number)|retention (?:rate|number|definition)|aov|average order value|take rate (?:definition|calc\\w*)', 0.4],
    ['gross vs\\.? net|net vs\\.? gross|rolling (?:7|28|30)|calendar vs rolling|timezone (?:cutoff|boundary)|utc vs local', 0.6],
    ['trailing \\d+ ?d(?:ays?)?|calendar (?:month|week)|rolling \\d+ ?d(?:ays?)?', 0.7],
  ]),
  join_keys_orphans: patterns([
    ["(?:\\w+_ids?|ids?|keys?|codes?) (?:\\w+ ){0,3}(?:don't|do not|doesn't|does not) (?:have|exist|appear) (?:\\w+ ){0,2}in (?:the )?(?:\\w+ )?(?:dim|dimension|table|lookup)|\\w+_ids? (?:is |are )?(?:missing|absent) from|with (?:an? )?(?:unknown|invalid|nonexistent) \\w+", 1.2],
    ["match(?:es|ed)? no (?:\\w+ )?(?:record|row|customer|account|user|order|product|entry)s?\\b|(?:matches|matched|match) nothing|(?:ids?|keys?) (?:that )?(?:got|were|was) (?:regenerated|reassigned|re-?keyed|recycled|changed)", 1.1],
    ["(?:don't|do not|doesn't|does not) (?:line up|match|map|join) (?:up )?(?:with|to) (?:anything|any \\w+|a single \\w+)|nothing to join on|(?:can't|cannot|couldn't|could not|can not) (?:be )?(?:tie|tied|link|linked|match|matched|join|joined|map|mapped) (?:\\w+ ){0,3}(?:back )?to (?:a|an|any|the)\\b|tie (?:\\w+ ){1,3}back to", 1.2],
    ["\\bids? (?:\\w+ ){0,2}(?:that|which) (?:isn't|is not|aren't|are not|doesn't|does not|don't|do not) (?:exist |show up |appear )?(?:anywhere )?in\\b|(?:codes?|ids?|keys?) (?:\\w+ ){0,2}(?:missing|absent) from (?:the )?\\w+|soft[- ]deletes?", 1.1],
    ["(?:isn't|is not|aren't|are not|not) in (?:the )?(?:\\w+ )?(?:dim|dims|dimension table|master (?:table|list|data))\\b", 1.1],
    // dbt's referential test, and records that never get a parent row ("guest checkouts never get a customer record").
    ['relationships? tests?|referential (?:test|check|constraint)s?|(?:with|has|have|had|got|get|finds?|found) no match(?:es)?\\b|no match(?:es)? (?:in|on|for|against|to)\\b|(?:unknown|default|placeholder) member', 1.1],
    ["\\w+_id (?:\\w+ )?(?:isn't|aren't|is not|are not|not|never) (?:in|found in|present in|loaded (?:in)?to) (?:the )?\\w+|never (?:get|gets|got|have|has) an? (?:\\w+ )?(?:record|row|entry|match)", 1.1],
    ["(?:ids?|keys?|accounts?|customers?|records?) (?:\\w+ )?(?:don't|do not|doesn't|does not|can't|cannot|won't) (?:map|join|link|resolve)|(?:the )?join (?:\\w+ ){0,2}(?:to|is|goes|falls back to) null|mapping table (?:doesn't|does not|don't) have", 1.0],
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
    ["(?:belong to|belongs to|reference|references|point to|points to) (?:\\w+ ){0,2}(?:that|which) (?:aren'?t|are not|isn'?t|is not|no longer|don'?t|do not) (?:in|exist in|present in) (?:fact_|dim_)\\w+|that (?:aren'?t|are not|isn'?t|is not) in (?:fact|dim)_\\w+", 1.2],
    ["ids? (?:\\w+ ){0,4}(?:aren'?t|are not|isn'?t|is not|not) in (?:the )?\\w+ (?:table|dim|dimension)", 1.2],
    ['(?:reference|references|referencing|carry|carries|have|has) (?:a|an) \\w+_id (?:that|which) (?:was|were|is|are) (?:never|not) (?:loaded|in|present|created|found)|(?:undercount\\w*|drop\\w*|lose|loses) (?:\\w+ ){0,4}by (?:account|customer|merchant|seller|buyer|card|listing) (?:type|status|country|segment)', 1.3],
    ["(?:link|links|linked|point|points|pointing|refer|refers) to (?:a |an |the )?(?:\\w+ ){0,2}(?:row|record|id|entry)s? (?:that|which) (?:doesn'?t|does not|don'?t|do not|no longer) exist|never (?:synced|loaded|made it) (?:in)?to (?:the )?dim_\\w+", 1.2],
    ["(?:no|without|missing) (?:a |an |the )?(?:\\w+_id|(?:seller|customer|account|merchant|card|buyer|listing|order|plan|category) ids?)\\b|group(?:s|ed)? (?:all )?under (?:null|unknown)|(?:shows?|as) '?null'?(?: as| seller| customer| merchant)", 1.1],
    ['whose (?:seller|customer|account|card|merchant|buyer|listing|order|parent|owner|user)s? (?:is|are|was|were|got) (?:missing|null|unknown|gone|deleted|removed|purged)|with (?:a |an )?(?:missing|unknown|deleted|nonexistent) (?:merchant|customer|account|card|listing|seller|buyer|order|parent)', 1.1],
    ["(?:can'?t|cannot|can not|couldn'?t|could not) be (?:matched|joined|linked|found) (?:back )?to (?:a|an|any|the|its)|(?:has|have|with) no (?:matching |corresponding )?(?:row|record|entry) in (?:the )?|silently (?:drop|drops|dropped|lose|loses|lost)", 1.2],
    ['(?:dated |timestamped |occur\\w* )?(?:before|earlier than|prior to) (?:the )?(?:linked |parent |related )?(?:\\w+ ){0,3}(?:row |record )?(?:was |were )?(?:created|opened|activated|existed|signed up)', 1.2],
    ['(?:vanish|disappear|go missing|drop out|fall out)\\w* (?:when|after|in|on) (?:we |you )?(?:join|joining|the join)', 1.2],
    ['(?:\\w+_id) ?(?:=|is) ?null|null (?:\\w+_ids?|keys?)|unknown (?:merchant|customer|account|card|buyer|seller|listing|plan|category) (?:row|record|bucket|id)', 1.0],
    ['(?:not|isn\'?t|is not|aren\'?t) in (?:the )?(?:\\w+ )?(?:dim_\\w+|dimension|lookup|parent) ?(?:table)?|(?:carry|carries|have|has) an? (?:\\w+_id|id|key) that', 0.9],
  ]),
  freshness_ingest_lag: patterns([
    ["(?:pipeline|job|dag|sync|connector|loader|etl|feed|stream|consumer|ingest\\w*)s? (?:die|died|dead|crash\\w*|broke|break|fall over|fell over)|nothing (?:after|since|past) \\d|(?:stops|stopped|ends|ended) at (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|\\d)|(?:live|real[- ]?time) or (?:daily|weekly|hourly|batch|nightly)|(?:latest|newest|max|most recent|last) (?:\\w+ ){0,2}(?:date|event time|timestamp|load)\\b|\\b(?:date|timestamp) latest", 1.1],
    ["how (?:old|stale|fresh|recent|current|up to date) (?:is|are)\\b|(?:tiles?|dashboards?|numbers|charts?|reports?) (?:are |is )?frozen (?:at|since)|last loaded", 1.1],
    // Data from earlier than the reader needs.
    ["(?:numbers?|data|figures?|reports?|dashboards?|counts?|inventory) (?:\\w+ ){0,5}(?:are|is|were|was) (?:only )?from (?:this morning|yesterday|last (?:night|week|month)|\\d+ (?:hours?|days?) ago)|still (?:has|have|shows?|showing|on) last (?:month|week|year|quarter)(?:'s)?|closer to (?:live|real[- ]?time)|(?:timestamp|loaded_at|updated_at|last_updated) (?:latest|newest|max)|(?:latest|newest|max) (?:\\w+ ){0,2}timestamp", 1.1],
    ["(?:latest|newest|most recent|max|last) (?:\\w+ ){0,2}\\w+_(?:at|ts|time|timestamp|date)\\b|(?:haven't|hasn't|have not|has not|didn't|did not) (?:budged|moved|changed|ticked)|stuck on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday)", 1.0],
    // The warehouse or the loader being down means nothing new arrives.
    ['(?:warehouse|snowflake|bigquery|redshift|pipeline|etl|dag|dbt (?:run|job|cloud)|fivetran|airflow|connector|ingest\\w*|loader|replication)s? (?:went|is|was|has been|are) (?:down|offline|out|broken)|(?:warehouse|pipeline|etl|ingest\\w*|connector|data) outage', 1.0],
    // The newest timestamp of a table, asked in any spelling.
    ['max\\(\\s*\\w*(?:_ts|_at|time\\w*|timestamp|date)\\s*\\)|(?:hours?|days?|minutes?|how far) behind|(?:task|job|dag|sync|connector|pipeline|refresh) (?:\\w+ )?(?:got |was |is )?(?:suspended|paused|disabled|skipped)', 1.0],
    ['stale\\w*|fresh(?:ness)? (?:check|sla|alert|issue|test)|not fresh|data freshness', 1.2],
    ['(?:ingest\\w*|load\\w*|pipeline|etl|elt|sync|replication|data) (?:lag\\w*|delay\\w*|latency|behind|late)', 1.3],
    ['lag(?:ging)? (?:behind|by)|(?:hours?|hrs?|days?|\\d+ ?h) (?:behind|late|of lag|delay)', 1.1],
    ['(?:hasn\'?t|has not|didn\'?t|did not|never|not) (?:been )?(?:refresh\\w*|updated?|land\\w*|load\\w*|arriv\\w*|come in|run)', 1.0],
    ["(?:yesterday'?s|today'?s|this morning'?s|last night'?s) (?:data|numbers|load|partition|batch)", 0.8],
    ['loaded_at|max\\(loaded_at\\)|last (?:updated|refresh\\w*|load\\w*|sync\\w*)|as of \\d\\w*', 0.9],
    ['sla (?:miss\\w*|breach\\w*)|missed (?:the )?sla|late (?:data|arriving|load|partition|batch|rows)', 1.2],
    ['(?:dag|airflow|job|pipeline|load|sync|fivetran|batch|run) (?:is )?(?:stuck|delayed|failed|failing|slow|still running|timed out|hung)', 1.0],
    ['delay\\w*|latency|lag\\w*|behind', 0.35],
    ['did (?:the )?(?:overnight|nightly|daily|morning|hourly)? ?(?:load|job|run|refresh|sync|dag|pipeline|etl) (?:run|finish|fail|complete|land)', 1.0],
    ['(?:arrived|landed|came in|loaded|delivered) (?:\\w+ )?late|late again|(?:landed|arrived) at \\d\\w*', 1.0],
    ['still (?:show\\w*|on|at|has|have) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last week|last night|the \\d\\w*)', 1.0],
    ['(?:overnight|nightly|daily|morning) (?:load|job|run|refresh|batch|sync)', 0.5],
    ['(?:dag|airflow|job|pipeline|load|sync|export|feed|connector|batch|run) (?:has been|had been|was|keeps|kept) (?:stuck|delayed|failing|hanging|down|paused|stalled)|(?:showing|shows|still on|stuck on|frozen on|from) last (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week)', 1.1],
    ["(?:in|landed|loaded|there|available|arrived|through) yet|(?:aren'?t|are not|isn'?t|is not) (?:in|landed|loaded|there|available) yet|still (?:aren'?t|are not|isn'?t|is not|not) in", 1.0],
    ["(?:look|looks|looking|seem|seems) frozen|are we live|not live|(?:job|load|dag|pipeline|sync|export|feed) (?:has been |is |keeps |kept )?failing", 1.0],
    ['nothing new (?:in|on|for|since)|no new (?:rows|data|records|events|transactions|orders)|(?:it|it\'s|it is|job|pipeline|load|connector|sync|dag|replication) (?:is )?catching up|catch(?:ing)? up on the backlog|connector (?:is )?(?:down|failing|failed|paused|broken)|rate[- ]limit\\w*|max(?:imum)? (?:event[_ ]time|loaded[_ ]at|timestamp|ts)|(?:latest|newest) (?:event|timestamp|load)', 0.9],
    ['when (?:was|did|were) (?:\\w+ ){0,3}last (?:load\\w*|updat\\w*|refresh\\w*|get|got|receiv\\w*|sync\\w*|run)|last (?:got|get|received|had) (?:new |any )?(?:rows|data|records|events)|(?:newest|latest|most recent) (?:row|record|event|load|partition)', 1.0],
    ['real[- ]?time|near real[- ]?time|intraday|hourly refresh|refresh (?:cadence|schedule)', 0.5],
    ['(?:only )?(?:has|have|shows?|showing) data (?:through|up to|until|till|as of)(?= )|data (?:only )?(?:goes|runs) (?:through|up to|until)|(?:batch|job|load|run|dag|scheduler) (?:didn\'?t|did not|never) (?:kick off|start|run|trigger|fire)|scheduler (?:was |is )?(?:paused|down|stopped)', 1.2],
    ['up[- ]to[- ]date|(?:not|never|wasn\'?t|weren\'?t) (?:been )?refreshed|data (?:from|as of) (?:\\w+ )?(?:days?|hours?) ago|through (?:last night|yesterday|today)', 0.9],
    ['(?:running|is|are|was|were) (?:~|about |around )?\\d+ ?(?:h|hrs?|hours?|min\\w*|days?) (?:behind|late|delayed)|replication (?:lag|is|delay)', 1.1],
    ['(?:fail|failed|broke|died|crashed) (?:overnight|last night|this morning)|something fail\\w* overnight', 0.8],
  ]),
  duplicates_dedup: patterns([
    ["(?:under|with|has|have) (?:two|2|multiple|several|different) (?:ids|accounts|records|profiles|user ids)|inflated by|more than one (?:id|account|profile|user id|customer id)|(?:2|two|3|three|multiple) (?:\\w+ )?(?:on|in|at|for) the same (?:day|date|second|minute|time|timestamp)|(?:re-?run|rerun|retry) (?:\\w+ ){0,2}inserted|instead of (?:upsert\\w*|merg\\w*)", 1.1],
    ["(?:counted|ingested|loaded|tracked|recorded|logged|stored) (?:\\w+ )?(?:from|in|by|via) both|(?:not|never|aren't|isn't) (?:being )?de-?dup\\w*", 1.0],
    ["same (?:\\w+ ){0,3}(?:like |about |around |roughly )?(?:\\d+|two|three|four|five|several|multiple) times|(?:\\d+|two|three|four|multiple|several) times (?:for|in|per|under)\\b|(?:re-?sends?|re-?exports?|re-?sent) the (?:whole|entire|full) (?:history|file|table|list)|(?:slightly )?different (?:names|spellings)|similar (?:\\w+ )?(?:names|emails|addresses)|fuzzy (?:match\\w*|dup\\w*)|having count\\s*(?:\\(\\s*\\*?\\s*\\))?\\s*>\\s*1|key on (?:the )?\\w+", 1.0],
    ['(?:with|having|share|sharing|have|has) (?:the )?same (?:\\w+ ){0,2}(?:number|id|ids|amount|email|key|name|timestamp)s?\\b|(?:appear|appears|show up|shows up|listed|present) (?:twice|two times|more than once)|(?:have|has|with) (?:two|2|multiple|several) rows', 1.0],
    // Counts that doubled, stored again by a retry or a reprocessing run.
    ['(?:count|total|number|numbers|rows?|revenue|sum)s? (?:is |are |looks? |got |has |have )?(?:doubled|tripled|2x|3x)\\b|(?:stored|saved|recorded|inserted|loaded|written) (?:\\w+ ){0,3}(?:2|two|3|three|2-3|multiple|several) times|in there twice', 1.1],
    [`(?:${DUP})`, 1.0],
    ['double[- ]?count\\w*|counted twice|count(?:ing)? (?:it |them )?twice|twice in|shows? up twice|appears? twice|two copies|same (?:txn|transaction|order|invoice|payment|row|record|id)\\w* (?:twice|more than once|again)', 1.3],
    ['(?:loaded|ingested|inserted|written|processed|replayed|sent) (?:twice|two times|again|more than once)', 1.1],
    ['(?:re-?processed|replay\\w*|re-?ingest\\w*|re-?delivered|at[- ]least[- ]once|idempoten\\w*)', 0.8],
    ['inflat\\w+ (?:counts?|numbers?|totals?|revenue|gmv|spend)|(?:counts?|numbers?|totals?) (?:are )?inflated', 0.9],
    ['count\\(distinct|row_number\\(\\)|qualify|distinct on|unique (?:key|constraint|test)|uniqueness', 0.7],
    ['(?:txn|transaction|order|invoice|payment)_id (?:is )?(?:not unique|repeated|repeats)', 1.2],
    ['repeated (?:rows?|records?|ids?|transactions?|orders?|invoices?)', 1.0],
    ['having count\\(\\*\\) ?> ?1|(?:should be|expected|supposed to be) (?:exactly )?(?:1|one) (?:row )?per \\w+|same \\w+_id with (?:a |an )?(?:newer|later|different|second) (?:loaded_at|load|timestamp)', 1.2],
    ['(?:2|two|3|three|multiple|several) (?:rows|records|copies|entries|lines) (?:for|per)(?= )|more than one (?:row|record|entry|line)|(?:ids?|keys?) with (?:more than one|multiple) (?:rows?|records?)', 1.2],
    ['count\\w* (?:\\w+ ){1,2}twice|(?:exactly|almost|about|nearly|roughly) (?:double|2x|twice)|double (?:what|the) (?:i|we) (?:expect\\w*|see)', 1.0],
    ['re-?insert\\w*|inserted (?:\\w+ )?(?:again|a second time|twice)|a second time|more than once', 0.8],
    ['(?:recorded|booked|charged|shows? up|showing up|counted|paid|billed|logged|stored|written|wrote (?:the \\w+ )?again) twice|(?:wrote|written|sent|resent|loaded) (?:the )?(?:batch|file|rows|events) again|resent (?:a|the) (?:file|batch)', 1.1],
    ['overstated|over-?count\\w*|unique (?:test|check) on', 0.7],
    ['(?:row )?count(?:\\(\\*\\))? vs\\.? (?:count )?distinct|distinct (?:\\w+_id|ids?|keys?) vs|count distinct|(?:ids?|keys?|\\w+_id) (?:that )?(?:appear|occur|show up)', 1.2],
  ]),
  access_permissions_pii: patterns([
    ["(?:can't|cannot|can not|couldn't) (?:i|we|you|they) (?:see|query|access|open|view|load|get into)|(?:locked|kicked) out of (?:the )?(?:\\w+ )?(?:explore|dashboard|looker|snowflake|schema|table|workspace)|what role (?:do|should|can|would)", 1.1],
    ["(?:are|is|am) (?:we|i|they|you) (?:allowed|permitted|ok|okay|able) to (?:share|send|export|give|use|hand)|contact (?:details|info\\w*)|(?:shareable|share \\w+(?: \\w+)?) with (?:a |the |our )?(?:partners?|vendors?|third[- ]part\\w+|agenc\\w+|clients?)|third[- ]part(?:y|ies)", 1.1],
    ['who (?:can|could|is able to|has (?:access to|permission to)) (?:see|view|access|query|read|open)|anyone with the link|publicly (?:shared|accessible|visible)|salar(?:y|ies)|compensation data|payroll', 1.0],
    ["(?:looker|tableau|snowflake|dbt|warehouse|bigquery|redshift|metabase|mode|sigma|power ?bi|databricks|dashboard|explore) (?:access|seat|login|account|license)|(?:customer|user|personally)[- ]identif(?:ying|iable)|identifiable|(?:should not|shouldn't|must not|mustn't|can't be allowed to|not allowed to) (?:be able to )?(?:see|view|access|query)", 1.1],
    ['(?:edit|view|viewer|editor|admin|developer) (?:rights|seat|license)\\b|(?:rights|seat|license) (?:to|on|for) (?:the )?(?:\\w+ )?(?:workspace|folder|project|explore|space|schema|dashboard)', 1.0],
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
    ['lock (?:that|this|it|them) down|(?:is|are) public to (?:the )?(?:whole|entire|all)|real (?:customer |buyer |user )?(?:emails|names|addresses|phone numbers|customer data)', 1.0],
    ['(?:only )?(?:the )?last (?:4|four) (?:digits )?of|full (?:card |account |bank )?numbers? (?:is|are) (?:visible|shown|exposed)|bank accounts?|(?:is|are) visible to (?:everyone|all|anyone)', 1.0],
    ['(?:pasted|posted|shared|leaked|exposed|dumped|uploaded) (?:a |the )?(?:csv|file|sheet|spreadsheet|export|screenshot|list) (?:with|of|containing|that has)|(?:customer|user|buyer|seller) (?:emails|contact data|contact details|contact info)', 1.0],
    ['(?:give|grant|get) (?:me|us|him|her|them) (?:read|write|select|edit|admin)|(?:with|has|have|having) (?:read|write|select|admin) (?:access )?(?:on|to)|(?:read|write|select) (?:on|to) (?:the )?\\w+ (?:schema|table|dataset|db|database|warehouse)|access (?:expired|was removed|got removed|lapsed|was revoked)', 1.2],
    ['(?:do|does|can|could) (?:i|we|you|he|she|they|my team) (?:get |have )?access|can (?:i|we) (?:access|see|query|view|export)(?! (?:how|what|which|if|whether|why|where|when|the (?:number|count|trend|split|breakdown)))|access to (?:the )?(?:full|raw|unmasked)', 1.1],
    ['(?:full )?card (?:pan|numbers?)|\\bpan\\b|(?:shipping|billing|home|mailing) addresses?|cvv', 1.0],
    ["(?:errors? out|fails?|403s?|is blank|won'?t load) for me but|but @?[\\w-]+ (?:sees|can see|can open) it|(?:should not|shouldn'?t|must not|never) (?:export|share|send|email) (?:\\w+ ){0,2}(?:pii|kyc|names|addresses|emails|phone|documents?|ssn)|hashed (?:ids?|emails?)", 1.0],
    ['kyc (?:documents?|docs|files|images?)|phone numbers?|legal names?|home addresses?|(?:personal|sensitive) (?:data|info\\w*|details)|dates? of birth|passport\\w*|government ids?|tax ids?|ssns?|email addresses', 1.1],
    ['(?:raw|full|unmasked|export\\w*|download\\w*|dump) (?:\\w+ ){0,2}(?:names?|addresses|phone numbers?|emails?|documents?|kyc|pii)', 0.8],
    ["(?:don'?t|do not|doesn'?t) have (?:the )?(?:right )?(?:permission|access|rights)|no (?:permission|access) (?:to|for)|(?:is|are|it'?s) restricted|access (?:will be |is |was )?revoked|revoke\\w*", 1.1],
    ['(?:add|added) (?:you|them|me|him|her) to (?:the )?[\\w-]+ (?:group|role)|(?:readers?|viewers?|admins?) group|roles? (?:can|that can|with access|allowed to) (?:read|see|query|access|view)', 1.0],
    ['bank (?:details|account numbers?)|(?:customer|user|buyer|seller) (?:names|addresses|emails|phone numbers)|card numbers|pan data|raw (?:access|customer)', 0.7],
  ]),
  new_field_schema_request: patterns([
    ["lives in (?:the )?(?:app|backend|prod|production|source|raw|operational|crm)\\b|never made it (?:in)?to the (?:warehouse|model|table|dwh|mart)", 1.0],
    ["(?:get|put|bring|pull|load) (?:the )?(?:\\w+ ){1,8}into (?:the )?\\w+ (?:table|model|mart|explore)", 1.2],
    ["(?:would love|love to have|wish we had|need|want|could we get|can we get) (?:a |an |the )?'?\\w+(?:_\\w+)+'? (?:on|in|to|for) (?:the )?\\w+|(?:rebuild|recompute|re-?derive|reconstruct|re-?create)s? (?:it |this |that |them )?(?:every time )?from (?:the )?(?:raw|source|events|logs)|broken out|break (?:it |this |that |them )?out|netted (?:in)?to", 1.0],
    ["(?:can't|cannot|unable to|no way to|not able to) (?:report|filter|slice|segment|group|pivot|break (?:it |this |that )?down) (?:on|by)|is it possible to (?:have|get|add|see) (?:the )?(?:\\w+ ){1,4}in (?:the )?(?:\\w+ )?(?:explore|model|table|dashboard|report|mart)", 1.0],
    ['new (?:flag|indicator|boolean|tag|label|dimension|measure|attribute)s? (?:on|in|for|to)\\b|(?:can|could) (?:we|you|someone) (?:start )?(?:track|capture|store|log|record)(?:ing)? (?:which|what|whether|when|the|how)', 1.1],
    // Asking for an attribute in the model, or the manual workaround that shows it is missing (export + vlookup).
    ["(?:as|add|get|need|want|expose|surface) (?:an? |the )?(?:new )?(?:dimension|measure|column|field|attribute)s? (?:in|on|to|for)\\b|(?:any chance|is it possible|would it be possible) (?:\\w+ ){0,3}(?:get|add|have|expose)", 1.0],
    ['vlookup\\w*|xlookup\\w*|(?:export\\w*|download\\w*|copy\\w*|past\\w*) (?:it |them |this )?(?:in)?to (?:google )?(?:sheets|excel|a spreadsheet|a sheet)', 0.7],
    ['(?:add|adding|expose|exposing|surface|include|bring in|pull in) (?:a |an |the )?(?:new )?(?:column|field|attribute|dimension|flag|property)', 1.3],
    ['new (?:column|field|attribute|dimension|property|event property)s?', 1.1],
    ['(?:need|want|request\\w*|missing|lack\\w*|no) (?:a |an |the )?(?:column|field|attribute) (?:for|with|that|to)', 1.1],
    ['schema (?:change|migration|drift|update|evolution|request|gap)|(?:column|field) (?:was |got )?(?:renamed|dropped|removed|added)', 1.2],
    ['(?:can we|could we|can you|please) (?:add|track|capture|store|log)', 0.8],
    ['(?:isn\'?t|is not|not) (?:in|available in|exposed in) (?:the )?(?:model|schema|warehouse|table|explore|dataset)', 0.9],
    ['(?:written|writing|came through|coming through|landed|landing) (?:as )?(?:null|empty|blank)', 0.9],
    ['alter table|add column|data contract|schema registry|avro|protobuf', 0.8],
    ["(?:request|ask|feature request|proposal|idea):? (?:a |an |the )?'?\\w+_(?:at|id|date|flag|type|code|count|amount|reason)'? (?:on|in|to) (?:dim_|fact_)\\w+|stop (?:re-?computing|re-?deriving|calculating) it", 1.2],
    ["(?:would be|it'?d be|would be really|it would be) (?:\\w+ ){0,2}(?:helpful|useful|great|nice|good) to have (?:the |a |an )?|(?:right now|currently|today) (?:we )?only (?:have|get|store)", 1.0],
    ['(?:created|made|placed|submitted) (?:from|on|via|in) (?:the )?(?:mobile app|app|web|ios|android|desktop)(?: vs\\.?| versus| or)|(?:send|sends|emit|emits|include|includes) the (?:\\w+ )?(?:source|platform|channel|device) (?:in|on|to) the (?:payload|event)|add it to the payload', 1.0],
    ['carry (?:the )?(?:\\w+ ){1,3}separately|(?:baked|folded|lumped|rolled|buried) into|(?:as )?(?:a )?separate (?:column|field|amount|line|value)|separate(?:ly)? from (?:the )?(?:total|amount|price)', 1.0],
    ["(?:dim_\\w+|fact_\\w+|the \\w+ (?:table|model)) (?:doesn'?t|does not|don'?t) (?:have|include|contain) (?:it|that|this|them|an?|the)|(?:open|file|raise) a (?:ticket|request|jira) to add", 1.1],
    ['(?:get|have|add|put|store|include) (?:the |a |an )?(?:\\w+ ){1,3}(?:on|in|into|to) (?:the |each |every )?\\w+ (?:table|model|rows?|events?|records?)|(?:does not|doesn\'?t|do not|don\'?t) (?:store|record|keep|have) (?:which|what|the)', 0.9],
    ["(?:on|to) (?:each|every) (?:\\w+ )?(?:row|record|order|payment|transaction|invoice)|(?:can|could) (?:data eng|eng|you|someone|we) add (?:it|that|this|them)|never (?:mapped|brought|pulled|loaded) (?:it|them|that) into", 0.9],
    ['(?:empty|null|nulls|blank|missing|zero) (?:since|after) (?:the |last |this )?(?:\\w+ )?(?:release|deploy\\w*|migration|upgrade|change|app update)|\\w+_(?:cents|bps|at|type|code|reason|status) (?:is |are |became |went )?(?:null|empty|blank)', 1.2],
    ['(?:renamed|dropped|removed|deleted|changed the type of) (?:the |a |that )?(?:column|field|attribute|property)|stopped (?:writing|sending|populating|emitting|filling)(?= )|(?:load|job|pipeline|sync) (?:wrote|writes|is writing|started writing) (?:null|nulls|empty|blanks?)', 1.2],
    ['(?:field|column|attribute|schema|feature) request|add (?:the |a |an )?(?:\\w+ ){0,3}(?:attribute|column|field|property)s?\\b|as a (?:new )?(?:column|field|attribute)', 1.2],
    ["(?:don'?t|doesn'?t|do not|does not|never|not) (?:\\w+ )?(?:emit|capture|send|track|log|populate|record|expose)s?|tracking (?:change|plan|request)|schema (?:pr|ticket|contract|proposal)|type change", 1.0],
    ['(?:can|could) (?:we|you|someone) (?:please )?(?:expose|surface|add|include)|(?:where|how) (?:can|would|do) (?:i|we) find (?:the )?\\w+ (?:\\w+ )?(?:for|in|on)', 0.7],
    ['is there an? (?:\\w+ ){0,4}(?:column|field|attribute|flag|dimension)|(?:do we|does it|does the \\w+) (?:have|store|track|capture) (?:an? |the )?(?:\\w+ ){0,3}(?:column|field|attribute)', 1.2],
    ['null (?:rate|share|ratio|percentage|pct|%)|(?:share|percentage|%) (?:of )?nulls?|nulls? by day|(?:went|became|turned|started coming in) (?:all )?null', 0.8],
    ['as a (?:new )?(?:column|field)|(?:only|just) lives in (?:the )?(?:app|backend|prod|source|raw)|(?:add|include) (?:the |a )?\\w+(?: \\w+){0,5} to (?:the )?\\w+ (?:table|model|schema|explore)', 0.9],
    ['(?:exposes?|exposing) (?:it|this|that|them)|once (?:eng|engineering|the backend) (?:exposes|adds|ships)', 0.6],
    ['backfill\\w* (?:the )?(?:column|field|data|history|values?)', 0.7],
    ['(?:is there|do we have|we have no|there is no|there\'s no) (?:a |an )?(?:field|column|attribute) (?:for|with|that)|(?:get|have|got) (?:it|this|that|them) added|no (?:field|column) for|(?:field|column) for (?:it|this|that)', 0.8],
    ['(?:captured|stored|logged|collected|available) (?:\\w+ ){0,3}(?:but|yet) (?:not|isn\'?t|there is no)', 0.6],
  ]),
  revenue_coverage_mapping: patterns([
    ["(?:vat|tax|taxes|gst|sales tax)[- ]inclusive|tax (?:mapping|code|split)|(?:vat|tax) (?:never |not )?(?:gets |is )?split out|(?:revenue|sales) (?:is |are )?(?:overstated|understated)|mapping (?:\\w+ ){0,4}(?:is |are )?missing|net of (?:vat|tax|taxes|gst)", 1.0],
    ["(?:doesn't|does not|don't|do not|never) feeds? (?:into )?(?:our |the )?(?:revenue|finance|billing|gl|ledger)|revenue (?:\\w+ ){0,4}(?:where|with|without|no|missing|blank|null|unknown) (?:\\w+ )?(?:industry|segment|region|category|product|territory|vertical|mapping|sku)|(?:no|without|missing|blank) (?:\\w+ )?(?:industry|vertical|territory)(?: set| assigned| code)?\\b|deferred revenue|subledger|rev ?rec|waterfall", 1.0],
    // Money that rolls up under no product, segment or region.
    ["(?:not|isn't|aren't|never) (?:showing up|appearing|landing|rolling up|bucketed|counted|included) (?:under|in|into) (?:any|a|the) (?:\\w+ )?(?:product|segment|region|category|bucket|territory|family|line|gl|cost cent(?:er|re)|business unit)|(?:under|to|into) no (?:product|segment|region|category|bucket|territory|family|line|business unit)", 1.1],
    ['(?:revenue|interchange|fees?|gmv|subscriptions?|billing|invoices?) (?:is |are )?(?:not mapped|unmapped|missing|uncategori[sz]ed|unallocated|unattributed|not captured|not covered)', 1.4],
    ['unmapped|uncategori[sz]ed|unallocated|unclassified|mapping (?:table|gap|issue|file|missing)|missing mappings?', 1.1],
    ['(?:mcc|merchant category|category|sku|plan|product|gl|ledger|cost center|account) (?:mapping|codes? (?:are )?missing|lookup)', 1.1],
    ['revenue (?:coverage|leak\\w*|recognition|gap|attribution|by (?:category|merchant|segment|plan|sector))|coverage (?:of|gap)', 1.1],
    ["(?:doesn'?t|does not|don'?t|do not|won'?t) (?:tie|reconcile) (?:to|with|out)|(?:tie|tied|ties) out|reconcil\\w+ (?:to|with|against) (?:the )?(?:gl|ledger|finance|billing|stripe|bank|processor)", 0.9],
    ['(?:interchange|take rate|platform fees?|subscription revenue|net revenue|arr|mrr)', 0.55],
    ['(?:revenue|money|dollars|\\$\\d[\\d,.]*k?) (?:missing|gap|short|unaccounted)|falls? into (?:other|unknown)|(?:other|unknown) bucket', 1.0],
    ['(?:finance|accounting|fp&a|controller)', 0.2],
    ["(?:aren'?t|are not|isn'?t|is not|not|never) converted (?:to|into) (?:usd|eur|gbp|dollars|the reporting currency)|(?:shows?|showing|comes? out) as (?:zero|\\$?0)\\b", 1.1],
    ['(?:adds?|sums?) up to (?:only )?\\d+(?:\\.\\d+)?% of (?:the )?(?:total|all)|the (?:other|remaining|missing) \\d+(?:\\.\\d+)?%', 1.1],
    ["(?:not|aren'?t|isn'?t|never) (?:included|counted|captured|recogni[sz]ed|reflected) in (?:the )?(?:net |gross |total )?(?:revenue|gmv|take rate|totals?|interchange|fees?)|(?:does not|doesn'?t|do not|don'?t) recogni[sz]e|(?:unknown|other|unmapped) (?:merchant )?(?:sector|category|segment|bucket)|(?:sector|category|segment|plan) (?:lookup|table) (?:is )?(?:missing|stale|outdated|not updated)|nobody updated the (?:\\w+ )?(?:lookup|mapping)", 1.1],
    ['by currency|currency conversion|(?:fx|exchange) rates?|non-usd|foreign currenc\\w+|multi-currency', 0.9],
    ["(?:can'?t|cannot|can not|couldn'?t|could not|isn'?t|is not|aren'?t|are not|not|never) (?:be )?(?:mapped|tied|attributed|allocated|assigned|matched) (?:back )?to (?:a |an |any |the )?(?:\\w+ )?(?:mcc|merchant|sector|category|plan|product|segment|gl|ledger|account|seller|sku)", 1.3],
    ['(?:revenue |interchange |fee |gmv )?coverage (?:is|was|at|of|dropped|fell) (?:only )?\\d\\w*|(?:big|large|huge|growing) (?:other|unknown|unmapped) (?:slice|bucket|line|category|row)|mapping (?:fix|change|update|gaps?)', 1.0],
    ['reconcil\\w+|(?:never|don\'?t|doesn\'?t) make it into (?:the )?(?:\\w+_)?\\w*(?:revenue|kpi|mart|rollup)', 0.6],
    ['no (?:sector|category|plan|segment|gl|product) (?:mapping|assigned|code)|(?:assigns?|assigned|attributes?|puts?) (?:\\w+ ){0,4}(?:revenue )?to no (?:sector|category|segment)|(?:revenue|interchange|fees?) split|out of the (?:rollup|revenue|total)', 1.1],
    ['(?:without|with no|missing a|has no|have no) (?:a )?parent (?:category|mapping)|(?:new|unknown) (?:sub)?categor(?:y|ies) (?:without|with no|not mapped)|extend the mapping|(?:sector|category) mapping', 1.0],
  ]),
  attribution_funnel_gaps: patterns([
    ["click ?ids?|gclid|fbclid|(?:ad|ads|advertising) platforms?|paid spend|where did the (?:money|spend|budget) go|(?:aren't|are not|isn't|is not|not) (?:connected|linked|stitched)\\b", 1.0],
    ['came in (?:through|via|from)', 0.8],
    ["(?:shows?|showing|shows up|attributed|lands?|lumped) (?:all )?as '?(?:website|direct|organic|unknown|other|\\(none\\)|none|unattributed)\\b", 1.0],
    // Whether spend worked, where users are lost, and step chains.
    ["(?:sponsorship|campaign|ads?|promo|podcast|billboard|webinar|influencer|newsletter|launch)s? (?:\\w+ ){0,5}(?:did anything|worked|paid off|moved the needle|drove anything|made a difference)|(?:signups?|sign-ups?|installs?|sales|traffic|leads|users|customers|orders) from (?:that |the |this |our )?(?:\\w+ )?(?:audience|campaign|podcast|promo|channel|sponsorship|ad|ads|partner)|where (?:we|do we|are we|did we) (?:lose|losing|lost)|\\w+ ?(?:->|→) ?\\w+(?: \\w+)? ?(?:->|→)", 1.0],
    // Leads and users followed from one stage to the next, and steps that stopped being logged.
    ["(?:stopped|stops|isn't|is not|aren't|not) (?:\\w+ )?(?:logging|recording|reporting|sending events)|(?:cliff|drop|falls? off|fall-?off) (?:at|after|on) (?:the )?(?:step|stage|screen|page)|(?:started|began|start) (?:\\w+ ){0,3}(?:actually )?(?:finished|completed|converted|finish|complete)|(?:turn|turned|turns|convert\\w*|became|become|becomes) into (?:pipeline|deals?|customers?|revenue|paid|opportunit\\w+|paying)|\\w+ (?:that|who) (?:became|become|turned into|converted to)(?= )|(?:deals?|leads?|customers?|signups?|opportunit\\w+|pipeline) (?:came|come|comes|coming) from", 1.0],
    ['leads|mqls?|webinars?|opportunit(?:y|ies)', 0.3],
    // Tracking that was lost, and events that never arrived from a client.
    ['(?:lost|losing|lose|broke|broken|no|killed|removed) (?:the )?(?:\\w+ )?tracking|(?:missing|lost|losing|dropping|dropped) (?:a bunch of |some |all |most |many |lots of )?(?:\\w+ )?(?:events|hits|pageviews|page views|clicks|sessions)\\b', 1.0],
    // Marketing performance words and conversions that carry no source.
    ['roi|roas|paid (?:search|social|media)|ppc|sem\\b|ad spend|(?:marketing|paid|organic|direct|referral|email) (?:traffic|channel)', 0.7],
    ["(?:conversions?|signups?|sign-ups?|installs?|leads?|purchases?|orders?|traffic|visits?) (?:\\w+ ){0,3}(?:have|has|with|without|show(?:s|ing)? (?:up )?as) (?:no|null|unknown|blank|missing|organic|direct)\\b|(?:null|unknown|missing|blank|empty) (?:utm_?)?(?:source|channel|campaign|medium)s?\\b|no (?:utm_?)?(?:source|channel|utm|medium|attribution)s?\\b|(?:stripped|dropped|lost) (?:on|in|during) (?:the )?redirect", 1.1],
    ['attribut\\w+', 1.0],
    ['funnel\\w*', 1.1],
    ['utm\\w*|campaign (?:ids?|source|data|tags?|tracking)|referr\\w+ (?:source|data|code|channel)|first[- ]touch|last[- ]touch|multi[- ]touch', 1.3],
    ['campaigns?|utms?|ad (?:spend|clicks?|source)|paid social|affiliates?', 0.8],
    ['repeat (?:buyer|purchase|customer|order)s? rate|by (?:signup|sign-up|acquisition|first order) (?:month|week|cohort|date)|cohort (?:retention|conversion|analysis)|retention curve', 0.9],
    ['conversion (?:rate|event|tracking|path|window)|convert\\w* (?:from|to) (?:signup|sign-up|trial|paid|premium|purchase|checkout)', 1.1],
    ['drop[- ]?offs?|fall[- ]?off (?:between|from|at)|abandon\\w*|checkout (?:steps?|flow|events?)', 1.0],
    ['(?:signup|sign-up|onboarding|activation|checkout|trial|acquisition) (?:to|->|→) \\w+|(?:signup|onboarding|activation) (?:flow|rate|steps?|events?)', 1.0],
    ['(?:tracking|analytics|segment|amplitude|mixpanel|pixel|sdk) (?:events? )?(?:missing|broken|gaps?|dropped|not firing)|events? (?:not firing|missing|dropped)', 1.1],
    ['(?:marketing|paid|organic) (?:channel|spend|source|campaign)s?|cac|roas|ltv|cohort\\w*', 0.7],
    ['sessions?|click[- ]?through|ctr|impressions?', 0.35],
    ['completion rates?|event names?|(?:different|renamed|changed|new) (?:event|step) names|(?:old|new) (?:and (?:the )?(?:old|new) )?(?:steps|events|flow) (?:have|use)', 0.8],
    ["(?:came|come|coming|comes) from (?:the )?(?:\\w+ ){0,3}(?:banner|email|campaign|ad|ads|promo|push|notification|referral|search|social|influencers?|partner|affiliate)s?|(?:banner|email|push|ad|campaign) (?:vs\\.?|versus) (?:the )?(?:\\w+ )?(?:banner|email|push|ad|campaign)|where the user (?:tapped|clicked|came from)", 1.0],
    ['between (?:the )?(?:cart|signup|sign-up|checkout|trial|install|visit|landing|onboarding|kyc) (?:\\w+ )?(?:and|to) (?:the )?(?:\\w+ )?(?:payment|paid|purchase|order|activation|checkout|first \\w+)|(?:leave|leaves|leaving|abandon\\w*|drop\\w*) (?:at|between|before) (?:the )?(?:\\w+ )?(?:step|stage|cart|checkout|payment)', 1.1],
    ['(?:actually|eventually) convert|(?:trial|signup|sign-up|onboarding|checkout) (?:step )?events? (?:aren\'?t|are not|not|isn\'?t) (?:logged|tracked|captured)|where (?:do|does|did) (?:\\w+ ){0,3}drop', 1.0],
    ['\\w+ to (?:first )?(?:\\w+ ){0,2}(?:conversion|time|rate)|traffic (?:source|channel)s?|landing page|app (?:install|open)s? to', 0.9],
    ['referr\\w+|acquisition (?:report|channel|source|data)|(?:campaigns?|prompts?|emails?|ads?|channels?) (?:drive|drove|bring|brought|led to)|what (?:drove|drives|brought)', 0.9],
    ['(?:stopped|isn\'?t|is not|not|never) (?:being )?(?:firing|tracked|tracking|captured)|tracking (?:is )?(?:broken|missing)', 0.9],
    ["(?:can'?t|cannot|unable to) (?:connect|tie|link) (?:the |an? )?(?:\\w+ ){0,2}to (?:anything|a campaign|the campaign|marketing|a channel|a source)|where (?:do|did) (?:\\w+ ){0,3}come from", 0.9],
  ]),
};

/**
 * Generic problem language ("looks wrong", "jumped overnight", "sanity check", "is blank"): with data
 * context around it, a thread reports a data problem even when no theme phrase names which one.
 */
export const PROBLEM_CUES = patterns([
  ["wrong|incorrect|inaccurate|bogus|broken|bug(?:gy|s)?|weird|odd|fishy|suspicious|funky|(?:look|looks|looking|seem|seems) (?:off|funny|low|high|strange)|is off|are off|(?:doesn't|does not|don't|do not) look right|not right|(?:can't|cannot|don't|do not) trust", 0.6],
  ['sanity[- ]check\\w*|double[- ]check\\w*|jumped|spiked|tanked|plummet\\w*|cratered|went to (?:zero|0)|dropped to (?:zero|0)|(?:is|are|was|were|shows?|showing) (?:empty|blank|zero|0|nan|null)\\b|disappeared|vanished|gone missing', 0.5],
  ['(?:failed|failing|errors?|erroring|errored|times? out|timing out|timed out)\\b', 0.35],
]);

/** Words that put a message in data territory at all (tools, objects, verbs of analysis). */
export const DATA_SENSE = patterns([
  ['tables?|columns?|rows?|records?|schemas?|fields?|datasets?|views?', 0.45],
  ['(?:sql|query|queries|select|warehouse|dwh|snowflake|bigquery|redshift|duckdb|postgres)', 0.6],
  ['dbt|looker|tableau|metabase|airflow|dag|fivetran|etl|elt|pipeline (?:run|job|failed|is)|data pipeline|lineage', 0.6],
  ['dashboards?|dash(?:es)?|reports?|explores?|kpis?|metrics?', 0.4],
  ['fact_\\w+|dim_\\w+|snapshot_\\w+|\\w+_id\\b|\\w+_at\\b|\\w+_cents\\b', 0.8],
  ['(?:the )?data (?:team|issue|quality|problem|model|is|looks|for|help|question|request|ask|live|current|daily|weekly|hourly)|data quality|dq (?:check|test|alert)', 0.6],
  ['(?:fct|int|stg|mart|rpt|raw|src)_\\w+|jira\\.example|looker\\.example|dbt\\.example|github\\.example', 0.7],
  ['salesforce|hubspot|zendesk|amplitude|mixpanel|segment|stripe|netsuite|marketo|ga4|google analytics|heap', 0.4],
  // Business metrics people quote: talking about one is talking about data.
  ['csat|nps|arr|mrr|nrr|ndr|cac|ltv|aov|arpu|mau|dau|wau|bookings|billings|sign-?ups?|conversions?|(?:daily|weekly|monthly) actives?|active (?:users?|customers?|accounts?)|churn|retention', 0.25],
  ['track(?:ed|ing)?|captur\\w+|instrument\\w*|promo codes?|skus?|utms?', 0.2],
  ['numbers?|figures?|totals?|counts?|calc\\w*|logic|ledger|gl|wbr|mbr|tiles?|charts?|sheets?|backfill\\w*|events?|tracking|mapping', 0.3],
  ['transactions?|invoices?|orders?|payments?|listings?|merchants?|interchange|gmv|revenue|spend', 0.25],
]);

/**
 * Non-data senses of data words ("hard negatives"): meetings, calendars, buildings, hiring, food.
 * Each match is evidence that a data-sounding word is used in everyday sense.
 */
export const TRAP_SENSE = patterns([
  ["onboarding (?:for|of) (?:the |our )?new (?:hires|joiners|employees|starters|folks)|new[- ]hire onboarding|laptops? (?:are |is )?ready|(?:my )?(?:calendar|inbox)(?: \\w+){0,5} twice", 1.2],
  ["(?:call|meeting|sync|review|invite|standup|1:1|session) (?:got|was|has been|is|been) (?:moved|rescheduled|pushed|cancel\\w*|postponed)|new invite|doubled the (?:team|headcount|office|size|org)|(?:team|headcount|org) (?:has )?(?:doubled|grew|tripled)|welcome (?:to )?(?:all )?(?:the )?new (?:folks|hires|joiners|people|teammates)", 1.2],
  ['report(?:s|ing)? (?:directly )?(?:in)?to (?:me|her|him|the (?:cfo|ceo|cto|coo|cmo|cpo|vp|head|director|board)\\b)|org (?:update|change|chart)|reorg', 1.2],
  // Time asked for, and travel running late.
  ["grant (?:me|us|you|him|her) (?:a few|some|\\d+|a|an|five|ten) (?:minutes?|mins?|time|moments?|hours?)|(?:flight|train|bus|plane|uber|taxi|cab|ride|delivery|package|parcel|shuttle)s? (?:is |was |got |has been |are |were )?(?:\\w+ )?(?:delayed|late|cancel\\w*|behind)|stuck in traffic|running late", 1.4],
  // Customer-facing billing and support: duplicates a customer received, not duplicates in the data.
  ["(?:customers?|clients?|users?|buyers?|members?|subscribers?) (?:keeps? |kept |is |are |was |were )?(?:getting|got|received|receiving|being (?:sent|charged|emailed)) (?:\\w+ )?(?:duplicate|double|two|multiple|repeated|extra) (?:invoices?|emails?|charges?|receipts?|notifications?|texts?|sms|statements?)|(?:support|cs|customer success|customer service) (?:team )?(?:to |can |could |should |will )?reach out|apologi[sz]e to (?:the |them|her|him)|refunded (?:the )?(?:second|extra|duplicate|double) (?:charge|payment)", 1.4],
  // Food, drink and kitchen things go stale too.
  ['(?:coffee|beans|bread|snacks?|cookies|biscuits|milk|cereal|bagels?|donuts?|chips|crackers|fridge|kitchen|coffee machine)(?: \\w+){0,4} (?:is |are |was |went |got |tastes? )?(?:stale|old|off)\\b|refill\\w* (?:the )?(?:beans|coffee|milk|snacks|fridge|machine)', 1.4],
  ['join (?:the|our|a|us|me|this|today\'?s|tomorrow\'?s)? ?(?:[\\w-]+ )?(?:call|meeting|zoom|meet|huddle|standup|stand-up|sync|bridge|hangout|webinar|session|team|lunch|offsite|channel|fun|party|celebration|retro|demo)', 1.4],
  ['(?:sent|posted) (?:a |the )?duplicate (?:message|post|email|reply|comment)|duplicate (?:message|post|comment|reply) to', 1.3],
  ['join us (?:for|at|on|in) (?:the |our |this )?(?:\\w+ ){0,2}(?:town ?hall|all[- ]hands|call|meeting|webinar|session|standup|demo|review|kickoff|ama)', 1.4],
  ['(?:duplicate|double|dupe|repeated|two) (?:invites?|calendar \\w+|meeting (?:invites?|requests?)|bookings?|reservations?|emails?|reminders?|notifications?|events? on (?:my|the) calendar)', 1.4],
  ['(?:office|building|door|badge|floor|parking|garage|gym|wifi|wi-fi|vpn|laptop|printer|kitchen|front desk|elevator|visitor|guest|keycard|key card) (?:access|badges?|pass(?:es)?|permits?|permissions?|keys?|codes?|passwords?)', 1.5],
  ['access (?:badges?|cards?|to the (?:office|building|floor|gym|kitchen|parking|lounge|garage))|badge (?:reader|access|isn\'?t working)', 1.5],
  ['(?:coffee|fruit|bagels?|snacks?|pizza|donuts?|lunch|food|flowers|paint|air) (?:is |are )?(?:fresh|stale|late|delayed)|fresh (?:coffee|fruit|bagels?|pizza|snacks?|batch of|start|eyes|pair of eyes)', 1.4],
  ['(?:audio|video|zoom|wifi|wi-fi|connection|internet|mic|screen ?share|call|vpn)(?: \\w+)? (?:is |are )?(?:super |so |really |very |a bit |kind of )?(?:lag\\w*|delay\\w*|choppy|frozen|dropping|dropped|laggy)|lag(?:gy)? (?:on|in) (?:the )?(?:call|zoom|video)|jet ?lag\\w*', 1.4],
  ['(?:sales|hiring|recruiting|candidate|deal|talent) pipeline|pipeline (?:review|of candidates|of deals)', 1.3],
  ['backfill\\w* (?:the |a |her |his |their |\\w+\'s )?(?:role|position|headcount|req|seat|opening|job)', 1.5],
  ['(?:backfill|open|new|approved) (?:req|reqs|requisitions?|headcount|role)|requisitions?|recruit\\w*|resumes?|\\bcvs\\b|hiring manager|interview\\w*|candidates?|(?:onsite|final) stage|job (?:post\\w*|opening)|(?:the|an?) \\w+ (?:engineer|manager|lead|designer|recruiter) (?:opening|role)', 1.0],
  ['(?:got |any )?referrals\\?|referral (?:channel|bonus|program)|(?:join|on|do|for) the (?:\\w+ )?(?:interview )?panel', 1.0],
  ['funnel cake|(?:car|car\'s|my) dashboard|dashboard (?:light|warning)|warning light|leaderboard|step (?:challenge|count)|seating (?:chart|plan)|desk \\d\\w*', 1.4],
  ['(?:printer|copier|scanner|printing)(?: \\w+){0,4} twice|print(?:ing|s)? (?:every|each) page|(?:schedule|agenda|calendar|itinerary|menu|rota|roster|seating \\w+|signup sheet) (?:is|was|looks) (?:stale|outdated|out of date|old)|report card|steps? reports?|(?:wellness|fitness|step) challenge', 1.3],
  ['field (?:trip|day)|(?:football|soccer|baseball|playing|sports) field|(?:fitness|health|sleep|step|running) (?:metrics|stats|data|records?)|(?:company|world|personal|new) record for|(?:merge|merging) (?:the )?(?:two )?(?:standups?|meetings?|calls?|channels?|teams?|lanes?|docs?|decks?)', 1.3],
  ['attribution (?:goes|should go|to) (?:to )?@|(?:proper|need the|needs) attribution|attribution (?:for|on) (?:the )?(?:quote|line|talk|slide|photo|image|post|newsletter)|credit (?:goes|should go) to', 1.4],
  ['duplicate (?:expense|claim|report|letter|rejection|interview|offer|badge|order of|lunch)|(?:expense|reimbursement) (?:tool|claim|report)s?|pay it twice', 1.3],
  ['(?:lunch|dinner|ping[- ]?pong|pool|conference|picnic|round) table|table (?:tennis|for \\d\\w*|reservation|at the restaurant)|book(?:ed)? a table', 1.5],
  ['(?:expense|travel|pto|vacation|time[- ]off|swag|offsite|party|parking) (?:reports?|requests?|approvals?|budgets?)', 1.0],
  ['(?:wi-?fi|guest|network|vpn|laptop|printer) (?:access|password|permissions?)|(?:access|permission) (?:to|for) (?:the )?(?:wi-?fi|guest network|printer|kitchen|lounge|rooftop)', 1.4],
  ['calendar (?:invites?|holds?|events?)|invites?|rsvp|agenda|reschedul\\w*', 0.5],
  ['(?:key|keys) (?:to|for) (?:the )?(?:office|door|room|car|locker|cabinet)|keynote|key takeaways?|key ?card', 1.2],
  ['(?:attribut\\w+|credit) (?:the )?(?:quote|photo|image|slide|design|idea)|photo credits?', 1.2],
  ['(?:reserv\\w*|resreved|book\\w*|grab|get|save) (?:us )?a table|seating (?:chart|plan|map)|(?:the )?keys? (?:is|are|lives?) (?:at|with|in) (?:the )?(?:reception|front desk|desk|office|drawer)', 1.4],
  ['(?:edit|view|owner) access (?:to|on) (?:the )?(?:\\w+ )?(?:invite|calendar|doc|deck|folder|drive|meeting|event|session)|access to the (?:\\w+ )?(?:invite|calendar (?:event|invite)|meeting|event)', 1.3],
  ['(?:ignore|decline|delete|remove|declnie) the (?:dup\\w*|dupicate|second one|copy|extra (?:invite|one))', 1.3],
  ['(?:booked|reserved|ordered|paid for|bought) (?:the |a )?(?:\\w+ ){0,2}(?:room|desk|table|flight|hotel|ticket|seat|cab|taxi|lunch|pizza)s? twice|releasing the (?:duplicate|extra|second)|(?:duplicate|spare|copy of the|extra) keys?\\b|keys? (?:cut|copied)', 1.4],
  ['(?:call|meet|zoom|stream|video) (?:has|had|is having) (?:terrible |bad |some |a lot of |awful )?lag|(?:can\'?t|cannot|can not) join (?:today|tomorrow|the (?:call|meeting|sync|standup))|joining in (?:\\d\\w*|a sec|a min)', 1.3],
  ['(?:is |are )?(?:organi[sz]ing|hosting|planning) (?:drinks|dinner|lunch|a party|karaoke|a quiz|the offsite)', 1.0],
  ['join(?:ing)? (?:the |our |a |us (?:at|for) (?:the )?)?(?:[\\w-]+ )?(?:club|league|class|choir|gym|walk|ride|run|hike|book club|volunteer\\w*|challenge|band|trip|tour)', 1.3],
  ['(?:plumb\\w*|sink|toilet|water|gas|drain|sewer)(?: \\w+){0,3} (?:pipes?|pipelines?)|(?:pipes?|pipelines?) (?:under|in|behind) the (?:sink|kitchen|floor|wall|bathroom)|(?:pipes?|pipelines?) (?:is |are )?(?:leak\\w*|burst|frozen)', 1.4],
  ['model (?:release|train|airplane|car|kit|agency)|(?:fashion|runway|role) model|(?:vinyl|music|medical|dental|criminal) records?|reports? (?:to|directly to) (?:me|her|him|the (?:cfo|ceo|cto|vp))|(?:reporting line|direct reports?)', 1.2],
  ['(?:binned|threw out|toss(?:ed)?|throw out|bin) the stale|stale (?:ones|snacks|bread|cookies|chips|milk|crackers|muffins)|(?:snacks|bread|cookies|chips|milk|crackers|muffins) (?:are |is )?(?:getting |going )?stale|fresh (?:milk|delivery|batch|bread|produce)|(?:new|fresh) (?:delivery|batch) (?:arrives|comes|is coming)', 1.4],
  ['(?:video|zoom|call|link|stream|meet|screen ?share)(?: \\w+)? (?:keeps? )?(?:lagging|freezing|dropping|buffering)|lag (?:was|is) (?:on|from) (?:my )?(?:home )?(?:internet|wi-?fi|connection|end|side)', 1.4],
  ['(?:no|limited|without|intermittent) access to (?:messages|email|e-mail|slack|my laptop|phones?|the internet|wi-?fi)|out of (?:the )?office|covering for me|on (?:vacation|leave|pto)', 0.3],
  ["(?:will|i'?ll|i will|can|we'?ll|gonna|going to) join (?:at|around|by|in|later|after|you|us|from|for)\\b|join(?:ing)? (?:at|around) \\d\\w*|(?:join|joined) (?:the )?(?:team|company) (?:this|last|next)", 0.3],
  ['catching up on (?:messages|email|emails|slack|everything|things)|back from (?:vacation|leave|pto)', 0.3],
  ['(?:launched|launching|launch:?|shipped|released|introducing|we launched) (?:the |our |a )?new (?:[\\w-]+ ){0,2}(?:page|screen|center|centre|flow|feature|app|experience|design|site)', 0.3],
  ['(?:quick|weekly|daily|our|a|the|team|monthly) (?:sync|catch[- ]up)s?\\b|1:1s?|one[- ]on[- ]ones?|coffee chats?', 0.5],
  ['(?:merge|merged) (?:the )?(?:slides?|decks?|docs?|teams?|calendars?)|schema of the (?:deck|doc)|column in the (?:newsletter|paper|blog)', 1.2],
]);

/**
 * Bare data words that also have an everyday sense ("merge the standups", "a company record", "fitness
 * metrics"). Read after the known everyday phrases are masked: a thread that still uses one, without
 * enough theme evidence to be positive, is a hard negative (SPEC §5: hard negatives use data words).
 */
export const DATA_WORDS = patterns([
  // Data-team and metric words: a thread about them with no problem in it is a near miss, not small talk.
  // ('analytics' is left out: it signs half the mail, as in 'Growth analytics'.)
  ['data (?:work|culture|strategy|literacy|org|function)|model(?:s|ing|ling|led)?|dimensional|revenue|churn|retention|gmv|arr|mrr|kpis?|sql|dbt|snowflake|looker|tableau|warehouse', 1],
  ['databases?|spreadsheets?|merg(?:e|es|ed|ing)|sync(?:s|ed|ing)?|records?|fields?|metrics?|duplicat\\w*|dupes?|keys?|lag(?:s|ged|ging|gy)?|pipelines?|tables?|stale|refresh\\w*|backfill\\w*|funnels?|attribution|schemas?|nulls?|columns?|dashboards?|access|queries|query', 1],
]);

/** Resolution language for the met/unmet heuristic (SPEC §7.3). */
export const RESOLVED = patterns([
  ['fixed|fix (?:is )?(?:deployed|merged|shipped|live|out|in)|hotfix(?:ed)? (?:deployed|merged|shipped|out)', 1.0],
  ['merged|shipped|deployed|released|rolled out|went live|is live now', 0.9],
  ['resolved|resolving this|closing (?:this|the ticket|out)|closed (?:the|this) (?:ticket|issue)|marking (?:this )?(?:as )?(?:done|resolved)', 1.0],
  ['backfill(?:ed)? (?:is )?(?:done|complete\\w*|finished)|backfilled|re-?ran (?:the )?(?:job|dag|model)|rerun (?:is )?(?:done|complete)', 0.9],
  ['(?:looks|all) good now|working now|numbers? (?:match|tie) now|should be (?:good|fixed|resolved) now|confirmed (?:fixed|working)|thanks?,? (?:that )?(?:fixed|worked|did it)', 0.9],
  ['access (?:granted|added|provisioned|restored)|(?:granted|added|restored|gave you|provisioned) (?:\\w+ )?(?:access|permissions?|select|role)|added you to', 1.0],
  ['approved:|signed off|sign-off (?:done|given)|(?:is )?now (?:on|applied|enabled|live|masked|fixed) (?:for|in)|masking (?:is )?now (?:on|applied)', 0.9],
  ['(?:pr|pull request) (?:is )?(?:merged|landed)|landed (?:the|a) (?:fix|change|pr)', 1.0],
]);

export const UNRESOLVED = patterns([
  ['still (?:broken|failing|missing|seeing|wrong|off|stale|behind|happening|no)|any update|bump(?:ing)?|\\+1|same here|also seeing|no (?:fix|eta|owner|update) yet|not fixed', 0.8],
  ['(?:reopen\\w*|regress\\w*|broke again|back again|happening again)', 0.9],
  ['(?:not|no) (?:sign-?off|approv\\w*|fix|decision|owner) yet|waiting (?:on|for) (?:\\w+ )?(?:approval|compliance|legal|security|eng)|in the meantime|not prioriti[sz]ed|added to the backlog', 0.8],
]);

/** Link domains that signal a data tool (prefilter structure, met/unmet closure). */
export const DATA_TOOL_DOMAINS = ['dbt.example', 'looker.example', 'github.example', 'jira.example', 'docs.example', 'wiki.example', 'status.example'];
export const CLOSURE_DOMAINS = ['dbt.example', 'looker.example'];
