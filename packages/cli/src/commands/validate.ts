import path from 'node:path';
import { Flags } from '@oclif/core';
import { ARCHETYPES, UsageError } from '@dnr/core';
import { GATE_FAMILIES, validateGateFailure, validateOutputs, type ValidateResult } from '@dnr/validate';
import { BaseCommand } from '../base-command.js';

export default class Validate extends BaseCommand<typeof Validate> {
  static override summary = 'Run the quality gates over a generated warehouse and comms.';
  static override description =
    'Writes {out}/validate.json and validate.md: one row per gate with measured value, bound and verdict. Gate families: ' +
    `${GATE_FAMILIES.map((f) => f.name).join(', ')}. Without --strict the exit code is 0 even when gates fail; ` +
    'with --strict any failing gate exits 3 and the message names every failing gate. The ground truth is the one the warehouse and comms ' +
    "folders carry (their manifests link it); --meta must hold the same files. With --only, the rows of the other families are kept " +
    'from an earlier run over the same inputs.';
  static override examples = [
    {
      description: 'Every gate; exit 3 if one fails. Needs: `<%= config.bin %> gen-warehouse --archetype neobank`, `<%= config.bin %> gen-comms --archetype neobank`.',
      command: '<%= config.bin %> validate --warehouse data/neobank --comms comms/neobank --out reports/neobank/qc --strict',
    },
    {
      description: 'Folders from the config paths (data/marketplace, comms/marketplace). Needs: `<%= config.bin %> gen-warehouse --archetype marketplace --scale small`, `<%= config.bin %> gen-comms --archetype marketplace`.',
      command: '<%= config.bin %> validate --archetype marketplace --json',
    },
    { description: 'Two gate families only. Needs: `<%= config.bin %> gen-warehouse --archetype neobank`.', command: '<%= config.bin %> validate --warehouse data/neobank --only schema --only defects' },
  ];

  static override exitCodes = { 3: 'with --strict, when any gate fails (the message names every failing gate)' };

  static override flags = {
    warehouse: Flags.string({ description: 'Warehouse folder written by gen-warehouse. Default: {paths.data}/{archetype}.' }),
    archetype: Flags.string({ description: 'Archetype, to derive default folders when --warehouse is not given.', options: [...ARCHETYPES] }),
    comms: Flags.string({ description: 'Comms folder written by gen-comms. Without it the comms gates are skipped (with --archetype alone: {paths.comms}/{archetype} when it exists).' }),
    meta: Flags.string({
      description:
        "Ground-truth folder (defects.json, labels_*.parquet); each file must match the one the warehouse's or comms folder's manifest links. Default: the truth those folders carry.",
    }),
    out: Flags.string({ description: 'Output folder. Default: {paths.reports}/{archetype}/qc.' }),
    strict: Flags.boolean({ description: 'Exit 3 when any gate fails.', default: false }),
    only: Flags.string({ description: 'Run only this gate family (repeatable); other families keep their rows from an earlier run over the same inputs.', multiple: true, options: GATE_FAMILIES.map((f) => f.name) }),
    verify: Flags.boolean({ description: 'Checksum every table against its manifest before the gates (always done for files whose size or time changed).', default: false }),
    force: Flags.boolean({ description: 'Replace --out even if it holds another kind of dnr output or files dnr did not write (those are kept: moved into the new output, never deleted).', default: false }),
  };

  public async run(): Promise<ValidateResult> {
    const { config } = this.resolveConfig();
    const arch = this.flags.archetype;
    if (!this.flags.warehouse && !arch) throw new UsageError('validate needs --warehouse DIR (or --archetype to use {paths.data}/{archetype}).');
    const warehouseDir = this.flags.warehouse ?? path.join(config.paths.data, arch as string);
    const result = await validateOutputs({
      warehouseDir,
      // With only --archetype, every folder follows config paths; comms is used when that folder exists.
      commsDir: this.flags.comms ?? (arch && !this.flags.warehouse ? path.join(config.paths.comms, arch) : undefined),
      commsExplicit: this.flags.comms !== undefined,
      metaDir: this.flags.meta,
      outDir: this.flags.out,
      config,
      families: this.flags.only,
      force: this.flags.force,
      verify: this.flags.verify,
      progress: this.progress,
    });
    for (const warning of result.warnings) this.warn(warning);
    for (const r of result.rows.filter((x) => x.verdict !== 'pass')) {
      this.log(`${r.verdict.toUpperCase().padEnd(4)}  ${r.gate}: measured ${r.measured === null ? 'n/a' : String(r.measured)}, bound ${r.bound}${r.detail ? ` (${r.detail})` : ''}`);
    }
    const c = result.counts;
    this.log(`validate ${result.archetype}: ${c.pass} passed, ${c.fail} failed, ${c.skip} skipped → ${path.join(result.out_dir, 'validate.md')}`);
    if (!result.passed && this.flags.strict) throw validateGateFailure(result);
    this.log(result.passed ? 'verdict PASS' : 'verdict FAIL (not --strict: exit 0)');
    return result;
  }
}
