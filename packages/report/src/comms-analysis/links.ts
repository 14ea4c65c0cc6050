/**
 * Pasted links reduced to what a reader takes from them: the label a person gave the link (if any) and
 * what kind of place it points to. A raw URL's path and query string (`/dashboards/412?filter=…`,
 * `/spreadsheets/d/1AbC…/edit#gid=0`) are opaque ids to a reader but dozens of tokens to a bag-of-words
 * classifier, where they drown the sentence around them; the host's kind is the part that carries meaning
 * ("links to a BI dashboard" vs. "links to a wiki page").
 */

/** What a link points to; each kind is written into cleaned text as one word (`LINK_WORD`). */
export type LinkKind = 'data_tool' | 'sheet' | 'doc' | 'code' | 'ticket' | 'web';

/**
 * The word standing for a link of each kind in cleaned text: one token of letters only (no `_`, so it is
 * never read as a snake_case identifier), unlikely to be typed by a person.
 */
export const LINK_WORD: Readonly<Record<LinkKind, string>> = {
  data_tool: 'datatoollink',
  sheet: 'sheetlink',
  doc: 'doclink',
  code: 'codelink',
  ticket: 'ticketlink',
  web: 'weblink',
};

/** Every `LINK_WORD`, for code that treats them apart (no character n-grams of them). */
export const LINK_WORDS: ReadonlySet<string> = new Set(Object.values(LINK_WORD));

/**
 * Host (and, where the host alone is ambiguous, path) patterns of each kind, first match wins. Hosts are
 * matched as whole dot-separated labels, so `company.looker.com`, `looker.company.com` and the generator's
 * `looker.example.com` all read as Looker. Sources: the tools data teams paste links to (BI, notebooks,
 * warehouses, orchestration, observability, object storage), office suites, wikis, code hosts, trackers.
 */
const RULES: readonly { kind: LinkKind; host: RegExp; path?: RegExp }[] = [
  // Spreadsheets before documents: docs.google.com serves both.
  { kind: 'sheet', host: /(?:^|\.)docs\.google\.com$/, path: /^\/spreadsheets\b/ },
  { kind: 'sheet', host: /(?:^|\.)(?:sheets\.google\.com|airtable\.com|smartsheet\.com)$/ },
  { kind: 'sheet', host: /(?:^|\.)(?:sharepoint\.com|office\.com|live\.com)$/, path: /\.(?:xlsx?|csv)\b|\/:x:\//i },
  { kind: 'doc', host: /(?:^|\.)(?:docs|drive)\.google\.com$/ },
  { kind: 'doc', host: /(?:^|\.)atlassian\.net$/, path: /^\/wiki\b/ },
  { kind: 'ticket', host: /(?:^|\.)atlassian\.net$/ },
  {
    kind: 'data_tool',
    host: /(?:^|\.)(?:looker|lookerstudio|datastudio|tableau|metabase|mode|modeanalytics|powerbi|sigma|sigmacomputing|redash|superset|preset|periscope|periscopedata|hex|thoughtspot|domo|qlik|qlikcloud|quicksight|dbt|getdbt|snowflake|snowflakecomputing|databricks|bigquery|airflow|astronomer|dagster|prefect|fivetran|airbyte|stitchdata|hightouch|census|getcensus|montecarlo|montecarlodata|grafana|datadog|datadoghq|kibana|splunk|newrelic|amplitude|mixpanel|segment|heap|posthog|jupyter|colab|deepnote|observablehq|retool)(?:\.|$)/,
  },
  // Names no other word contains may also stand with a hyphen in a host label (`dbt-docs.acme.io`, `adb-1.azuredatabricks.net`).
  { kind: 'data_tool', host: /(?:^|[.-])(?:looker|tableau|metabase|dbt|databricks|azuredatabricks|snowflake|airflow|grafana|superset|redash|kibana|jupyter|jupyterhub)(?:[.-]|$)/ },
  { kind: 'data_tool', host: /^analytics\.google\.com$/ },
  { kind: 'data_tool', host: /(?:^|\.)(?:s3[.-][a-z0-9.-]*amazonaws\.com|s3\.amazonaws\.com|storage\.googleapis\.com|storage\.cloud\.google\.com|blob\.core\.windows\.net|dfs\.core\.windows\.net)$/ },
  { kind: 'data_tool', host: /^console\.cloud\.google\.com$/, path: /^\/(?:bigquery|storage|dataflow|composer)\b/ },
  { kind: 'data_tool', host: /(?:^|\.)console\.aws\.amazon\.com$/, path: /^\/(?:s3|athena|glue|redshift|quicksight)\b/ },
  { kind: 'code', host: /(?:^|\.)(?:github|githubusercontent|gitlab|bitbucket|git|gitea|sourcegraph)(?:\.|$)/ },
  { kind: 'ticket', host: /(?:^|\.)(?:jira|linear|asana|trello|clickup|shortcut|servicenow|service-now|monday|youtrack|zendesk|freshdesk|pagerduty|opsgenie)(?:\.|$)/ },
  { kind: 'doc', host: /(?:^|\.)(?:confluence|wiki|notion|coda|quip|gitbook|readthedocs|sharepoint|intranet|docs|handbook|paper\.dropbox|dropbox|box|onedrive)(?:\.|$)/ },
];

/** Storage URL schemes (`s3://bucket/key`): a file in a data lake. */
const STORAGE_SCHEME = /^(?:s3[an]?|gs|gcs|abfss?|wasbs?|adl|hdfs|dbfs):\/\//i;

/**
 * The kind of place a URL points to (see `RULES`); `web` for anything else (meeting links, job ads,
 * articles). `url` is an absolute URL (`https://…`, `s3://…`) or a scheme-less `host/path`.
 */
export function linkKind(url: string): LinkKind {
  if (STORAGE_SCHEME.test(url)) return 'data_tool';
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/?#]*@)?([^/?#:]+)(?::\d+)?([^?#]*)/i.exec(url.trim());
  if (!m) return 'web';
  const host = m[1].toLowerCase().replace(/^www\./, '');
  const path = m[2] || '/';
  for (const r of RULES) if (r.host.test(host) && (!r.path || r.path.test(path))) return r.kind;
  return 'web';
}

// A URL with a scheme (web, storage, ftp), a `www.` host, or a scheme-less host under a common top-level
// domain followed by a path: `company.looker.com/dashboards/412`. `schema.table` and `orders.csv` have no
// path and are left alone.
const SCHEME_URL = String.raw`(?:https?|ftp|sftp|s3[an]?|gs|gcs|abfss?|wasbs?|adl|hdfs|dbfs):\/\/[^\s<>"'\`|]+`;
const BARE_URL = String.raw`(?<![\w@./-])(?:www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|app|dev|cloud|ai|so|site|local|internal|corp|lan)(?:\.[a-z]{2})?)(?::\d+)?\/[^\s<>"'\`|]*`;
const RAW_URL = new RegExp(`${SCHEME_URL}|${BARE_URL}`, 'gi');
// Punctuation that ends a sentence or closes a bracket is not part of a URL pasted before it.
const TRAILING = /[.,;:!?)\]}'"*_~]+$/;

