/**
 * The line protocol between `tunekit run` and the command it runs. The command prints, on its
 * standard output, lines that start with `tunekit:`; every other line is only logged.
 *
 * ```text
 * tunekit:report {"step": 3, "value": 0.91}        an intermediate value (step: an integer ≥ 0)
 * tunekit:result {"value": 0.93}                    the final value (one objective)
 * tunekit:result {"values": [0.93, 120.5]}          several objectives, in the study's order
 * tunekit:result {"values": {"acc": 0.93, "ms": 120.5}}   … or by the study's metric names
 * tunekit:attrs {"epochs": 12, "device": "cuda:0"}  user attributes of the trial (any JSON)
 * ```
 *
 * The JSON may contain `NaN`, `Infinity` and `-Infinity` as Python's `json.dumps` writes them.
 * A reported or final NaN fails the trial. A line that starts with `tunekit:` but is not one of
 * the above (an unknown word, bad JSON, a missing or extra key) is malformed: the trial fails
 * with that line's number and the reason, so a typo never passes silently. A second result line
 * is malformed too. Instead of a result line, the command may write the result's JSON
 * (`{"value": …}` or `{"values": …}`) to the file named by `$TUNEKIT_RESULT_FILE`.
 * @module
 */
import type { JsonValue } from '../../core/frozen-trial.js';

/** The prefix every protocol line starts with. */
export const PROTOCOL_PREFIX = 'tunekit:';

/** A final result: numbers in objective order, or by metric name. */
export type ResultValues = readonly number[] | Readonly<Record<string, number>>;

/** What one protocol line says. */
export type ProtocolMessage =
  | { readonly kind: 'report'; readonly step: number; readonly value: number }
  | { readonly kind: 'result'; readonly values: ResultValues }
  | { readonly kind: 'attrs'; readonly attrs: Readonly<Record<string, JsonValue>> }
  | { readonly kind: 'malformed'; readonly reason: string };

