/** `tunekit delete-study STUDY`: deletes a study and its trials, after a confirmation. */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { deleteStudy, loadStudy } from '../../study/create-study.js';
import { storageUrl } from '../options.js';

export function registerDeleteStudy(program: Command): void {
  program
    .command('delete-study')
    .description('delete a study and all its trials (asks first on a terminal; --yes otherwise)')
    .argument('<study>', 'study name')
    .option('-y, --yes', 'delete without asking')
    .action(async (name: string, opts: { yes?: boolean }, command: Command) => {
      const storage = storageUrl(command);
      const study = await loadStudy({ studyName: name, storage });
      const n = (await study.getTrials()).length;
      await study.storage.close();
      if (!opts.yes) {
        if (!process.stdin.isTTY || !process.stdout.isTTY) {
          throw new InvalidArgumentError(
            `refusing to delete study '${name}' (${n} trials) without confirmation: not a terminal. Add --yes.`,
          );
        }
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        const answer = await rl.question(
          `Delete study '${name}' and its ${n} trial(s) from ${storage}? [y/N] `,
        );
        rl.close();
        if (!/^y(es)?$/i.test(answer.trim())) {
          console.log('Nothing deleted.');
          return;
        }
      }
      await deleteStudy({ studyName: name, storage });
      console.log(`Deleted study '${name}' (${n} trial(s)).`);
    });
}
