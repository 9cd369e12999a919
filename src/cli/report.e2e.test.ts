// `tunekit report` end to end: a study in SQLite, the command, the HTML file it writes.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RandomSampler } from '../samplers/random/index.js';
import { createStudy } from '../study/create-study.js';
import { buildCli, runCli, tempDir } from './e2e-harness.js';

const XSS = '<img src=x onerror=alert(1)>';

let bin: string;
let dir: string;
let storage: string;
beforeAll(async () => {
  bin = await buildCli();
  dir = tempDir('tunekit-report-');
  storage = `sqlite:///${join(dir, 'db.sqlite')}`;
  const study = await createStudy({ studyName: 'rep', storage, sampler: new RandomSampler({ seed: 1 }) });
  try {
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', -5, 5);
        const kind = trial.suggestCategorical(XSS, ['a', XSS]);
        for (let s = 0; s < 3; s++) trial.report(x * x + s, s);
        return x * x + (kind === 'a' ? 0 : 1);
      },
      { nTrials: 25 },
    );
  } finally {
    await study.storage.close();
  }
});
afterAll(() => {
  if (bin) rmSync(dirname(bin), { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tunekit report', () => {
  it('writes a self-contained HTML report and prints its path', async () => {
    const out = join(dir, 'out', '..', 'report.html');
    const r = await runCli(
      bin,
      ['--storage', storage, 'report', 'rep', '--out', out, '--importance', 'fanova'],
      {
        cwd: dir,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`report written to ${join(dir, 'report.html')}`);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toContain(XSS);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const data = JSON.parse(
      /<script type="application\/json" id="tunekit-report-data">([\s\S]*?)<\/script>/.exec(html)![1]!,
    );
    const kinds = (data.plots as { kind: string }[]).map((p) => p.kind);
    expect(kinds).toEqual([
      'history',
      'intermediate',
      'parallel-coordinate',
      'slice',
      'contour',
      'importance',
      'edf',
      'timeline',
    ]);
    expect(data.plots[0].spec.series[0].data).toHaveLength(25);
  });

  it('takes --plots and the default file name, and rejects bad flags and unknown studies', async () => {
    const only = await runCli(bin, ['--storage', storage, 'report', 'rep', '--plots', 'history,edf'], {
      cwd: dir,
    });
    expect(only.code, only.stderr).toBe(0);
    const html = readFileSync(join(dir, 'tunekit-report.html'), 'utf8');
    expect(html.match(/<section data-kind="/g)).toHaveLength(2);
    const badPlot = await runCli(bin, ['--storage', storage, 'report', 'rep', '--plots', 'pie'], {
      cwd: dir,
    });
    expect(badPlot.code).toBe(2);
    expect(badPlot.stderr).toMatch(/--plots/);
    const badPoints = await runCli(bin, ['--storage', storage, 'report', 'rep', '--max-points', 'x'], {
      cwd: dir,
    });
    expect(badPoints.code).toBe(2);
    const missing = await runCli(
      bin,
      ['--storage', storage, 'report', 'nope', '--out', join(dir, 'n.html')],
      {
        cwd: dir,
      },
    );
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/nope/);
    expect(existsSync(join(dir, 'n.html'))).toBe(false);
  });
});
