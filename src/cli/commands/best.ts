/** `tunekit best STUDY`: the best trial (or the Pareto front of a multi-objective study). */
import type { Command } from 'commander';
import { loadStudy } from '../../study/create-study.js';
import { parseFormat, storageUrl } from '../options.js';
import { render } from '../render.js';
import { trialRow } from './trials.js';

export function registerBest(program: Command): void {
  program
    .command('best')
    .description('show the best trial of a study (the Pareto front when it has several objectives)')
    .argument('<study>', 'study name')
    .option('--format <format>', 'table, json or csv', 'table')
    .action(async (name: string, opts: { format: string }, command: Command) => {
      const format = parseFormat(opts.format);
      const study = await loadStudy({ studyName: name, storage: storageUrl(command) });
      try {
        const trials = study.isMultiObjective ? await study.bestTrials() : [await study.bestTrial()];
        console.log(render(trials.map(trialRow), format));
      } finally {
        await study.storage.close();
      }
    });
}
