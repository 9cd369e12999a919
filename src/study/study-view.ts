/**
 * Builds the snapshot of a study that samplers and pruners read.
 * @module
 */
import type { Distribution } from '../core/distributions.js';
import type { FrozenTrial, TrialState } from '../core/frozen-trial.js';
import type { StudyContext, StudyView } from '../samplers/base.js';

/** Reads the study's trials and parameter registry now and wraps them as a {@link StudyView}. */
export async function takeSnapshot(context: StudyContext): Promise<StudyView> {
  const [trials, paramDistributions] = await Promise.all([
    context.storage.getAllTrials(context.studyId),
    context.storage.getParamDistributions(context.studyId),
  ]);
  return makeView(context, trials, paramDistributions);
}

/** Wraps trials and a registry as a {@link StudyView} with memoised state filters. */
export function makeView(
  context: StudyContext,
  trials: readonly FrozenTrial[],
  paramDistributions: Readonly<Record<string, Distribution>>,
): StudyView {
  const memo = new Map<string, readonly FrozenTrial[]>();
  return {
    studyId: context.studyId,
    studyName: context.studyName,
    directions: context.directions,
    storage: context.storage,
    ...(context.warmStart === undefined ? {} : { warmStart: context.warmStart }),
    trials,
    paramDistributions,
    getTrials(states: readonly TrialState[]): readonly FrozenTrial[] {
      const key = states.join(',');
      let hit = memo.get(key);
      if (hit === undefined) {
        hit = trials.filter((t) => states.includes(t.state));
        memo.set(key, hit);
      }
      return hit;
    },
  };
}
