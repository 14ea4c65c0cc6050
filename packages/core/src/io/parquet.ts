import type { Table as ArrowTable } from 'apache-arrow';
import { lazyModule } from '../lazy.js';
import { yieldToEventLoop } from '../progress.js';
import { writeFileAtomic } from './atomic.js';

const parquetWasm = lazyModule<typeof import('parquet-wasm/node')>('parquet-wasm/node');

export interface ParquetWriteOptions {
  /** Rows per row group. */
  rowGroupRows?: number;
  compression?: 'zstd' | 'snappy' | 'uncompressed';
}

/**
 * Encode an Arrow table as Parquet bytes (parquet-wasm; ZSTD by default). Async only because apache-arrow
 * loads on first use: its IPC writer must be the same ESM instance that built `table` (the CommonJS
 * build's classes fail its instanceof checks), and an ESM module can only be loaded lazily with import().
 */
export async function encodeParquet(table: ArrowTable, options: ParquetWriteOptions = {}): Promise<Uint8Array> {
  const { tableToIPC } = await import('apache-arrow');
  const { Compression, Table: WasmTable, WriterPropertiesBuilder, writeParquet } = parquetWasm();
  const compression =
    options.compression === 'snappy' ? Compression.SNAPPY : options.compression === 'uncompressed' ? Compression.UNCOMPRESSED : Compression.ZSTD;
  let builder = new WriterPropertiesBuilder().setCompression(compression);
  if (options.rowGroupRows) builder = builder.setMaxRowGroupSize(options.rowGroupRows);
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, 'stream'));
  return writeParquet(wasmTable, builder.build());
}

/** Write an Arrow table to a Parquet file atomically (temp + rename). */
export async function writeParquetFile(target: string, table: ArrowTable, options: ParquetWriteOptions = {}): Promise<void> {
  // Encoding is synchronous WASM work: give the event loop a turn first, so a progress line redraws between files.
  await yieldToEventLoop();
  writeFileAtomic(target, await encodeParquet(table, options));
}
