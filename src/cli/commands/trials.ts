/** `tunekit trials STUDY`: the trials of one study. */
import type { Command } from 'commander';
import type { FrozenTrial } from '../../core/frozen-trial.js';
import { FAIL_REASON_ATTR } from '../../core/system-attrs.js';
import { loadStudy } from '../../study/create-study.js';
import { parseFormat, storageUrl } from '../options.js';
import { type Row, render } from '../render.js';

/**
 * One trial as a flat row: number, state, values, params as `params.NAME`, the duration, and
 * for a failed trial the first 120 characters of why.
 */
export function trialRow(t: FrozenTrial): Row {
  const row: Row = { number: t.number, state: t.state };
  (t.values ?? []).forEach((v, i) => {
    row[t.values!.length === 1 ? 'value' : `values.${i}`] = v;
  });
  for (const [k, v] of Object.entries(t.params)) row[`params.${k}`] = v;
  row.duration_s =
    t.datetimeStart && t.datetimeComplete
      ? (t.datetimeComplete.getTime() - t.datetimeStart.getTime()) / 1000
      : null;
  const reason = t.systemAttrs[FAIL_REASON_ATTR];
  if (t.state === 'fail' && typeof reason === 'string') {
    // One line, short: `tunekit export` has the whole text (and the log path).
    const flat = reason.replace(/\s+/g, ' ');
    row.fail_reason = flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
  }
  return row;
}

export function registerTrials(program: Command): void {
  program
    .command('trials')
    .description('list the trials of a study')
    .argument('<study>', 'study name')
    .option('--format <format>', 'table, json or csv', 'table')
    .action(async (name: string, opts: { format: string }, command: Command) => {
      const format = parseFormat(opts.format);
      const study = await loadStudy({ studyName: name, storage: storageUrl(command) });
      try {
        console.log(render((await study.getTrials()).map(trialRow), format));
      } finally {
        await study.storage.close();
      }
    });
}
