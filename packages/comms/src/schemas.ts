import { Bool, Field, Int32, List, Table, TimestampMillisecond, Utf8, vectorFromArray, type DataType, type Vector } from 'apache-arrow';

/** DuckDB type names of the comms files (docs/comms.md); `ts` is a UTC TIMESTAMP. */
export type CommsColumnType = 'VARCHAR' | 'VARCHAR[]' | 'TIMESTAMP' | 'BOOLEAN' | 'INTEGER';

export const COMMS_SCHEMAS = {
  slack_messages: {
    message_id: 'VARCHAR',
    thread_id: 'VARCHAR',
    channel_id: 'VARCHAR',
    channel_cat: 'VARCHAR',
    ts: 'TIMESTAMP',
    user_id: 'VARCHAR',
    text: 'VARCHAR',
    reply_to: 'VARCHAR',
    reply_count: 'INTEGER',
    has_link: 'BOOLEAN',
    link_domains: 'VARCHAR[]',
    has_attachment: 'BOOLEAN',
    attachment_names: 'VARCHAR[]',
    has_code: 'BOOLEAN',
  },
  email_messages: {
    message_id: 'VARCHAR',
    thread_id: 'VARCHAR',
    ts: 'TIMESTAMP',
    from_id: 'VARCHAR',
    to_ids: 'VARCHAR[]',
    cc_ids: 'VARCHAR[]',
    list_cat: 'VARCHAR',
    subject: 'VARCHAR',
    body_text: 'VARCHAR',
    has_attachment: 'BOOLEAN',
    attachment_names: 'VARCHAR[]',
    has_link: 'BOOLEAN',
    link_domains: 'VARCHAR[]',
    has_code: 'BOOLEAN',
  },
  comms_users: {
    source: 'VARCHAR',
    user_id: 'VARCHAR',
    role: 'VARCHAR',
  },
  nlq: {
    query_id: 'VARCHAR',
    user_id: 'VARCHAR',
    app: 'VARCHAR',
    ts: 'TIMESTAMP',
    query_text: 'VARCHAR',
    generated_sql: 'VARCHAR',
    success_flag: 'BOOLEAN',
    latency_ms: 'INTEGER',
    result_rows: 'INTEGER',
  },
  labels_slack: { thread_id: 'VARCHAR', relevance: 'VARCHAR', theme: 'VARCHAR' },
  labels_email: { thread_id: 'VARCHAR', relevance: 'VARCHAR', theme: 'VARCHAR' },
  labels_nlq: { query_id: 'VARCHAR', theme: 'VARCHAR' },
} as const satisfies Record<string, Record<string, CommsColumnType>>;

export type CommsFile = keyof typeof COMMS_SCHEMAS;

/** File name of each table: the four corpus files under --out, the labels under --meta. */
export const COMMS_FILES: Record<CommsFile, string> = {
  slack_messages: 'slack_messages.parquet',
  email_messages: 'email_messages.parquet',
  comms_users: 'comms_users.parquet',
  nlq: 'nlq.parquet',
  labels_slack: 'labels_slack.parquet',
  labels_email: 'labels_email.parquet',
  labels_nlq: 'labels_nlq.parquet',
};

type ColumnValues = (string | null)[] | number[] | boolean[] | string[][] | (number | null)[];

function arrowType(t: CommsColumnType): DataType {
  switch (t) {
    case 'VARCHAR':
      return new Utf8();
    case 'VARCHAR[]':
      return new List(new Field('item', new Utf8(), true));
    case 'TIMESTAMP':
      return new TimestampMillisecond();
    case 'BOOLEAN':
      return new Bool();
    case 'INTEGER':
      return new Int32();
  }
}

/** An Arrow table with exactly the columns (and order) of COMMS_SCHEMAS[file]. */
export function commsTable<F extends CommsFile>(file: F, columns: Record<keyof (typeof COMMS_SCHEMAS)[F] & string, ColumnValues>): Table {
  const schema = COMMS_SCHEMAS[file] as Record<string, CommsColumnType>;
  const vectors: Record<string, Vector> = {};
  for (const [name, type] of Object.entries(schema)) {
    const values = (columns as Record<string, ColumnValues>)[name];
    if (!values) throw new Error(`column ${name} of ${file} missing`);
    vectors[name] = vectorFromArray(values as unknown[], arrowType(type)) as Vector;
  }
  return new Table(vectors);
}
