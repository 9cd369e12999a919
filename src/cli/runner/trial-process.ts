/**
 * Runs one trial's command as a child process: its own process group (so that stopping it
 * stops whatever it started), its output saved to a log file and read for protocol lines,
 * SIGTERM then SIGKILL after a grace period when it must stop early.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { JsonValue } from '../../core/frozen-trial.js';
import { parseLenientJson, parseProtocolLine, parseResult, type ResultValues } from './protocol.js';

/** How one trial process ended. */
export type ProcessOutcome =
  | { readonly kind: 'result'; readonly values: ResultValues }
  | { readonly kind: 'pruned'; readonly step: number }
  | { readonly kind: 'fail'; readonly reason: string };

/** What to run and how. */
export interface TrialProcessOptions {
  /** Arguments (argv[0] is the program), or a command line for `/bin/sh -c`. */
  readonly command: readonly string[] | string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Both output streams are appended here as they arrive. */
  readonly logPath: string;
  /** Where the command may write its result instead of printing it. */
  readonly resultFile: string;
  /** Milliseconds before the trial is stopped and fails; undefined: no limit. */
  readonly timeoutMs?: number | undefined;
  /** Milliseconds between SIGTERM and SIGKILL. */
  readonly killGraceMs: number;
  /**
   * Called for each report, in order; resolves to true when the trial should be pruned. A
   * rejection fails the trial with the error's message.
   */
  readonly onReport: (step: number, value: number) => Promise<boolean>;
  /** Called for each `tunekit:attrs` line. */
  readonly onAttrs?: ((attrs: Readonly<Record<string, JsonValue>>) => void) | undefined;
  /** Called once the process has started, with its pid (also its process group id). */
  readonly onStart?: ((pid: number) => void) | undefined;
}

/** A running trial process. */
export interface TrialProcess {
  /** Resolves when the process and its whole group are gone. */
  readonly done: Promise<ProcessOutcome>;
  /** Stops the trial: it fails with `reason` (SIGTERM, then SIGKILL after the grace period). */
  stop(reason: string): void;
  /** Sends SIGKILL to the whole group now. */
  kill(): void;
}

const STDERR_TAIL_BYTES = 4096;
/** A line longer than this is only logged (no protocol line is anywhere near as long). */
const MAX_LINE_CHARS = 1 << 20;

function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether any live process is left in a process group. On Linux zombies do not count (a
 * grandchild re-parented to an init that does not reap stays a zombie, yet is gone); elsewhere
 * a signal 0 answers.
 */
