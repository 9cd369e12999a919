/**
 * The command template of `tunekit run`: splitting a command line into arguments, finding the
 * `{name}` placeholders and filling them in for one trial.
 *
 * - Without a shell (the default) the command is split into arguments first (single and double
 *   quotes and backslashes as in a POSIX shell, nothing else: no variables, globs or pipes), then
 *   each argument has its placeholders replaced, so a value with spaces stays one argument.
 *   An argument that names an inactive conditional parameter is left out: write
 *   `--momentum={momentum}` as one argument for it to disappear when `momentum` is not sampled.
 * - With `shell: true` the line goes to `/bin/sh -c` with each value single-quoted; an inactive
 *   parameter becomes the empty string.
 * - `{{` and `}}` are literal braces. Besides the parameters, `{trial_number}` and `{study}`
 *   are filled in.
 * @module
 */
import type { ParamValue } from '../../core/distributions.js';

/** Placeholders that are always available (no parameter may take these names). */
export const BUILTIN_PLACEHOLDERS = ['trial_number', 'study'] as const;

/** A template that could not be read: the message says where. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/**
 * Splits a command line into arguments like a POSIX shell does for quoting: whitespace separates
 * arguments, '…' is literal, "…" allows \" \\ \$ and \` escapes, and a backslash outside quotes
 * escapes the next character.
 */
export function splitCommand(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
      i++;
      continue;
    }
    inArg = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new TemplateError(`unterminated single quote at character ${i + 1}`);
      current += line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new TemplateError('unterminated double quote');
        const d = line[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) {
          current += line[i + 1]!;
          i += 2;
        } else {
          current += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new TemplateError('a backslash ends the command');
      current += line[i + 1]!;
      i += 2;
    } else {
      current += c;
      i++;
    }
  }
  if (inArg) args.push(current);
  return args;
}

type Piece = { text: string } | { name: string };

/** Splits a template into text and `{name}` pieces; throws `TemplateError` for a stray brace. */
export function parseTemplate(template: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c === '{' && template[i + 1] === '{') {
      text += '{';
      i += 2;
    } else if (c === '}' && template[i + 1] === '}') {
      text += '}';
      i += 2;
    } else if (c === '{') {
      const end = template.indexOf('}', i + 1);
      if (end < 0)
        throw new TemplateError(`'{' at character ${i + 1} is not closed; write {{ for a literal brace`);
      const name = template.slice(i + 1, end).trim();
      if (name.length === 0) throw new TemplateError(`empty placeholder {} at character ${i + 1}`);
      if (text.length > 0) pieces.push({ text });
      text = '';
      pieces.push({ name });
      i = end + 1;
    } else if (c === '}') {
      throw new TemplateError(`'}' at character ${i + 1} closes nothing; write }} for a literal brace`);
    } else {
      text += c;
      i++;
    }
  }
  if (text.length > 0) pieces.push({ text });
  return pieces;
}

/** The placeholder names a template uses, in order of first use. */
export function placeholders(template: string | readonly string[]): string[] {
  const names: string[] = [];
  for (const part of typeof template === 'string' ? [template] : template) {
    for (const p of parseTemplate(part)) if ('name' in p && !names.includes(p.name)) names.push(p.name);
  }
  return names;
}

/** A parameter value as text: strings as they are, everything else as JSON writes it. */
export function formatValue(value: ParamValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Quotes a string for `/bin/sh`. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=,+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** What a template is filled with: active parameters, and the names of inactive ones. */
export interface Fill {
  readonly values: Readonly<Record<string, ParamValue>>;
  readonly inactive: ReadonlySet<string>;
}

function fillOne(pieces: readonly Piece[], fill: Fill, quote: (s: string) => string): string | null {
  let out = '';
  for (const p of pieces) {
    if ('text' in p) out += p.text;
    else if (Object.hasOwn(fill.values, p.name)) out += quote(formatValue(fill.values[p.name]!));
    else if (fill.inactive.has(p.name)) return null;
    else throw new TemplateError(`unknown placeholder {${p.name}}`);
  }
  return out;
}

/** Fills an argument list; arguments naming an inactive parameter are left out. */
export function fillArgv(argv: readonly string[], fill: Fill): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    const filled = fillOne(parseTemplate(arg), fill, (s) => s);
    if (filled !== null) out.push(filled);
  }
  return out;
}

/** Fills a shell command line; values are single-quoted, inactive parameters become ''. */
export function fillShell(line: string, fill: Fill): string {
  let out = '';
  for (const p of parseTemplate(line)) {
    if ('text' in p) out += p.text;
    else if (Object.hasOwn(fill.values, p.name)) out += shellQuote(formatValue(fill.values[p.name]!));
    else if (fill.inactive.has(p.name)) out += "''";
    else throw new TemplateError(`unknown placeholder {${p.name}}`);
  }
  return out;
}

/** The environment variable that carries a parameter: `TUNEKIT_PARAM_` + the name in upper case. */
export function paramEnvName(name: string): string {
  return `TUNEKIT_PARAM_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}
