import { tableToIPC, type Table as ArrowTable } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm/node';
import { writeFileAtomic } from './atomic.js';

export interface ParquetWriteOptions {
  /** Rows per row group. */
  rowGroupRows?: number;
  compression?: 'zstd' | 'snappy' | 'uncompressed';
}

/** Encode an Arrow table as Parquet bytes (parquet-wasm; ZSTD by default). */
export function encodeParquet(table: ArrowTable, options: ParquetWriteOptions = {}): Uint8Array {
  const compression =
    options.compression === 'snappy' ? Compression.SNAPPY : options.compression === 'uncompressed' ? Compression.UNCOMPRESSED : Compression.ZSTD;
  let builder = new WriterPropertiesBuilder().setCompression(compression);
  if (options.rowGroupRows) builder = builder.setMaxRowGroupSize(options.rowGroupRows);
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, 'stream'));
  return writeParquet(wasmTable, builder.build());
}

/** Write an Arrow table to a Parquet file atomically (temp + rename). */
export function writeParquetFile(target: string, table: ArrowTable, options: ParquetWriteOptions = {}): void {
  writeFileAtomic(target, encodeParquet(table, options));
}
