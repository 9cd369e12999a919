import { describe, expect, it } from 'vitest';
import {
  colorEnabled,
  formatDuration,
  HumanReporter,
  type Progress,
  renderBar,
  type TrialEvent,
  trialLine,
} from '../progress.js';
import { fillArgv, fillShell, paramEnvName, placeholders, splitCommand, TemplateError } from './command.js';
import { GpuPool } from './gpu-pool.js';
import { orderValues, parseLenientJson, parseProtocolLine } from './protocol.js';

describe('command templates', () => {
  it('split like a shell quotes, without a shell', () => {
    expect(splitCommand(`python3 train.py --name 'a b' --x "say \\"hi\\" \\$HOME" c\\ d  `)).toEqual([
      'python3',
      'train.py',
      '--name',
      'a b',
      '--x',
      'say "hi" $HOME',
      'c d',
    ]);
    expect(splitCommand("--empty '' x")).toEqual(['--empty', '', 'x']);
    expect(() => splitCommand("it's")).toThrow(TemplateError);
  });

  it('fill placeholders per argument, drop arguments of inactive parameters, quote for a shell', () => {
    expect(placeholders(['--lr', '{lr}', '--m={momentum}', '{{literal}}'])).toEqual(['lr', 'momentum']);
    const fill = {
      values: { lr: 0.001, name: 'a b', flag: true, none: null },
      inactive: new Set(['momentum']),
    };
    expect(
      fillArgv(['--lr', '{lr}', '--momentum={momentum}', '{name}', '{flag}/{none}', '{{x}}'], fill),
    ).toEqual(['--lr', '0.001', 'a b', 'true/null', '{x}']);
    expect(fillShell("train --name {name} --m {momentum} --q '{lr}'", fill)).toBe(
      "train --name 'a b' --m '' --q '0.001'",
    );
    expect(fillShell('echo {name}', { values: { name: "it's" }, inactive: new Set() })).toBe(
      `echo 'it'\\''s'`,
    );
    expect(() => fillArgv(['{nope}'], fill)).toThrow(/unknown placeholder \{nope\}/);
    expect(() => placeholders('a { b')).toThrow(/is not closed/);
    expect(paramEnvName('batch-size')).toBe('TUNEKIT_PARAM_BATCH_SIZE');
    expect(paramEnvName('model.lr')).toBe('TUNEKIT_PARAM_MODEL_LR');
  });
});

describe('the line protocol', () => {
  it('reads reports, results, attributes and ignores other lines', () => {
    expect(parseProtocolLine('epoch 3: loss 0.2')).toBeNull();
    expect(parseProtocolLine(' tunekit:report {"step": 1, "value": 2}')).toBeNull();
    expect(parseProtocolLine('tunekit:report {"step": 3, "value": 0.91}')).toEqual({
      kind: 'report',
      step: 3,
      value: 0.91,
    });
    expect(parseProtocolLine('tunekit:report {"step": 3, "value": 0.91}\r')).toEqual({
      kind: 'report',
      step: 3,
      value: 0.91,
    });
    expect(parseProtocolLine('tunekit:result {"value": 0.93}')).toEqual({ kind: 'result', values: [0.93] });
    expect(parseProtocolLine('tunekit:result {"values": [1, -Infinity]}')).toEqual({
      kind: 'result',
      values: [1, Number.NEGATIVE_INFINITY],
    });
    expect(parseProtocolLine('tunekit:result {"values": {"acc": 0.9, "ms": 12}}')).toEqual({
      kind: 'result',
      values: { acc: 0.9, ms: 12 },
    });
    expect(parseProtocolLine('tunekit:attrs {"device": "cuda:0", "n": 3}')).toEqual({
      kind: 'attrs',
      attrs: { device: 'cuda:0', n: 3 },
    });
    const nan = parseProtocolLine('tunekit:result {"value": NaN}');
    expect(nan?.kind === 'result' && Number.isNaN((nan.values as number[])[0])).toBe(true);
    expect(parseLenientJson('{"s": "NaN in a string", "v": Infinity}')).toEqual({
      s: 'NaN in a string',
      v: Number.POSITIVE_INFINITY,
    });
  });

  it('calls everything else that starts with tunekit: malformed, with a reason', () => {
    const reason = (line: string) => {
      const m = parseProtocolLine(line);
      return m?.kind === 'malformed' ? m.reason : `not malformed: ${JSON.stringify(m)}`;
    };
    expect(reason('tunekit:reslt {"value": 1}')).toMatch(/unknown message 'tunekit:reslt'/);
    expect(reason('tunekit:result 0.93')).toMatch(/a result must be a JSON object/);
    expect(reason('tunekit:result {"value": 0.93')).toMatch(/needs one JSON object/);
    expect(reason('tunekit:result {"value": "0.93"}')).toMatch(/"value" must be a number/);
    expect(reason('tunekit:result {"value": 1, "values": [1]}')).toMatch(/exactly one of/);
    expect(reason('tunekit:result {"values": []}')).toMatch(/non-empty list/);
    expect(reason('tunekit:report {"step": 1.5, "value": 1}')).toMatch(/"step", an integer ≥ 0/);
    expect(reason('tunekit:report {"step": 1}')).toMatch(/"value", a number, got nothing/);
    expect(reason('tunekit:report {"step": 1, "value": 1, "epoch": 1}')).toMatch(/unknown key 'epoch'/);
    expect(reason('tunekit:attrs [1]')).toMatch(/needs a JSON object/);
    expect(reason('tunekit:attrs {"x": NaN}')).toMatch(/JSON cannot store/);
  });

  it('orders result values by metric name and rejects NaN and wrong counts', () => {
    expect(orderValues([1, 2], 2, undefined)).toEqual([1, 2]);
    expect(orderValues({ ms: 12, acc: 0.9 }, 2, ['acc', 'ms'])).toEqual([0.9, 12]);
    expect(orderValues({ acc: 0.9 }, 2, ['acc', 'ms'])).toBe("the result has no value for metric 'ms'");
    expect(orderValues({ acc: 0.9 }, 1, undefined)).toMatch(/declares no metrics/);
    expect(orderValues([1], 2, undefined)).toBe('the result has 1 value(s) but the study has 2 objective(s)');
    expect(orderValues([Number.NaN], 1, undefined)).toBe('the result is NaN');
    expect(orderValues([1, Number.NaN], 2, ['acc', 'ms'])).toBe("value 1 ('ms') of the result is NaN");
  });
});

