/**
 * tunekit's log. Samplers say here when they fall back, the study says why a trial failed.
 * By default warnings and errors go to stderr; `setLogLevel('info')` shows more,
 * `setLogLevel('silent')` nothing, and `setLogSink` sends lines elsewhere.
 * @module
 */

/** Log levels, from most to least verbose. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Receives one formatted log line. */
export type LogSink = (level: Exclude<LogLevel, 'silent'>, message: string) => void;

const defaultSink: LogSink = (level, message) => {
  console.error(`[tunekit ${level}] ${message}`);
};

let threshold: number =
  ORDER[(process.env.TUNEKIT_LOG_LEVEL as LogLevel | undefined) ?? 'warn'] ?? ORDER.warn;
let sink: LogSink = defaultSink;

/** Sets the lowest level that is written. */
export function setLogLevel(level: LogLevel): void {
  threshold = ORDER[level];
}

/** The current level. */
export function getLogLevel(): LogLevel {
  return (Object.keys(ORDER) as LogLevel[]).find((k) => ORDER[k] === threshold) ?? 'warn';
}

/** Replaces where log lines go; `undefined` restores stderr. */
export function setLogSink(next: LogSink | undefined): void {
  sink = next ?? defaultSink;
}

function write(level: Exclude<LogLevel, 'silent'>, message: string): void {
  if (ORDER[level] >= threshold) sink(level, message);
}

/** The library's logger. */
export const log = {
  debug: (message: string): void => write('debug', message),
  info: (message: string): void => write('info', message),
  warn: (message: string): void => write('warn', message),
  error: (message: string): void => write('error', message),
};
