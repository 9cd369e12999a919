/**
 * What `tunekit run` shows while it works: a live progress bar on a terminal (trials done/total,
 * running, pruned, failed, best value, ETA), one plain line per finished trial otherwise,
 * JSON Lines with `--json`, nothing with `--quiet`. Colours only on a terminal, and never
 * when `NO_COLOR` is set.
 * @module
 */
import type { ParamValue } from '../core/distributions.js';
import type { StudyDirection } from '../core/frozen-trial.js';

/** A trial that finished during the run. */
export interface TrialEvent {
  readonly number: number;
  readonly state: 'complete' | 'pruned' | 'fail';
  readonly values: readonly number[] | null;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly durationS: number;
  readonly reason: string | null;
  /** The step at which a pruned trial was stopped. */
  readonly prunedAtStep: number | null;
  readonly logPath: string;
  readonly gpus: readonly string[];
}

/** What the run starts with. */
export interface StartInfo {
  readonly study: string;
  readonly storage: string;
  readonly directions: readonly StudyDirection[];
  /** Trials this run will start at most (undefined: until timeout or Ctrl-C). */
  readonly toRun: number | undefined;
  /** Finished trials the study had before this run. */
  readonly alreadyFinished: number;
  readonly concurrency: number;
  readonly logDir: string;
}

/** The best trial of the study, as the summary shows it. */
export interface BestInfo {
  readonly number: number;
  readonly values: readonly number[];
  readonly params: Readonly<Record<string, ParamValue>>;
}

/** What the run ends with. */
export interface Summary {
  readonly study: string;
  readonly complete: number;
  readonly pruned: number;
  readonly fail: number;
  readonly elapsedS: number;
  readonly interrupted: string | null;
  /** The best trial of the whole study (single objective), or null. */
  readonly best: BestInfo | null;
  /** The size of the Pareto front (several objectives). */
  readonly paretoSize: number | null;
  /** The whole study's trials by state, after the run. */
  readonly studyCounts: { readonly complete: number; readonly pruned: number; readonly fail: number };
  readonly logDir: string;
  /** Why the run stopped early, when it did for another reason than Ctrl-C. */
  readonly stoppedBecause: string | null;
}

/** Receives the run's events. */
export interface Reporter {
  start(info: StartInfo): void;
  trialStarted(number: number): void;
  trialFinished(event: TrialEvent): void;
  warn(message: string): void;
  finish(summary: Summary): void;
}

