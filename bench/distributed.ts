/**
 * Distributed optimization on PostgreSQL (`npm run bench:distributed`): aggregate trials/s of 1,
 * 2, 4 and 8 worker processes on one study (RandomSampler, trivial objective), the scaling
 * efficiency of a slow objective, and the time to load a 10,000-trial study into a fresh
 * storage (then to re-read it with one trial changed).
 *
 * It creates a database of its own through the maintenance database of
 * `TUNEKIT_BENCH_POSTGRES_URL` (default `postgresql://postgres@127.0.0.1:5432/postgres`) and drops
 * it afterwards.
 *
 * Optuna's RDB storage on the same server (a database of its own, since the table names
 * collide) runs the same workload with the same worker counts when `/usr/bin/python3` can
 * `import optuna, psycopg2` (Debian: python3-optuna python3-psycopg2); the table then shows its
 * trials/s and tunekit's ratio to it, else a note says why the column is missing.
 *
 * Options: --workers 1,2,4,8  --trials N (per worker, default 200)  --slow-ms M (default 100;
 * 0 skips the slow-objective table)  --slow-trials N (per worker, default 20)  --load N (default
 * 10000; 0 skips)  --repeats R (load timings, default 5)  --no-optuna (skip Optuna's runs)  --cpu-prof DIR (V8 CPU profiles of tunekit's workers there).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Rng } from '../src/core/rng.js';
import {
  categoricalDistribution,
  createStudy,
  floatDistribution,
  intDistribution,
  RandomSampler,
  setLogLevel,
} from '../src/index.js';
import { PostgresStorage } from '../src/storages/postgres/index.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  allowNegative: true,
  options: {
    worker: { type: 'boolean', default: false },
    workers: { type: 'string', default: '1,2,4,8' },
    trials: { type: 'string', default: '200' },
    'slow-ms': { type: 'string', default: '100' },
    'slow-trials': { type: 'string', default: '20' },
    load: { type: 'string', default: '10000' },
    repeats: { type: 'string', default: '5' },
    optuna: { type: 'boolean', default: true },
    'cpu-prof': { type: 'string' },
  },
});

/** Optuna's side: `setup <url> <study>` creates the study; `worker <url> <study> <trials> <seed> <sleepMs>` as tunekit's. */
const OPTUNA_SCRIPT = `
import sys, time, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
mode, url, name = sys.argv[1:4]
storage = optuna.storages.RDBStorage(url)
if mode == 'setup':
    optuna.create_study(study_name=name, storage=storage, direction='minimize', load_if_exists=True)
    sys.exit(0)
trials, seed, ms = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
study = optuna.load_study(study_name=name, storage=storage, sampler=optuna.samplers.RandomSampler(seed=seed))
def objective(trial):
    x = trial.suggest_float('x', -10, 10)
    k = trial.suggest_categorical('k', ['a', 'b'])
    if ms > 0:
        time.sleep(ms / 1000)
    return x * x + (0 if k == 'a' else 1)
print('ready', flush=True)
sys.stdin.readline()
t0 = time.perf_counter()
study.optimize(objective, n_trials=trials)
print('done %.3f' % (time.perf_counter() - t0), flush=True)
`;
const PYTHON = '/usr/bin/python3';

if (args.worker) {
  await worker();
} else {
  await main();
}

/** Worker mode: `--worker <url> <study> <trials> <seed> <sleepMs>`; prints `ready`, waits for a line. */
async function worker(): Promise<void> {
  const [url, studyName, trials, seed, sleepMs] = positionals as [string, string, string, string, string];
  setLogLevel('warn');
  const storage = await PostgresStorage.open(url, { poolSize: 2 });
  const study = await createStudy({
    studyName,
    storage,
    sampler: new RandomSampler({ seed: Number(seed) }),
    loadIfExists: true,
  });
  const pause = Number(sleepMs);
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await study.optimize(
    async (trial) => {
      const x = trial.suggestFloat('x', -10, 10);
      const k = trial.suggestCategorical('k', ['a', 'b']);
      if (pause > 0) await new Promise((r) => setTimeout(r, pause));
      return x * x + (k === 'a' ? 0 : 1);
    },
    { nTrials: Number(trials), handleSigint: false },
  );
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `done ${((performance.now() - t0) / 1000).toFixed(3)} cpu ${((cpu.user + cpu.system) / 1e6).toFixed(3)}\n`,
  );
  // Stays connected until told to exit, so that the bench can read its backends' CPU time.
  await new Promise<void>((resolve) => {
    process.stdin.on('data', (d) => {
      if (String(d).includes('exit')) resolve();
    });
    process.stdin.on('end', () => resolve());
  });
  await storage.close();
  process.exit(0);
}

