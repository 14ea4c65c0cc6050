import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { closeDuckDB, openDuckDB, queryRows, sqlString, type DuckDBSession } from './duckdb.js';
import { readParquetAs } from './reader.js';

let dir: string;
let db: DuckDBSession;
let conn: DuckDBConnection;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dnr-reader-'));
  db = await openDuckDB({ timeZone: 'UTC' });
  conn = db.connection;
});
afterAll(() => {
  closeDuckDB(db);
  rmSync(dir, { recursive: true, force: true });
});

const INSTANTS = ['2026-03-08 09:59:59.123456', '2026-03-08 10:00:00', '2026-11-01 08:30:00.5', '2026-06-30 23:59:59'];

/** Write a Parquet file from a SELECT, with the session in a zone far from UTC (a tz-aware writer must not shift instants). */
async function write(name: string, select: string): Promise<string> {
  const file = path.join(dir, `${name}.parquet`);
  await conn.run(`SET TimeZone = 'Asia/Kolkata'`);
  try {
    await conn.run(`COPY (${select}) TO ${sqlString(file)} (FORMAT parquet)`);
  } finally {
    await conn.run(`SET TimeZone = 'UTC'`);
  }
  return file;
}

const base = `SELECT i, CAST(t AS TIMESTAMP) AS t FROM (SELECT unnest(range(${INSTANTS.length})) AS i, unnest([${INSTANTS.map((s) => `'${s}'`).join(', ')}]) AS t)`;

async function readTs(file: string, column = 't'): Promise<string[]> {
  const rel = await readParquetAs(conn, { label: 'test', files: [file], columns: { [column]: 'TIMESTAMP', i: 'BIGINT' } });
  const rows = await queryRows<{ t: string }>(conn, `SELECT strftime(${column}, '%Y-%m-%d %H:%M:%S.%f') AS t FROM ${rel.sql} ORDER BY i`);
  return rows.map((r) => r.t);
}

const expected = INSTANTS.map((s) => {
  const [d, t] = s.split(' ');
  const [hms, frac = ''] = t.split('.');
  return `${d} ${hms}.${frac.padEnd(6, '0')}`;
});

function refusal(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message;
    },
  );
}

describe('readParquetAs: timestamps written by other tools read as the same UTC instants', () => {
  it('TIMESTAMP WITH TIME ZONE, TIMESTAMP_NS, _MS and _S', async () => {
    expect(await readTs(await write('native', base))).toEqual(expected);
    expect(await readTs(await write('tz', `SELECT i, timezone('UTC', t) AS t FROM (${base})`))).toEqual(expected);
    expect(await readTs(await write('ns', `SELECT i, CAST(t AS TIMESTAMP_NS) AS t FROM (${base})`))).toEqual(expected);
    const ms = await readTs(await write('ms', `SELECT i, CAST(t AS TIMESTAMP_MS) AS t FROM (${base})`));
    expect(ms).toEqual(expected.map((e) => `${e.slice(0, 23)}000`));
  });

  it('Slack-style epoch-seconds text, ISO text with offsets, epoch numbers (s, ms, µs)', async () => {
    const epochText = `CAST(epoch_us(t) // 1000000 AS VARCHAR) || '.' || lpad(CAST(epoch_us(t) % 1000000 AS VARCHAR), 6, '0')`;
    expect(await readTs(await write('slack', `SELECT i, ${epochText} AS t FROM (${base})`))).toEqual(expected);
    expect(await readTs(await write('iso', `SELECT i, strftime(timezone('UTC', t), '%Y-%m-%dT%H:%M:%S.%f%z') AS t FROM (${base})`))).toEqual(expected);
    expect(await readTs(await write('us', `SELECT i, epoch_us(t) AS t FROM (${base})`))).toEqual(expected);
    expect(await readTs(await write('dbl', `SELECT i, CAST(epoch_us(t) AS DECIMAL(18,0)) / 1000000 AS t FROM (${base})`))).toEqual(expected);
    const secs = await readTs(await write('sec', `SELECT i, CAST(epoch(t) AS BIGINT) AS t FROM (${base})`));
    expect(secs).toEqual(expected.map((e) => `${e.slice(0, 19)}.000000`));
  });

  it('INT96 (Spark, Hive, Impala) timestamps', async () => {
    const file = path.join(dir, 'int96.parquet');
    const micros = (s: string) => {
      const [d, t] = s.split(' ');
      const [hms, frac = ''] = t.split('.');
      return BigInt(Date.parse(`${d}T${hms}Z`)) * 1000n + BigInt(frac.padEnd(6, '0'));
    };
    writeFileSync(file, int96Parquet(INSTANTS.map(micros)));
    const [schema] = await queryRows<{ type: string }>(conn, `SELECT type FROM parquet_schema(${sqlString(file)}) WHERE name = 't'`);
    expect(schema.type).toBe('INT96');
    expect(await readTs(file)).toEqual(expected);
  });

  it('refuses text that is not a time, numbers that are not epochs, and nanoseconds it would drop, naming file, column and types', async () => {
    const bad = await write('bad', `SELECT i, CASE WHEN i = 2 THEN 'next tuesday' ELSE CAST(t AS VARCHAR) END AS t FROM (${base})`);
    expect(await refusal(readTs(bad))).toMatch(/^test: column t in .*bad\.parquet is VARCHAR, expected TIMESTAMP; 1 value\(s\) are text that is neither epoch seconds nor an ISO-8601 time \(e\.g\. "next tuesday"\)/);
    expect(await refusal(readTs(await write('small', `SELECT i, i AS t FROM (${base})`)))).toMatch(/is BIGINT, expected TIMESTAMP; 4 value\(s\) are integers that are not epoch/);
    const ns = await write('nsfrac', `SELECT i, CAST(t AS TIMESTAMP_NS) + INTERVAL 0 SECOND AS t FROM (${base})`);
    expect(await readTs(ns)).toEqual(expected);
    const nsOdd = await write('nsodd', `SELECT i, make_timestamp_ns(epoch_ns(CAST(t AS TIMESTAMP_NS)) + 7) AS t FROM (${base})`);
    expect(await refusal(readTs(nsOdd))).toMatch(/is TIMESTAMP_NS, expected TIMESTAMP; 4 value\(s\) are nanoseconds below a microsecond/);
    expect(await refusal(readTs(await write('bool', `SELECT i, true AS t FROM (${base})`)))).toMatch(/column t in .*bool\.parquet is BOOLEAN, expected TIMESTAMP/);
  });
});

