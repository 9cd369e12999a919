/**
 * runWorker: a study-wide budget shared by workers (in memory), and on PostgreSQL with worker
 * processes: a chaos run (three of six workers killed with SIGKILL at random moments: nothing
 * lost, their trials failed after the grace period and retried, the budget completed) and a
 * 500-point grid over 8 workers (each point exactly once). The PostgreSQL tests skip only
 * outside CI without a server.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Rng, randomSeed } from '../core/rng.js';
import { FAIL_REASON_ATTR } from '../core/system-attrs.js';
import { GRID_INDEX_ATTR } from '../samplers/grid/grid-sampler.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { InMemoryStorage } from '../storages/in-memory/in-memory-storage.js';
import {
  createTestDatabase,
  skipWithoutPostgres,
  type TestDatabase,
} from '../storages/postgres/__fixtures__/test-database.js';
import { PostgresStorage } from '../storages/postgres/postgres-storage.js';
import { createStudy } from './create-study.js';
import { RETRIED_FROM_ATTR } from './heartbeat.js';
import { budgetStatus, getStudyBudget, runWorker, setStudyBudget } from './run-worker.js';

describe('runWorker', () => {
  it('works to the stored study-wide budget, shared by several workers', async () => {
    const storage = new InMemoryStorage();
    const study = await createStudy({ studyName: 'shared', storage });
    await setStudyBudget(study, { trials: 30 });
    expect(await getStudyBudget(study)).toBe(30);
    const objective = async (trial: import('../trial/trial.js').Trial): Promise<number> => {
      const x = trial.suggestFloat('x', 0, 1);
      await new Promise((r) => setTimeout(r, 1));
      return x;
    };
    const results = await Promise.all(
      [1, 2, 3].map((seed) =>
        runWorker({
          storage,
          studyName: 'shared',
          objective,
          sampler: new RandomSampler({ seed }),
          handleSigint: false,
          pollInterval: 0.01,
        }),
      ),
    );
    const trials = await study.getTrials();
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
    // Workers deciding at the same moment may overshoot by up to (workers − 1).
    expect(trials.length).toBeGreaterThanOrEqual(30);
    expect(trials.length).toBeLessThanOrEqual(32);
    expect(results.reduce((n, r) => n + r.trials, 0)).toBe(trials.length);
    for (const r of results) expect(r.budget).toBe(30);
    // A later worker finds the budget used and runs nothing; nTrials overrides the stored budget.
    expect((await runWorker({ storage, studyName: 'shared', objective, handleSigint: false })).trials).toBe(
      0,
    );
    const more = await runWorker({ storage, studyName: 'shared', objective, nTrials: trials.length + 2 });
    expect(more.trials).toBe(2);
  });

  it('counts failed trials that were retried as in flight, not done', () => {
    const t = (number: number, state: string, systemAttrs: Record<string, unknown> = {}) =>
      ({ number, state, systemAttrs }) as unknown as import('../core/frozen-trial.js').FrozenTrial;
    expect(
      budgetStatus([
        t(0, 'complete'),
        t(1, 'fail'),
        t(2, 'fail'),
        t(3, 'waiting', { [RETRIED_FROM_ATTR]: 2 }),
        t(4, 'running'),
        t(5, 'pruned'),
      ]),
    ).toEqual({ counted: 3, running: 1, waiting: 1 });
  });
});

// ------------------------------------------------------------------------------------------------
// PostgreSQL, worker processes

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORKER = fileURLToPath(new URL('./__fixtures__/distributed-worker.ts', import.meta.url));
const skip = await skipWithoutPostgres('run-worker.test.ts');
let db: TestDatabase | undefined;

interface Proc {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  stderr: string;
  /** Resolves at the next line starting with `prefix` (or at exit). */
  next(prefix: string): Promise<string | null>;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const live = new Set<ChildProcessWithoutNullStreams>();
afterEach(() => {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
});

function start(args: readonly string[]): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  const lines: string[] = [];
  let waiters: Array<(line: string | null) => void> = [];
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      const ws = waiters;
      waiters = [];
      for (const w of ws) w(line);
    }
  });
  const proc: Proc = {
    child,
    lines,
    stderr: '',
    next(prefix) {
      return new Promise((resolve) => {
        const wait = (line: string | null): void => {
          if (line === null || line.startsWith(prefix)) resolve(line);
          else waiters.push(wait);
        };
        if (child.exitCode !== null || child.signalCode !== null) resolve(null);
        else waiters.push(wait);
      });
    },
    exit: new Promise((resolve) => {
      child.on('close', (code, signal) => {
        live.delete(child);
        for (const w of waiters.splice(0)) w(null);
        resolve({ code, signal });
      });
    }),
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    proc.stderr += chunk;
  });
  return proc;
}

async function startTogether(argsList: ReadonlyArray<readonly string[]>): Promise<Proc[]> {
  const procs = argsList.map((args) => start(args));
  await Promise.all(procs.map((p) => (p.lines.includes('ready') ? null : p.next('ready'))));
  for (const p of procs) p.child.stdin.write('go\n');
  return procs;
}

