import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createStudy,
  FAIL_REASON_ATTR,
  InMemoryStorage,
  InvalidArgumentError,
  type ParamValue,
  SearchSpaceExhaustedError,
  setLogSink,
  type Trial,
} from 'tunekit';
import { afterEach, describe, expect, it } from 'vitest';
import { describeSamplerConformance } from '../../testing/sampler-conformance.js';
import { WORKER_GRID } from './grid-worker.fixture.js';
import { GRID_INDEX_ATTR, GridSampler } from './index.js';

describeSamplerConformance('GridSampler (exhaustive)', (seed) => new GridSampler(null, { seed }), {
  finiteOnly: true,
});

const GRID = { lr: [1e-3, 1e-2, 1e-1], optimizer: ['sgd', 'adam'], layers: [1, 2, 3, 4] };

function gridObjective(trial: Trial): number {
  const lr = trial.suggestFloat('lr', 1e-4, 1, { log: true });
  const optimizer = trial.suggestCategorical('optimizer', ['sgd', 'adam']);
  const layers = trial.suggestInt('layers', 1, 4);
  return Math.log10(lr) + (optimizer === 'sgd' ? 0 : 1) + layers;
}

function keyOf(params: Readonly<Record<string, ParamValue>>): string {
  return JSON.stringify(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  );
}

function product(grid: Record<string, readonly ParamValue[]>): string[] {
  let points: Array<Record<string, ParamValue>> = [{}];
  for (const [name, values] of Object.entries(grid)) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  }
  return points.map(keyOf).sort();
}

