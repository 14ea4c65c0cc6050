import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFLINE_ADVICE } from '../packages/core/src/llm/offline-advice.js';

/**
 * The "no key" / "no quota" advice must name only flags the asking command really has: a user who
 * copies `--no-llm` into `dnr doctor` or `dnr gen-comms` would get "unknown flag" instead of help.
 */
const manifest = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'packages', 'cli', 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, { flags: Record<string, { options?: string[] }> }>;
};

/** Commands whose missing key is reported with each advice key. */
const ASKERS: Record<keyof typeof OFFLINE_ADVICE, string[]> = {
  classify: ['run-report', 'quickstart'],
  entities: ['run-report', 'quickstart'],
  comms: ['gen-comms'],
  doctor: [],
};

/** `--flag value` pairs in a text; `value` when the flag takes one of the manifest's options. */
const flagsIn = (text: string): Array<{ flag: string; value?: string }> =>
  [...text.matchAll(/--([a-z][a-z-]*)(?: ([a-z]+))?/g)].map((m) => ({ flag: m[1]!, value: m[2] }));

function expectCommandHas(command: string, flag: string, value: string | undefined): void {
  const spec = manifest.commands[command]?.flags[flag];
  expect(spec, `${command} has no --${flag}`).toBeDefined();
  if (value && spec?.options) expect(spec.options, `${command} --${flag} ${value}`).toContain(value);
}

describe('offline advice names only real flags of the asking command', () => {
  for (const [asker, commands] of Object.entries(ASKERS)) {
    it(asker, () => {
      const advice = OFFLINE_ADVICE[asker as keyof typeof OFFLINE_ADVICE];
      const quoted = [...advice.matchAll(/`dnr ([a-z-]+)([^`]*)`/g)];
      for (const [, command, rest] of quoted) for (const f of flagsIn(rest!)) expectCommandHas(command!, f.flag, f.value);
      const unquoted = advice.replace(/`[^`]*`/g, '');
      const loose = flagsIn(unquoted);
      if (commands.length === 0) expect(loose).toEqual([]);
      for (const command of commands) for (const f of loose) expectCommandHas(command, f.flag, f.value);
      expect(quoted.length + loose.length).toBeGreaterThan(0);
    });
  }
});
