/**
 * Several processes on one SQLite file: numbering, exactly-once claims and crash safety.
 * Each worker is `__fixtures__/worker.ts` run through tsx.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SqliteStorage } from './sqlite-storage.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER = fileURLToPath(new URL('./__fixtures__/worker.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tunekit-mp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Worker {
  readonly child: ChildProcessWithoutNullStreams;
  /** Lines printed so far. */
  readonly lines: string[];
  stderr: string;
  /** Resolves at the first line starting with `prefix` (or when the worker ends). */
  waitFor(prefix: string, count?: number): Promise<void>;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const live = new Set<ChildProcessWithoutNullStreams>();
afterEach(() => {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
});

function startWorker(args: readonly string[]): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TUNEKIT_LOG_LEVEL: 'error' },
  });
  live.add(child);
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  let ended = false;
  const notify = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts);
    notify();
  });
  const worker: Worker = {
    child,
    lines,
    stderr: '',
    waitFor(prefix, count = 1) {
      const seen = () => ended || lines.filter((l) => l.startsWith(prefix)).length >= count;
      return new Promise<void>((resolve) => {
        const check = (): void => {
          if (seen()) resolve();
          else waiters.push(check);
        };
        check();
      });
    },
    exit: new Promise((resolve) => {
      child.on('close', (code, signal) => {
        ended = true;
        live.delete(child);
        notify();
        resolve({ code, signal });
      });
    }),
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    worker.stderr += chunk;
  });
  return worker;
}

/** Starts the workers, waits until each has loaded, and lets them all go at once. */
async function startTogether(argsList: ReadonlyArray<readonly string[]>): Promise<Worker[]> {
  const workers = argsList.map((args) => startWorker(args));
  await Promise.all(workers.map((w) => w.waitFor('ready')));
  for (const w of workers) {
    expect(w.lines, w.stderr).toContain('ready');
    w.child.stdin.write('go\n');
  }
  return workers;
}

async function integrity(file: string): Promise<unknown> {
  const s = await SqliteStorage.open(file);
  try {
    return s.db.pragma('integrity_check', { simple: true });
  } finally {
    await s.close();
  }
}

describe('SQLite with several processes', () => {
  it('8 processes × 200 trials: no failure, numbers 0..1599 exactly once', async () => {
    const file = join(dir, 'optimize.db');
    const started = Date.now();
    const workers = await startTogether(
      Array.from({ length: 8 }, (_, i) => ['optimize', file, 'shared', '200', String(i + 1)]),
    );
    const exits = await Promise.all(workers.map((w) => w.exit));
    for (const [i, w] of workers.entries()) {
      expect(exits[i], `worker ${i}: ${w.stderr}`).toEqual({ code: 0, signal: null });
      expect(w.lines).toContain('done 200');
      expect(w.stderr).not.toMatch(/locked|busy|fail/i);
    }
    const s = await SqliteStorage.open(file);
    try {
      const studies = await s.getAllStudies();
      expect(studies.map((x) => x.studyName)).toEqual(['shared']);
      const trials = await s.getAllTrials(studies[0]!.studyId);
      expect(trials).toHaveLength(1600);
      expect(trials.filter((t) => t.state !== 'complete').map((t) => [t.number, t.state])).toEqual([]);
      expect(trials.map((t) => t.number)).toEqual(Array.from({ length: 1600 }, (_, i) => i));
      expect(new Set(trials.map((t) => t.trialId)).size).toBe(1600);
      for (const t of trials) {
        expect(Object.keys(t.params).sort()).toEqual(['k', 'x']);
        const x = t.params.x as number;
        expect(t.values![0]).toBeCloseTo(x * x + (t.params.k === 'a' ? 0 : 1), 12);
      }
      expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await s.close();
    }
    console.log(`8 × 200 trials in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('survives a worker killed with SIGKILL mid-study: every announced trial is complete', async () => {
    const file = join(dir, 'killed.db');
    const started = Date.now();
    const [victim, survivor] = await startTogether([
      ['announce', file, 'crash', '0', '1'],
      ['announce', file, 'crash', '0', '2'],
    ]);
    await victim!.waitFor('trial ', 50);
    victim!.child.kill('SIGKILL');
    expect((await victim!.exit).signal).toBe('SIGKILL');
    // More victims, killed at arbitrary moments (inside a transaction, now and then).
    const victims = [victim!];
    for (let i = 0; i < 3; i++) {
      const [v] = await startTogether([['announce', file, 'crash', '0', String(10 + i)]]);
      await v!.waitFor('trial ', 1 + i * 3);
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      v!.child.kill('SIGKILL');
      expect((await v!.exit).signal).toBe('SIGKILL');
      victims.push(v!);
    }
    // The other worker is not held up by whatever lock a dead one had.
    const before = survivor!.lines.length;
    await survivor!.waitFor('trial ', before + 30);
    survivor!.child.kill('SIGKILL');
    expect((await survivor!.exit).signal).toBe('SIGKILL');

    expect(await integrity(file)).toBe('ok');
    const s = await SqliteStorage.open(file);
    try {
      const sid = await s.getStudyIdFromName('crash');
      const trials = await s.getAllTrials(sid);
      const byNumber = new Map(trials.map((t) => [t.number, t]));
      expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i));
      let checked = 0;
      for (const w of [...victims, survivor!]) {
        const announced = w.lines
          .filter((l) => l.startsWith('trial '))
          .map((l) => JSON.parse(l.slice('trial '.length)) as { number: number; values: number[] });
        for (const a of announced) {
          const t = byNumber.get(a.number);
          expect(t, `trial ${a.number}`).toBeDefined();
          expect(t!.state).toBe('complete');
          expect(t!.values).toEqual(a.values);
          const x = t!.params.x as number;
          expect(a.values).toEqual([x * x]);
          expect([...t!.intermediateValues]).toEqual([
            [0, x],
            [1, x / 2],
          ]);
          expect(t!.userAttrs.pid).toBe(w.child.pid);
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(80);
      // At most the trial each worker was running is left unfinished.
      expect(trials.filter((t) => t.state !== 'complete').length).toBeLessThanOrEqual(victims.length + 1);
      // The file takes new work.
      const t = await s.createTrial(sid);
      await s.finishTrial(t.trialId, 'complete', [1]);
      expect(t.number).toBe(trials.length);
    } finally {
      await s.close();
    }
    console.log(`SIGKILL test in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('4 processes × 100 compare-and-set claims: indices 0..399 exactly once', async () => {
    const file = join(dir, 'claims.db');
    const started = Date.now();
    const workers = await startTogether(
      Array.from({ length: 4 }, (_, i) => ['claim', file, 'grid', '100', String(i)]),
    );
    const exits = await Promise.all(workers.map((w) => w.exit));
    const all: number[] = [];
    for (const [i, w] of workers.entries()) {
      expect(exits[i], `worker ${i}: ${w.stderr}`).toEqual({ code: 0, signal: null });
      const line = w.lines.find((l) => l.startsWith('claimed '));
      expect(line, w.stderr).toBeDefined();
      const mine = JSON.parse(line!.slice('claimed '.length)) as number[];
      expect(mine).toHaveLength(100);
      all.push(...mine);
    }
    expect(all).toHaveLength(400);
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    const s = await SqliteStorage.open(file);
    try {
      expect(await s.getStudySystemAttrs(await s.getStudyIdFromName('grid'))).toEqual({ counter: 400 });
    } finally {
      await s.close();
    }
    console.log(`4 × 100 claims in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
