/**
 * Small, real classification data sets shipped with tunekit (in the package's `data/` folder),
 * seeded splits and standardisation.
 *
 * The data sets come from the UCI Machine Learning Repository, as distributed with scikit-learn,
 * published under CC BY 4.0; each loader's `description` is the data set's own description
 * (creators, donors, citations) and `attribution` a one-line credit:
 * - digits: Optical Recognition of Handwritten Digits, E. Alpaydin and C. Kaynak (1998);
 * - iris: R. A. Fisher (1936);
 * - wine: M. Forina et al., PARVUS (1988);
 * - breast cancer: Breast Cancer Wisconsin (Diagnostic), W. H. Wolberg, W. N. Street and
 *   O. L. Mangasarian (1995).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { InvalidArgumentError } from '../core/errors.js';
import { Rng } from '../core/rng.js';

/** A loaded data set. Features are rows of numbers; targets are class indices 0..k−1. */
export interface Dataset {
  readonly name: string;
  /** One row per sample. */
  readonly features: number[][];
  /** The class index of each sample. */
  readonly target: number[];
  /** The class names, by index. */
  readonly targetNames: readonly string[];
  readonly nSamples: number;
  readonly nFeatures: number;
  /** The data set's own description (reStructuredText, from scikit-learn). */
  readonly description: string;
  /** One line naming the data set, its creators and its licence. */
  readonly attribution: string;
}

/** The names of the bundled data sets. */
export type DatasetName = 'digits' | 'iris' | 'wine' | 'breastCancer';

const FILES: Record<DatasetName, { csv: string; rst: string; attribution: string }> = {
  digits: {
    csv: 'digits.csv.gz',
    rst: 'digits.rst',
    attribution:
      'Optical Recognition of Handwritten Digits, E. Alpaydin and C. Kaynak (1998), UCI Machine Learning Repository, CC BY 4.0',
  },
  iris: {
    csv: 'iris.csv',
    rst: 'iris.rst',
    attribution: 'Iris, R. A. Fisher (1936), UCI Machine Learning Repository, CC BY 4.0',
  },
  wine: {
    csv: 'wine_data.csv',
    rst: 'wine_data.rst',
    attribution: 'Wine, M. Forina et al. (1988), UCI Machine Learning Repository, CC BY 4.0',
  },
  breastCancer: {
    csv: 'breast_cancer.csv.gz',
    rst: 'breast_cancer.rst',
    attribution:
      'Breast Cancer Wisconsin (Diagnostic), W. H. Wolberg, W. N. Street and O. L. Mangasarian (1995), UCI Machine Learning Repository, CC BY 4.0',
  },
};

let dataDirCache: string | undefined;

/** The folder holding the bundled data files (`data/` at the package root). */
export function dataDir(): string {
  if (dataDirCache !== undefined) return dataDirCache;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'data');
    if (existsSync(join(candidate, 'digits.rst'))) {
      dataDirCache = candidate;
      return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("tunekit: the bundled data folder ('data/') was not found.");
    dir = parent;
  }
}

const cache = new Map<DatasetName, Dataset>();

