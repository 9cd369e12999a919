// `tunekit run` end to end: the real binary (built with tsup) on real commands.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCli,
  groupMembers,
  processAlive,
  ROOT,
  runCli,
  startCli,
  tempDir,
  waitCli,
  waitFor,
} from './e2e-harness.js';

let bin: string;
beforeAll(async () => {
  bin = await buildCli();
});
afterAll(() => {
  if (bin) rmSync(dirname(bin), { recursive: true, force: true });
});

interface ExportedTrial {
  number: number;
  state: string;
  values: number[] | null;
  params: Record<string, unknown>;
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  intermediateValues: Record<string, number>;
}

async function exportTrials(dir: string, study: string): Promise<ExportedTrial[]> {
  const r = await runCli(bin, ['--storage', `sqlite:///${join(dir, 'db.sqlite')}`, 'export', study], {
    cwd: dir,
  });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { trials: ExportedTrial[] }).trials;
}

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
/**
 * A Python that can import torch: `python3` on the PATH, else Debian's (python3-torch installs
 * into /usr/bin/python3, which a pyenv shim on the PATH may hide). CI installs python3-torch.
 */
const torchPython = hasPython
  ? ['python3', '/usr/bin/python3'].find((python) => {
      try {
        execFileSync(
          python,
          ['-c', "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('torch') else 1)"],
          { stdio: 'ignore' },
        );
        return true;
      } catch {
        return false;
      }
    })
  : undefined;