describe.skipIf(skip)('runWorker on PostgreSQL with worker processes', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('chaos: 3 of 6 workers killed at random moments; nothing lost, their trials failed and retried, the budget done', async () => {
    const BUDGET = 1000;
    const started = Date.now();
    const seed = randomSeed();
    const rng = new Rng(seed);
    const setup = await PostgresStorage.open(db!.url);
    const study = await createStudy({ studyName: 'chaos', storage: setup });
    await setStudyBudget(study, { trials: BUDGET });
    const procs = await startTogether(
      Array.from({ length: 6 }, (_, i) => ['random', db!.url, 'chaos', String(i + 1)]),
    );
    const victims = procs.slice(0, 3);
    const survivors = procs.slice(3);
    // Each victim dies at a random moment, right after its objective started (a trial in flight).
    await Promise.all(
      victims.map(async (v) => {
        await new Promise((r) => setTimeout(r, 300 + rng.random() * 1500));
        await v.next('start ');
        v.child.kill('SIGKILL');
      }),
    );
    const exits = await Promise.all(procs.map((p) => p.exit));
    for (const [i, p] of survivors.entries()) {
      expect(exits[3 + i], `survivor ${i}: ${p.stderr}`).toEqual({ code: 0, signal: null });
      expect(p.lines.some((l) => l.startsWith('done '))).toBe(true);
      expect(p.stderr).not.toMatch(/worker failed/);
    }
    for (const [i, v] of victims.entries())
      expect(exits[i], v.stderr).toEqual({ code: null, signal: 'SIGKILL' });

    const trials = await study.getTrials();
    const byNumber = new Map(trials.map((t) => [t.number, t]));
    expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i));
    expect(trials.filter((t) => t.state !== 'complete' && t.state !== 'fail')).toEqual([]);
    // No completed trial lost: every trial a worker saw stored complete is complete.
    for (const p of procs) {
      for (const l of p.lines.filter((x) => x.startsWith('complete '))) {
        expect(byNumber.get(Number(l.slice(9)))?.state).toBe('complete');
      }
    }
    // The killed workers' trials in flight were failed by live workers and retried with their parameters.
    const failed = trials.filter((t) => t.state === 'fail');
    for (const v of victims) {
      const startedHere = v.lines.filter((l) => l.startsWith('start ')).map((l) => Number(l.slice(6)));
      const completedHere = new Set(
        v.lines.filter((l) => l.startsWith('complete ')).map((l) => Number(l.slice(9))),
      );
      for (const n of startedHere.filter((x) => !completedHere.has(x))) {
        const t = byNumber.get(n)!;
        if (t.state === 'complete') continue; // finished, but killed before it printed
        expect(String(t.systemAttrs[FAIL_REASON_ATTR])).toMatch(/^heartbeat stopped/);
      }
    }
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) {
      expect(String(f.systemAttrs[FAIL_REASON_ATTR])).toMatch(/^heartbeat stopped/);
      const retries = trials.filter((t) => t.systemAttrs[RETRIED_FROM_ATTR] === f.number);
      expect(retries, `retries of trial ${f.number}`).toHaveLength(1);
      expect(retries[0]!.params).toEqual(f.params);
    }
    const status = budgetStatus(trials);
    expect(status.counted).toBeGreaterThanOrEqual(BUDGET);
    expect(status.counted).toBeLessThanOrEqual(BUDGET + 5);
    await setup.close();
    console.log(
      `chaos (seed ${seed}): ${trials.length} trials, ${failed.length} failed by heartbeat and retried, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 60_000);

  it('a 500-point grid over 8 workers: each point exactly once', async () => {
    const started = Date.now();
    const setup = await PostgresStorage.open(db!.url);
    const study = await createStudy({ studyName: 'grid', storage: setup });
    const procs = await startTogether(
      Array.from({ length: 8 }, (_, i) => ['grid', db!.url, 'grid', String(i)]),
    );
    const exits = await Promise.all(procs.map((p) => p.exit));
    for (const [i, p] of procs.entries())
      expect(exits[i], `worker ${i}: ${p.stderr}`).toEqual({ code: 0, signal: null });
    const trials = await study.getTrials();
    expect(trials).toHaveLength(500);
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
    const points = new Set(trials.map((t) => `${t.params.a},${t.params.b}`));
    expect(points.size).toBe(500);
    const indices = trials.map((t) => t.systemAttrs[GRID_INDEX_ATTR] as number).sort((a, b) => a - b);
    expect(indices).toEqual(Array.from({ length: 500 }, (_, i) => i));
    const perWorker = procs.map((p) => Number(p.lines.find((l) => l.startsWith('done '))?.split(' ')[1]));
    expect(perWorker.reduce((a, b) => a + b, 0)).toBe(500);
    await setup.close();
    console.log(
      `grid: 500 points over 8 workers (${perWorker.join(' + ')}), ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 60_000);
});
