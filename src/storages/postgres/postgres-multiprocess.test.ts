/**
 * Several processes on one PostgreSQL study: numbering, exactly-once compare-and-set, and
 * connections cut in the middle of a run. Each worker is `__fixtures__/worker.ts` run through tsx.
 *
 * The default run is 8 workers × 125 trials; `TUNEKIT_PG_FULL=1` runs the full 16 × 250 (about
 * 15–20 s on two busy cores).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  createTestDatabase,
  skipWithoutPostgres,
  type TestDatabase,
} from './__fixtures__/test-database.js';
import { PostgresStorage } from './postgres-storage.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER = fileURLToPath(new URL('./__fixtures__/worker.ts', import.meta.url));
const FULL = process.env.TUNEKIT_PG_FULL === '1';
const WORKERS = FULL ? 16 : 8;
const TRIALS = FULL ? 250 : 125;

const skip = await skipWithoutPostgres('postgres-multiprocess.test.ts');
let db: TestDatabase;

interface Worker {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  stderr: string;
  waitFor(prefix: string): Promise<void>;
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
    waitFor(prefix) {
      return new Promise<void>((resolve) => {
        const check = (): void => {
          if (ended || lines.some((l) => l.startsWith(prefix))) resolve();
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

/** Checks a finished optimize run: every trial complete, numbers 0..n-1 once, values right. */
async function checkStudy(url: string, studyName: string, n: number): Promise<void> {
  const s = await PostgresStorage.open(url);
  try {
    const sid = await s.getStudyIdFromName(studyName);
    const trials = await s.getAllTrials(sid);
    expect(trials).toHaveLength(n);
    expect(trials.filter((t) => t.state !== 'complete').map((t) => [t.number, t.state])).toEqual([]);
    expect(trials.map((t) => t.number)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(new Set(trials.map((t) => t.trialId)).size).toBe(n);
    for (const t of trials) {
      expect(Object.keys(t.params).sort()).toEqual(['k', 'x']);
      const x = t.params.x as number;
      expect(t.values![0]).toBeCloseTo(x * x + (t.params.k === 'a' ? 0 : 1), 12);
    }
    const [raw] = await admin<{ n: number; distinct: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT number)::int AS distinct FROM trials WHERE study_id = $1`,
      [sid],
      url,
    );
    expect(raw).toEqual({ n, distinct: n });
  } finally {
    await s.close();
  }
}

describe.skipIf(skip)('PostgreSQL with several processes', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it(`${WORKERS} processes × ${TRIALS} trials on one study: numbers 0..${WORKERS * TRIALS - 1} exactly once, nothing lost`, async () => {
    const started = Date.now();
    // The workers also create the schema and the study together (advisory lock, loadIfExists).
    const workers = await startTogether(
      Array.from({ length: WORKERS }, (_, i) => [
        'optimize',
        db.url,
        'shared',
        String(TRIALS),
        String(i + 1),
      ]),
    );
    const exits = await Promise.all(workers.map((w) => w.exit));
    for (const [i, w] of workers.entries()) {
      expect(exits[i], `worker ${i}: ${w.stderr}`).toEqual({ code: 0, signal: null });
      expect(w.lines.some((l) => l.startsWith(`done ${TRIALS} `))).toBe(true);
      expect(w.stderr).toBe('');
    }
    await checkStudy(db.url, 'shared', WORKERS * TRIALS);
    const seconds = (Date.now() - started) / 1000;
    const optimizing = Math.max(
      ...workers.map((w) => Number(w.lines.find((l) => l.startsWith('done '))!.split(' ')[2])),
    );
    console.log(
      `${WORKERS} × ${TRIALS} trials: ${seconds.toFixed(1)} s with process starts, ${optimizing.toFixed(1)} s optimizing (${((WORKERS * TRIALS) / optimizing).toFixed(0)} trials/s)`,
    );
  });

  it('4 processes × 50 compare-and-set claims: indices 0..199 exactly once', async () => {
    const workers = await startTogether(
      Array.from({ length: 4 }, (_, i) => ['claim', db.url, 'grid', '50', String(i)]),
    );
    const exits = await Promise.all(workers.map((w) => w.exit));
    const all: number[] = [];
    for (const [i, w] of workers.entries()) {
      expect(exits[i], `worker ${i}: ${w.stderr}`).toEqual({ code: 0, signal: null });
      expect(w.stderr).toBe('');
      const line = w.lines.find((l) => l.startsWith('claimed '));
      expect(line, w.stderr).toBeDefined();
      all.push(...(JSON.parse(line!.slice('claimed '.length)) as number[]));
    }
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const s = await PostgresStorage.open(db.url);
    try {
      expect(await s.getStudySystemAttrs(await s.getStudyIdFromName('grid'))).toEqual({ counter: 200 });
    } finally {
      await s.close();
    }
  });

  it('workers whose connections are terminated mid-run retry, log one line per outage, and finish', async () => {
    const started = Date.now();
    const workers = await startTogether(
      Array.from({ length: 4 }, (_, i) => ['optimize', db.url, 'dropped', '80', String(50 + i)]),
    );
    const countComplete = async (): Promise<number> => {
      const rows = await admin<{ n: number }>(
        `SELECT count(*)::int AS n FROM trials t JOIN studies s USING (study_id)
         WHERE s.study_name = 'dropped' AND t.state = 'complete'`,
        [],
        db.url,
      ).catch(() => [{ n: 0 }]);
      return rows[0]?.n ?? 0;
    };
    while ((await countComplete()) < 60) await new Promise((r) => setTimeout(r, 50));
    let terminated = 0;
    for (let round = 0; round < 2; round++) {
      const rows = await admin<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [db.name],
      );
      terminated += rows.filter((r) => r.ok).length;
      await new Promise((r) => setTimeout(r, 400));
    }
    expect(terminated).toBeGreaterThan(0);
    const exits = await Promise.all(workers.map((w) => w.exit));
    let logged = 0;
    for (const [i, w] of workers.entries()) {
      expect(exits[i], `worker ${i}: ${w.stderr}`).toEqual({ code: 0, signal: null });
      expect(w.lines.some((l) => l.startsWith('done 80 '))).toBe(true);
      expect(w.stderr).not.toMatch(/worker failed|Error/);
      const warnings = w.stderr.split('\n').filter((l) => l.startsWith('[tunekit warn]'));
      for (const line of warnings) {
        expect(line).toMatch(
          /lost the connection to PostgreSQL at .+ during .+ \(.+\); retrying with exponential backoff for up to 30 s\./,
        );
      }
      expect(warnings.length).toBeLessThanOrEqual(2);
      if (warnings.length > 0) logged++;
    }
    expect(logged).toBeGreaterThan(0);
    await checkStudy(db.url, 'dropped', 320);
    console.log(
      `connection drops: ${terminated} connections terminated, ${logged}/4 workers logged, run took ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});
