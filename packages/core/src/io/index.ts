export { writeFileAtomic, writeJsonAtomic, ensureWritableDir, withAtomicDir, type AtomicDirOptions } from './atomic.js';
export { openDuckDB, closeDuckDB, withDuckDB, queryRows, contentChecksum, sqlString, sqlIdent, type DuckDBSession, type DuckDBOptions } from './duckdb.js';
export { encodeParquet, writeParquetFile, type ParquetWriteOptions } from './parquet.js';