describe('GridSampler with a given grid', () => {
  it('tries each point exactly once with concurrency 4, stopping at the grid size', async () => {
    const study = await createStudy({ sampler: new GridSampler(GRID, { seed: 3 }) });
    await study.optimize(
      async (trial) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        return gridObjective(trial);
      },
      { nTrials: 100, concurrency: 4 },
    );
    const trials = await study.getTrials();
    expect(trials).toHaveLength(24);
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
    expect(trials.map((t) => keyOf(t.params)).sort()).toEqual(product(GRID));
    expect(trials.map((t) => t.systemAttrs[GRID_INDEX_ATTR]).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 24 }, (_, i) => i),
    );
    await expect(study.ask()).rejects.toBeInstanceOf(SearchSpaceExhaustedError);
  });

  it('visits the points in a seeded shuffled order', async () => {
    const order = async (seed: number): Promise<string[]> => {
      const study = await createStudy({ sampler: new GridSampler(GRID, { seed }) });
      await study.optimize(gridObjective);
      return (await study.getTrials()).map((t) => keyOf(t.params));
    };
    const a = await order(1);
    expect(await order(1)).toEqual(a);
    expect(await order(2)).not.toEqual(a);
    expect(a).not.toEqual([...a].sort());
    expect([...a].sort()).toEqual(product(GRID));
  });

  it('refuses a worker with a different grid, and adopts the stored seed', async () => {
    const storage = new InMemoryStorage();
    const first = await createStudy({ studyName: 's', storage, sampler: new GridSampler(GRID, { seed: 1 }) });
    await first.optimize(gridObjective, { nTrials: 5 });

    const other = await createStudy({
      studyName: 's',
      storage,
      loadIfExists: true,
      sampler: new GridSampler({ ...GRID, layers: [1, 2] }, { seed: 1 }),
    });
    const error = await other.ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/different grid.*'layers'/);

    // Same values in another order and another seed: accepted, following the stored order.
    const same = await createStudy({
      studyName: 's',
      storage,
      loadIfExists: true,
      sampler: new GridSampler(
        { optimizer: ['adam', 'sgd'], layers: [4, 3, 2, 1], lr: [1e-1, 1e-2, 1e-3] },
        { seed: 99 },
      ),
    });
    await same.optimize(gridObjective);
    const trials = await same.getTrials();
    expect(trials.map((t) => keyOf(t.params)).sort()).toEqual(product(GRID));

    const reference = await createStudy({ sampler: new GridSampler(GRID, { seed: 1 }) });
    await reference.optimize(gridObjective);
    expect(trials.map((t) => keyOf(t.params))).toEqual(
      (await reference.getTrials()).map((t) => keyOf(t.params)),
    );
  });

  it('fails a trial that suggests a parameter the grid lacks, naming it', async () => {
    const study = await createStudy({ sampler: new GridSampler({ x: [1, 2] }, { seed: 0 }) });
    const sink: string[] = [];
    setLogSink((_level, message) => sink.push(message));
    try {
      await study.optimize((trial) => trial.suggestInt('x', 0, 5) + trial.suggestFloat('y', 0, 1));
    } finally {
      setLogSink(undefined);
    }
    const trials = await study.getTrials();
    expect(trials).toHaveLength(2);
    for (const t of trials) {
      expect(t.state).toBe('fail');
      expect(String(t.systemAttrs[FAIL_REASON_ATTR])).toMatch(/InvalidArgumentError.*'y'.*not in the grid/);
    }
    await expect(
      study.optimize((trial) => trial.suggestInt('x', 0, 5), { stopOnError: true }),
    ).resolves.toBeUndefined(); // exhausted: nothing left to run
  });

  it('fails a trial whose grid value lies outside the suggested range', async () => {
    const study = await createStudy({ sampler: new GridSampler({ x: [1, 50] }, { seed: 0 }) });
    setLogSink(() => {});
    try {
      await study.optimize((trial) => trial.suggestInt('x', 0, 10));
    } finally {
      setLogSink(undefined);
    }
    const trials = await study.getTrials();
    const failed = trials.filter((t) => t.state === 'fail');
    expect(failed).toHaveLength(1);
    expect(String(failed[0]!.systemAttrs[FAIL_REASON_ATTR])).toMatch(/fixed \(enqueued or grid\) value 50/);
    expect(trials.filter((t) => t.state === 'complete').map((t) => t.params.x)).toEqual([1]);
  });

  it('gives an enqueued trial the first listed value of parameters it does not fix', async () => {
    const study = await createStudy({ sampler: new GridSampler(GRID, { seed: 0 }) });
    await study.enqueueTrial({ layers: 3 });
    await study.optimize(gridObjective, { nTrials: 1 });
    const [t] = await study.getTrials();
    expect(t!.params).toEqual({ lr: 1e-3, optimizer: 'sgd', layers: 3 });
    expect(Object.hasOwn(t!.systemAttrs, GRID_INDEX_ATTR)).toBe(false);
    await study.optimize(gridObjective);
    expect(await study.getTrials()).toHaveLength(25); // the enqueued trial used no grid point
  });

  it('validates the grid', () => {
    expect(() => new GridSampler({})).toThrow(InvalidArgumentError);
    expect(() => new GridSampler({ x: [] })).toThrow(/non-empty array/);
    expect(() => new GridSampler({ x: [1, 2, 1] })).toThrow(/appears twice/);
    expect(() => new GridSampler({ x: [1, Number.NaN] })).toThrow(/finite number/);
    expect(() => new GridSampler({ x: [1, '1', true, null] })).not.toThrow();
    expect(() => new GridSampler({ x: [1] }, { seed: Number.NaN })).toThrow(/seed/);
    const big = Array.from({ length: 4096 }, (_, i) => i);
    expect(() => new GridSampler({ a: big, b: big, c: [1, 2] })).toThrow(/more than/);
  });
});