export function groupAlive(pgid: number): boolean {
  if (process.platform !== 'linux') return signalGroup(pgid, 0);
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return signalGroup(pgid, 0);
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/** The last lines of the standard error, for a failure message. */
export function tail(text: string, maxLines = 5, maxChars = 600): string {
  const lines = text.replace(/\s+$/, '').split('\n').slice(-maxLines);
  let out = lines.join('\n');
  if (out.length > maxChars) out = `…${out.slice(-maxChars)}`;
  return out;
}

/** Starts a trial's command. */
export function startTrialProcess(options: TrialProcessOptions): TrialProcess {
  let stopReason: { kind: 'pruned'; step: number } | { kind: 'fail'; reason: string } | null = null;
  let result: ResultValues | null = null;
  let child: ChildProcess;
  let spawnError: NodeJS.ErrnoException | null = null;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let terminating = false;
  let killTimer: NodeJS.Timeout | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let stderrTail = '';
  let lineNumber = 0;
  let pending = '';
  let chain: Promise<void> = Promise.resolve();
  let skippingLongLine = false;
  const decoder = new StringDecoder('utf8');
  const log: WriteStream = createWriteStream(options.logPath, { flags: 'w' });
  log.on('error', () => {});

  const program = typeof options.command === 'string' ? '/bin/sh' : options.command[0]!;
  const args = typeof options.command === 'string' ? ['-c', options.command] : options.command.slice(1);
  try {
    child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    // spawn throws synchronously for some bad arguments (a NUL byte in an argument…).
    log.end();
    const reason = `the command could not start: ${(e as Error).message}`;
    return { done: Promise.resolve({ kind: 'fail', reason }), stop: () => {}, kill: () => {} };
  }
  const pid = child.pid;

  const terminate = (): void => {
    if (terminating || pid === undefined) return;
    terminating = true;
    signalGroup(pid, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), options.killGraceMs);
  };

  const stopWith = (reason: { kind: 'pruned'; step: number } | { kind: 'fail'; reason: string }): void => {
    stopReason ??= reason;
    terminate();
  };

  const handleLine = (line: string): void => {
    lineNumber++;
    const msg = parseProtocolLine(line);
    if (msg === null || stopReason !== null) return;
    const where = `line ${lineNumber} of the output`;
    switch (msg.kind) {
      case 'malformed':
        stopWith({
          kind: 'fail',
          reason: `malformed protocol line (${where}): ${msg.reason}: ${line.slice(0, 200)}`,
        });
        return;
      case 'result':
        if (result !== null) {
          stopWith({ kind: 'fail', reason: `malformed protocol line (${where}): a second tunekit:result` });
          return;
        }
        result = msg.values;
        return;
      case 'attrs':
        options.onAttrs?.(msg.attrs);
        return;
      case 'report': {
        if (Number.isNaN(msg.value)) {
          stopWith({ kind: 'fail', reason: `the command reported NaN at step ${msg.step}` });
          return;
        }
        const { step, value } = msg;
        chain = chain.then(async () => {
          if (stopReason !== null) return;
          try {
            if (await options.onReport(step, value)) stopWith({ kind: 'pruned', step });
          } catch (e) {
            stopWith({ kind: 'fail', reason: `report at step ${step} failed: ${(e as Error).message}` });
          }
        });
        return;
      }
    }
  };

  child.stdout!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    pending += decoder.write(chunk);
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      if (skippingLongLine) skippingLongLine = false;
      else handleLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
    if (pending.length > MAX_LINE_CHARS) {
      pending = '';
      skippingLongLine = true;
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  });

  if (options.timeoutMs !== undefined) {
    timeoutTimer = setTimeout(
      () =>
        stopWith({ kind: 'fail', reason: `timed out after ${options.timeoutMs! / 1000} s (trialTimeout)` }),
      options.timeoutMs,
    );
  }

  const done = new Promise<ProcessOutcome>((resolveDone) => {
    let settled = false;
    const finish = async (): Promise<void> => {
      if (settled) return;
      settled = true;
      pending += decoder.end();
      if (pending.length > 0 && !skippingLongLine) {
        handleLine(pending);
        pending = '';
      }
      clearTimeout(timeoutTimer);
      await chain;
      // Whatever the leader left in its group (a grandchild holding a GPU) goes too.
      if (pid !== undefined && groupAlive(pid)) {
        terminate();
        const deadline = Date.now() + options.killGraceMs + 2000;
        while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      }
      clearTimeout(killTimer);
      await new Promise<void>((r) => log.end(r));
      resolveDone(decide());
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e;
      if (pid === undefined) void finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // The leader is gone; stop the rest of the group so that the pipes close.
      if (pid !== undefined && groupAlive(pid)) terminate();
    });
    child.on('close', () => void finish());
  });

  const decide = (): ProcessOutcome => {
    if (spawnError !== null && exit === null) {
      const e = spawnError as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') {
        return {
          kind: 'fail',
          reason: `command not found: ${program} (not on PATH, or no such file in ${options.cwd})`,
        };
      }
      if (e.code === 'EACCES')
        return { kind: 'fail', reason: `permission denied: ${program} (is it executable?)` };
      return { kind: 'fail', reason: `the command could not start: ${e.message}` };
    }
    if (stopReason !== null) return stopReason;
    const ended = exit as { code: number | null; signal: NodeJS.Signals | null } | null;
    const stderr = tail(stderrTail);
    const withStderr = (s: string) =>
      stderr.length > 0 ? `${s}; stderr: ${stderr}` : `${s} (no stderr output)`;
    if (ended?.signal) return { kind: 'fail', reason: withStderr(`killed by signal ${ended.signal}`) };
    if (ended && ended.code !== 0) {
      if (ended.code === 127 && typeof options.command === 'string') {
        return { kind: 'fail', reason: withStderr('exited with code 127 (command not found in the shell)') };
      }
      return { kind: 'fail', reason: withStderr(`exited with code ${ended.code}`) };
    }
    if (result !== null) return { kind: 'result', values: result };
    let text: string | null = null;
    try {
      text = readFileSync(options.resultFile, 'utf8');
    } catch {
      text = null;
    }
    if (text !== null) {
      let payload: unknown;
      try {
        payload = parseLenientJson(text);
      } catch (e) {
        return {
          kind: 'fail',
          reason: `the result file ${options.resultFile} is not JSON: ${(e as Error).message}`,
        };
      }
      const msg = parseResult(payload);
      if (msg.kind === 'result') return { kind: 'result', values: msg.values };
      if (msg.kind === 'malformed')
        return { kind: 'fail', reason: `malformed result file ${options.resultFile}: ${msg.reason}` };
    }
    return {
      kind: 'fail',
      reason:
        'the command exited with code 0 but gave no result: print a line such as tunekit:result {"value": 0.93}, or write {"value": 0.93} to $TUNEKIT_RESULT_FILE',
    };
  };

  if (pid !== undefined) options.onStart?.(pid);
  return {
    done,
    stop: (reason: string) => stopWith({ kind: 'fail', reason }),
    kill: () => {
      if (pid !== undefined) signalGroup(pid, 'SIGKILL');
    },
  };
}
