import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STUDY_SCHEMA_PATH, studySchemaText } from '../../scripts/gen-study-schema.js';
import { GPSampler } from '../samplers/gp/gp-sampler.js';
import type { TPESampler } from '../samplers/tpe/tpe-sampler.js';
import { ROOT, tempDir } from './e2e-harness.js';
import { createSampler } from './registry.js';
import { loadStudyFile, parseSearchSpace, StudyFileError } from './study-file.js';

function problemsOf(fn: () => unknown): StudyFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StudyFileError) return e;
    throw e;
  }
  throw new Error('expected a StudyFileError');
}

function fileWith(name: string, text: string): string {
  const path = join(tempDir('tunekit-study-file-'), name);
  writeFileSync(path, text);
  return path;
}

describe('study files', () => {
  it('the JSON Schema in schemas/ is generated from the zod schema and up to date', () => {
    expect(readFileSync(STUDY_SCHEMA_PATH, 'utf8'), 'run: npx tsx scripts/gen-study-schema.ts').toBe(
      studySchemaText(),
    );
    const schema = JSON.parse(studySchemaText()) as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(schema.required).toEqual(['params', 'command']);
    expect(Object.keys(schema.properties)).toContain('gpusPerTrial');
  });

  it('the example study files are valid; defaults and paths are resolved', () => {
    const node = loadStudyFile(join(ROOT, 'examples/cli/node-logreg.yaml'));
    expect(node).toMatchObject({
      study: 'node-logreg',
      directions: ['minimize'],
      metrics: ['val_loss'],
      shell: false,
      cwd: join(ROOT, 'examples/cli'),
      concurrency: 2,
      trials: 20,
      killGrace: 10,
      sampler: { name: 'tpe', seed: 1, nStartupTrials: 5 },
      pruner: { name: 'median', nStartupTrials: 3, nWarmupSteps: 3 },
      logDir: join(process.cwd(), 'tunekit-logs'),
    });
    expect(Object.keys(node.params)).toEqual(['optimizer', 'lr', 'momentum', 'l2']);
    const torch = loadStudyFile(join(ROOT, 'examples/cli/pytorch-mlp.yaml'));
    expect(torch.directions).toEqual(['maximize']);
    expect(torch.command).toMatch(/^python3 \.\.\/pytorch\/train\.py .* --epochs 20$/);
  });

  it('flags override the file; their problems name the flag; relative paths follow their source', () => {
    const path = fileWith(
      'flags.yaml',
      'command: [prog]\nparams: { x: { type: int, low: 0, high: 3 } }\nlogDir: logs\nstorage: sqlite:///s.db\ngpus: "0,1,2,3"\ngpusPerTrial: 2\n',
    );
    const spec = loadStudyFile(path);
    expect(spec.study).toBe('flags');
    expect(spec.logDir).toBe(join(path, '..', 'logs'));
    expect(spec.storage).toBe(`sqlite:///${join(path, '..', 's.db')}`);
    expect(spec.gpus).toEqual(['0', '1', '2', '3']);
    expect(spec.concurrency).toBe(2); // one trial per GPU slot
    const over = loadStudyFile(path, {
      values: { logDir: 'elsewhere', trials: 7, study: 'renamed' },
      flagNames: { logDir: '--log-dir', trials: '--trials', study: '--study' },
    });
    expect(over).toMatchObject({ logDir: join(process.cwd(), 'elsewhere'), trials: 7, study: 'renamed' });
    const bad = problemsOf(() =>
      loadStudyFile(path, {
        values: { trials: 'many', concurrency: 0 },
        flagNames: { trials: '--trials', concurrency: '--concurrency' },
      }),
    );
    expect(bad.message).toMatch(
      /\(--trials\) +trials: expected (an integer|a number), got the string "many"/,
    );
    expect(bad.message).toMatch(/\(--concurrency\) +concurrency: must be ≥ 1/);
  });

  it('reports every problem at once, with its line and column and a hint', () => {
    const path = fileWith(
      'bad.yaml',
      [
        'study: bad', // 1
        'directions: [minimize, maximize]', // 2
        'metrics: [loss]', // 3
        'command: "python3 train.py --lr {lr} --m={momentum}"', // 4
        'params:', // 5
        '  momentum: { type: float, low: 0, high: 1, when: { optimizer: sgd } }', // 6
        '  optimizer: { type: categorical, choices: [sgd, adam] }', // 7
        '  lr: { type: float, low: 0, high: 1, log: true }', // 8
        '  units: { type: int, low: 16, high: 256, step: 16, log: true }', // 9
        '  Units: { type: categorical, choices: [a] }', // 10
        '  empty: { type: categorical, choices: [] }', // 11
        'sampler: { name: grid, grid: { optimizer: [sgd, nesterov] } }', // 12
        'pruner: median', // 13
        'enqueue:', // 14
        '  - { optimizer: rmsprop, size: 3 }', // 15
        'resultFile: out.json', // 16
        'concurrency: 2', // 17
        '',
      ].join('\n'),
    );
    const e = problemsOf(() => loadStudyFile(path));
    const lines = e.message.split('\n');
    expect(lines[0]).toMatch(/bad\.yaml: \d+ problems; nothing was run\./);
    const expectations: Array<[string, RegExp]> = [
      ['3:10', /metrics: 1 metric name\(s\) for 2 objective\(s\)/],
      [
        '6:53',
        /params\.momentum\.when\.optimizer: 'momentum' depends on 'optimizer', which is declared after it/,
      ],
      ['8:7', /params\.lr: a log scale needs low > 0, got low=0\./],
      ['9:10', /params\.units: log and step cannot be used together/],
      ['10:3', /params\.Units: 'Units' and 'units' both become TUNEKIT_PARAM_UNITS/],
      ['11:40', /params\.empty\.choices: needs at least 1 item/],
      ['12:49', /sampler\.grid\.optimizer\[1\]: "nesterov" is not a possible value of 'optimizer'/],
      ['13:9', /pruner: the median pruner needs a direction in a study with 2 objectives/],
      ['15:18', /enqueue\[0\]\.optimizer: "rmsprop" is not a possible value of 'optimizer'/],
      ['15:27', /enqueue\[0\]\.size: unknown parameter 'size'/],
      ['16:13', /resultFile: concurrent trials would share one result file/],
    ];
    for (const [pos, re] of expectations) {
      const i = lines.findIndex((l) => l.includes(`bad.yaml:${pos} `) && re.test(l));
      expect(i, `${pos} ${re}\n${e.message}`).toBeGreaterThan(0);
      expect(lines[i + 1]).toMatch(/^ {6}hint: \S/);
    }
  });

  it('reports syntax errors with their position, in YAML and JSON', () => {
    const yaml = problemsOf(() =>
      loadStudyFile(fileWith('s.yaml', 'study: a\nparams: { x: [1, 2\ncommand: x\n')),
    );
    expect(yaml.message).toMatch(/s\.yaml:\d+:\d+ +YAML syntax error/);
    const json = problemsOf(() =>
      loadStudyFile(fileWith('s.json', '{"study": "a",\n "params": {}\n "command": "x"}')),
    );
    expect(json.message).toMatch(/s\.json:\d+:\d+ +JSON syntax error/);
    const dup = problemsOf(() =>
      loadStudyFile(fileWith('d.yaml', 'study: a\nstudy: b\nparams: {}\ncommand: x\n')),
    );
    expect(dup.problems[0]!.hint).toBe('remove one of the duplicated keys');
    const missing = problemsOf(() => loadStudyFile(join(tempDir(), 'nope.yaml')));
    expect(missing.message).toMatch(/no such file/);
    const empty = problemsOf(() => loadStudyFile(fileWith('e.yaml', '')));
    expect(empty.message).toMatch(/must be a mapping of keys/);
  });

  it('a JSON file locates its problems too; shell templates are checked', () => {
    const path = fileWith(
      'j.json',
      JSON.stringify(
        { command: 'run "{x}', params: { x: { type: 'float', low: 0, high: 1, step: 0 } }, trials: 0 },
        null,
        2,
      ),
    );
    const e = problemsOf(() => loadStudyFile(path));
    expect(e.message).toMatch(/j\.json:\d+:\d+ +params\.x\.step: must be > 0/);
    expect(e.message).toMatch(/j\.json:\d+:\d+ +trials: must be ≥ 1/);
    const quote = problemsOf(() =>
      loadStudyFile(
        fileWith(
          'q.json',
          JSON.stringify({ command: 'run "{x}', params: { x: { type: 'int', low: 0, high: 1 } } }),
        ),
      ),
    );
    expect(quote.message).toMatch(/command: unterminated double quote\n +hint: close the quote/);
    const shell = loadStudyFile(
      fileWith(
        'sh.json',
        JSON.stringify({
          command: 'run "{x}" | tee log',
          shell: true,
          params: { x: { type: 'int', low: 0, high: 1 } },
        }),
      ),
    );
    expect(shell.command).toBe('run "{x}" | tee log');
  });

  it('parses a search space given on its own (tunekit ask --space)', () => {
    expect(parseSearchSpace('{"x": {"type": "float", "low": -1, "high": 1}}', '--space')).toEqual({
      x: { type: 'float', low: -1, high: 1 },
    });
    const e = problemsOf(() => parseSearchSpace('{"x": {"type": "flaot", "low": -1, "high": 1}}', '--space'));
    expect(e.message).toMatch(
      /--space:1:\d+ +x\.type: unknown parameter type "flaot"\n +hint: did you mean 'float'\?/,
    );
  });

  it("a heartbeat key sets the trials' heartbeats; a grace not above the interval is refused", () => {
    const ok = fileWith(
      'hb.yaml',
      'params:\n  x: { type: float, low: 0, high: 1 }\ncommand: node x.js {x}\nheartbeat: { interval: 2 }\n',
    );
    expect(loadStudyFile(ok).heartbeat).toEqual({ interval: 2, grace: 6, retries: 1 });
    const full = fileWith(
      'hb-full.yaml',
      'params:\n  x: { type: float, low: 0, high: 1 }\ncommand: node x.js {x}\nheartbeat: { interval: 5, grace: 12, retries: 0 }\n',
    );
    expect(loadStudyFile(full).heartbeat).toEqual({ interval: 5, grace: 12, retries: 0 });
    const none = fileWith(
      'hb-none.yaml',
      'params:\n  x: { type: float, low: 0, high: 1 }\ncommand: node x.js {x}\n',
    );
    expect(loadStudyFile(none).heartbeat).toBeUndefined();
    const bad = fileWith(
      'hb-bad.yaml',
      'params:\n  x: { type: float, low: 0, high: 1 }\ncommand: node x.js {x}\nheartbeat: { interval: 5, grace: 5 }\n',
    );
    const e = problemsOf(() => loadStudyFile(bad));
    expect(e.problems.map((p) => p.path.join('.'))).toEqual(['heartbeat.grace']);
    expect(e.message).toMatch(/grace must be longer than interval/);
  });

  it("takes GP's warmStartModel, outputWarping, escapeStalls and warmTrustRegion, and refuses other values", () => {
    const space = 'params:\n  x: { type: float, low: 0, high: 1 }\ncommand: node x.js {x}\n';
    const ok = fileWith(
      'gp.yaml',
      `${space}sampler: { name: gp, warmStartModel: stacked, outputWarping: none, escapeStalls: false, warmTrustRegion: true }\n`,
    );
    const sampler = createSampler(loadStudyFile(ok).sampler!);
    expect(sampler).toBeInstanceOf(GPSampler);
    expect((sampler as GPSampler).warmStartModel).toBe('stacked');
    expect((sampler as GPSampler).outputWarping).toBe('none');
    expect((sampler as GPSampler).escapeStalls).toBe(false);
    expect((sampler as GPSampler).warmTrustRegion).toBe(true);
    const byDefault = createSampler(
      loadStudyFile(fileWith('gp-default.yaml', `${space}sampler: gp\n`)).sampler!,
    ) as GPSampler;
    expect(byDefault.escapeStalls).toBe(true);
    expect(byDefault.warmTrustRegion).toBe(true);
    const stacked = createSampler(
      loadStudyFile(fileWith('gp-stacked.yaml', `${space}sampler: { name: gp, warmStartModel: stacked }\n`))
        .sampler!,
    ) as GPSampler;
    expect(stacked.warmTrustRegion).toBe(false);
    const tpe = createSampler(
      loadStudyFile(fileWith('tpe.yaml', `${space}sampler: { name: tpe, warmTrustRegion: false }\n`))
        .sampler!,
    ) as TPESampler;
    expect(tpe.warmTrustRegion).toBe(false);
    const badRegion = fileWith('gp-bad-region.yaml', `${space}sampler: { name: gp, warmTrustRegion: 1 }\n`);
    expect(problemsOf(() => loadStudyFile(badRegion)).problems.map((p) => p.path.join('.'))).toEqual([
      'sampler.warmTrustRegion',
    ]);
    const bad = fileWith('gp-bad.yaml', `${space}sampler: { name: gp, warmStartModel: mixed }\n`);
    const e = problemsOf(() => loadStudyFile(bad));
    expect(e.problems.map((p) => p.path.join('.'))).toEqual(['sampler.warmStartModel']);
  });
});