describe('GridSampler over the whole finite space', () => {
  afterEach(() => setLogSink(undefined));

  const sixPoints = async (trial: Trial): Promise<number> => {
    const depth = trial.suggestInt('depth', 1, 3);
    const act = trial.suggestCategorical('act', ['relu', 'tanh']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return depth + act.length;
  };

  for (const concurrency of [1, 3]) {
    it(`covers suggestInt(1..3) × categorical(2) = 6 points exactly once (concurrency ${concurrency})`, async () => {
      const study = await createStudy({ sampler: new GridSampler(null, { seed: 5 }) });
      await study.optimize(sixPoints, { nTrials: 20, concurrency });
      const trials = await study.getTrials();
      expect(trials).toHaveLength(6);
      expect(trials[0]!.params).toEqual({ depth: 1, act: 'relu' }); // the discovery trial
      expect(trials.map((t) => keyOf(t.params)).sort()).toEqual(
        product({ depth: [1, 2, 3], act: ['relu', 'tanh'] }),
      );
      expect(trials.every((t) => t.state === 'complete')).toBe(true);
    });
  }

  it('lets the other workers wait for the discovery trial, whatever state it ends in', async () => {
    const sampler = new GridSampler(null, { seed: 1 });
    const study = await createStudy({ sampler });
    const discovery = await study.ask();
    expect(discovery.suggestInt('n', 0, 2)).toBe(0);
    let second: Trial | null = null;
    const waiting = study.ask().then((t) => {
      second = t;
    });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(second).toBeNull();
    await study.tell(discovery, { state: 'fail' });
    await waiting;
    expect(second!.number).toBe(1);
    expect(second!.suggestInt('n', 0, 2)).not.toBe(0);
  });

  it('refuses a continuous float, telling the user to give a step or a grid', async () => {
    const study = await createStudy({ sampler: new GridSampler() });
    const run = study.optimize((trial) => trial.suggestFloat('x', 0, 1) + trial.suggestInt('n', 0, 2));
    await expect(run).rejects.toThrow(InvalidArgumentError);
    await expect(run).rejects.toThrow(/'x' is a continuous float.*step.*new GridSampler\(\{ x/);
    expect(await study.getTrials()).toHaveLength(1); // the discovery trial
  });

  it('covers the parameters of the branches the discovery trial took; others take their lowest value', async () => {
    const warnings: string[] = [];
    setLogSink((level, message) => {
      if (level === 'warn') warnings.push(message);
    });
    const study = await createStudy({ sampler: new GridSampler(null, { seed: 2 }) });
    await study.optimize((trial) => {
      const kind = trial.suggestCategorical('kind', ['sgd', 'adam']);
      if (kind === 'sgd') return trial.suggestInt('momentum', 0, 2);
      return trial.suggestInt('beta', 5, 9);
    });
    const trials = await study.getTrials();
    // Grid: kind (2) × momentum (3); the adam points differ only in momentum, which they ignore.
    expect(trials).toHaveLength(6);
    const sgd = trials.filter((t) => t.params.kind === 'sgd').map((t) => t.params.momentum);
    expect(sgd.sort()).toEqual([0, 1, 2]);
    const adam = trials.filter((t) => t.params.kind === 'adam');
    expect(adam).toHaveLength(3);
    expect(adam.every((t) => t.params.beta === 5)).toBe(true);
    expect(warnings.filter((w) => w.includes("'beta'"))).toHaveLength(1);
  });

  it('shares one exhaustive grid between samplers of one study', async () => {
    const storage = new InMemoryStorage();
    const studies = await Promise.all(
      [1, 2, 3].map((seed) =>
        createStudy({
          studyName: 'shared',
          storage,
          loadIfExists: true,
          sampler: new GridSampler(null, { seed }),
        }),
      ),
    );
    await Promise.all(studies.map((s) => s.optimize(sixPoints, { concurrency: 2 })));
    const trials = await studies[0]!.getTrials();
    expect(trials.map((t) => keyOf(t.params)).sort()).toEqual(
      product({ depth: [1, 2, 3], act: ['relu', 'tanh'] }),
    );
    const given = await createStudy({
      studyName: 'shared',
      storage,
      loadIfExists: true,
      sampler: new GridSampler({ depth: [1, 2, 3], act: ['relu', 'tanh'] }),
    });
    await expect(given.ask()).rejects.toThrow(/enumerates the whole search space/);
  });
});

describe('GridSampler across processes', () => {
  it('covers a 60-point grid exactly once with 3 processes sharing one SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunekit-grid-'));
    const file = join(dir, 'grid.db');
    const worker = fileURLToPath(new URL('./grid-worker.fixture.ts', import.meta.url));
    try {
      const runs = [11, 22, 33].map(
        (seed) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(
              process.execPath,
              ['--import', 'tsx', worker, file, 'grid-mp', String(seed), '3'],
              {
                stdio: ['ignore', 'ignore', 'pipe'],
              },
            );
            let stderr = '';
            child.stderr.on('data', (chunk: Buffer) => {
              stderr += chunk.toString();
            });
            child.on('error', reject);
            child.on('exit', (code) =>
              code === 0 ? resolve() : reject(new Error(`worker exited with ${code}: ${stderr}`)),
            );
          }),
      );
      await Promise.all(runs);
      const study = await createStudy({
        studyName: 'grid-mp',
        storage: `sqlite:///${file}`,
        loadIfExists: true,
      });
      try {
        const trials = await study.getTrials();
        expect(trials).toHaveLength(60);
        expect(trials.every((t) => t.state === 'complete')).toBe(true);
        expect(trials.map((t) => keyOf(t.params)).sort()).toEqual(product(WORKER_GRID));
        // Every process ran trials: the claims really raced.
        expect(new Set(trials.map((t) => t.userAttrs.worker))).toEqual(new Set([11, 22, 33]));
      } finally {
        await study.storage.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