/** The word for one link (`LINK_WORD`), spaced so it never glues onto a neighbouring word. */
const wordFor = (url: string): string => ` ${LINK_WORD[linkKind(url)]} `;

/**
 * Every link in `text` reduced to its label (if it has one) and its kind's word (`LINK_WORD`):
 * Slack `<url|label>` → `label datatoollink`; Slack/e-mail `<url>` and raw URLs → `datatoollink`;
 * Markdown `[label](url)` → `label doclink`; `mailto:` links → their label only (an address is not a
 * place). Text around links, snake_case identifiers and `schema.table` names are untouched.
 */
export function reduceLinks(text: string): string {
  return text
    .replace(/<mailto:[^|>\s]+\|([^>]*)>/gi, ' $1 ')
    .replace(/<mailto:[^|>\s]+>/gi, ' ')
    .replace(/<((?:[a-z][a-z0-9+.-]*):\/\/[^|>\s]+)\|([^>]*)>/gi, (_m, url: string, label: string) => ` ${label.trim()}${wordFor(url)}`)
    .replace(/<((?:[a-z][a-z0-9+.-]*):\/\/[^|>\s]+)>/gi, (_m, url: string) => wordFor(url))
    .replace(/\[([^\]\n]{1,200})\]\(((?:[a-z][a-z0-9+.-]*):\/\/[^)\s]+)\)/gi, (_m, label: string, url: string) => ` ${label.trim()}${wordFor(url)}`)
    .replace(RAW_URL, (url: string) => {
      const tail = TRAILING.exec(url)?.[0] ?? '';
      // a closing bracket that the URL itself opened stays in the URL: `wiki/Foo_(bar)`
      const keep = tail.startsWith(')') && url.slice(0, -tail.length).includes('(') ? 1 : 0;
      const cut = tail.slice(keep);
      return `${wordFor(cut ? url.slice(0, -cut.length) : url)}${cut}`;
    });
}
