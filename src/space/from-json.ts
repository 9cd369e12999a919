/**
 * `spaceFromJson(json)`: a space from the study file's search-space schema (what `spaceToJson`
 * writes, or the `params:` of a study file), validated with the study file's zod schema and its
 * checks (names, conditions on earlier parameters and possible values).
 *
 * Nested choices are rebuilt from the names: a categorical `optimizer` whose string choices
 * name branches, and parameters `optimizer.<branch>.<name>` whose `when` holds
 * `optimizer: <branch>` (and the choice's own conditions), become
 * `optimizer: choice({ <branch>: { <name>: … } })`. Everything else stays a flat parameter with
 * its `when`. So `spaceFromJson(spaceToJson(s))` has the same parameters, conditions and params
 * objects as `s` (with the default tag `kind`).
 * @module
 */
import { formatPath, type ParamSpec, parseSearchSpace, StudyFileError } from '../cli/study-file.js';
import type { CategoricalChoice } from '../core/distributions.js';
import { InvalidSpaceError } from './errors.js';
import { choice, float, int, type PlainNode, type Shape, type SpaceNode, when } from './nodes.js';
import { type Space, type SpaceOptions, space } from './space.js';

type Conds = Record<string, readonly CategoricalChoice[]>;

interface Entry {
  readonly spec: ParamSpec;
  /** Conditions beyond those of the enclosing branches, by full names. */
  readonly own: Conds;
  /** Set when this categorical gets branch members. */
  branches?: Map<string, Map<string, Entry>>;
}

interface Selector {
  readonly name: string;
  readonly entry: Entry;
  readonly choices: readonly string[];
  /** Every condition of the selector itself (enclosing branches included). */
  readonly full: Conds;
}

const BRANCH = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function normalize(when: ParamSpec['when']): Conds {
  const out: Conds = {};
  for (const [dep, v] of Object.entries(when ?? {}))
    out[dep] = Array.isArray(v) ? [...v] : [v as CategoricalChoice];
  return out;
}

function sameValues(a: readonly CategoricalChoice[] | undefined, b: readonly CategoricalChoice[]): boolean {
  return a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
}

function leaf(spec: ParamSpec): PlainNode {
  if (spec.type === 'float') {
    return float(spec.low, spec.high, {
      ...(spec.log === undefined ? {} : { log: spec.log }),
      ...(spec.step === undefined ? {} : { step: spec.step }),
    });
  }
  if (spec.type === 'int') {
    return int(spec.low, spec.high, {
      ...(spec.log === undefined ? {} : { log: spec.log }),
      ...(spec.step === undefined ? {} : { step: spec.step }),
    });
  }
  return choice(spec.choices);
}

function toShape(entries: ReadonlyMap<string, Entry>, prefix: string): Shape {
  const shape: Record<string, SpaceNode> = {};
  const seen = new Set<string>();
  for (const [key, e] of entries) {
    let node: PlainNode;
    if (e.branches !== undefined) {
      const branches: Record<string, Shape> = {};
      for (const [b, members] of e.branches) {
        const branchPrefix = `${prefix}${key}.${b}.`;
        branches[b] = toShape(members, branchPrefix);
      }
      node = choice(branches);
    } else {
      node = leaf(e.spec);
    }
    const deps = Object.entries(e.own);
    if (deps.length > 0) {
      const conditions: Conds = {};
      for (const [dep, values] of deps) {
        // A sibling declared above: its local name; otherwise the full name.
        const rel = dep.startsWith(prefix) ? dep.slice(prefix.length) : undefined;
        conditions[rel !== undefined && seen.has(rel) ? rel : dep] = values;
      }
      shape[key] = when(conditions, node);
    } else {
      shape[key] = node;
    }
    seen.add(key);
  }
  return shape;
}

function nestedShape(json: Readonly<Record<string, ParamSpec>>, flat: boolean): Shape {
  const root = new Map<string, Entry>();
  const selectors: Selector[] = [];
  for (const [name, spec] of Object.entries(json)) {
    const conds = normalize(spec.when);
    let container = root;
    let inherited: Conds = {};
    let bestLength = -1;
    let local = name;
    if (!flat) {
      for (const sel of selectors) {
        for (const c of sel.choices) {
          const pre = `${sel.name}.${c}.`;
          if (pre.length <= bestLength || !name.startsWith(pre) || name.length === pre.length) continue;
          if (!sameValues(conds[sel.name], [c])) continue;
          if (!Object.entries(sel.full).every(([k, v]) => sameValues(conds[k], v))) continue;
          bestLength = pre.length;
          sel.entry.branches ??= new Map(sel.choices.map((b) => [b, new Map()]));
          container = sel.entry.branches.get(c)!;
          inherited = { ...sel.full, [sel.name]: [c] };
          local = name.slice(pre.length);
        }
      }
    }
    const own: Conds = {};
    for (const [dep, values] of Object.entries(conds)) {
      if (!Object.hasOwn(inherited, dep)) own[dep] = values;
    }
    const entry: Entry = { spec, own };
    container.set(local, entry);
    if (
      !flat &&
      spec.type === 'categorical' &&
      spec.choices.every((c) => typeof c === 'string' && BRANCH.test(c))
    ) {
      selectors.push({ name, entry, choices: spec.choices as string[], full: conds });
    }
  }
  return toShape(root, '');
}

/**
 * A space from its JSON form (see the module documentation).
 * @param json what `spaceToJson` returns, or a study file's `params:` (already parsed).
 * @param options constraints (functions are not part of the JSON) and `maxRedraws`.
 * @throws InvalidSpaceError listing every problem, with its path and a hint.
 */
// biome-ignore lint/suspicious/noExplicitAny: the params type of a space read from JSON is unknown.
export function spaceFromJson(json: unknown, options: SpaceOptions<any> = {}): Space<Shape> {
  let parsed: Record<string, ParamSpec>;
  try {
    if (json === undefined)
      throw new InvalidSpaceError('spaceFromJson: got undefined; pass a search space object.');
    parsed = parseSearchSpace(JSON.stringify(json), 'space');
  } catch (e) {
    if (e instanceof StudyFileError) {
      const lines = e.problems.map(
        (p) => `  ${p.path.length > 0 ? `${formatPath(p.path)}: ` : ''}${p.message} (hint: ${p.hint})`,
      );
      throw new InvalidSpaceError(
        `spaceFromJson: ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} in the space:\n${lines.join('\n')}`,
        { cause: e },
      );
    }
    throw e;
  }
  try {
    return space(nestedShape(parsed, false), options);
  } catch (e) {
    // Parameters that look like branches but cannot be nested in declaration order: keep them flat.
    if (!(e instanceof InvalidSpaceError)) throw e;
    return space(nestedShape(parsed, true), options);
  }
}
