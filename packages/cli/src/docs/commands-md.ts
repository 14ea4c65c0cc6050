import { readFileSync } from 'node:fs';

/** The parts of oclif.manifest.json the reference reads. */
interface ManifestFlag {
  name: string;
  char?: string;
  description?: string;
  type: 'boolean' | 'option';
  options?: string[];
  required?: boolean;
  multiple?: boolean;
  default?: unknown;
  helpGroup?: string;
}

interface ManifestExample {
  description?: string;
  command: string;
}

interface ManifestCommand {
  id: string;
  summary?: string;
  description?: string;
  examples?: Array<string | ManifestExample>;
  flags: Record<string, ManifestFlag>;
  args?: Record<string, { name: string; description?: string; default?: unknown; required?: boolean }>;
  hidden?: boolean;
  /** BaseCommand.exitCodes: what 3 means for this command (the other codes are the same everywhere). */
  exitCodes?: Record<string, string>;
}

const BIN = 'dnr';
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const example = (e: string | ManifestExample): ManifestExample => (typeof e === 'string' ? { command: e } : e);
const withBin = (s: string) => s.replaceAll('<%= config.bin %>', BIN);

/** The examples of a command as `{ description?, command }` with the binary name filled in. */
export function commandExamples(command: { examples?: Array<string | ManifestExample> }): ManifestExample[] {
  return (command.examples ?? []).map(example).map((e) => ({ ...e, command: withBin(e.command), ...(e.description ? { description: withBin(e.description) } : {}) }));
}

function flagRow(f: ManifestFlag): string {
  const name = `\`--${f.name}${f.type === 'option' ? ' VALUE' : ''}\`${f.char ? ` (\`-${f.char}\`)` : ''}`;
  const values = f.options ? f.options.map((o) => `\`${o}\``).join(', ') : f.type === 'boolean' ? 'flag' : 'value';
  const notes = [f.required ? 'required' : '', f.multiple ? 'repeatable' : '', f.default !== undefined && f.default !== false ? `default \`${String(f.default)}\`` : '']
    .filter(Boolean)
    .join(', ');
  return `| ${name} | ${values}${notes ? ` (${notes})` : ''} | ${cell(f.description ?? '')} |`;
}

function commandSection(c: ManifestCommand): string[] {
  const flags = Object.values(c.flags);
  const own = flags.filter((f) => f.helpGroup !== 'GLOBAL' && f.name !== 'json');
  const args = Object.values(c.args ?? {});
  const usage = `${BIN} ${c.id}${args.map((a) => (a.required ? ` ${a.name.toUpperCase()}` : ` [${a.name.toUpperCase()}]`)).join('')}${own.some((f) => f.required) ? ' ' + own.filter((f) => f.required).map((f) => `--${f.name} VALUE`).join(' ') : ''} [flags]`;
  const out = [`## ${c.id}`, '', c.summary ?? '', ''];
  if (c.description) out.push(withBin(c.description), '');
  out.push('```', usage, '```', '');
  if (args.length) {
    out.push('| Argument | Description |', '|---|---|');
    for (const a of args) out.push(`| \`${a.name.toUpperCase()}\` | ${cell(a.description ?? '')}${a.default !== undefined ? ` (default \`${String(a.default)}\`)` : ''} |`);
    out.push('');
  }
  if (own.length) {
    out.push('| Flag | Values | Description |', '|---|---|---|');
    for (const f of own) out.push(flagRow(f));
    out.push('');
  }
  out.push('Global flags: `--config FILE`, `--quiet` (`-q`), `--json`, `--help` (`-h`).', '');
  out.push('Examples:', '', '```sh');
  for (const e of commandExamples(c)) {
    if (e.description) out.push(`# ${e.description}`);
    out.push(e.command);
  }
  out.push('```', '');
  const three = c.exitCodes?.['3'];
  out.push(`Exit codes: 0 success · 1 internal error (a bug) · 2 usage or input error${three ? ` · 3 ${three}` : ''} ([exit codes](exit-codes.md)).`, '');
  return out;
}

/** docs/commands.md from the oclif manifest built with the CLI (a test keeps the committed file in sync). */
export function renderCommandsMd(manifestPath: string): string {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { commands: Record<string, ManifestCommand> };
  const commands = Object.values(manifest.commands)
    .filter((c) => !c.hidden)
    .sort((a, b) => a.id.localeCompare(b.id));
  const out = [
    '# Command reference',
    '',
    '<!-- Generated from packages/cli/oclif.manifest.json by renderCommandsMd(); `node scripts/docs.mjs` rewrites it and a test keeps it in sync. -->',
    '',
    '`dnr --help` lists the commands; `dnr help COMMAND`, `dnr COMMAND --help` and `dnr COMMAND -h` show one. Every',
    'command takes `--config FILE` (default `configs/default.yaml` when present), `--quiet` (no progress on stderr) and',
    '`--json` (the result as JSON on stdout and nothing else there; errors too). Progress goes to stderr: a live line on a',
    'terminal (every command but `config` and `init` shows a `loading` step from the moment it starts, while its modules',
    'load, until its first own step), one plain line per step otherwise; `NO_COLOR` turns colour off. Flags override the configuration keys',
    'they name ([config.md](config.md)); outputs are described in [outputs.md](outputs.md) and',
    '[report-schemas.md](report-schemas.md), exit codes in [exit-codes.md](exit-codes.md).',
    '',
    '| Command | What it does |',
    '|---|---|',
    ...commands.map((c) => `| [\`${c.id}\`](#${c.id}) | ${cell(c.summary ?? '')} |`),
    '',
  ];
  for (const c of commands) out.push(...commandSection(c));
  return `${out.join('\n').trimEnd()}\n`;
}