describe('readParquetAs: other columns', () => {
  it('BLOB text, large/dictionary strings, DOUBLE integers and integer ids read as the same values; lossy ones are refused', async () => {
    const file = await write(
      'mixed',
      `SELECT CAST(i AS DOUBLE) AS n, encode('héllo ' || i) AS txt, CAST(1000 + i AS INTEGER) AS code, 'same' AS dict FROM range(4) r(i)`,
    );
    const rel = await readParquetAs(conn, { label: 'test', files: [file], columns: { n: 'BIGINT', txt: 'VARCHAR', code: 'VARCHAR', dict: 'VARCHAR' } });
    expect(rel.converted.map((c) => `${c.column}:${c.from}→${c.to}`)).toEqual(['n:DOUBLE→BIGINT', 'txt:BLOB→VARCHAR', 'code:INTEGER→VARCHAR']);
    const rows = await queryRows(conn, `SELECT n, txt, code, dict, typeof(n) AS tn FROM ${rel.sql} ORDER BY n`);
    expect(rows[1]).toEqual({ n: 1n, txt: 'héllo 1', code: '1001', dict: 'same', tn: 'BIGINT' });
    const frac = await write('frac', `SELECT i + 0.5 AS n FROM range(3) r(i)`);
    expect(await refusal(readParquetAs(conn, { label: 'test', files: [frac], columns: { n: 'BIGINT' } }))).toMatch(/column n in .*frac\.parquet is DECIMAL\(\d+,\d+\), expected BIGINT; 3 value\(s\) are values that are not whole numbers/);
    const latin = await write('latin', `SELECT '\\xE9t\\xE9'::BLOB AS txt`);
    expect(await refusal(readParquetAs(conn, { label: 'test', files: [latin], columns: { txt: 'VARCHAR' } }))).toMatch(/is BLOB, expected VARCHAR; 1 value\(s\) are bytes that are not UTF-8 text/);
  });

  it('a file that is not Parquet is an input error naming it', async () => {
    const junk = path.join(dir, 'junk.parquet');
    writeFileSync(junk, 'not parquet at all');
    expect(await refusal(readParquetAs(conn, { label: 'table x', files: [junk], columns: {} }))).toMatch(/^table x: .*junk\.parquet is not readable Parquet/);
  });
});

// ---- A minimal Parquet writer for one INT96 column, as Spark/Hive write timestamps (DuckDB cannot write INT96). ----