function parse(name: DatasetName): Dataset {
  const f = FILES[name];
  const raw = readFileSync(join(dataDir(), f.csv));
  const text = (f.csv.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  let targetNames: string[];
  let first = 0;
  if (name === 'digits') {
    targetNames = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  } else {
    const header = lines[0]!.split(',');
    targetNames = header.slice(2).map((s) => s.trim());
    first = 1;
  }
  const features: number[][] = [];
  const target: number[] = [];
  for (let i = first; i < lines.length; i++) {
    const cells = lines[i]!.split(',').map(Number);
    target.push(cells.pop()!);
    features.push(cells);
  }
  return {
    name,
    features,
    target,
    targetNames,
    nSamples: features.length,
    nFeatures: features[0]?.length ?? 0,
    description: readFileSync(join(dataDir(), f.rst), 'utf8'),
    attribution: f.attribution,
  };
}

function copy(d: Dataset): Dataset {
  return { ...d, features: d.features.map((r) => [...r]), target: [...d.target] };
}

/** Loads a bundled data set by name (a fresh copy each call: mutate it freely). */
export function loadDataset(name: DatasetName): Dataset {
  let d = cache.get(name);
  if (d === undefined) {
    if (!(name in FILES)) {
      throw new InvalidArgumentError(
        `unknown data set '${String(name)}'; choose digits, iris, wine or breastCancer.`,
      );
    }
    d = parse(name);
    cache.set(name, d);
  }
  return copy(d);
}

/** 1797 8×8 images of handwritten digits (64 features, values 0–16), 10 classes. */
export const loadDigits = (): Dataset => loadDataset('digits');
/** 150 iris flowers, 4 features, 3 classes. */
export const loadIris = (): Dataset => loadDataset('iris');
/** 178 wines, 13 chemical features, 3 cultivars. */
export const loadWine = (): Dataset => loadDataset('wine');
/** 569 breast masses, 30 features, 2 classes (malignant = 0, benign = 1). */
export const loadBreastCancer = (): Dataset => loadDataset('breastCancer');

/** Features and targets of one part of a split. */
export interface Part {
  readonly x: number[][];
  readonly y: number[];
  /** The row indices in the original data. */
  readonly indices: number[];
}

/** Options of {@link trainTestSplit}. */
export interface SplitOptions {
  /** Share (0 < f < 1) or number of samples of the test part. Default 0.25. */
  testSize?: number | undefined;
  /** Same seed, same split. Default 0. */
  seed?: number | undefined;
  /** Keep the class proportions in both parts (needs class targets). Default false. */
  stratify?: boolean | undefined;
}

function partSize(n: number, size: number, what: string): number {
  const k = size > 0 && size < 1 ? Math.ceil(size * n) : size;
  if (!Number.isInteger(k) || k < 1 || k >= n) {
    throw new InvalidArgumentError(
      `${what} must be a share in (0, 1) or a count in [1, ${n - 1}], got ${String(size)}.`,
    );
  }
  return k;
}

/**
 * Splits indices 0..n−1 into a test part of `k` and the rest. Stratified: every class gives
 * its share (largest remainders), so class proportions match as closely as integers allow.
 */
function splitIndices(y: readonly number[], k: number, rng: Rng, stratify: boolean): [number[], number[]] {
  const n = y.length;
  if (!stratify) {
    const idx = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    return [idx.slice(k).sort((a, b) => a - b), idx.slice(0, k).sort((a, b) => a - b)];
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = y[i]!;
    let list = byClass.get(c);
    if (list === undefined) {
      list = [];
      byClass.set(c, list);
    }
    list.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const exact = classes.map((c) => (byClass.get(c)!.length * k) / n);
  const take = exact.map(Math.floor);
  let left = k - take.reduce((a, b) => a + b, 0);
  const order = classes
    .map((_, i) => i)
    .sort((a, b) => exact[b]! - take[b]! - (exact[a]! - take[a]!) || a - b);
  for (const i of order) {
    if (left === 0) break;
    take[i]!++;
    left--;
  }
  const train: number[] = [];
  const test: number[] = [];
  classes.forEach((c, i) => {
    const idx = rng.shuffle([...byClass.get(c)!]);
    test.push(...idx.slice(0, take[i]));
    train.push(...idx.slice(take[i]));
  });
  return [train.sort((a, b) => a - b), test.sort((a, b) => a - b)];
}

function pick(x: readonly number[][], y: readonly number[], indices: number[]): Part {
  return { x: indices.map((i) => [...x[i]!]), y: indices.map((i) => y[i]!), indices };
}

/**
 * A seeded train/test split.
 * @example
 * ```ts
 * const { train, test } = trainTestSplit(d.features, d.target, { testSize: 0.2, seed: 1, stratify: true });
 * ```
 */
export function trainTestSplit(
  x: readonly number[][],
  y: readonly number[],
  options: SplitOptions = {},
): { train: Part; test: Part } {
  if (x.length !== y.length) {
    throw new InvalidArgumentError(`trainTestSplit: ${x.length} rows of features but ${y.length} targets.`);
  }
  const k = partSize(x.length, options.testSize ?? 0.25, 'testSize');
  const [tr, te] = splitIndices(y, k, new Rng(options.seed ?? 0), options.stratify ?? false);
  return { train: pick(x, y, tr), test: pick(x, y, te) };
}

/** Options of {@link trainValTestSplit}. */
export interface ThreeWaySplitOptions {
  /** Share of the whole data for validation. Default 0.2. */
  validationSize?: number | undefined;
  /** Share of the whole data for the held-out test part. Default 0.2. */
  testSize?: number | undefined;
  /** Default 0. */
  seed?: number | undefined;
  /** Keep class proportions in the three parts. Default true. */
  stratify?: boolean | undefined;
  /** Standardise features with the mean and deviation of the training part. Default false. */
  standardize?: boolean | undefined;
}

/** A train/validation/test split, with the scaler when standardised. */
export interface ThreeWaySplit {
  readonly train: Part;
  readonly validation: Part;
  readonly test: Part;
  readonly scaler: StandardScaler | null;
}

/**
 * A seeded, by default stratified train/validation/test split; with `standardize`, a
 * {@link StandardScaler} fitted on the training part only is applied to all three.
 * @example
 * ```ts
 * const d = loadDigits();
 * const { train, validation, test } = trainValTestSplit(d.features, d.target, { seed: 1, standardize: true });
 * ```
 */
export function trainValTestSplit(
  x: readonly number[][],
  y: readonly number[],
  options: ThreeWaySplitOptions = {},
): ThreeWaySplit {
  const n = x.length;
  const nTest = partSize(n, options.testSize ?? 0.2, 'testSize');
  const nVal = partSize(n, options.validationSize ?? 0.2, 'validationSize');
  if (nTest + nVal >= n) throw new InvalidArgumentError('trainValTestSplit: nothing left for training.');
  const stratify = options.stratify ?? true;
  const rng = new Rng(options.seed ?? 0);
  const [rest, te] = splitIndices(y, nTest, rng, stratify);
  const [tr, va] = splitIndices(
    rest.map((i) => y[i]!),
    nVal,
    rng,
    stratify,
  );
  let train = pick(
    x,
    y,
    tr.map((i) => rest[i]!),
  );
  let validation = pick(
    x,
    y,
    va.map((i) => rest[i]!),
  );
  let test = pick(x, y, te);
  let scaler: StandardScaler | null = null;
  if (options.standardize) {
    scaler = new StandardScaler().fit(train.x);
    train = { ...train, x: scaler.transform(train.x) };
    validation = { ...validation, x: scaler.transform(validation.x) };
    test = { ...test, x: scaler.transform(test.x) };
  }
  return { train, validation, test, scaler };
}

/**
 * Standardisation: (x − mean) / std per feature, with the population standard deviation as
 * scikit-learn's StandardScaler; a constant feature keeps scale 1. Fit it on training data only.
 */
export class StandardScaler {
  mean: number[] = [];
  scale: number[] = [];

  fit(x: readonly (readonly number[])[]): this {
    if (x.length === 0) throw new InvalidArgumentError('StandardScaler.fit needs at least one row.');
    const d = x[0]!.length;
    const mean = new Array<number>(d).fill(0);
    for (const row of x) for (let j = 0; j < d; j++) mean[j]! += row[j]!;
    for (let j = 0; j < d; j++) mean[j]! /= x.length;
    const v = new Array<number>(d).fill(0);
    for (const row of x) for (let j = 0; j < d; j++) v[j]! += (row[j]! - mean[j]!) ** 2;
    this.mean = mean;
    this.scale = v.map((s) => {
      const sd = Math.sqrt(s / x.length);
      return sd === 0 ? 1 : sd;
    });
    return this;
  }

  transform(x: readonly (readonly number[])[]): number[][] {
    if (this.mean.length === 0) throw new InvalidArgumentError('StandardScaler: call fit() first.');
    return x.map((row) => row.map((v, j) => (v - this.mean[j]!) / this.scale[j]!));
  }

  fitTransform(x: readonly (readonly number[])[]): number[][] {
    return this.fit(x).transform(x);
  }
}