describe('GPU slots', () => {
  it('never hand out a GPU that is in use, under random concurrent use', async () => {
    const pool = new GpuPool(['0', '1', '2', '3', '4'], 2);
    expect(pool.slots).toBe(2);
    const inUse = new Set<string>();
    let peak = 0;
    const worker = async (seed: number) => {
      for (let i = 0; i < 20; i++) {
        const gpus = await pool.acquire();
        expect(gpus).toHaveLength(2);
        for (const g of gpus) {
          expect(inUse.has(g)).toBe(false);
          inUse.add(g);
        }
        peak = Math.max(peak, inUse.size);
        await new Promise((r) => setTimeout(r, (seed * 7 + i * 3) % 4));
        for (const g of gpus) inUse.delete(g);
        pool.release(gpus);
      }
    };
    await Promise.all([1, 2, 3, 4, 5].map(worker));
    expect(peak).toBe(4);
    expect(() => pool.release(['0'])).toThrow(/not held/);
    expect(() => new GpuPool(['0'], 2)).toThrow(RangeError);
  });
});

describe('progress', () => {
  const event: TrialEvent = {
    number: 4,
    state: 'fail',
    values: null,
    params: { lr: 0.00123456, optimizer: 'adam' },
    durationS: 3.21,
    reason: 'exited with code 1',
    prunedAtStep: null,
    logPath: '/logs/trial-4.log',
    gpus: [],
  };

  it('draws the bar: done/total, running, pruned, failed, best, ETA', () => {
    const p: Progress = {
      done: 5,
      running: 2,
      complete: 3,
      pruned: 1,
      fail: 1,
      best: 0.9123456,
      toRun: 20,
      startedAt: 0,
    };
    const bar = renderBar(p, 120, 10_000);
    expect(bar).toMatch(/^\[█+░+\] 5\/20 {2}running 2 {2}pruned 1 {2}failed 1 {2}best 0\.9123 {2}ETA 30 s$/);
    expect(renderBar({ ...p, toRun: undefined }, 80, 65_000)).toBe(
      '5 done  running 2  pruned 1  failed 1  best 0.9123  1m05s',
    );
    expect(formatDuration(3.25)).toBe('3.3 s');
    expect(formatDuration(7325)).toBe('2h02m');
  });

  it('colours only on a terminal and never with NO_COLOR', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(trialLine(event)).toBe(
      'trial 4 fail: exited with code 1  (3.2 s)  lr=0.001235 optimizer=adam\n  log: /logs/trial-4.log',
    );
  });

  it('redraws the bar in place on a terminal, and prints plain lines otherwise', () => {
    const chunks: string[] = [];
    const tty = { isTTY: true, columns: 100, write: (s: string) => chunks.push(s) };
    const r = new HumanReporter(tty, tty, { color: false });
    r.start({
      study: 's',
      storage: 'sqlite:///x.db',
      directions: ['minimize'],
      toRun: 2,
      alreadyFinished: 0,
      concurrency: 1,
      logDir: '/l',
    });
    r.trialStarted(0);
    r.trialFinished({ ...event, number: 0, state: 'complete', values: [0.5], reason: null });
    r.finish({
      study: 's',
      complete: 1,
      pruned: 0,
      fail: 0,
      elapsedS: 1,
      interrupted: null,
      best: { number: 0, values: [0.5], params: { lr: 0.1 } },
      paretoSize: null,
      studyCounts: { complete: 1, pruned: 0, fail: 0 },
      logDir: '/l',
      stoppedBecause: null,
    });
    const out = chunks.join('');
    expect(out).toContain('\r\u001b[2K[');
    expect(out).toContain('1/2');
    expect(out).toMatch(/best: trial 0, value 0\.5 {2}lr=0\.1\n/);

    const plain: string[] = [];
    const pipe = { isTTY: false, write: (s: string) => plain.push(s) };
    const q = new HumanReporter(pipe, pipe);
    q.start({
      study: 's',
      storage: 'x',
      directions: ['minimize'],
      toRun: 1,
      alreadyFinished: 0,
      concurrency: 1,
      logDir: '/l',
    });
    q.trialStarted(0);
    q.trialFinished({ ...event, number: 0, state: 'pruned', prunedAtStep: 3, reason: null });
    expect(plain.join('')).toBe(
      "study 's' in x: running 1 trial, 1 at a time\ntrial 0 pruned at step 3  (3.2 s)  lr=0.001235 optimizer=adam\n",
    );
  });
});
