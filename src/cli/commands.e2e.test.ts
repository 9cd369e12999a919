// The rest of the command line end to end: help, ask/tell, export, delete-study, storage defaults.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, ROOT, runCli, tempDir } from './e2e-harness.js';

let bin: string;
beforeAll(async () => {
  bin = await buildCli();
});
afterAll(() => {
  if (bin) rmSync(dirname(bin), { recursive: true, force: true });
});

describe('tunekit (other commands)', () => {
  it('documents the commands, the exit codes and every option of run', async () => {
    const dir = tempDir();
    const help = await runCli(bin, ['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    for (const cmd of ['run', 'studies', 'trials', 'best', 'export', 'delete-study', 'ask', 'tell']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    }
    expect(help.stdout).toMatch(
      /Exit codes:\n +0 +success\n +1 .*\n +2 +bad usage or input.*\n +3 +tunekit run: every trial of this run failed\n +130/,
    );
    const run = await runCli(bin, ['run', '--help'], { cwd: dir });
    expect(run.code).toBe(0);
    for (const flag of [
      '--study',
      '--trials',
      '--timeout',
      '--trial-timeout',
      '--concurrency',
      '--gpus',
      '--gpus-per-trial',
      '--sampler',
      '--pruner',
      '--log-dir',
      '--kill-grace',
      '--shell',
      '--check',
      '--quiet',
      '--json',
      '--no-color',
    ]) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toMatch(/tunekit:report \{"step": 3, "value": 0\.91\}/);
    const bad = await runCli(bin, ['frobnicate'], { cwd: dir });
    expect(bad.code).toBe(2);
  });

  it('ask and tell drive a study from the shell', async () => {
    const dir = tempDir();
    const storage = ['--storage', `sqlite:///${join(dir, 'db.sqlite')}`];
    const opts = { cwd: dir };
    const space = ['--float', 'x=-10:10', '--categorical', 'kind=a,b', '--int', 'n=1:64:log'];
    for (let i = 0; i < 3; i++) {
      const ask = await runCli(
        bin,
        [...storage, 'ask', 'demo', ...space, '--sampler', 'random', '--sampler-options', '{"seed": 3}'],
        opts,
      );
      expect(ask.code, ask.stderr).toBe(0);
      const { number, params } = JSON.parse(ask.stdout) as {
        number: number;
        params: { x: number; kind: string; n: number };
      };
      expect(number).toBe(i);
      expect(params.x).toBeGreaterThanOrEqual(-10);
      expect(['a', 'b']).toContain(params.kind);
      const tell = await runCli(
        bin,
        [...storage, 'tell', 'demo', String(number), String((params.x - 2) ** 2)],
        opts,
      );
      expect(tell.code, tell.stderr).toBe(0);
      expect(tell.stdout).toMatch(new RegExp(`^trial ${i} of 'demo': complete`));
    }
    // --format env, for eval in a shell; then a failure with its reason.
    const env = await runCli(bin, [...storage, 'ask', 'demo', ...space, '--format', 'env'], opts);
    expect(env.code, env.stderr).toBe(0);
    expect(env.stdout).toMatch(
      /^TUNEKIT_STUDY=demo\nTUNEKIT_TRIAL_NUMBER=3\nTUNEKIT_PARAM_X=-?[\d.e-]+\nTUNEKIT_PARAM_KIND=[ab]\nTUNEKIT_PARAM_N=\d+\n$/,
    );
    const fail = await runCli(
      bin,
      [...storage, 'tell', 'demo', '3', '--state', 'fail', '--reason', 'out of memory'],
      opts,
    );
    expect(fail.stdout).toMatch(/trial 3 of 'demo': fail: out of memory/);
    // A negative value, and a trial told twice.
    const ask4 = await runCli(bin, [...storage, 'ask', 'demo', ...space], opts);
    expect(JSON.parse(ask4.stdout)).toMatchObject({ number: 4 });
    expect((await runCli(bin, [...storage, 'tell', 'demo', '4', '-1.5'], opts)).code).toBe(0);
    const twice = await runCli(bin, [...storage, 'tell', 'demo', '4', '2'], opts);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^tunekit: .*trial 4.*finished/m);

    const best = await runCli(bin, [...storage, 'best', 'demo', '--format', 'json'], opts);
    expect(JSON.parse(best.stdout)).toMatchObject([{ number: 4, state: 'complete', value: -1.5 }]);

    const badSpace = await runCli(
      bin,
      [...storage, 'ask', 'demo', '--space', '{"y": {"type": "float", "low": 1}}'],
      opts,
    );
    expect(badSpace.code).toBe(2);
    expect(badSpace.stderr).toMatch(/--space:1:\d+ +y\.high: missing; a number is required/);

    // The search space, study and sampler of a study file.
    const fromFile = await runCli(
      bin,
      [...storage, 'ask', '--study-file', join(ROOT, 'examples/cli/node-logreg.yaml')],
      opts,
    );
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const asked = JSON.parse(fromFile.stdout) as { params: Record<string, unknown> };
    expect(Object.keys(asked.params).sort()).toEqual(
      asked.params.optimizer === 'sgd' ? ['l2', 'lr', 'momentum', 'optimizer'] : ['l2', 'lr', 'optimizer'],
    );

    // export: CSV and JSON, with everything stored.
    const csv = await runCli(bin, [...storage, 'export', 'demo', '--format', 'csv'], opts);
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...rows] = csv.stdout.trim().split('\n');
    expect(header).toBe(
      'number,state,value,params.kind,params.n,params.x,datetime_start,datetime_complete,duration_s,fail_reason,log_path,intermediate_values',
    );
    expect(rows).toHaveLength(5);
    expect(rows[3]).toMatch(/^3,fail,,.*,out of memory,,$/);
    const out = join(dir, 'demo.json');
    expect((await runCli(bin, [...storage, 'export', 'demo', '--output', out], opts)).code).toBe(0);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as {
      study: string;
      directions: string[];
      trials: unknown[];
    };
    expect(exported).toMatchObject({ study: 'demo', directions: ['minimize'] });
    expect(exported.trials).toHaveLength(5);
  });

  it('delete-study wants --yes when it cannot ask; the storage defaults to ./tunekit.db, or $TUNEKIT_STORAGE', async () => {
    const dir = tempDir();
    const opts = { cwd: dir };
    expect((await runCli(bin, ['ask', 'gone', '--float', 'x=0:1'], opts)).code).toBe(0);
    expect(existsSync(join(dir, 'tunekit.db'))).toBe(true);
    const refused = await runCli(bin, ['delete-study', 'gone'], opts);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not a terminal\. Add --yes/);
    const deleted = await runCli(bin, ['delete-study', 'gone', '--yes'], opts);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toMatch(/Deleted study 'gone' \(1 trial\(s\)\)/);
    const studies = await runCli(bin, ['studies', '--format', 'json'], opts);
    expect(JSON.parse(studies.stdout)).toEqual([]);
    const missing = await runCli(bin, ['delete-study', 'gone', '--yes'], opts);
    expect(missing.code).toBe(2);

    const other = `sqlite:///${join(dir, 'other.db')}`;
    expect(
      (
        await runCli(bin, ['ask', 'elsewhere', '--float', 'x=0:1'], {
          cwd: dir,
          env: { TUNEKIT_STORAGE: other },
        })
      ).code,
    ).toBe(0);
    const listed = await runCli(bin, ['--storage', other, 'studies', '--format', 'csv'], opts);
    expect(listed.stdout).toMatch(/^elsewhere,minimize,1,/m);

    const check = await runCli(
      bin,
      ['run', join(ROOT, 'examples/cli/node-logreg.yaml'), '--check', '--json'],
      opts,
    );
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({
      study: 'node-logreg',
      storage: 'sqlite:///tunekit.db',
      concurrency: 2,
    });
  });
});
