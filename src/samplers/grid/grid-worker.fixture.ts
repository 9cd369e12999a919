/**
 * A worker process for the multi-process grid test: joins (or creates) a study in a SQLite file
 * and runs a GridSampler until the grid is exhausted.
 * Usage: node --import tsx grid-worker.fixture.ts <sqlite file> <study name> <seed> <number of workers>
 */

import { Rng } from '../../core/rng.js';
import { createStudy } from '../../study/create-study.js';
import { GridSampler } from './grid-sampler.js';

const jitter = new Rng(process.pid);

/** The 60-point grid of the test: 5 × 4 × 3. */
export const WORKER_GRID = {
  a: [0, 1, 2, 3, 4],
  b: ['w', 'x', 'y', 'z'],
  c: [true, false, null],
};

async function main(): Promise<void> {
  const [file, studyName, seed, count] = process.argv.slice(2);
  if (file === undefined || studyName === undefined || seed === undefined || count === undefined) {
    throw new Error('usage: grid-worker.fixture.ts <sqlite file> <study name> <seed> <number of workers>');
  }
  const workers = Number(count);
  const study = await createStudy({
    studyName,
    storage: `sqlite:///${file}`,
    sampler: new GridSampler(WORKER_GRID, { seed: Number(seed) }),
    loadIfExists: true,
  });
  // Barrier: start only when every worker joined, so that the processes really race.
  await study.setUserAttr(`ready:${seed}`, true);
  const deadline = Date.now() + 30_000;
  while (Object.keys(await study.userAttrs()).length < workers && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await study.optimize(
    async (trial) => {
      trial.setUserAttr('worker', Number(seed));
      const a = trial.suggestInt('a', 0, 4);
      const b = trial.suggestCategorical('b', ['w', 'x', 'y', 'z']);
      const c = trial.suggestCategorical('c', [true, false, null]);
      await new Promise((resolve) => setTimeout(resolve, 2 + jitter.random() * 8));
      return a + b.length + (c === true ? 1 : 0);
    },
    { concurrency: 2 },
  );
  await study.storage.close();
}

if (process.argv[1]?.endsWith('grid-worker.fixture.ts')) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
