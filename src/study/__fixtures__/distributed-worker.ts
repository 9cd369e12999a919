/**
 * A worker process for the distributed tests (`run-worker.test.ts`): `runWorker` on a PostgreSQL
 * study. Usage: `node --import tsx distributed-worker.ts <random|grid> <url> <studyName> <seed>`.
 *
 * Prints `ready`, waits for a line on stdin (so that the workers start together), then runs;
 * prints `start <n>` when the objective of trial n begins, `complete <n>` once trial n is stored
 * complete, and `done <trials it finished> <counted trials of the study>` at the end.
 */
import { createInterface } from 'node:readline';
import { setLogLevel } from '../../core/logging.js';
import { Rng } from '../../core/rng.js';
import { GridSampler } from '../../samplers/grid/grid-sampler.js';
import { RandomSampler } from '../../samplers/random/random-sampler.js';
import { PostgresStorage } from '../../storages/postgres/postgres-storage.js';
import { runWorker } from '../run-worker.js';

const [mode, url, studyName, seedArg] = process.argv.slice(2);
if (url === undefined || studyName === undefined) {
  throw new Error('usage: distributed-worker.ts <random|grid> <url> <studyName> <seed>');
}
const seed = Number(seedArg ?? 0);
const jitter = new Rng(seed + 1000);
setLogLevel('warn');
const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** The 500-point grid of the grid test: 25 × 20. */
const GRID = {
  a: Array.from({ length: 25 }, (_, i) => i),
  b: Array.from({ length: 20 }, (_, i) => i),
};

async function main(): Promise<void> {
  say('ready');
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
  const storage = await PostgresStorage.open(url!, { poolSize: 2, initialBackoffMs: 50, maxBackoffMs: 1000 });
  const result = await runWorker({
    storage,
    studyName: studyName!,
    sampler: mode === 'grid' ? new GridSampler(GRID, { seed: 7 }) : new RandomSampler({ seed }),
    heartbeatInterval: 0.2,
    gracePeriod: 0.6,
    failedTrialRetries: 3,
    pollInterval: 0.1,
    handleSigint: false,
    objective: async (trial) => {
      if (mode === 'grid') {
        const a = trial.suggestInt('a', 0, 24);
        const b = trial.suggestInt('b', 0, 19);
        return a * 100 + b;
      }
      const x = trial.suggestFloat('x', -10, 10);
      await trial.flush(); // the parameters are stored (a real objective trains for a while first)
      say(`start ${trial.number}`);
      await new Promise((r) => setTimeout(r, 5 + 10 * jitter.random()));
      return x * x;
    },
    callbacks: [
      (_s, t) => {
        if (t.state === 'complete') say(`complete ${t.number}`);
      },
    ],
  });
  say(`done ${result.trials} ${result.counted}`);
  await storage.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`worker failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
