/** `tunekit studies`: every study in the storage with its trial counts and best value. */
import type { Command } from 'commander';
import { listStudies } from '../../study/create-study.js';
import { parseFormat, storageUrl } from '../options.js';
import { render } from '../render.js';

export function registerStudies(program: Command): void {
  program
    .command('studies')
    .description('list the studies in the storage')
    .option('--format <format>', 'table, json or csv', 'table')
    .action(async (opts: { format: string }, command: Command) => {
      const format = parseFormat(opts.format);
      const studies = await listStudies({ storage: storageUrl(command) });
      const rows = studies.map((s) => ({
        name: s.studyName,
        directions: s.directions.join(','),
        trials: s.nTrials,
        best: s.bestTrial?.values?.[0] ?? null,
        started: s.datetimeStart?.toISOString() ?? null,
      }));
      console.log(render(rows, format));
    });
}
