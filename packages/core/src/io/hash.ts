import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Hex sha256 of bytes or text. */
export function sha256Of(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hex sha256 of a file's bytes. */
export function sha256File(file: string): string {
  return sha256Of(readFileSync(file));
}