/** Whether to colour what goes to `stream`. */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** ANSI styles, or identity functions when colour is off. */
export function palette(enabled: boolean) {
  const wrap = (open: number, close: number) => (s: string) =>
    enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s;
  return {
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    red: wrap(31, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

/** 3.2 s, 4m05s, 1h02m. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A number for humans: 4 significant digits, no trailing noise. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/** `lr=0.0031 optimizer=adam`. */
export function formatParams(params: Readonly<Record<string, ParamValue>>): string {
  return Object.entries(params)
    .map(
      ([k, v]) =>
        `${k}=${typeof v === 'number' ? formatNumber(v) : typeof v === 'string' ? v : JSON.stringify(v)}`,
    )
    .join(' ');
}

function formatValues(values: readonly number[]): string {
  return values.length === 1
    ? `value ${formatNumber(values[0]!)}`
    : `values [${values.map(formatNumber).join(', ')}]`;
}

/** The live counters of a run. */
export interface Progress {
  done: number;
  running: number;
  complete: number;
  pruned: number;
  fail: number;
  best: number | null;
  toRun: number | undefined;
  startedAt: number;
}

/** The bar's one line, at most `width` characters (before colours). */
export function renderBar(p: Progress, width: number, now: number, colors = palette(false)): string {
  const elapsed = (now - p.startedAt) / 1000;
  const parts: string[] = [];
  let eta = '';
  if (p.toRun !== undefined && p.toRun > 0) {
    const frac = Math.min(1, p.done / p.toRun);
    const barWidth = Math.max(10, Math.min(30, width - 70));
    const filled = Math.round(frac * barWidth);
    parts.push(`[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}] ${p.done}/${p.toRun}`);
    if (p.done > 0 && p.done < p.toRun)
      eta = `ETA ${formatDuration((elapsed / p.done) * (p.toRun - p.done))}`;
  } else {
    parts.push(`${p.done} done`);
  }
  parts.push(`running ${p.running}`);
  if (p.pruned > 0) parts.push(colors.yellow(`pruned ${p.pruned}`));
  if (p.fail > 0) parts.push(colors.red(`failed ${p.fail}`));
  if (p.best !== null) parts.push(colors.green(`best ${formatNumber(p.best)}`));
  parts.push(colors.dim(eta || formatDuration(elapsed)));
  return parts.join('  ');
}

/** One line for a finished trial. */
export function trialLine(e: TrialEvent, colors = palette(false)): string {
  const dur = colors.dim(`(${formatDuration(e.durationS)})`);
  const params = formatParams(e.params);
  switch (e.state) {
    case 'complete':
      return `trial ${e.number} ${colors.green('complete')}  ${formatValues(e.values ?? [])}  ${dur}  ${params}`;
    case 'pruned':
      return `trial ${e.number} ${colors.yellow('pruned')}${e.prunedAtStep === null ? '' : ` at step ${e.prunedAtStep}`}  ${dur}  ${params}`;
    case 'fail':
      return `trial ${e.number} ${colors.red('fail')}: ${e.reason ?? 'unknown reason'}  ${dur}  ${params}${e.logPath ? `\n  log: ${e.logPath}` : ''}`;
  }
}

/** The closing lines. */
export function summaryLines(s: Summary, colors = palette(false)): string[] {
  const n = s.complete + s.pruned + s.fail;
  const lines: string[] = [];
  if (s.interrupted !== null) lines.push(colors.yellow(s.interrupted));
  if (s.stoppedBecause !== null) lines.push(s.stoppedBecause);
  lines.push(
    `study '${s.study}': ${n} trial${n === 1 ? '' : 's'} in ${formatDuration(s.elapsedS)}: ${s.complete} complete, ${s.pruned} pruned, ${s.fail} failed`,
  );
  const c = s.studyCounts;
  lines.push(
    colors.dim(`the study now has ${c.complete} complete, ${c.pruned} pruned and ${c.fail} failed trial(s)`),
  );
  if (s.best !== null) {
    lines.push(
      colors.bold(`best: trial ${s.best.number}, ${formatValues(s.best.values)}`) +
        (Object.keys(s.best.params).length > 0 ? `  ${formatParams(s.best.params)}` : ''),
    );
  } else if (s.paretoSize !== null) {
    lines.push(colors.bold(`Pareto front: ${s.paretoSize} trial(s); see tunekit best '${s.study}'`));
  } else {
    lines.push('no complete trial yet');
  }
  lines.push(colors.dim(`logs: ${s.logDir}`));
  return lines;
}

function bestOfEvent(
  e: TrialEvent,
  current: number | null,
  directions: readonly StudyDirection[],
): number | null {
  if (e.state !== 'complete' || directions.length !== 1 || e.values === null) return current;
  const v = e.values[0]!;
  if (current === null) return v;
  return directions[0] === 'minimize' ? Math.min(current, v) : Math.max(current, v);
}

interface Writable {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Plain lines (not a terminal), or lines plus a live bar (a terminal). */
export class HumanReporter implements Reporter {
  private readonly colors: ReturnType<typeof palette>;
  private readonly live: boolean;
  private progress: Progress = {
    done: 0,
    running: 0,
    complete: 0,
    pruned: 0,
    fail: 0,
    best: null,
    toRun: undefined,
    startedAt: Date.now(),
  };
  private directions: readonly StudyDirection[] = ['minimize'];
  private timer: NodeJS.Timeout | undefined;
  private barShown = false;

  constructor(
    private readonly out: Writable,
    private readonly err: Writable,
    options: { live?: boolean; color?: boolean } = {},
  ) {
    this.live = options.live ?? out.isTTY === true;
    this.colors = palette(options.color ?? colorEnabled(out));
  }

  start(info: StartInfo): void {
    this.directions = info.directions;
    this.progress = { ...this.progress, toRun: info.toRun, startedAt: Date.now() };
    const what =
      info.toRun === undefined
        ? 'until the timeout or Ctrl-C'
        : `${info.toRun} trial${info.toRun === 1 ? '' : 's'}`;
    const resumed = info.alreadyFinished > 0 ? ` (resuming: ${info.alreadyFinished} finished before)` : '';
    this.print(
      info.toRun === 0
        ? `study '${info.study}' in ${info.storage}: nothing to run${resumed}`
        : `study '${info.study}' in ${info.storage}: running ${what}, ${info.concurrency} at a time${resumed}`,
    );
    if (this.live) {
      this.timer = setInterval(() => this.draw(), 250);
      this.timer.unref();
      this.draw();
    }
  }

  trialStarted(_number: number): void {
    this.progress.running++;
    this.draw();
  }

  trialFinished(e: TrialEvent): void {
    const p = this.progress;
    p.running = Math.max(0, p.running - 1);
    p.done++;
    if (e.state === 'complete') p.complete++;
    else if (e.state === 'pruned') p.pruned++;
    else p.fail++;
    p.best = bestOfEvent(e, p.best, this.directions);
    this.print(trialLine(e, this.colors));
  }

  warn(message: string): void {
    this.clearBar();
    this.err.write(`${this.colors.yellow('warning:')} ${message}\n`);
    this.draw();
  }

  finish(s: Summary): void {
    if (this.timer) clearInterval(this.timer);
    this.clearBar();
    this.out.write(`${summaryLines(s, this.colors).join('\n')}\n`);
  }

  private print(line: string): void {
    this.clearBar();
    this.out.write(`${line}\n`);
    this.draw();
  }

  private clearBar(): void {
    if (this.live && this.barShown) {
      this.out.write('\r\x1b[2K');
      this.barShown = false;
    }
  }

  private draw(): void {
    if (!this.live) return;
    const width = this.out.columns ?? 100;
    this.out.write(`\r\x1b[2K${renderBar(this.progress, width, Date.now(), this.colors)}`);
    this.barShown = true;
  }
}

/** One JSON object per line on stdout: a `start`, one `trial` per finished trial, a `summary`. */
export class JsonReporter implements Reporter {
  constructor(
    private readonly out: Writable,
    private readonly err: Writable,
  ) {}
  start(info: StartInfo): void {
    this.emit({ event: 'start', ...info });
  }
  trialStarted(): void {}
  trialFinished(e: TrialEvent): void {
    this.emit({ event: 'trial', ...e });
  }
  warn(message: string): void {
    this.err.write(`warning: ${message}\n`);
  }
  finish(s: Summary): void {
    this.emit({ event: 'summary', ...s });
  }
  private emit(obj: Record<string, unknown>): void {
    this.out.write(`${JSON.stringify(obj)}\n`);
  }
}

/** Nothing but warnings (to stderr). */
export class QuietReporter implements Reporter {
  constructor(private readonly err: Writable) {}
  start(): void {}
  trialStarted(): void {}
  trialFinished(): void {}
  warn(message: string): void {
    this.err.write(`warning: ${message}\n`);
  }
  finish(): void {}
}
