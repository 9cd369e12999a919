// `sampler: grid` in a study file: `tunekit run` declares the study file's params to the grid
// sampler (as study.optimize(space, …) does), so a conditional or nested space is enumerated
// exactly, once per configuration; a study started in the older define-by-run grid resumes.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRID_DEFINITION_ATTR, GRID_INDEX_ATTR, GridSampler } from '../samplers/grid/grid-sampler.js';
import { createStudy, loadStudy } from '../study/create-study.js';
import { buildCli, runCli, tempDir } from './e2e-harness.js';
import { suggestAll } from './space.js';
import { loadStudyFile } from './study-file.js';

let bin: string;
beforeAll(async () => {
  bin = await buildCli();
});
afterAll(() => {
  if (bin) rmSync(dirname(bin), { recursive: true, force: true });
});

/** The objective: 1 for every configuration (the test looks at which configurations ran). */
const OBJECTIVE = [
  "const params = JSON.parse(require('node:fs').readFileSync(process.env.TUNEKIT_PARAMS_FILE, 'utf8'));",
  "console.log('tunekit:result ' + JSON.stringify({ value: Object.keys(params).length }));",
  '',
].join('\n');

/** optimizer ∈ {sgd, adam}; momentum ∈ {0, 0.9} only for sgd: 3 configurations. */
const CONDITIONAL = [
  '  optimizer: { type: categorical, choices: [sgd, adam] }',
  '  momentum: { type: float, low: 0, high: 0.9, step: 0.9, when: { optimizer: sgd } }',
];

function setup(
  name: string,
  params: readonly string[],
  extra: readonly string[] = [],
): {
  dir: string;
  file: string;
  storage: string;
} {
  const dir = tempDir('tunekit-grid-space-');
  writeFileSync(join(dir, 'objective.cjs'), OBJECTIVE);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `study: ${name}`,
      `command: ["${process.execPath}", "objective.cjs"]`,
      'params:',
      ...params,
      'sampler: { name: grid, seed: 3 }',
      ...extra,
      '',
    ].join('\n'),
  );
  return { dir, file, storage: `sqlite:///${join(dir, 'db.sqlite')}` };
}

async function run(
  s: { dir: string; file: string; storage: string },
  ...flags: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = await runCli(bin, ['--storage', s.storage, 'run', s.file, ...flags], { cwd: s.dir });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

interface Seen {
  /** One key per trial: its params, sorted by name. */
  readonly configs: string[];
  readonly indices: number[];
  readonly states: string[];
  readonly mode: unknown;
}

async function seen(storage: string, studyName: string): Promise<Seen> {
  const study = await loadStudy({ studyName, storage });
  try {
    const trials = await study.getTrials();
    const def = (await study.systemAttrs())[GRID_DEFINITION_ATTR] as { mode?: unknown } | undefined;
    return {
      configs: trials.map((t) =>
        JSON.stringify(Object.fromEntries(Object.entries(t.params).sort(([a], [b]) => (a < b ? -1 : 1)))),
      ),
      indices: trials.map((t) => t.systemAttrs[GRID_INDEX_ATTR] as number),
      states: trials.map((t) => t.state),
      mode: def?.mode,
    };
  } finally {
    await study.storage.close();
  }
}

const key = (params: Record<string, unknown>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1))));

const CONDITIONAL_CONFIGS = [
  key({ optimizer: 'sgd', momentum: 0 }),
  key({ optimizer: 'sgd', momentum: 0.9 }),
  key({ optimizer: 'adam' }),
].sort();

