/**
 * The conformance suite every pruner passes, and deterministic cases with known decisions for
 * each of tunekit's pruners.
 *
 * Invariants checked for any pruner: a trial that reported nothing is never pruned; nothing is
 * pruned before the warm-up step or the startup trials; `prune()` writes nothing; and every
 * decision `trial.shouldPrune()` returns — with several trials running at once — equals the
 * decision of a fresh pruner instance on a fresh read of the storage (no hidden state).
 *
 * A case is a script of operations on named trials (created by `study.ask()` when first named,
 * so they are numbered in order of appearance): report a value (and optionally check the
 * decision `shouldPrune()` must return), or finish the trial.
 *
 * @example
 * ```ts
 * // my-pruner.test.ts
 * import { describePrunerConformance, finishedTrial } from 'tunekit/testing';
 * describePrunerConformance('MyPruner', () => new MyPruner(), {
 *   warmupSteps: 2,
 *   cases: [{
 *     name: 'prunes a trial far behind',
 *     pruner: () => new MyPruner(),
 *     ops: [...finishedTrial('a', [1, 1, 1], 1), { trial: 'x', step: 0, report: 9, expect: true }],
 *   }],
 * });
 * ```
 * @module
 */
import { describe, expect, it } from 'vitest';
import { TrialPruned } from '../core/errors.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen-trial.js';
import type { MetricRecord, Pruner } from '../pruners/base.js';
import { NopPruner } from '../pruners/base.js';
import { HyperbandPruner, hyperbandBracketOf, hyperbandBrackets } from '../pruners/hyperband-pruner.js';
import { MedianPruner } from '../pruners/median-pruner.js';
import { ParetoPruner } from '../pruners/pareto-pruner.js';
import { PatientPruner } from '../pruners/patient-pruner.js';
import { PercentilePruner } from '../pruners/percentile-pruner.js';
import { SuccessiveHalvingPruner } from '../pruners/successive-halving-pruner.js';
import { ThresholdPruner } from '../pruners/threshold-pruner.js';
import { WilcoxonPruner } from '../pruners/wilcoxon-pruner.js';
import type { StudyView } from '../samplers/base.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { createStudy } from '../study/create-study.js';
import type { Study } from '../study/study.js';
import { takeSnapshot } from '../study/study-view.js';
import type { Trial } from '../trial/trial.js';

/** How a case finishes a trial: objective value(s), or a state. */
export type TrialEnd = number | readonly number[] | 'pruned' | 'fail';

/** One operation of a {@link PrunerCase}. */
export type PrunerOp =
  | {
      /** The trial's name in the case. */
      readonly trial: string;
      readonly step: number;
      /** A number, or named metrics. */
      readonly report: number | MetricRecord;
      /** When given, `shouldPrune()` is called after the report and must return this. */
      readonly expect?: boolean;
    }
  | { readonly trial: string; readonly end: TrialEnd };

/** A deterministic scenario with known decisions. */
export interface PrunerCase {
  readonly name: string;
  /** The pruner of the study (a new one per run). */
  readonly pruner: () => Pruner;
  /** The study's directions. Default ['minimize']. */
  readonly directions?: readonly StudyDirection[];
  readonly ops: readonly PrunerOp[];
}

/** Options of {@link describePrunerConformance}. */
export interface PrunerConformanceOptions {
  /** Deterministic cases with known decisions. */
  cases?: readonly PrunerCase[];
  /** The pruner never prunes (the nop pruner). */
  neverPrunes?: boolean;
  /** The pruner never prunes before this step. Default 0. */
  warmupSteps?: number;
  /** The pruner never prunes while fewer trials are complete. Default 0. */
  startupTrials?: number;
  /**
   * Whether a trial much worse than every complete trial, and getting worse, must be pruned at
   * some step after the warm-up. Default: true unless `neverPrunes`.
   */
  prunesBadTrials?: boolean;
  /** Steps (0, 1, …) each trial of the generated scenarios reports. Default 10. */
  steps?: number;
  /** Good complete trials before the bad trial. Default max(startupTrials, 8). */
  historyTrials?: number;
  /** The study's directions. Default ['minimize']. */
  directions?: readonly StudyDirection[];
  /**
   * Report named metrics, each with its direction, instead of a plain number (for pruners that
   * read a `metric` or a metric vector).
   */
  metrics?: Readonly<Record<string, StudyDirection>>;
  /** The direction of the plain reported value. Default: the study's first direction. */
  reportDirection?: StudyDirection;
}

