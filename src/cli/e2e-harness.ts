/**
 * Test support for the command line's end-to-end tests: builds the `tunekit` binary with tsup
 * (the bundler of `npm run build`, same entry and settings, into a private folder so that it
 * never races a concurrent `npm run build` over dist/), then runs it as a user would.
 * Not part of the package.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the CLI; returns the path of its main.js. About 0.2 s. */
export async function buildCli(): Promise<string> {
  const { build } = await import('tsup');
  const cache = join(ROOT, 'node_modules', '.cache', 'tunekit-cli-e2e');
  mkdirSync(cache, { recursive: true });
  const outDir = mkdtempSync(join(cache, 'build-'));
  await build({
    entry: { main: join(ROOT, 'src/cli/main.ts') },
    format: ['esm'],
    target: 'node20',
    outDir,
    dts: false,
    clean: false,
    silent: true,
    splitting: false,
    sourcemap: false,
    config: false,
    external: ['better-sqlite3'],
  });
  return join(outDir, 'main.js');
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'tunekit-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** What a finished command gave. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  readonly cwd: string;
  readonly env?: Record<string, string | undefined>;
  readonly timeoutMs?: number;
}

function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('TUNEKIT_')) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Starts the binary; the caller waits for it with {@link waitCli}. */
export function startCli(bin: string, args: readonly string[], options: RunCliOptions): ChildProcess {
  return spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits for a started binary to end, collecting its output. */
export function waitCli(child: ChildProcess, timeoutMs = 30_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tunekit did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs the binary to its end. */
export function runCli(bin: string, args: readonly string[], options: RunCliOptions): Promise<CliResult> {
  return waitCli(startCli(bin, args, options), options.timeoutMs);
}

/** Whether a process is alive (a zombie is not). Linux: /proc; elsewhere a signal 0. */
export function processAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      return state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The live processes of a process group (Linux only; empty elsewhere). */
export function groupMembers(pgid: number): number[] {
  if (process.platform !== 'linux') return [];
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') out.push(Number(entry));
    } catch {}
  }
  return out;
}

/** Polls until `check` holds or `timeoutMs` passes. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