/** Why Optuna cannot run here, or null when it can. */
function optunaMissing(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import optuna, psycopg2; print(optuna.__version__)'], {
    encoding: 'utf8',
  });
  if (probe.error) return `${PYTHON} not found`;
  if (probe.status !== 0) {
    const last = probe.stderr.trim().split('\n').pop() ?? 'import failed';
    return `${PYTHON} -c 'import optuna, psycopg2' failed (${last}); install python3-optuna python3-psycopg2`;
  }
  return null;
}

type Engine = 'tunekit' | 'optuna';

/** CPU seconds of process `pid` (user + system) from /proc, or null (not Linux, not visible). */
function processCpuSeconds(pid: number): number | null {
  try {
    // Fields after the command's closing parenthesis; utime and stime are fields 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // clock ticks (USER_HZ, 100 on Linux)
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by each backend connected to database `db`, when the server runs on
 * this machine (/proc shows its processes); null otherwise.
 */
async function backendCpu(admin: pg.Client, db: string): Promise<Map<number, number> | null> {
  const r = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [db],
  );
  const out = new Map<number, number>();
  for (const { pid } of r.rows) {
    const cpu = processCpuSeconds(pid);
    if (cpu === null) return null;
    out.set(pid, cpu);
  }
  return out;
}

/** A run's aggregate trials/s and CPU milliseconds per trial (null when not measurable). */
interface RunResult {
  rate: number;
  workerMs: number | null;
  serverMs: number | null;
}

/**
 * Runs `n` workers on a new study; returns aggregate trials/s (from the go signal to the last
 * done) and, for tunekit's workers, the CPU time per trial of the workers and of their backends
 * on the server (from the go signal to the last done: each worker reports its own, and the
 * backends of the bench's database are read from /proc before the workers close them).
 */
async function run(
  url: string,
  study: string,
  n: number,
  trials: number,
  sleepMs: number,
  engine: Engine = 'tunekit',
  server: { admin: pg.Client; db: string } | null = null,
): Promise<RunResult> {
  const file = fileURLToPath(import.meta.url);
  if (engine === 'optuna') {
    const setup = spawnSync(PYTHON, ['-c', OPTUNA_SCRIPT, 'setup', url, study], { encoding: 'utf8' });
    if (setup.status !== 0) throw new Error(`optuna setup failed: ${setup.stderr}`);
  }
  const children = Array.from({ length: n }, (_, i) =>
    engine === 'optuna'
      ? spawn(
          PYTHON,
          ['-c', OPTUNA_SCRIPT, 'worker', url, study, String(trials), String(i + 1), String(sleepMs)],
          { stdio: ['pipe', 'pipe', 'inherit'] },
        )
      : spawn(
          process.execPath,
          [
            ...(args['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`]),
            '--import',
            'tsx',
            file,
            '--worker',
            url,
            study,
            String(trials),
            String(i + 1),
            String(sleepMs),
          ],
          { stdio: ['pipe', 'pipe', 'inherit'] },
        ),
  );
  const outputs = children.map((c) => {
    // Optuna's workers exit once done: a late write to their stdin fails harmlessly.
    c.stdin.on('error', () => undefined);
    let text = '';
    c.stdout.setEncoding('utf8');
    const ready = new Promise<void>((resolve) => {
      c.stdout.on('data', (d: string) => {
        text += d;
        if (text.includes('ready')) resolve();
      });
    });
    const finished = new Promise<void>((resolve) => {
      c.stdout.on('data', () => {
        if (/done .*\n/.test(text)) resolve();
      });
    });
    const closed = new Promise<number | null>((resolve) => c.on('close', (code) => resolve(code)));
    return { ready, finished, closed, text: () => text };
  });
  await Promise.all(outputs.map((o) => o.ready));
  const measured = engine === 'tunekit' && server !== null;
  const before = measured ? await backendCpu(server.admin, server.db) : null;
  const t0 = performance.now();
  for (const c of children) c.stdin.write('go\n');
  // A worker that fails exits without printing done.
  await Promise.all(outputs.map((o) => Promise.race([o.finished, o.closed])));
  const seconds = (performance.now() - t0) / 1000;
  const after = measured ? await backendCpu(server.admin, server.db) : null;
  for (const c of children) c.stdin.end('exit\n');
  const codes = await Promise.all(outputs.map((o) => o.closed));
  if (codes.some((c) => c !== 0)) throw new Error(`a worker failed: exit codes ${codes.join(', ')}`);
  let serverCpu: number | null = null;
  if (before !== null && after !== null) {
    serverCpu = 0;
    for (const [pid, cpu] of after) serverCpu += cpu - (before.get(pid) ?? 0);
  }
  // tunekit's workers report their own CPU time from the go signal on (no start-up).
  const reported = outputs.map((o) => /cpu ([0-9.]+)/.exec(o.text())?.[1]);
  const workerCpu =
    engine === 'tunekit' && reported.every((x) => x !== undefined)
      ? reported.reduce((sum, x) => sum + Number(x), 0)
      : null;
  const perTrial = (x: number | null): number | null => (x === null ? null : (x * 1000) / (n * trials));
  return { rate: (n * trials) / seconds, workerMs: perTrial(workerCpu), serverMs: perTrial(serverCpu) };
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const adminUrl = process.env.TUNEKIT_BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `tunekit_bench_${randomBytes(4).toString('hex')}`;
  const adminClient = new pg.Client({ connectionString: adminUrl });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const missing = args.optuna ? optunaMissing() : 'skipped (--no-optuna)';
  const optunaUrl = missing === null ? url.replace(`/${name}`, `/${name}_optuna`) : null;
  if (optunaUrl !== null) await adminClient.query(`CREATE DATABASE ${name}_optuna`);
  try {
    const server = await adminClient.query<{ server_version: string }>('SHOW server_version');
    console.log(
      `PostgreSQL ${server.rows[0]?.server_version} at ${u.host}; Node ${process.version}; ${(await import('node:os')).cpus().length} CPUs\n`,
    );
    // Schema created once, before the timed runs.
    await (await PostgresStorage.open(url)).close();

    const counts = args.workers.split(',').map(Number);
    const trials = Number(args.trials);
    console.log(`Throughput, trivial objective, RandomSampler, ${trials} trials per worker`);
    if (optunaUrl === null) console.log(`(no Optuna column: ${missing})`);
    else
      console.log(
        '(Optuna: its RDB storage on the same server, a database of its own; ratio = tunekit / Optuna)',
      );
    const backends = { admin: adminClient, db: name };
    const probe = await backendCpu(adminClient, name);
    console.log(
      'CPU ms per trial, from the go signal to the last worker done: node = the worker processes, ' +
        'server = their PostgreSQL backends' +
        (probe === null ? ' (not measurable here: the server is not on this machine)' : ''),
    );
    const optunaHead = optunaUrl === null ? '' : ' Optuna trials/s | ratio |';
    console.log(
      `| workers | trials | trials/s | per worker | vs 1 worker | CPU ms/trial node | CPU ms/trial server |${optunaHead}`,
    );
    console.log(
      `|--------:|-------:|---------:|-----------:|------------:|------------------:|--------------------:|${optunaUrl === null ? '' : '---------------:|------:|'}`,
    );
    const ms = (x: number | null): string => (x === null ? '–' : x.toFixed(2));
    let base = 0;
    for (const n of counts) {
      const { rate, workerMs, serverMs } = await run(url, `fast-${n}`, n, trials, 0, 'tunekit', backends);
      if (n === 1 || base === 0) base = rate / n;
      let optuna = '';
      if (optunaUrl !== null) {
        const theirs = (await run(optunaUrl, `fast-${n}`, n, trials, 0, 'optuna')).rate;
        optuna = ` ${theirs.toFixed(0)} | ${(rate / theirs).toFixed(1)}× |`;
      }
      console.log(
        `| ${n} | ${n * trials} | ${rate.toFixed(0)} | ${(rate / n).toFixed(0)} | ${(rate / base).toFixed(2)}× | ${ms(workerMs)} | ${ms(serverMs)} |${optuna}`,
      );
    }

    const slowMs = Number(args['slow-ms']);
    if (slowMs > 0) {
      const slowTrials = Number(args['slow-trials']);
      const top = Math.max(...counts);
      console.log(`\nScaling with a ${slowMs} ms objective, ${slowTrials} trials per worker`);
      console.log('| workers | trials/s | efficiency |');
      console.log('|--------:|---------:|-----------:|');
      const one = (await run(url, 'slow-1', 1, slowTrials, slowMs)).rate;
      console.log(`| 1 | ${one.toFixed(1)} | 100% |`);
      const many = (await run(url, `slow-${top}`, top, slowTrials, slowMs)).rate;
      console.log(`| ${top} | ${many.toFixed(1)} | ${((100 * many) / (top * one)).toFixed(0)}% |`);
    }

    const n = Number(args.load);
    if (n > 0) await loadTimes(url, n, Number(args.repeats));
  } finally {
    if (optunaUrl !== null) await adminClient.query(`DROP DATABASE IF EXISTS ${name}_optuna WITH (FORCE)`);
    await adminClient.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminClient.end();
  }
}

/** Fills a study with `n` complete trials, then times cold loads and incremental re-reads. */
async function loadTimes(url: string, n: number, repeats: number): Promise<void> {
  const writer = await PostgresStorage.open(url, { poolSize: 8 });
  const sid = await writer.createStudy('load', ['minimize']);
  const distributions = {
    x: floatDistribution(-10, 10),
    lr: floatDistribution(1e-5, 1, { log: true }),
    opt: categoricalDistribution(['adam', 'sgd', 'rmsprop']),
    layers: intDistribution(1, 8),
  };
  const rng = new Rng(0);
  const t0 = performance.now();
  for (let i = 0; i < n; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, n - i) }, (_, j) =>
        writer.createTrial(sid, {
          state: 'complete',
          values: [i + j],
          params: {
            x: rng.uniform(-10, 10),
            lr: 10 ** (-5 * rng.random()),
            opt: j % 3,
            layers: 1 + (j % 8),
          },
          distributions,
          intermediateValues: new Map([
            [0, i + j + 1],
            [1, i + j + 0.5],
          ]),
          userAttrs: { worker: j % 8 },
        }),
      ),
    );
  }
  const fill = (performance.now() - t0) / 1000;
  const cold: number[] = [];
  const warm: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const reader = await PostgresStorage.open(url);
    const a = performance.now();
    const trials = await reader.getAllTrials(sid);
    cold.push(performance.now() - a);
    if (trials.length !== n + r) throw new Error(`loaded ${trials.length} trials, expected ${n + r}`);
    const t = await writer.createTrial(sid);
    await writer.finishTrial(t.trialId, 'complete', [0]);
    const b = performance.now();
    await reader.getAllTrials(sid);
    warm.push(performance.now() - b);
    await reader.close();
  }
  await writer.close();
  const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
  console.log(`\nLoading a study of ${n} trials (4 parameters, 2 intermediate values, 1 attribute each)`);
  console.log(`filled in ${fill.toFixed(1)} s through createTrial (100 at a time)`);
  console.log('| read | median ms | min ms |');
  console.log('|------|----------:|-------:|');
  console.log(
    `| cold: fresh storage, all trials | ${median(cold).toFixed(0)} | ${Math.min(...cold).toFixed(0)} |`,
  );
  console.log(
    `| incremental: one new trial since | ${median(warm).toFixed(1)} | ${Math.min(...warm).toFixed(1)} |`,
  );
}