/** Thrift compact protocol, just enough for Parquet's footer and page header. */
class Compact {
  private bytes: number[] = [];
  private last: number[] = [0];
  private varint(n: bigint): void {
    let v = n;
    while (v >= 0x80n) {
      this.bytes.push(Number((v & 0x7fn) | 0x80n));
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }
  private zigzag(n: bigint): void {
    this.varint(n >= 0n ? n << 1n : ((-n) << 1n) - 1n);
  }
  private header(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1];
    this.bytes.push((delta << 4) | type);
    this.last[this.last.length - 1] = id;
  }
  i32(id: number, v: number): this {
    this.header(id, 5);
    this.zigzag(BigInt(v));
    return this;
  }
  i64(id: number, v: bigint | number): this {
    this.header(id, 6);
    this.zigzag(BigInt(v));
    return this;
  }
  str(id: number, s: string): this {
    this.header(id, 8);
    const b = Buffer.from(s);
    this.varint(BigInt(b.length));
    this.bytes.push(...b);
    return this;
  }
  struct(id: number, body: (c: this) => void): this {
    this.header(id, 12);
    this.last.push(0);
    body(this);
    this.bytes.push(0);
    this.last.pop();
    return this;
  }
  /** A list of structs or of i32/strings. */
  list<T>(id: number, elemType: 'struct' | 'i32' | 'string', items: T[], write: (c: this, item: T) => void): this {
    this.header(id, 9);
    const t = elemType === 'struct' ? 12 : elemType === 'i32' ? 5 : 8;
    this.bytes.push((items.length << 4) | t);
    for (const item of items) {
      if (elemType === 'struct') {
        this.last.push(0);
        write(this, item);
        this.bytes.push(0);
        this.last.pop();
      } else if (elemType === 'i32') this.zigzag(BigInt(item as number));
      else {
        const b = Buffer.from(item as string);
        this.varint(BigInt(b.length));
        this.bytes.push(...b);
      }
    }
    return this;
  }
  end(): Buffer {
    return Buffer.from([...this.bytes, 0]);
  }
}

/** Parquet file with columns i (INT64) and t (INT96, Julian day + nanoseconds of day), from epoch microseconds. */
function int96Parquet(epochMicros: bigint[]): Buffer {
  const n = epochMicros.length;
  const colI = Buffer.alloc(8 * n);
  const colT = Buffer.alloc(12 * n);
  epochMicros.forEach((us, k) => {
    colI.writeBigInt64LE(BigInt(k), 8 * k);
    const day = us / 86_400_000_000n;
    const nanos = (us % 86_400_000_000n) * 1000n;
    colT.writeBigInt64LE(nanos, 12 * k);
    colT.writeInt32LE(Number(day + 2_440_588n), 12 * k + 8);
  });
  const page = (data: Buffer) =>
    Buffer.concat([
      new Compact()
        .i32(1, 0)
        .i32(2, data.length)
        .i32(3, data.length)
        .struct(5, (c) => c.i32(1, n).i32(2, 0).i32(3, 3).i32(4, 3))
        .end(),
      data,
    ]);
  const pages = [page(colI), page(colT)];
  const offsets = [4, 4 + pages[0].length];
  const types = [2, 3]; // INT64, INT96
  const names = ['i', 't'];
  const footer = new Compact()
    .i32(1, 1)
    .list(2, 'struct', [-1, 0, 1], (c, k) => {
      if (k < 0) c.str(4, 'schema').i32(5, 2);
      else c.i32(1, types[k]).i32(3, 0).str(4, names[k]);
    })
    .i64(3, n)
    .list(4, 'struct', [0], (c) => {
      c.list(1, 'struct', [0, 1], (cc, k) =>
        cc.i64(2, offsets[k]).struct(3, (m) =>
          m
            .i32(1, types[k])
            .list(2, 'i32', [0], (x, e) => x.i32(0, e))
            .list(3, 'string', [names[k]], () => undefined)
            .i32(4, 0)
            .i64(5, n)
            .i64(6, pages[k].length)
            .i64(7, pages[k].length)
            .i64(9, offsets[k]),
        ),
      )
        .i64(2, pages[0].length + pages[1].length)
        .i64(3, n);
    })
    .end();
  const len = Buffer.alloc(4);
  len.writeUInt32LE(footer.length);
  return Buffer.concat([Buffer.from('PAR1'), ...pages, footer, len, Buffer.from('PAR1')]);
}