const SPECIALS: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** JSON.parse that also accepts bare NaN, Infinity and -Infinity (as Python writes them). */
export function parseLenientJson(text: string): unknown {
  const marker = '\u0000tunekit-special:';
  const quoted = text.replace(/("(?:[^"\\]|\\.)*")|(-?Infinity|NaN)/g, (m, str: string | undefined) =>
    str !== undefined ? m : JSON.stringify(marker + m),
  );
  return JSON.parse(quoted, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(marker) ? SPECIALS[value.slice(marker.length)] : value,
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function onlyKeys(obj: Record<string, unknown>, allowed: readonly string[]): string | null {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  return extra.length > 0
    ? `unknown key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `'${k}'`).join(', ')}`
    : null;
}

/** Parses a result's JSON (`{"value": …}` or `{"values": …}`), from a line or the result file. */
export function parseResult(payload: unknown): ProtocolMessage {
  if (!isPlainObject(payload))
    return { kind: 'malformed', reason: 'a result must be a JSON object such as {"value": 0.93}' };
  const extra = onlyKeys(payload, ['value', 'values']);
  if (extra) return { kind: 'malformed', reason: `${extra} in a result; give "value" or "values"` };
  const hasValue = Object.hasOwn(payload, 'value');
  const hasValues = Object.hasOwn(payload, 'values');
  if (hasValue === hasValues) {
    return {
      kind: 'malformed',
      reason: 'a result needs exactly one of "value" (a number) and "values" (a list)',
    };
  }
  if (hasValue) {
    if (typeof payload.value !== 'number') {
      return {
        kind: 'malformed',
        reason: `"value" must be a number, got ${JSON.stringify(payload.value) ?? 'nothing'}`,
      };
    }
    return { kind: 'result', values: [payload.value] };
  }
  const values = payload.values;
  if (Array.isArray(values)) {
    if (values.length === 0 || !values.every((v) => typeof v === 'number')) {
      return { kind: 'malformed', reason: '"values" must be a non-empty list of numbers' };
    }
    return { kind: 'result', values: values as number[] };
  }
  if (isPlainObject(values)) {
    if (Object.keys(values).length === 0 || !Object.values(values).every((v) => typeof v === 'number')) {
      return { kind: 'malformed', reason: '"values" must map metric names to numbers' };
    }
    return { kind: 'result', values: values as Record<string, number> };
  }
  return {
    kind: 'malformed',
    reason: '"values" must be a list of numbers or a mapping of metric names to numbers',
  };
}

/**
 * Reads one line of the command's output: null for an ordinary line, otherwise what the
 * protocol line says (or why it is malformed).
 */
export function parseProtocolLine(rawLine: string): ProtocolMessage | null {
  const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
  if (!line.startsWith(PROTOCOL_PREFIX)) return null;
  const rest = line.slice(PROTOCOL_PREFIX.length);
  const m = /^([A-Za-z_]*)\s*(.*)$/s.exec(rest)!;
  const word = m[1]!;
  const json = m[2]!.trim();
  if (word !== 'report' && word !== 'result' && word !== 'attrs') {
    return {
      kind: 'malformed',
      reason: `unknown message 'tunekit:${word}'; the protocol knows tunekit:report, tunekit:result and tunekit:attrs`,
    };
  }
  let payload: unknown;
  try {
    payload = parseLenientJson(json);
  } catch (e) {
    return {
      kind: 'malformed',
      reason: `tunekit:${word} needs one JSON object after it (${(e as Error).message.replace(/\.$/, '')})`,
    };
  }
  if (word === 'result') return parseResult(payload);
  if (word === 'attrs') {
    if (!isPlainObject(payload)) return { kind: 'malformed', reason: 'tunekit:attrs needs a JSON object' };
    for (const [k, v] of Object.entries(payload)) {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        return {
          kind: 'malformed',
          reason: `tunekit:attrs: '${k}' is ${String(v)}, which JSON cannot store`,
        };
      }
    }
    return { kind: 'attrs', attrs: payload as Record<string, JsonValue> };
  }
  if (!isPlainObject(payload)) {
    return {
      kind: 'malformed',
      reason: 'tunekit:report needs a JSON object such as {"step": 3, "value": 0.91}',
    };
  }
  const extra = onlyKeys(payload, ['step', 'value']);
  if (extra) return { kind: 'malformed', reason: `${extra} in tunekit:report; give "step" and "value"` };
  const { step, value } = payload;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
    return {
      kind: 'malformed',
      reason: `tunekit:report needs "step", an integer ≥ 0 (such as the epoch), got ${JSON.stringify(step) ?? 'nothing'}`,
    };
  }
  if (typeof value !== 'number') {
    return {
      kind: 'malformed',
      reason: `tunekit:report needs "value", a number, got ${JSON.stringify(value) ?? 'nothing'}`,
    };
  }
  return { kind: 'report', step, value };
}

/** Orders a result's values by the study's metric names; a reason string when it cannot. */
export function orderValues(
  values: ResultValues,
  nObjectives: number,
  metrics: readonly string[] | undefined,
): number[] | string {
  let ordered: number[];
  if (Array.isArray(values)) ordered = [...(values as readonly number[])];
  else {
    const record = values as Readonly<Record<string, number>>;
    if (metrics === undefined) {
      return 'the result names its values, but the study file declares no metrics; add metrics: [names…] or give a list';
    }
    const missing = metrics.filter((m) => !Object.hasOwn(record, m));
    if (missing.length > 0)
      return `the result has no value for metric ${missing.map((m) => `'${m}'`).join(', ')}`;
    const extra = Object.keys(record).filter((k) => !metrics.includes(k));
    if (extra.length > 0) return `the result names unknown metric ${extra.map((m) => `'${m}'`).join(', ')}`;
    ordered = metrics.map((m) => record[m]!);
  }
  if (ordered.length !== nObjectives) {
    return `the result has ${ordered.length} value(s) but the study has ${nObjectives} objective(s)`;
  }
  const nan = ordered.findIndex((v) => Number.isNaN(v));
  if (nan >= 0) {
    return nObjectives === 1
      ? 'the result is NaN'
      : `value ${nan}${metrics ? ` ('${metrics[nan]}')` : ''} of the result is NaN`;
  }
  return ordered;
}