/** Ops that report `values` (at steps `steps`, default 0, 1, …) for `trial` and then finish it. */
export function finishedTrial(
  trial: string,
  values: ReadonlyArray<number | MetricRecord>,
  end: TrialEnd,
  steps?: readonly number[],
): PrunerOp[] {
  const ops: PrunerOp[] = values.map((report, i) => ({ trial, step: steps?.[i] ?? i, report }));
  ops.push({ trial, end });
  return ops;
}

/** Ops that report `values` for `trial`, expecting decision `expected[i]` after report i (when defined). */
export function reportedTrial(
  trial: string,
  values: ReadonlyArray<number | MetricRecord>,
  expected: ReadonlyArray<boolean | undefined>,
  steps?: readonly number[],
): PrunerOp[] {
  return values.map((report, i) => {
    const e = expected[i];
    const step = steps?.[i] ?? i;
    return e === undefined ? { trial, step, report } : { trial, step, report, expect: e };
  });
}

/** One decision made while running a case. */
export interface PrunerDecision {
  readonly trial: string;
  readonly number: number;
  readonly step: number;
  readonly pruned: boolean;
  /** What a fresh pruner decided on a fresh read of the storage just before. */
  readonly recomputed: boolean;
}

/**
 * Wraps a pruner: on every decision it also asks a fresh pruner from `fresh` on the same view,
 * and records any disagreement (a conforming pruner has none, whatever ran before).
 */
export class PrunerProbe implements Pruner {
  readonly name: string;
  /** Disagreements between the wrapped pruner and a fresh one (empty for a conforming pruner). */
  readonly mismatches: string[] = [];
  /** Decisions made, and how many pruned. */
  decisions = 0;
  pruned = 0;

  constructor(
    readonly inner: Pruner,
    private readonly fresh: () => Pruner,
  ) {
    this.name = inner.name;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const decision = this.inner.prune(study, trial);
    const again = this.fresh().prune(study, trial);
    this.decisions++;
    if (decision) this.pruned++;
    if (again !== decision) {
      this.mismatches.push(
        `trial ${trial.number} at step ${Math.max(-1, ...trial.intermediateValues.keys())}: ${decision} then ${again}`,
      );
    }
    return decision;
  }

  async afterPrune(study: StudyView, trial: FrozenTrial, pruned: boolean): Promise<void> {
    await this.inner.afterPrune?.(study, trial, pruned);
  }
}

/**
 * Asks `trial` whether to prune, after checking that a fresh pruner on a fresh read decides the
 * same and that `prune()` writes nothing.
 */
export async function checkDecision(
  study: Study,
  trial: Trial,
  fresh: () => Pruner,
): Promise<{ pruned: boolean; recomputed: boolean }> {
  const context = {
    studyId: study.studyId,
    studyName: study.studyName,
    directions: study.directions,
    storage: study.storage,
  };
  const view = await takeSnapshot(context);
  const me = view.trials.find((t) => t.trialId === trial.trialId)!;
  const recomputed = fresh().prune(view, me);
  const after = await takeSnapshot(context);
  const changed = after.trials.filter(
    (t, i) => JSON.stringify(flat(t)) !== JSON.stringify(flat(view.trials[i])),
  );
  expect(
    changed.map((t) => t.number),
    'prune() must write nothing',
  ).toEqual([]);
  const pruned = await trial.shouldPrune();
  return { pruned, recomputed };
}

function flat(t: unknown): unknown {
  if (t === undefined || t === null) return t;
  const f = t as { intermediateValues: ReadonlyMap<number, number> };
  return { ...f, intermediateValues: [...f.intermediateValues] };
}

/** Runs a case's operations on a new in-memory study and returns every decision. */
export async function runPrunerCase(c: PrunerCase): Promise<PrunerDecision[]> {
  const study = await createStudy({
    directions: c.directions ?? ['minimize'],
    pruner: c.pruner(),
    sampler: new RandomSampler({ seed: 0 }),
  });
  const trials = new Map<string, Trial>();
  const decisions: PrunerDecision[] = [];
  const get = async (label: string): Promise<Trial> => {
    let t = trials.get(label);
    if (t === undefined) {
      t = await study.ask();
      trials.set(label, t);
    }
    return t;
  };
  for (const op of c.ops) {
    const trial = await get(op.trial);
    if ('end' in op) {
      const end = op.end;
      await study.tell(trial, end === 'pruned' || end === 'fail' ? { state: end } : end);
      continue;
    }
    await trial.report(op.report, op.step);
    if (op.expect === undefined) continue;
    const { pruned, recomputed } = await checkDecision(study, trial, c.pruner);
    decisions.push({ trial: op.trial, number: trial.number, step: op.step, pruned, recomputed });
    const where = `${c.name}: trial '${op.trial}' (#${trial.number}) at step ${op.step}`;
    expect(pruned, where).toBe(op.expect);
    expect(recomputed, `${where}: a fresh pruner on a fresh read decides differently`).toBe(pruned);
  }
  return decisions;
}