describe('tunekit run with sampler: grid over the declared params', () => {
  it('enumerates a conditional space exactly (3 configurations, 3 trials) and stops when the grid is exhausted', async () => {
    const s = setup('conditional', CONDITIONAL, ['concurrency: 2']);
    const r = await run(s);
    expect(r.stdout).toMatch(/every point of the grid has been tried/);
    expect(r.stdout).toMatch(/3 trials in .*: 3 complete, 0 pruned, 0 failed/);
    const got = await seen(s.storage, 'conditional');
    expect(got.mode).toBe('space');
    expect(got.configs).toHaveLength(3);
    expect([...got.configs].sort()).toEqual(CONDITIONAL_CONFIGS);
    expect(got.states).toEqual(['complete', 'complete', 'complete']);
    // Run again: the grid is exhausted, nothing runs, and that is success.
    const again = await run(s);
    expect(again.stdout).toMatch(/every point of the grid has been tried/);
    expect((await seen(s.storage, 'conditional')).configs).toHaveLength(3);
    rmSync(s.dir, { recursive: true, force: true });
  });

  it('stops at the end of the grid even when trials asks for more', async () => {
    const s = setup('budget', CONDITIONAL, ['trials: 10']);
    const r = await run(s);
    expect(r.stdout).toMatch(/every point of the grid has been tried/);
    expect([...(await seen(s.storage, 'budget')).configs].sort()).toEqual(CONDITIONAL_CONFIGS);
    rmSync(s.dir, { recursive: true, force: true });
  });

  it('enumerates a nested choice (optimizer.<branch>.<name>) once per configuration', async () => {
    const s = setup('nested', [
      '  optimizer: { type: categorical, choices: [sgd, adam] }',
      '  optimizer.sgd.momentum: { type: categorical, choices: [0, 0.9], when: { optimizer: sgd } }',
      '  optimizer.adam.beta1: { type: float, low: 0.8, high: 0.9, step: 0.1, when: { optimizer: adam } }',
      '  optimizer.adam.amsgrad: { type: categorical, choices: [false, true], when: { optimizer: adam } }',
      '  layers: { type: int, low: 1, high: 2 }',
    ]);
    await run(s);
    const got = await seen(s.storage, 'nested');
    // (2 momenta + 2 beta1 × 2 amsgrad) × 2 layers = 12.
    const expected: string[] = [];
    for (const layers of [1, 2]) {
      for (const m of [0, 0.9]) expected.push(key({ optimizer: 'sgd', 'optimizer.sgd.momentum': m, layers }));
      for (const b of [0.8, 0.9])
        for (const a of [false, true])
          expected.push(
            key({ optimizer: 'adam', 'optimizer.adam.beta1': b, 'optimizer.adam.amsgrad': a, layers }),
          );
    }
    expect(got.configs).toHaveLength(12);
    expect([...got.configs].sort()).toEqual(expected.sort());
    rmSync(s.dir, { recursive: true, force: true });
  });

  it('resumes a study it stopped early: no configuration twice, none skipped', async () => {
    const s = setup('resume', CONDITIONAL);
    await run(s, '--trials', '2');
    expect((await seen(s.storage, 'resume')).configs).toHaveLength(2);
    const r = await run(s);
    expect(r.stdout).toMatch(/every point of the grid has been tried/);
    const got = await seen(s.storage, 'resume');
    expect([...got.configs].sort()).toEqual(CONDITIONAL_CONFIGS);
    expect([...got.indices].sort()).toEqual([0, 1, 2]);
    rmSync(s.dir, { recursive: true, force: true });
  });

  it.each([1, 2, 4])(
    'resumes a study started in the define-by-run grid (%i trials done): goes on with that grid, no point twice, none skipped',
    async (done) => {
      const s = setup('legacy', CONDITIONAL);
      // What an earlier tunekit run stored: new GridSampler() without a declared space, the study
      // file's params suggested define-by-run (a discovery trial, then the product grid).
      const spec = loadStudyFile(s.file);
      const old = await createStudy({
        studyName: 'legacy',
        storage: s.storage,
        sampler: new GridSampler(null, { seed: 3 }),
      });
      await old.optimize((trial) => Object.keys(suggestAll(trial, spec.params).values).length, {
        nTrials: done,
      });
      await old.storage.close();
      const before = await seen(s.storage, 'legacy');
      // After the discovery trial alone the grid is not stored yet (the next trial stores it).
      expect(before.mode).toBe(done === 1 ? undefined : 'exhaustive');
      expect(before.indices).toHaveLength(done);

      const r = await run(s);
      expect(r.stdout).toMatch(/every point of the grid has been tried/);
      expect(r.stderr).toMatch(/started with the define-by-run exhaustive grid/);
      const got = await seen(s.storage, 'legacy');
      // The old grid: optimizer × momentum = 4 points (adam's two run the same configuration).
      expect(got.mode).toBe('exhaustive');
      expect(got.configs.slice(0, done)).toEqual(before.configs);
      expect([...got.indices].sort()).toEqual([0, 1, 2, 3]);
      expect(got.states.every((st) => st === 'complete')).toBe(true);
      expect([...new Set(got.configs)].sort()).toEqual(CONDITIONAL_CONFIGS);
      rmSync(s.dir, { recursive: true, force: true });
    },
  );
});

describe('tunekit ask --study-file with sampler: grid', () => {
  it('hands out each configuration of the declared space once, without waiting for a told trial', async () => {
    const s = setup('asked', CONDITIONAL);
    const asked: string[] = [];
    for (let i = 0; i < 3; i++) {
      // No tell in between: the define-by-run grid would wait for its discovery trial here.
      const r = await runCli(bin, ['--storage', s.storage, 'ask', '--study-file', s.file], {
        cwd: s.dir,
        timeoutMs: 10_000,
      });
      expect(r.code, r.stderr).toBe(0);
      asked.push(key((JSON.parse(r.stdout) as { params: Record<string, unknown> }).params));
    }
    expect(asked.sort()).toEqual(CONDITIONAL_CONFIGS);
    const after = await runCli(bin, ['--storage', s.storage, 'ask', '--study-file', s.file], {
      cwd: s.dir,
      timeoutMs: 10_000,
    });
    expect(after.code).not.toBe(0);
    expect(after.stderr).toMatch(/grid/i);
    rmSync(s.dir, { recursive: true, force: true });
  });
});
