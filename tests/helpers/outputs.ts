import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/** Every file under `dir` (relative path → sha256 of its bytes), without following links. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path.join(dir, r));
      if (st.isDirectory()) walk(r);
      else out[r] = createHash('sha256').update(readFileSync(path.join(dir, r))).digest('hex');
    }
  };
  walk('');
  return out;
}

const LEFTOVER = /\.(dnr-staging|dnr-old|tmp|building|old|staged)-\d+/;

/** Paths under `dir` that look like dnr temp entries (staging/old folders, temp files). */
export function leftovers(dir: string): string[] {
  const found: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (LEFTOVER.test(name)) found.push(r);
      else if (lstatSync(path.join(dir, r)).isDirectory()) walk(r);
    }
  };
  walk('');
  return found;
}

/** sha256 of a file. */
export const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A committed dnr output: complete marker, every listed file with its committed size, truth links that hash right. */
export function expectComplete(dir: string, kind: string): { commit_id: string } {
  const marker = JSON.parse(readFileSync(path.join(dir, '.dnr-output.json'), 'utf8')) as {
    kind: string;
    state: string;
    commit_id: string;
    files: Record<string, { bytes: number } | null>;
  };
  expect(marker.kind).toBe(kind);
  expect(marker.state).toBe('complete');
  for (const [rel, stamp] of Object.entries(marker.files)) {
    expect(existsSync(path.join(dir, rel)), rel).toBe(true);
    if (stamp) expect(lstatSync(path.join(dir, rel)).size, rel).toBe(stamp.bytes);
  }
  const manifest = path.join(dir, 'manifest.json');
  if (existsSync(manifest)) {
    const truth = (JSON.parse(readFileSync(manifest, 'utf8')) as { truth?: Record<string, { file: string; sha256: string }> }).truth ?? {};
    for (const [name, link] of Object.entries(truth)) expect(sha(path.join(dir, link.file)), name).toBe(link.sha256);
  }
  return marker;
}
