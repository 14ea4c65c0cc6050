import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandExamples } from '../packages/cli/dist/docs/commands-md.js';
import { DNR_BIN, REPO_ROOT, tempDir } from './helpers/cli.js';
import { startLlmServer, type ChatRequestBody, type LlmTestServer } from './helpers/llm-server.js';

/**
 * Every example in every command's --help runs as written: `sh -c '<example>'` in one scratch working folder, with
 * `dnr` on PATH, after the commands its description lists under "Needs:" (each run once). The folder's environment
 * keeps runs small — small scale, smaller comms volumes, neobank-only quickstart — and points OPENAI_BASE_URL at a
 * loopback server, so the LLM examples run offline. New commands are picked up from the manifest automatically.
 * An example passes when it exits 0, or 3 (a gate verdict) for a command documented to exit 3.
 */
interface Manifest {
  commands: Record<string, { id: string; examples?: Array<string | { description?: string; command: string }>; exitCodes?: Record<string, string>; hidden?: boolean }>;
}

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'packages', 'cli', 'oclif.manifest.json'), 'utf8')) as Manifest;
// init first (it wants an empty folder), then the rest in name order.
const commands = Object.values(manifest.commands)
  .filter((c) => !c.hidden)
  .sort((a, b) => (a.id === 'init' ? -1 : b.id === 'init' ? 1 : a.id.localeCompare(b.id)));

/** The `dnr …` commands an example's description lists after "Needs:". */
export function neededCommands(description: string | undefined): string[] {
  const needs = /Needs: (.*)$/s.exec(description ?? '')?.[1] ?? '';
  return [...needs.matchAll(/`(dnr [^`]+)`/g)].map((m) => m[1]);
}

let tmp: ReturnType<typeof tempDir>;
let work: string;
let env: Record<string, string>;
let server: LlmTestServer;
const done = new Set<string>();

function answer(body: ChatRequestBody): string {
  const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
  if (system.includes('"relevance"')) return '{"relevance":"positive","theme":"duplicates_dedup","confidence":0.8}';
  if (system.includes('BI tool')) return '{"theme":"duplicates_dedup","confidence":0.8}';
  return '{"ok":true}';
}

function sh(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  tmp = tempDir('dnr-examples-');
  work = path.join(tmp.dir, 'work');
  const bin = path.join(tmp.dir, 'bin');
  mkdirSync(work);
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'dnr'), `#!/bin/sh\nexec "${process.execPath}" "${DNR_BIN}" "$@"\n`);
  chmodSync(path.join(bin, 'dnr'), 0o755);
  server = await startLlmServer({ responder: answer });
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('DNR_') && !k.startsWith('OPENAI_')) base[k] = v;
  env = {
    ...base,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    TZ: 'UTC',
    OPENAI_BASE_URL: server.baseURL,
    DNR_WAREHOUSE__SCALE: 'small',
    DNR_WAREHOUSE__ARCHETYPES: '[neobank]',
    DNR_COMMS__SCALES__SMALL__SLACK_THREADS: '300',
    DNR_COMMS__SCALES__SMALL__EMAIL_THREADS: '80',
    DNR_COMMS__SCALES__SMALL__NLQ: '100',
    DNR_EVAL__BOOTSTRAP_SAMPLES: '200',
  };
});
afterAll(async () => {
  await server?.close();
  tmp?.cleanup();
});

describe('help examples run as written', () => {
  it('every command has examples, and every "Needs:" names dnr commands', () => {
    for (const c of commands) {
      const examples = commandExamples(c);
      expect(examples.length, c.id).toBeGreaterThan(0);
      for (const e of examples) {
        expect(e.command, `${c.id} example`).toMatch(/^(?:[A-Z_]+=\S+ )*dnr /);
        if (e.description?.includes('Needs:')) expect(neededCommands(e.description).length, e.description).toBeGreaterThan(0);
      }
    }
  });

  it.each(commands.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    for (const e of commandExamples(c)) {
      for (const need of neededCommands(e.description)) {
        if (done.has(need)) continue;
        const r = await sh(need);
        expect(r.code, `prerequisite of "${e.command}": ${need}\n${r.stderr}`).toBe(0);
        done.add(need);
      }
      const r = await sh(e.command);
      const allowed = c.exitCodes?.['3'] ? [0, 3] : [0];
      expect(allowed, `${e.command} exited ${r.code}\n${r.stderr}`).toContain(r.code);
      if (/ --json\b/.test(e.command) && !e.command.includes('>')) expect(() => JSON.parse(r.stdout), `${e.command}: stdout is not JSON`).not.toThrow();
      done.add(e.command);
    }
    // Prerequisites and quickstart examples build warehouses: minutes on a loaded 2-core machine.
  }, 1_200_000);
});
