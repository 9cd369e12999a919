#!/usr/bin/env python3
"""Writes src/math/forest/__fixtures__/trees.json: scikit-learn DecisionTreeRegressor references.

Each case: training data X (n x d, row-major lists), y, the tree settings (max_depth,
min_samples_split, min_samples_leaf; all features tried at every split, no bootstrap), query
points Xq and sklearn's predictions there, plus the fitted tree's node count and leaf count.
tunekit's TreeBuilder with the same settings and all-ones weights must grow the same tree: with
continuous random data no two candidate splits tie, so the greedy choices agree.

Run with: /usr/bin/python3 scripts/gen-forest-fixtures.py
"""

import json
import os

import numpy as np
from sklearn.tree import DecisionTreeRegressor

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'math', 'forest', '__fixtures__', 'trees.json'
)


def r(a):
    return [float(v) for v in np.round(np.asarray(a, dtype=float).ravel(), 6)]


def case(name, X, y, max_depth=None, min_samples_split=2, min_samples_leaf=1, n_query=40, seed=0):
    X = np.round(X, 6)
    y = np.round(y, 6)
    rng = np.random.default_rng(seed + 1000)
    Xq = np.round(rng.uniform(X.min(axis=0), X.max(axis=0), size=(n_query, X.shape[1])), 6)
    tree = DecisionTreeRegressor(
        max_depth=max_depth,
        min_samples_split=min_samples_split,
        min_samples_leaf=min_samples_leaf,
        random_state=0,
    ).fit(X, y)
    return {
        'name': name,
        'n': int(X.shape[0]),
        'd': int(X.shape[1]),
        'X': r(X),
        'y': r(y),
        'maxDepth': 64 if max_depth is None else max_depth,
        'minSamplesSplit': min_samples_split,
        'minSamplesLeaf': min_samples_leaf,
        'Xq': r(Xq),
        'predictions': [float(v) for v in tree.predict(Xq)],
        'nodeCount': int(tree.tree_.node_count),
        'leafCount': int(tree.get_n_leaves()),
    }


def main():
    rng = np.random.default_rng(7)
    cases = []
    X = rng.uniform(0, 1, size=(60, 3))
    y = np.sin(6 * X[:, 0]) + 0.5 * X[:, 1] ** 2 + 0.1 * rng.normal(size=60)
    # Fully grown trees are left out: in a node of two or three samples several features often
    # induce the same partition, and the tie is broken by each library's own feature order.
    cases.append(case('depth-8-leaf-3', X, y, max_depth=8, min_samples_leaf=3))
    cases.append(case('depth-3', X, y, max_depth=3, seed=1))
    X = rng.uniform(-2, 3, size=(120, 4))
    y = X[:, 0] * X[:, 1] + np.abs(X[:, 2]) + 0.05 * rng.normal(size=120)
    cases.append(case('leaf-5-split-12', X, y, min_samples_split=12, min_samples_leaf=5, seed=2))
    X = rng.integers(0, 5, size=(80, 2)).astype(float)
    y = X[:, 0] ** 2 - X[:, 1] + 0.3 * rng.normal(size=80)
    cases.append(case('ties', X, y, max_depth=6, seed=3))
    with open(OUT, 'w') as f:
        json.dump({'generator': 'scripts/gen-forest-fixtures.py', 'cases': cases}, f)
        f.write('\n')
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
