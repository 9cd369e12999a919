// `warmStartFrom` in study files and `tunekit run --warm-start-from`: parsed into the spec, and the
// run engine creates the study with the named studies' trials as its warm start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { createStudy, loadStudy } from '../study/create-study.js';
import type { Reporter } from './progress.js';
import { StudyRun } from './runner/run-study.js';
import { loadStudyFile, StudyFileError } from './study-file.js';

const dir = mkdtempSync(join(tmpdir(), 'tunekit-warm-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, 'objective.js'),
  "console.log('tunekit:result ' + JSON.stringify({ value: (Number(process.argv[2]) - 3) ** 2 }));\n",
);

const quiet: Reporter = { start() {}, trialStarted() {}, trialFinished() {}, warn() {}, finish() {} };

function studyFile(name: string, extra: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    [
      'study: target',
      'params:',
      '  x: { type: float, low: -10, high: 10 }',
      `command: ["${process.execPath}", "${join(dir, 'objective.js')}", "{x}"]`,
      'sampler: { name: tpe, seed: 1 }',
      'trials: 2',
      extra,
    ].join('\n'),
  );
  return path;
}

describe('warmStartFrom in the CLI', () => {
  it('reads the key ("a,b" or a list) and the --warm-start-from flag', () => {
    const a = loadStudyFile(studyFile('a.yaml', 'warmStartFrom: old-a, old-b\nwarmStartWeight: 0.3'));
    expect(a.warmStartFrom).toEqual(['old-a', 'old-b']);
    expect(a.warmStartWeight).toBe(0.3);
    const b = loadStudyFile(studyFile('b.yaml', 'warmStartFrom: [old-c]'));
    expect(b.warmStartFrom).toEqual(['old-c']);
    expect(b.warmStartWeight).toBeUndefined();
    const c = loadStudyFile(studyFile('c.yaml', ''), {
      values: { warmStartFrom: 'x,y' },
      flagNames: { warmStartFrom: '--warm-start-from' },
    });
    expect(c.warmStartFrom).toEqual(['x', 'y']);
    expect(loadStudyFile(studyFile('d.yaml', '')).warmStartFrom).toBeUndefined();
    expect(() => loadStudyFile(studyFile('e.yaml', 'warmStartWeight: 2'))).toThrow(StudyFileError);
  });

  it('tunekit run warm-starts the study from the named study of the same storage', async () => {
    const storage = `sqlite:///${join(dir, 'runs.db')}`;
    const old = await createStudy({ storage, studyName: 'old', sampler: new RandomSampler({ seed: 2 }) });
    await old.optimize((t) => (t.suggestFloat('x', -10, 10) - 3) ** 2, { nTrials: 30 });
    await old.storage.close();
    const spec = loadStudyFile(studyFile('run.yaml', 'warmStartFrom: old'));
    const result = await new StudyRun(spec, storage, quiet).run();
    expect(result.exitCode).toBe(0);
    const target = await loadStudy({ studyName: 'target', storage });
    try {
      expect(await target.getTrials()).toHaveLength(2);
      const warm = target.warmStart;
      expect(warm?.sources.map((s) => [s.name, s.trials.length])).toEqual([['old', 30]]);
      // With 30 warm trials TPE skips the random startup: both trials land near x = 3.
      for (const t of await target.getTrials()) expect(Math.abs((t.params.x as number) - 3)).toBeLessThan(2);
    } finally {
      await target.storage.close();
    }
  });
});