/** A small deterministic generator (LCG) for the scenarios. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Registers a vitest suite checking that pruners from `factory` follow the pruner contract, and
 * runs `options.cases`.
 */
export function describePrunerConformance(
  name: string,
  factory: () => Pruner,
  options: PrunerConformanceOptions = {},
): void {
  const directions = options.directions ?? ['minimize'];
  const reportDirection = options.reportDirection ?? directions[0]!;
  const steps = options.steps ?? 10;
  const warmup = options.warmupSteps ?? 0;
  const startup = options.startupTrials ?? 0;
  const neverPrunes = options.neverPrunes ?? false;
  const prunesBad = options.prunesBadTrials ?? !neverPrunes;
  const historyTrials = options.historyTrials ?? Math.max(startup, 8);

  /** A report of quality q (lower is better) in the suite's metric(s). */
  const report = (q: number): number | MetricRecord => {
    if (options.metrics === undefined) return reportDirection === 'minimize' ? q : -q;
    const out: Record<string, number> = {};
    for (const [m, d] of Object.entries(options.metrics)) out[m] = d === 'minimize' ? q : -q;
    return out;
  };
  const final = (q: number): number[] => directions.map((d) => (d === 'minimize' ? q : -q));
  const good = (i: number, step: number): number => 1 + 0.05 * i + 1 / (step + 1);
  const bad = (step: number): number => 100 + step;

  async function newStudy(): Promise<Study> {
    return createStudy({ directions, pruner: factory(), sampler: new RandomSampler({ seed: 0 }) });
  }

  async function addGood(study: Study, count: number, offset: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const t = await study.ask();
      for (let s = 0; s < steps; s++) await t.report(report(good(offset + i, s)), s);
      await study.tell(t, final(good(offset + i, steps)));
    }
  }

  /** Runs a bad trial through every step; returns the first step at which it was pruned, or -1. */
  async function runBad(study: Study): Promise<number> {
    const t = await study.ask();
    for (let s = 0; s < steps; s++) {
      await t.report(report(bad(s)), s);
      const { pruned, recomputed } = await checkDecision(study, t, factory);
      expect(recomputed, `bad trial at step ${s}: a fresh pruner decides differently`).toBe(pruned);
      if (pruned) {
        await study.tell(t, { state: 'pruned' });
        return s;
      }
    }
    await study.tell(t, final(bad(steps)));
    return -1;
  }

  describe(`${name}: pruner conformance`, () => {
    it('never prunes a trial that reported nothing', async () => {
      const study = await newStudy();
      await addGood(study, historyTrials, 0);
      const t = await study.ask();
      expect((await checkDecision(study, t, factory)).pruned).toBe(false);
      await study.tell(t, { state: 'fail' });
    });

    if (startup > 0) {
      it(`never prunes while fewer than ${startup} trials are complete`, async () => {
        const study = await newStudy();
        await addGood(study, startup - 1, 0);
        expect(await runBad(study)).toBe(-1);
      });
    }

    it(
      neverPrunes
        ? 'never prunes, even a trial far worse than every other'
        : `never prunes before step ${warmup}${prunesBad ? ', and prunes a trial far worse than every other after it' : ''}`,
      async () => {
        const study = await newStudy();
        await addGood(study, historyTrials, 0);
        const at = await runBad(study);
        if (neverPrunes) expect(at).toBe(-1);
        else {
          if (at !== -1) expect(at).toBeGreaterThanOrEqual(warmup);
          if (prunesBad) expect(at).toBeGreaterThanOrEqual(0);
        }
      },
    );

    it('decides as a fresh pruner on a fresh read, with several trials running at once', async () => {
      const study = await newStudy();
      const rng = lcg(12345);
      const nTrials = 14;
      const concurrency = 3;
      const active: Array<{ trial: Trial; base: number; step: number; index: number }> = [];
      let started = 0;
      let decisions = 0;
      let prunedCount = 0;
      while (started < nTrials || active.length > 0) {
        while (active.length < concurrency && started < nTrials) {
          active.push({ trial: await study.ask(), base: 0.5 + 3 * rng(), step: 0, index: started });
          started++;
        }
        for (const a of [...active]) {
          const q = a.base * (1 + 1 / (a.step + 1)) + 0.001 * a.index;
          await a.trial.report(report(q), a.step);
          const { pruned, recomputed } = await checkDecision(study, a.trial, factory);
          decisions++;
          expect(recomputed, `trial ${a.trial.number} at step ${a.step}`).toBe(pruned);
          if (neverPrunes) expect(pruned).toBe(false);
          let end: TrialEnd | null = null;
          if (pruned) {
            end = 'pruned';
            prunedCount++;
          } else if (a.index % 7 === 3 && a.step === 2) end = 'fail';
          else if (a.step === steps - 1) end = final(a.base);
          a.step++;
          if (end !== null) {
            await study.tell(a.trial, end === 'pruned' || end === 'fail' ? { state: end } : end);
            active.splice(active.indexOf(a), 1);
          }
        }
      }
      expect(decisions).toBeGreaterThan(nTrials);
      expect(prunedCount).toBeLessThan(nTrials);
    });

    it('agrees with a fresh pruner under optimize({ concurrency: 4 }) with interleaved reports', async () => {
      const probe = new PrunerProbe(factory(), factory);
      const study = await createStudy({ directions, pruner: probe, sampler: new RandomSampler({ seed: 1 }) });
      await study.optimize(
        async (trial) => {
          const base = 0.5 + trial.suggestFloat('x', 0, 3);
          let q = base;
          for (let s = 0; s < steps; s++) {
            q = base * (1 + 1 / (s + 1));
            await trial.report(report(q), s);
            // Let other trials run between reports, a different number of turns per trial.
            for (let k = 0; k < (trial.number % 3) + 1; k++) await new Promise((r) => setImmediate(r));
            if (await trial.shouldPrune()) throw new TrialPruned();
          }
          return directions.length === 1 ? final(q)[0]! : final(q);
        },
        { nTrials: 16, concurrency: 4 },
      );
      expect(probe.mismatches).toEqual([]);
      expect(probe.decisions).toBeGreaterThan(16);
      if (neverPrunes) expect(probe.pruned).toBe(0);
      const trials = await study.getTrials();
      expect(trials.filter((t) => t.state === 'pruned')).toHaveLength(probe.pruned);
    });

    for (const c of options.cases ?? []) {
      it(`case: ${c.name}`, async () => {
        const decisions = await runPrunerCase(c);
        expect(decisions.length).toBeGreaterThan(0);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Known cases for tunekit's pruners.

const median0 = (): Pruner => new MedianPruner({ nStartupTrials: 0 });

/** Trial numbers (from 0) of the first trials in each Hyperband bracket of (1, 9, η = 3). */
function numbersByBracket(count: number): number[][] {
  const brackets = hyperbandBrackets(1, 9, 3);
  const out: number[][] = Array.from({ length: brackets.count }, () => []);
  for (let n = 0; out.some((l) => l.length < count); n++) {
    const list = out[hyperbandBracketOf(n, brackets)]!;
    if (list.length < count) list.push(n);
  }
  return out;
}

/** Ops that create trials, in number order, so that the named trials get the given numbers. */
function withNumbers(named: ReadonlyArray<[string, number]>): PrunerOp[] {
  const ops: PrunerOp[] = [];
  const byNumber = new Map(named.map(([label, n]) => [n, label]));
  const max = Math.max(...named.map(([, n]) => n));
  for (let n = 0; n <= max; n++) {
    // A filler fails at once without a report, so it competes with nobody. A named trial is
    // created by a report at step 0, below every rung when minResource ≥ 1.
    if (!byNumber.has(n)) ops.push({ trial: `filler-${n}`, end: 'fail' });
    else ops.push({ trial: byNumber.get(n)!, step: 0, report: 0 });
  }
  return ops;
}

const hb = numbersByBracket(2);

/**
 * Known decisions for every pruner of tunekit, by pruner: each test file passes its list to
 * {@link describePrunerConformance}.
 */
export const PRUNER_CASES: Readonly<Record<string, readonly PrunerCase[]>> = {
  nop: [
    {
      name: 'never prunes a trial far behind',
      pruner: () => new NopPruner(),
      ops: [...finishedTrial('a', [1, 1, 1], 1), ...reportedTrial('x', [50, 60, 70], [false, false, false])],
    },
  ],
  median: [
    {
      name: 'median of [1, 2, 3]: prunes 2.5, keeps 1.5 and 2 (minimize)',
      pruner: median0,
      ops: [
        ...finishedTrial('a', [1], 1),
        ...finishedTrial('b', [2], 2),
        ...finishedTrial('c', [3], 3),
        ...reportedTrial('x', [2.5], [true]),
        ...reportedTrial('y', [1.5], [false]),
        ...reportedTrial('z', [2], [false]),
      ],
    },
    {
      name: 'median of [1, 2, 3]: prunes 1.5, keeps 2.5 (maximize)',
      pruner: median0,
      directions: ['maximize'],
      ops: [
        ...finishedTrial('a', [1], 1),
        ...finishedTrial('b', [2], 2),
        ...finishedTrial('c', [3], 3),
        ...reportedTrial('x', [1.5], [true]),
        ...reportedTrial('y', [2.5], [false]),
      ],
    },
    {
      name: 'waits for nStartupTrials complete trials',
      pruner: () => new MedianPruner({ nStartupTrials: 4 }),
      ops: [
        ...finishedTrial('a', [1], 1),
        ...finishedTrial('b', [2], 2),
        ...finishedTrial('c', [3], 3),
        ...reportedTrial('x', [100], [false]),
        ...finishedTrial('d', [4], 4),
        ...reportedTrial('y', [100], [true]),
      ],
    },
    {
      name: 'warm-up steps and the interval (best value so far against the median at the step)',
      pruner: () => new MedianPruner({ nStartupTrials: 0, nWarmupSteps: 1, intervalSteps: 2 }),
      ops: [
        ...finishedTrial('a', [1, 0.9, 0.8, 0.5], 1),
        ...finishedTrial('b', [2, 1.8, 1.6, 0.6], 2),
        ...finishedTrial('c', [3, 2.7, 2.4, 0.7], 3),
        // step 0: warm-up; step 1: checked (best 2.5 > 1.8); …
        ...reportedTrial('x', [100, 2.5], [false, true]),
        // …; step 2 lies inside the interval [1, 3) already checked at 1; step 3 is checked.
        ...reportedTrial('y', [1.0, 1.5, 100, 100], [false, false, false, true]),
      ],
    },
    {
      name: 'needs nMinTrials values at the step',
      pruner: () => new MedianPruner({ nStartupTrials: 0, nMinTrials: 3 }),
      ops: [
        ...finishedTrial('a', [1, 1], 1),
        ...finishedTrial('b', [2, 2], 2),
        ...finishedTrial('c', [3], 3),
        // Step 0 has three values (median 2); step 1 has two.
        ...reportedTrial('x', [2.5], [true]),
        ...reportedTrial('y', [1.9, 100], [false, false]),
      ],
    },
    {
      name: "prunes on a named metric ('acc', maximised) in a minimised study",
      pruner: () => new MedianPruner({ nStartupTrials: 0, metric: 'acc', direction: 'maximize' }),
      ops: [
        ...finishedTrial('a', [{ loss: 1, acc: 0.9 }], 1),
        ...finishedTrial('b', [{ loss: 2, acc: 0.8 }], 2),
        ...finishedTrial('c', [{ loss: 3, acc: 0.7 }], 3),
        ...reportedTrial('x', [{ loss: 0.5, acc: 0.75 }], [true]),
        ...reportedTrial('y', [{ loss: 5, acc: 0.85 }], [false]),
      ],
    },
    {
      name: 'prunes on the first metric of a record by default',
      pruner: median0,
      ops: [
        ...finishedTrial('a', [{ loss: 1, acc: 0.9 }], 1),
        ...finishedTrial('b', [{ loss: 2, acc: 0.8 }], 2),
        ...finishedTrial('c', [{ loss: 3, acc: 0.7 }], 3),
        ...reportedTrial('x', [{ loss: 0.5, acc: 0.1 }], [false]),
        ...reportedTrial('y', [{ loss: 2.5, acc: 0.99 }], [true]),
      ],
    },
    {
      name: 'multi-objective study with an explicit direction',
      pruner: () => new MedianPruner({ nStartupTrials: 0, direction: 'minimize' }),
      directions: ['minimize', 'maximize'],
      ops: [
        ...finishedTrial('a', [1], [1, 5]),
        ...finishedTrial('b', [2], [2, 5]),
        ...finishedTrial('c', [3], [3, 5]),
        ...reportedTrial('x', [2.5], [true]),
        ...reportedTrial('y', [1.5], [false]),
      ],
    },
  ],
  percentile: [
    {
      name: '25th percentile of [1…5] is 2: prunes 2.5, keeps 1.5',
      pruner: () => new PercentilePruner({ percentile: 25, nStartupTrials: 0 }),
      ops: [
        ...[1, 2, 3, 4, 5].flatMap((v) => finishedTrial(`t${v}`, [v], v)),
        ...reportedTrial('x', [2.5], [true]),
        ...reportedTrial('y', [1.5], [false]),
      ],
    },
    {
      name: 'maximising keeps the top quarter: the threshold is the 75th percentile, 4',
      pruner: () => new PercentilePruner({ percentile: 25, nStartupTrials: 0 }),
      directions: ['maximize'],
      ops: [
        ...[1, 2, 3, 4, 5].flatMap((v) => finishedTrial(`t${v}`, [v], v)),
        ...reportedTrial('x', [3.5], [true]),
        ...reportedTrial('y', [4.5], [false]),
      ],
    },
    {
      name: 'interpolates linearly: the 10th percentile of [1…5] is 1.4',
      pruner: () => new PercentilePruner({ percentile: 10, nStartupTrials: 0 }),
      ops: [
        ...[1, 2, 3, 4, 5].flatMap((v) => finishedTrial(`t${v}`, [v], v)),
        ...reportedTrial('x', [1.45], [true]),
        ...reportedTrial('y', [1.35], [false]),
      ],
    },
    {
      name: 'ignores pruned and failed trials',
      pruner: () => new PercentilePruner({ percentile: 50, nStartupTrials: 0 }),
      ops: [
        ...finishedTrial('a', [1], 1),
        ...finishedTrial('b', [2], 2),
        ...finishedTrial('c', [3], 3),
        ...finishedTrial('p', [100], 'pruned'),
        ...finishedTrial('f', [200], 'fail'),
        ...reportedTrial('x', [2.5], [true]),
      ],
    },
  ],
  patient: [
    {
      name: 'prunes once the last patience + 1 steps are worse than before',
      pruner: () => new PatientPruner(null, { patience: 2 }),
      ops: reportedTrial('x', [5, 4, 4.5, 4.2, 4.1], [false, false, false, false, true]),
    },
    {
      name: 'minDelta tolerates a small regression',
      pruner: () => new PatientPruner(null, { patience: 2, minDelta: 0.2 }),
      // At step 4 the recent best (4.1) is worse than the earlier best (4) by less than 0.2.
      ops: reportedTrial('x', [5, 4, 4.1, 4.3, 4.25, 4.4], [false, false, false, false, false, true]),
    },
    {
      name: 'maximising',
      pruner: () => new PatientPruner(null, { patience: 1 }),
      directions: ['maximize'],
      ops: reportedTrial('x', [0.5, 0.6, 0.55, 0.58], [false, false, false, true]),
    },
    {
      name: 'asks the wrapped pruner about a stalled trial',
      pruner: () => new PatientPruner(new MedianPruner({ nStartupTrials: 0 }), { patience: 1 }),
      ops: [
        ...finishedTrial('a', [3, 3, 3, 3], 3),
        ...finishedTrial('b', [4, 4, 4, 4], 4),
        // Stalled from step 2 on, but better than the median: kept.
        ...reportedTrial('x', [1, 1.1, 1.2], [false, false, false]),
        // Stalled and worse than the median: pruned.
        ...reportedTrial('y', [3.6, 4, 5], [false, false, true]),
      ],
    },
  ],
  threshold: [
    {
      name: 'prunes above upper and below lower',
      pruner: () => new ThresholdPruner({ lower: 0, upper: 10 }),
      ops: [
        ...reportedTrial('x', [5, 9.9, 10.5], [false, false, true]),
        ...reportedTrial('y', [0, -0.5], [false, true]),
      ],
    },
    {
      name: 'waits for the warm-up and checks at intervals',
      pruner: () => new ThresholdPruner({ upper: 1, nWarmupSteps: 2, intervalSteps: 2 }),
      ops: reportedTrial('x', [5, 5, 0.5, 5, 5], [false, false, false, false, true]),
    },
    {
      name: 'checks a named metric in a multi-objective study',
      pruner: () => new ThresholdPruner({ upper: 100, metric: 'latency' }),
      directions: ['minimize', 'minimize'],
      ops: reportedTrial(
        'x',
        [
          { loss: 1, latency: 50 },
          { loss: 1e6, latency: 150 },
        ],
        [false, true],
      ),
    },
  ],
  successiveHalving: [
    {
      name: 'promotes the best 1/η at each rung (η = 2, rungs at steps 1, 2, 4)',
      pruner: () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
      ops: [
        ...reportedTrial('a', [1.0, 0.9, 0.8, 0.7], [undefined, false, false, undefined], [1, 2, 3, 4]),
        { trial: 'a', end: 0.7 },
        // Rung 0 (step 1): a reached it with 1.0; 2 competitors, promotable index 0.
        ...reportedTrial('b', [2.0], [true], [1]),
        ...reportedTrial('c', [0.5, 0.8], [false, false], [1, 2]),
        // Rung 0 now holds a 1.0, b 2.0, c 0.5: with 1.5, two of four are better.
        ...reportedTrial('d', [1.5], [true], [1]),
        // With 0.9 only c is better, and ⌊5/2⌋ − 1 = 1 may be.
        ...reportedTrial('e', [0.9], [false], [1]),
      ],
    },
    {
      name: 'several trials at once: running trials compete, and a rung is decided once',
      pruner: () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
      ops: [
        { trial: 'p', step: 0, report: 3 },
        { trial: 'q', step: 0, report: 1 },
        { trial: 'r', step: 0, report: 2 },
        { trial: 'p', step: 1, report: 3, expect: false }, // alone at rung 0
        { trial: 'q', step: 1, report: 1, expect: false }, // beats p
        { trial: 'r', step: 1, report: 2, expect: true }, // q is better: pruned
        { trial: 'r', end: 'pruned' },
        // p's rung 0 was decided when it was alone; at step 2 it decides rung 1 only.
        { trial: 'p', step: 2, report: 2.5, expect: false },
        { trial: 'q', step: 2, report: 3.5, expect: true },
      ],
    },
    {
      name: 'decides every rung reached since the last check',
      pruner: () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
      ops: [
        ...finishedTrial('a', [1, 1, 1, 1], 1, [1, 2, 3, 4]),
        ...finishedTrial('b', [5, 0.5, 0.5, 0.5], 0.5, [1, 2, 3, 4]),
        // Checked only at step 3, x decides rungs 0 and 1 there. Rung 0 (step 1): nobody is
        // strictly better than its 1, kept; rung 1 (step 2): a (1) and b (0.5) beat its 2, pruned.
        ...reportedTrial('x', [1, 2, 2], [undefined, undefined, true], [1, 2, 3]),
      ],
    },
    {
      name: "'auto' minimum resource: the first complete trial's last step / 100",
      pruner: () => new SuccessiveHalvingPruner({ reductionFactor: 2 }),
      ops: [
        // Before any trial completes, nothing is pruned.
        ...reportedTrial('early', [100, 100, 100], [false, false, false], [1, 2, 3]),
        { trial: 'early', end: 'fail' },
        // a completes with last step 250: minimum resource 2 (rungs at 2, 4, 8, …).
        ...finishedTrial('a', [1, 1, 1], 1, [0, 2, 250]),
        ...reportedTrial('x', [5, 5], [false, true], [1, 2]),
      ],
    },
    {
      name: 'bootstrapCount prunes until enough trials reached the rung',
      pruner: () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, bootstrapCount: 2 }),
      ops: [
        ...reportedTrial('a', [1], [true], [1]),
        { trial: 'a', end: 'pruned' },
        ...reportedTrial('b', [2], [true], [1]),
        { trial: 'b', end: 'pruned' },
        ...reportedTrial('c', [0.5], [false], [1]),
      ],
    },
    {
      name: 'maximising a named metric',
      pruner: () =>
        new SuccessiveHalvingPruner({
          minResource: 1,
          reductionFactor: 2,
          metric: 'acc',
          direction: 'maximize',
        }),
      directions: ['minimize', 'minimize'],
      ops: [
        ...finishedTrial('a', [{ loss: 9, acc: 0.8 }], [1, 1], [1]),
        ...reportedTrial('x', [{ loss: 0.1, acc: 0.7 }], [true], [1]),
        ...reportedTrial('y', [{ loss: 9, acc: 0.9 }], [false], [1]),
      ],
    },
  ],
  hyperband: [
    {
      name: 'one bracket (maxResource < minResource·η) acts as ASHA',
      pruner: () => new HyperbandPruner({ minResource: 1, maxResource: 2, reductionFactor: 3 }),
      ops: [
        ...finishedTrial('a', [1, 1], 1, [1, 2]),
        ...reportedTrial('b', [2], [true], [1]),
        ...reportedTrial('c', [0.5], [false], [1]),
      ],
    },
    {
      name: 'trials compete only within their bracket (1, 9, η = 3)',
      pruner: () => new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 }),
      ops: [
        ...withNumbers([
          ['a', hb[0]![0]!],
          ['b', hb[0]![1]!],
          ['c', hb[1]![0]!],
        ]),
        // a (bracket 0, rungs at 1, 3, 9) reaches rung 0 alone.
        ...reportedTrial('a', [1, 1, 1], [false, false, false], [1, 3, 9]),
        { trial: 'a', end: 1 },
        // c (bracket 1, rungs at 3, 9): worse than a everywhere but alone in its bracket.
        ...reportedTrial('c', [5, 5], [false, false], [1, 3]),
        // b (bracket 0) meets a at rung 0 and loses.
        ...reportedTrial('b', [2], [true], [1]),
      ],
    },
  ],
  wilcoxon: [
    {
      name: 'prunes a trial worse on every fold once p = 1/2ⁿ < 0.1 (n = 4)',
      pruner: () => new WilcoxonPruner(),
      ops: [
        ...finishedTrial('best', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 0.35),
        ...reportedTrial('x', [1.1, 1.3, 1.5, 1.7], [false, false, false, true]),
      ],
    },
    {
      name: 'instances in any order; a trial as good as the best on average is kept',
      pruner: () => new WilcoxonPruner(),
      ops: [
        ...finishedTrial('best', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 0.35),
        ...reportedTrial('x', [1.6, 1.45, 1.35, 1.22], [false, false, false, true], [5, 3, 1, 0]),
        ...reportedTrial('y', [0.05, 0.25, 0.3, 0.35, 0.45], [false, false, false, false, false]),
      ],
    },
    {
      name: 'nStartupSteps and pThreshold',
      pruner: () => new WilcoxonPruner({ nStartupSteps: 5, pThreshold: 0.05 }),
      ops: [
        ...finishedTrial('best', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 0.35),
        // p = 1/16 at 4 folds is not below 0.05; 1/32 at 5 folds is.
        ...reportedTrial('x', [1.1, 1.3, 1.5, 1.7, 1.9], [false, false, false, false, true]),
      ],
    },
    {
      name: 'maximising',
      pruner: () => new WilcoxonPruner(),
      directions: ['maximize'],
      ops: [
        ...finishedTrial('best', [0.9, 0.8, 0.85, 0.95, 0.9], 0.88),
        ...reportedTrial('x', [0.5, 0.45, 0.4, 0.35], [false, false, false, true]),
      ],
    },
  ],
  pareto: [
    {
      name: 'prunes a vector dominated by nDominating complete trials at the step',
      pruner: () =>
        new ParetoPruner({
          metrics: { loss: 'minimize', acc: 'maximize' },
          nDominating: 2,
          nStartupTrials: 0,
        }),
      directions: ['minimize', 'maximize'],
      ops: [
        ...finishedTrial('a', [{ loss: 1, acc: 0.9 }], [1, 0.9]),
        ...finishedTrial('b', [{ loss: 2, acc: 0.8 }], [2, 0.8]),
        ...finishedTrial('c', [{ loss: 0.5, acc: 0.5 }], [0.5, 0.5]),
        // Dominated by a and b.
        ...reportedTrial('x', [{ loss: 2.5, acc: 0.7 }], [true]),
        // Dominated by a only.
        ...reportedTrial('y', [{ loss: 1.5, acc: 0.85 }], [false]),
        // On the front.
        ...reportedTrial('z', [{ loss: 0.4, acc: 0.6 }], [false]),
      ],
    },
    {
      name: 'compares at the same step, after the warm-up and startup trials',
      pruner: () =>
        new ParetoPruner({
          metrics: { loss: 'minimize', acc: 'maximize' },
          nDominating: 1,
          nStartupTrials: 1,
          nWarmupSteps: 1,
        }),
      directions: ['minimize', 'maximize'],
      ops: [
        ...reportedTrial(
          'early',
          [
            { loss: 9, acc: 0 },
            { loss: 9, acc: 0 },
          ],
          [false, false],
        ),
        { trial: 'early', end: 'fail' },
        ...finishedTrial(
          'a',
          [
            { loss: 5, acc: 0.1 },
            { loss: 1, acc: 0.9 },
          ],
          [1, 0.9],
        ),
        // Step 0 is warm-up; at step 1, a (1, 0.9) dominates (2, 0.5).
        ...reportedTrial(
          'x',
          [
            { loss: 9, acc: 0 },
            { loss: 2, acc: 0.5 },
          ],
          [false, true],
        ),
      ],
    },
  ],
};