describe('tunekit run', () => {
  it('rejects an invalid study file before running anything, listing every problem with its line and a hint', async () => {
    const dir = tempDir();
    const file = write(
      dir,
      'bad.yaml',
      [
        'study: bad',
        'direction: maximise',
        'command: python3 train.py --lr {lr} --x {unknwn}',
        'params:',
        '  lr: { type: float, low: 0.1, high: 0.01, log: true }',
        '  momentum: { type: float, low: 0, high: 1, when: { optimiser: sgd } }',
        '  optimizer: { type: categorical, choices: [sgd, adam] }',
        'trails: 10',
        'pruner: mediam',
        '',
      ].join('\n'),
    );
    const r = await runCli(bin, ['--storage', `sqlite:///${join(dir, 'db.sqlite')}`, 'run', file], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/6 problems; nothing was run/);
    expect(r.stderr).toMatch(
      /bad\.yaml:2:12 +direction: unknown value "maximise"\n +hint: did you mean 'maximize'\?/,
    );
    expect(r.stderr).toMatch(/bad\.yaml:3:10 +command: unknown placeholder \{unknwn\}/);
    expect(r.stderr).toMatch(/bad\.yaml:5:7 +params\.lr: low=0\.1 is greater than high=0\.01/);
    expect(r.stderr).toMatch(
      /params\.momentum\.when\.optimiser: condition on unknown parameter 'optimiser'\n +hint: did you mean 'optimizer'\?/,
    );
    expect(r.stderr).toMatch(/bad\.yaml:8:1 +trails: unknown key 'trails'\n +hint: did you mean 'trials'\?/);
    expect(r.stderr).toMatch(/pruner: unknown pruner "mediam"/);
    expect(existsSync(join(dir, 'db.sqlite'))).toBe(false);
    expect(existsSync(join(dir, 'tunekit-logs'))).toBe(false);
  });

  it('tunes the Node example, pruning over the process boundary, and resumes the study when run again', async () => {
    const dir = tempDir();
    const storage = `sqlite:///${join(dir, 'db.sqlite')}`;
    const file = join(ROOT, 'examples/cli/node-logreg.yaml');
    const first = await runCli(bin, ['--storage', storage, 'run', file, '--trials', '6', '--json'], {
      cwd: dir,
    });
    expect(first.code, first.stderr).toBe(0);
    const events = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events[0]).toMatchObject({ event: 'start', study: 'node-logreg', toRun: 6, concurrency: 2 });
    const trials = events.filter((e) => e.event === 'trial');
    expect(trials).toHaveLength(6);
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({ event: 'summary', interrupted: null });
    expect((summary.complete as number) + (summary.pruned as number)).toBe(6);
    // The enqueued point ran first, with exactly its values.
    const exported = await exportTrials(dir, 'node-logreg');
    expect(exported[0]!.params).toMatchObject({ optimizer: 'adam', lr: 0.05, l2: 1e-4 });
    for (const t of exported) {
      expect(['complete', 'pruned']).toContain(t.state);
      // Conditional: momentum only for sgd.
      expect('momentum' in t.params).toBe(t.params.optimizer === 'sgd');
      expect(Object.keys(t.intermediateValues).length).toBeGreaterThan(0);
      const log = readFileSync(t.systemAttrs['tunekit:log_path'] as string, 'utf8');
      expect(log).toMatch(/tunekit:report \{"step":0/);
      if (t.state === 'complete') {
        expect(t.values![0]).toBeGreaterThan(0);
        expect(t.userAttrs.val_accuracy).toBeGreaterThan(0.5);
        expect(Object.keys(t.intermediateValues)).toHaveLength(15);
      }
    }

    // The same command again: nothing is missing, nothing runs.
    const again = await runCli(bin, ['--storage', storage, 'run', file, '--trials', '6'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/nothing to run \(resuming: 6 finished before\)/);
    expect(again.stdout).toMatch(/best: trial \d+, value/);
    // Asking for more runs only the missing ones.
    const more = await runCli(bin, ['--storage', storage, 'run', file, '--trials', '8'], { cwd: dir });
    expect(more.code, more.stderr).toBe(0);
    expect(more.stdout).toMatch(/running 2 trials, 2 at a time \(resuming: 6 finished before\)/);
    expect(more.stdout).toMatch(/study 'node-logreg': 2 trials in/);
    expect(more.stdout).not.toContain('\u001b['); // not a terminal: plain lines, no colours
    expect(await exportTrials(dir, 'node-logreg')).toHaveLength(8);
  });

  it('passes parameters as arguments, TUNEKIT_PARAM_* variables and a JSON file, dropping inactive ones', async () => {
    const dir = tempDir();
    write(
      dir,
      'dump.sh',
      [
        'n=$TUNEKIT_TRIAL_NUMBER',
        'printf "%s\\n" "$@" > "args-$n.txt"',
        'env | grep "^TUNEKIT_\\|^PYTHONUNBUFFERED" | sort > "env-$n.txt"',
        'cp "$TUNEKIT_PARAMS_FILE" "params-$n.json"',
        'echo "tunekit:result {\\"value\\": $n}"',
        '',
      ].join('\n'),
    );
    const file = write(
      dir,
      'study.json',
      JSON.stringify({
        study: 'dump',
        command: [
          'sh',
          'dump.sh',
          '--opt',
          '{optimizer}',
          '--momentum={momentum}',
          '--name',
          '{name}',
          '{trial_number}',
        ],
        params: {
          optimizer: { type: 'categorical', choices: ['sgd', 'adam'] },
          momentum: { type: 'float', low: 0, high: 1, when: { optimizer: 'sgd' } },
          'batch-size': { type: 'int', low: 8, high: 64, step: 8 },
          name: { type: 'categorical', choices: ['a b'] },
        },
        enqueue: [{ optimizer: 'sgd', momentum: 0.5 }, { optimizer: 'adam' }],
        trials: 2,
      }),
    );
    const r = await runCli(bin, ['--storage', `sqlite:///${join(dir, 'db.sqlite')}`, 'run', file], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'args-0.txt'), 'utf8')).toBe(
      '--opt\nsgd\n--momentum=0.5\n--name\na b\n0\n',
    );
    expect(readFileSync(join(dir, 'args-1.txt'), 'utf8')).toBe('--opt\nadam\n--name\na b\n1\n');
    const env0 = readFileSync(join(dir, 'env-0.txt'), 'utf8');
    expect(env0).toMatch(/^TUNEKIT_PARAM_OPTIMIZER=sgd$/m);
    expect(env0).toMatch(/^TUNEKIT_PARAM_MOMENTUM=0\.5$/m);
    expect(env0).toMatch(/^TUNEKIT_PARAM_BATCH_SIZE=\d+$/m);
    expect(env0).toMatch(/^TUNEKIT_STUDY=dump$/m);
    expect(env0).toMatch(/^TUNEKIT_TRIAL_NUMBER=0$/m);
    expect(env0).toMatch(/^TUNEKIT_RESULT_FILE=.*trial-0\.result\.json$/m);
    expect(env0).toMatch(/^PYTHONUNBUFFERED=1$/m);
    expect(readFileSync(join(dir, 'env-1.txt'), 'utf8')).not.toMatch(/TUNEKIT_PARAM_MOMENTUM/);
    const p1 = JSON.parse(readFileSync(join(dir, 'params-1.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(p1)).toEqual(['optimizer', 'batch-size', 'name']);
    const trials = await exportTrials(dir, 'dump');
    expect(trials.map((t) => t.values)).toEqual([[0], [1]]);
    expect(trials[1]!.systemAttrs['tunekit:command']).toEqual([
      'sh',
      'dump.sh',
      '--opt',
      'adam',
      '--name',
      'a b',
      '1',
    ]);
    // A re-run with another kind of parameter under the same name is refused before any trial.
    const changed = readFileSync(file, 'utf8').replace('"type":"int","low":8', '"type":"float","low":8');
    writeFileSync(file, changed);
    const refused = await runCli(
      bin,
      ['--storage', `sqlite:///${join(dir, 'db.sqlite')}`, 'run', file, '--trials', '3'],
      { cwd: dir },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^tunekit: study 'dump' already has trials, and parameter 'batch-size' was a int parameter .*Nothing was run/,
    );
    expect(await exportTrials(dir, 'dump')).toHaveLength(2);
  });

  it('records failures as data: exit code with the stderr tail, no result, malformed line, NaN, timeout; the study goes on', async () => {
    const dir = tempDir();
    write(
      dir,
      'fake.sh',
      [
        'case "$1" in',
        '  ok) echo "tunekit:result {\\"value\\": 1}" ;;',
        '  resultfile) echo "{\\"value\\": 2}" > "$TUNEKIT_RESULT_FILE" ;;',
        '  exit) echo "loading data"; echo "RuntimeError: CUDA out of memory" >&2; exit 3 ;;',
        '  noresult) echo "done, but no result" ;;',
        '  malformed) echo "tunekit:report {\\"step\\": 1, \\"vlaue\\": 0.5}"; sleep 20; echo "tunekit:result {\\"value\\": 1}" ;;',
        '  nan) echo "tunekit:result {\\"value\\": NaN}" ;;',
        '  timeout) sleep 20 ;;',
        'esac',
        '',
      ].join('\n'),
    );
    const file = write(
      dir,
      'failures.yaml',
      [
        'study: failures',
        'command: sh fake.sh {mode}',
        'params:',
        '  mode: { type: categorical, choices: [ok, resultfile, exit, noresult, malformed, nan, timeout] }',
        'sampler: grid',
        'concurrency: 4',
        'trialTimeout: 1',
        'killGrace: 0.2',
        '',
      ].join('\n'),
    );
    const t0 = Date.now();
    const r = await runCli(bin, ['--storage', `sqlite:///${join(dir, 'db.sqlite')}`, 'run', file], {
      cwd: dir,
    });
    expect(Date.now() - t0).toBeLessThan(8000); // nothing waited for its 20 s sleep
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/every point of the grid has been tried/);
    expect(r.stdout).toMatch(/7 trials in .*: 2 complete, 0 pruned, 5 failed/);
    const byMode = new Map((await exportTrials(dir, 'failures')).map((t) => [t.params.mode as string, t]));
    const reason = (mode: string) => byMode.get(mode)!.systemAttrs['tunekit:fail_reason'] as string;
    expect(byMode.get('ok')).toMatchObject({ state: 'complete', values: [1] });
    expect(byMode.get('resultfile')).toMatchObject({ state: 'complete', values: [2] });
    expect(reason('exit')).toBe('exited with code 3; stderr: RuntimeError: CUDA out of memory');
    expect(reason('noresult')).toMatch(
      /exited with code 0 but gave no result: print a line such as tunekit:result/,
    );
    expect(reason('malformed')).toMatch(
      /^malformed protocol line \(line 1 of the output\): unknown key 'vlaue'/,
    );
    expect(reason('nan')).toBe('the result is NaN');
    expect(reason('timeout')).toBe('timed out after 1 s (trialTimeout)');
    for (const mode of ['exit', 'noresult', 'malformed', 'nan', 'timeout'])
      expect(byMode.get(mode)!.state).toBe('fail');
    expect(r.stdout).toMatch(/trial \d+ fail: exited with code 3; stderr: RuntimeError: CUDA out of memory/);
    const table = await runCli(
      bin,
      ['--storage', `sqlite:///${join(dir, 'db.sqlite')}`, 'trials', 'failures'],
      {
        cwd: dir,
      },
    );
    expect(table.stdout).toMatch(
      /^\d +fail +exit +[\d.]+ +exited with code 3; stderr: RuntimeError: CUDA out of memory$/m,
    );
  });

  it('fails a trial whose command is not found, and exits 3 when every trial of the run failed', async () => {
    const dir = tempDir();
    const file = write(
      dir,
      'nf.yaml',
      'study: nf\ncommand: definitely-not-a-command-tunekit --x {x}\nparams:\n  x: { type: int, low: 0, high: 3 }\ntrials: 2\n',
    );
    const r = await runCli(bin, ['--storage', `sqlite:///${join(dir, 'db.sqlite')}`, 'run', file], {
      cwd: dir,
    });
    expect(r.code).toBe(3);
    const trials = await exportTrials(dir, 'nf');
    expect(trials).toHaveLength(2);
    for (const t of trials) {
      expect(t.state).toBe('fail');
      expect(t.systemAttrs['tunekit:fail_reason']).toMatch(
        /^command not found: definitely-not-a-command-tunekit/,
      );
    }
    // Through a shell (--shell), quietly: the shell's 127 and its message.
    const sh = await runCli(
      bin,
      [
        '--storage',
        `sqlite:///${join(dir, 'db.sqlite')}`,
        'run',
        file,
        '--shell',
        '--quiet',
        '--study',
        'nf-sh',
      ],
      { cwd: dir },
    );
    expect(sh.code).toBe(3);
    expect(sh.stdout).toBe('');
    for (const t of await exportTrials(dir, 'nf-sh')) {
      expect(t.systemAttrs['tunekit:fail_reason']).toMatch(
        /^exited with code 127 \(command not found in the shell\); stderr: .*definitely-not-a-command-tunekit.*not found/,
      );
      expect(t.systemAttrs['tunekit:command']).toMatch(/^definitely-not-a-command-tunekit --x \d$/);
    }
  });

  it('never gives one GPU to two trials at once', async () => {
    const dir = tempDir();
    const record = join(dir, 'gpus.txt');
    write(
      dir,
      'gpu.sh',
      [
        'echo "$CUDA_VISIBLE_DEVICES $(date +%s%N) start $TUNEKIT_TRIAL_NUMBER" >> "$RECORD"',
        'sleep 0.15',
        'echo "$CUDA_VISIBLE_DEVICES $(date +%s%N) end $TUNEKIT_TRIAL_NUMBER" >> "$RECORD"',
        'echo "tunekit:result {\\"value\\": $TUNEKIT_PARAM_X}"',
        '',
      ].join('\n'),
    );
    const file = write(
      dir,
      'gpu.yaml',
      `study: gpu\ncommand: sh gpu.sh\nparams:\n  x: { type: float, low: 0, high: 1 }\nenv: { RECORD: "${record}" }\n`,
    );
    type Interval = { gpus: string[]; start: bigint; end: bigint };
    const check = (expectedPerTrial: number, trials: number): Interval[] => {
      const open = new Map<string, { gpus: string[]; start: bigint }>();
      const intervals: Interval[] = [];
      const lines = readFileSync(record, 'utf8').trim().split('\n');
      for (const line of lines) {
        const [gpus, ts, kind, n] = line.split(' ');
        if (kind === 'start') open.set(n!, { gpus: gpus!.split(','), start: BigInt(ts!) });
        else intervals.push({ ...open.get(n!)!, end: BigInt(ts!) });
      }
      expect(intervals).toHaveLength(trials);
      let overlaps = 0;
      for (const a of intervals) {
        expect(a.gpus).toHaveLength(expectedPerTrial);
        for (const b of intervals) {
          if (a === b || !(a.start < b.end && b.start < a.end)) continue;
          overlaps++;
          for (const g of a.gpus) expect(b.gpus).not.toContain(g);
        }
      }
      expect(overlaps).toBeGreaterThan(0); // trials did run concurrently
      return intervals;
    };

    const storage = `sqlite:///${join(dir, 'db.sqlite')}`;
    const one = await runCli(
      bin,
      [
        '--storage',
        storage,
        'run',
        file,
        '--trials',
        '8',
        '--gpus',
        '0,1,2,3',
        '--gpus-per-trial',
        '1',
        '--concurrency',
        '4',
      ],
      { cwd: dir },
    );
    expect(one.code, one.stderr).toBe(0);
    const intervals = check(1, 8);
    expect(new Set(intervals.flatMap((i) => i.gpus))).toEqual(new Set(['0', '1', '2', '3']));

    rmSync(record);
    const two = await runCli(
      bin,
      [
        '--storage',
        storage,
        'run',
        file,
        '--study',
        'gpu2',
        '--trials',
        '4',
        '--gpus',
        '0,1,2,3,4',
        '--gpus-per-trial',
        '2',
        '--concurrency',
        '3',
        '--json',
      ],
      { cwd: dir },
    );
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).toMatch(/concurrency 3 is more than the 2 GPU slot\(s\)/);
    check(2, 4);
    const trials = await exportTrials(dir, 'gpu2');
    for (const t of trials) expect(t.systemAttrs['tunekit:gpus']).toMatch(/^\d,\d$/);
  });

  it("kills a pruned trial's whole process group: SIGTERM, then SIGKILL after the grace period", async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids.txt');
    write(
      dir,
      'stubborn.sh',
      [
        "trap '' TERM", // ignores SIGTERM: only SIGKILL stops it
        `sh -c "trap '' TERM; sleep 60" &`, // a grandchild, as stubborn
        `echo "$$ $!" > "${pids}"`,
        'echo "tunekit:report {\\"step\\": 0, \\"value\\": 10}"',
        'sleep 60',
        '',
      ].join('\n'),
    );
    const file = write(
      dir,
      'prune.yaml',
      'study: prune\ncommand: sh stubborn.sh\nparams:\n  x: { type: float, low: 0, high: 1 }\npruner: { name: threshold, upper: 5 }\nkillGrace: 0.5\ntrials: 1\n',
    );
    const t0 = Date.now();
    const r = await runCli(bin, ['--storage', `sqlite:///${join(dir, 'db.sqlite')}`, 'run', file], {
      cwd: dir,
    });
    const elapsed = Date.now() - t0;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/trial 0 pruned at step 0/);
    expect(elapsed).toBeGreaterThanOrEqual(500); // the grace period was given
    expect(elapsed).toBeLessThan(8000);
    const [leader, grandchild] = readFileSync(pids, 'utf8').trim().split(' ').map(Number) as [number, number];
    expect(processAlive(leader)).toBe(false);
    expect(processAlive(grandchild)).toBe(false);
    expect(groupMembers(leader)).toEqual([]);
    const [t] = await exportTrials(dir, 'prune');
    expect(t).toMatchObject({ state: 'pruned', intermediateValues: { 0: 10 } });
  });

  it('Ctrl-C stops the running trials, marks them failed, prints the summary and exits 130', async () => {
    const dir = tempDir();
    write(dir, 'long.sh', 'echo $$ > "pid-$TUNEKIT_TRIAL_NUMBER"\nsleep 60 &\nwait\n');
    const file = write(
      dir,
      'long.yaml',
      'study: long\ncommand: sh long.sh\nparams:\n  x: { type: float, low: 0, high: 1 }\nconcurrency: 2\ntrials: 5\n',
    );
    const child = startCli(bin, ['--storage', `sqlite:///${join(dir, 'db.sqlite')}`, 'run', file], {
      cwd: dir,
    });
    const done = waitCli(child);
    await waitFor(
      () => existsSync(join(dir, 'pid-0')) && existsSync(join(dir, 'pid-1')),
      10_000,
      'two trials',
    );
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/interrupted by SIGINT: running trials were stopped and marked failed/);
    expect(r.stdout).toMatch(/study 'long': 2 trials in .*: 0 complete, 0 pruned, 2 failed/);
    for (const n of [0, 1]) {
      const pid = Number(readFileSync(join(dir, `pid-${n}`), 'utf8'));
      expect(groupMembers(pid)).toEqual([]);
    }
    const trials = await exportTrials(dir, 'long');
    expect(trials).toHaveLength(2);
    for (const t of trials) {
      expect(t.state).toBe('fail');
      expect(t.systemAttrs['tunekit:fail_reason']).toBe('interrupted by SIGINT (Ctrl-C)');
    }
  });

  it('a re-run marks the trials a killed run left running as failed, then goes on', async () => {
    const dir = tempDir();
    write(
      dir,
      'hang.sh',
      'if [ "$TUNEKIT_TRIAL_NUMBER" = 0 ]; then echo $$ > pid; sleep 60; fi\necho "tunekit:result {\\"value\\": 1}"\n',
    );
    const file = write(
      dir,
      'hang.yaml',
      'study: hang\ncommand: sh hang.sh\nparams:\n  x: { type: float, low: 0, high: 1 }\ntrials: 2\n',
    );
    const storage = `sqlite:///${join(dir, 'db.sqlite')}`;
    const child = startCli(bin, ['--storage', storage, 'run', file], { cwd: dir });
    const done = waitCli(child);
    await waitFor(() => existsSync(join(dir, 'pid')), 10_000, 'the first trial');
    child.kill('SIGKILL'); // no chance to clean up
    await done;
    const orphan = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    process.kill(-orphan, 'SIGKILL'); // what a SIGKILLed run cannot do
    const r = await runCli(bin, ['--storage', storage, 'run', file], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/trial 0 was left running by an earlier run \(pid \d+, gone\); marked failed/);
    const trials = await exportTrials(dir, 'hang');
    expect(trials.map((t) => t.state)).toEqual(['fail', 'complete', 'complete']);
    expect(trials[0]!.systemAttrs['tunekit:fail_reason']).toMatch(
      /^abandoned: the tunekit run that started it/,
    );
  });

  it.skipIf(!hasPython)(
    'the Python helper speaks the protocol: params file, reports, attrs, named multi-objective results (needs python3)',
    async () => {
      const dir = tempDir();
      write(
        dir,
        'obj.py',
        [
          'import sys',
          `sys.path.insert(0, ${JSON.stringify(join(ROOT, 'python'))})`,
          'import tunekit_protocol as tk',
          'p = tk.params({"x": 0.0})',
          'assert tk.is_running_under_tunekit() and tk.trial_number() is not None and tk.study_name() == "py"',
          'for step in range(3):',
          '    tk.report(p["x"] * step, step=step)',
          'tk.attrs(note="from python", steps=3)',
          'tk.result({"loss": (p["x"] - 0.3) ** 2, "size": p["x"] * 10})',
          '',
        ].join('\n'),
      );
      const file = write(
        dir,
        'py.yaml',
        'study: py\ndirections: [minimize, maximize]\nmetrics: [loss, size]\ncommand: python3 obj.py\nparams:\n  x: { type: float, low: 0, high: 1 }\ntrials: 2\nconcurrency: 2\n',
      );
      const r = await runCli(bin, ['--storage', `sqlite:///${join(dir, 'db.sqlite')}`, 'run', file], {
        cwd: dir,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Pareto front: \d trial/);
      for (const t of await exportTrials(dir, 'py')) {
        expect(t.state).toBe('complete');
        const x = t.params.x as number;
        expect(t.values![0]).toBeCloseTo((x - 0.3) ** 2, 10);
        expect(t.values![1]).toBeCloseTo(x * 10, 10);
        expect(t.userAttrs).toEqual({ note: 'from python', steps: 3 });
        expect(Object.keys(t.intermediateValues)).toEqual(['0', '1', '2']);
      }
    },
  );

  // Outside CI a machine without torch skips this test; in CI (which installs python3-torch) it runs.
  it.skipIf(torchPython === undefined && !process.env.CI)(
    'tunes the PyTorch example (MLP on digits) with torch (outside CI, skipped where torch is missing)',
    async () => {
      expect(torchPython, 'CI must install python3-torch (see .ci/run)').toBeDefined();
      const dir = tempDir();
      const example = readFileSync(join(ROOT, 'examples/cli/pytorch-mlp.yaml'), 'utf8');
      expect(example).toMatch(/--epochs 20/);
      expect(example).toMatch(/python3 \.\.\/pytorch\/train\.py/);
      const adapted = example
        .replace('--epochs 20', '--epochs 2')
        .replace('python3 ../pytorch/train.py', `${torchPython} ../pytorch/train.py`);
      const file = write(
        dir,
        'pytorch.yaml',
        `${adapted}\ncwd: ${JSON.stringify(join(ROOT, 'examples/cli'))}\n`,
      );
      const r = await runCli(
        bin,
        [
          '--storage',
          `sqlite:///${join(dir, 'db.sqlite')}`,
          'run',
          file,
          '--trials',
          '2',
          '--concurrency',
          '2',
        ],
        { cwd: dir, timeoutMs: 60_000 },
      );
      expect(r.code, r.stderr).toBe(0);
      const trials = await exportTrials(dir, 'pytorch-mlp');
      expect(trials).toHaveLength(2);
      for (const t of trials) {
        expect(t.state).toBe('complete');
        expect(t.values![0]).toBeGreaterThan(0);
        expect(t.values![0]).toBeLessThanOrEqual(1);
        expect(Object.keys(t.intermediateValues)).toEqual(['0', '1']);
        expect(t.userAttrs.device).toMatch(/^(cpu|cuda)/);
        expect(readFileSync(t.systemAttrs['tunekit:log_path'] as string, 'utf8')).toMatch(
          /^device (cpu|cuda)/,
        );
      }
      expect(readdirSync(join(dir, 'tunekit-logs', 'pytorch-mlp'))).toContain('trial-0.log');
    },
  );
});
