/**
 * Per-trial overhead of `optimize` with a trivial objective and 10 float parameters
 * (`npm run bench:overhead`). Prints tunekit's figures, Optuna's measured in the same run
 * (Debian's python3-optuna, when /usr/bin/python3 can import it) and the ratios.
 *
 * Options: --trials N (default 1000), --repeats R (default 5), --no-optuna.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createStudy, RandomSampler } from '../src/index.js';

const { values: args } = parseArgs({
  options: {
    trials: { type: 'string', default: '1000' },
    repeats: { type: 'string', default: '5' },
    'no-optuna': { type: 'boolean', default: false },
  },
});
const nTrials = Number(args.trials);
const repeats = Number(args.repeats);

function objective(trial: import('../src/index.js').Trial): number {
  let s = 0;
  for (let i = 0; i < 10; i++) s += trial.suggestFloat(`x${i}`, -5, 5) ** 2;
  return s;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function tunekitMsPerTrial(storage: () => string | undefined, trials: number): Promise<number> {
  const times: number[] = [];
  // Repeat 0 warms the JIT up and is not counted.
  for (let r = -1; r < repeats; r++) {
    const study = await createStudy({ storage: storage(), sampler: new RandomSampler({ seed: r + 1 }) });
    const t0 = performance.now();
    await study.optimize(objective, { nTrials: trials });
    if (r >= 0) times.push((performance.now() - t0) / trials);
    await study.storage.close();
  }
  return median(times);
}

function optunaMsPerTrial(storage: string | null, trials: number): number | null {
  const script = `
import sys, time, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
def obj(t):
    return sum(t.suggest_float(f"x{i}", -5, 5) ** 2 for i in range(10))
storage = sys.argv[1] if sys.argv[1] != "none" else None
n = int(sys.argv[2])
best = []
for r in range(int(sys.argv[3])):
    s = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=r))
    t0 = time.perf_counter(); s.optimize(obj, n_trials=n); best.append((time.perf_counter() - t0) / n * 1000)
best.sort(); print(best[len(best) // 2])
`;
  const res = spawnSync(
    '/usr/bin/python3',
    ['-c', script, storage ?? 'none', String(trials), String(storage ? 1 : 3)],
    {
      encoding: 'utf8',
    },
  );
  if (res.status !== 0) return null;
  return Number(res.stdout.trim());
}

function importAndCreateMs(): number | null {
  if (!existsSync('dist/index.js')) execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  const code = `const t0 = performance.now(); const m = await import('./dist/index.js'); await m.createStudy(); console.log(performance.now() - t0);`;
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    runs.push(Number(out.trim()));
  }
  return median(runs);
}

const dir = mkdtempSync(join(tmpdir(), 'tunekit-bench-'));
let k = 0;
const memory = await tunekitMsPerTrial(() => undefined, nTrials);
const sqlite = await tunekitMsPerTrial(() => `sqlite:///${join(dir, `b${k++}.db`)}`, nTrials);
const startup = importAndCreateMs();
const optunaTrialsSqlite = Math.min(nTrials, 200);
const optunaMemory = args['no-optuna'] ? null : optunaMsPerTrial(null, nTrials);
const optunaSqlite = args['no-optuna']
  ? null
  : optunaMsPerTrial(`sqlite:///${join(dir, 'optuna.db')}`, optunaTrialsSqlite);
rmSync(dir, { recursive: true, force: true });

const fmt = (x: number | null, d = 4) => (x === null ? 'n/a' : x.toFixed(d));
const ratio = (a: number, b: number | null) => (b === null ? 'n/a' : `${(b / a).toFixed(1)}× faster`);
console.log(
  `overhead benchmark: RandomSampler, 10 float params, trivial objective, ${nTrials} trials, median of ${repeats} after a warm-up run`,
);
console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log('| case | tunekit ms/trial | target | Optuna 3.1 ms/trial (same run) | ratio |');
console.log('|---|---|---|---|---|');
console.log(
  `| in memory | ${fmt(memory)} | ≤ 0.05 | ${fmt(optunaMemory)} | ${ratio(memory, optunaMemory)} |`,
);
console.log(
  `| SQLite, local disk | ${fmt(sqlite)} | ≤ 0.5 | ${fmt(optunaSqlite)} (${optunaTrialsSqlite} trials) | ${ratio(sqlite, optunaSqlite)} |`,
);
console.log(`| import + createStudy (in memory), ms | ${fmt(startup, 1)} | ≤ 50 | | |`);
