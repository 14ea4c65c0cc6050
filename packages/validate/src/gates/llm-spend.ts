import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ledgerBookedUsd, readLedger } from '@dnr/core';
import { checkRow, rangeRow } from '../rows.js';
import type { GateFamily, GateRow, ValidateContext } from '../types.js';

const FAMILY = 'llm_spend';

/** Spend ledgers (`*ledger*.jsonl`) under the given folders, three levels deep. */
export function findLedgers(dirs: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) {
        if (depth < 3 && name !== 'parquet' && name !== 'node_modules') walk(p, depth + 1);
      } else if (/ledger.*\.jsonl$/i.test(name)) found.push(p);
    }
  };
  for (const d of dirs) walk(d, 0);
  return [...new Set(found)];
}

function capFor(ctx: ValidateContext, purpose: string): number | undefined {
  if (purpose === 'comms') return ctx.config.comms.api_cap_usd;
  if (purpose === 'classify') return ctx.config.classification.api_cap_usd;
  if (purpose === 'entities') return ctx.config.entities.api_cap_usd;
  return undefined;
}

/** Booked LLM spend per purpose and ledger stays within its cap. No ledger ⇒ zero spend, pass. */
export const llmSpendGates: GateFamily = {
  name: FAMILY,
  needs: [],
  async run(ctx) {
    const ledgers = findLedgers([ctx.warehouseDir, ctx.metaDir, ...(ctx.comms ? [ctx.comms.dir] : [])]);
    if (ledgers.length === 0) {
      return [rangeRow(FAMILY, 'total_usd', 0, { max: ctx.config.comms.api_cap_usd }, { unit: 'USD', detail: 'no spend ledger found: nothing was spent' })];
    }
    const rows: GateRow[] = [];
    for (const file of ledgers) {
      // Booked spend per purpose: settled amounts, plus the worst case of requests a killed process left in flight.
      const entries = readLedger(readFileSync(file, 'utf8'));
      const spend = new Map<string, number>();
      for (const purpose of new Set(entries.filter((e) => e.event === 'reserve' || e.event === 'settle').map((e) => e.purpose))) {
        spend.set(purpose, ledgerBookedUsd(entries.filter((e) => e.purpose === purpose)));
      }
      if (spend.size === 0) rows.push(rangeRow(FAMILY, `${path.basename(file)}.total_usd`, 0, { max: 0 }, { unit: 'USD', detail: `${file}: no settled request` }));
      for (const [purpose, usd] of spend) {
        const cap = capFor(ctx, purpose);
        rows.push(
          cap === undefined
            ? checkRow(FAMILY, `${purpose}_usd`, false, usd, 'a configured cap', `${file}: unknown purpose "${purpose}"`)
            : rangeRow(FAMILY, `${purpose}_usd`, usd, { max: cap }, { unit: 'USD', detail: file }),
        );
      }
    }
    return rows;
  },
};
