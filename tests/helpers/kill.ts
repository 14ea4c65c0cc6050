import { spawn } from 'node:child_process';
import { DNR_BIN } from './cli.js';

/**
 * Run the real `dnr` until it reaches `phase` (announced by the test-only pause hook, env
 * TESTHOOK_DNR_PAUSE_AT), then kill -9 it there. Rejects if the command ends without reaching the phase.
 */
export function killAtPhase(args: string[], phase: string, options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<{ stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', TZ: 'UTC', ...options.env, TESTHOOK_DNR_PAUSE_AT: phase };
  for (const k of Object.keys(env)) if (k.startsWith('DNR_') && !(options.env && k in options.env)) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DNR_BIN, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!killed && stderr.includes(`TESTHOOK paused at ${phase} `)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      if (killed) resolve({ stderr });
      else reject(new Error(`dnr ${args.join(' ')} ended without reaching phase ${phase}:\n${stderr}`));
    });
  });
}
