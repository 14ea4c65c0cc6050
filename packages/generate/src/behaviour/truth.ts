import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sqlString, writeJsonAtomic } from '@dnr/core';
import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Behaviour ground truth: what the generator decided about each entity (segment, vintage, churn …) and
 * the resolved behaviour (calendar days, solved rates). It travels with the defects ground truth: the
 * files sit in the same folder as defects.json, so whoever locates one locates the other.
 */
export const BEHAVIOUR_TRUTH_FILES = { summary: 'behaviour.json', entities: 'behaviour_entities.parquet' } as const;

/** Paths of the behaviour truth files next to a defects.json (or in its folder). */
export function behaviourTruthPaths(defectsPathOrDir: string): { summary: string; entities: string } {
  const dir = defectsPathOrDir.endsWith('.json') ? path.dirname(defectsPathOrDir) : defectsPathOrDir;
  return { summary: path.join(dir, BEHAVIOUR_TRUTH_FILES.summary), entities: path.join(dir, BEHAVIOUR_TRUTH_FILES.entities) };
}

/** Write the summary JSON and the entity table (a SELECT) into the build's truth folder. */
export async function writeBehaviourTruth(conn: DuckDBConnection, truthDir: string, summary: unknown, entitiesSql: string): Promise<void> {
  mkdirSync(truthDir, { recursive: true });
  writeJsonAtomic(path.join(truthDir, BEHAVIOUR_TRUTH_FILES.summary), summary);
  await conn.run(`COPY (${entitiesSql}) TO ${sqlString(path.join(truthDir, BEHAVIOUR_TRUTH_FILES.entities))} (FORMAT parquet, COMPRESSION zstd)`);
}

/** Move the truth files out of the build folder into the ground-truth folder (replacing older ones). */
export function publishBehaviourTruth(truthDir: string, metaDir: string): string[] {
  if (!existsSync(truthDir)) return [];
  mkdirSync(metaDir, { recursive: true });
  const moved: string[] = [];
  for (const name of readdirSync(truthDir)) {
    const target = path.join(metaDir, name);
    renameSync(path.join(truthDir, name), target);
    moved.push(target);
  }
  rmSync(truthDir, { recursive: true, force: true });
  return moved;
}
