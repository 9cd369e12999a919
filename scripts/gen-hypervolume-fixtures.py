#!/usr/bin/env python3
"""Writes src/math/hypervolume/__fixtures__/hypervolume.json: reference hypervolumes.

Two independent, deliberately simple reference methods (every objective minimised):

- inclusion-exclusion over all non-empty subsets S of the points inside the reference box,
  volume = sum (-1)^(|S|+1) * prod_j (r_j - max_{p in S} p_j), in exact rational arithmetic
  (the coordinates are written with few decimals, so Fraction(str(x)) is exact); used for up
  to 12 points;
- cell counting on the grid every point coordinate and the reference point cut the box into:
  a cell is dominated when some point is <= its lower corner in every coordinate, and the
  volume is the sum of the dominated cells' volumes (NumPy, float64; all terms positive).

When both apply they must agree to 1e-12 (relative), or the script stops. Each case stores the
points, the reference point, the value and the method(s) that produced it.

Run with: /usr/bin/python3 scripts/gen-hypervolume-fixtures.py
"""

import itertools
import json
import os
from fractions import Fraction

import numpy as np

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    '..',
    'src',
    'math',
    'hypervolume',
    '__fixtures__',
    'hypervolume.json',
)


def inside(points, ref):
    return [p for p in points if all(v < r for v, r in zip(p, ref))]


def hv_inclusion_exclusion(points, ref):
    pts = [[Fraction(str(v)) for v in p] for p in inside(points, ref)]
    r = [Fraction(str(v)) for v in ref]
    total = Fraction(0)
    for k in range(1, len(pts) + 1):
        sign = 1 if k % 2 == 1 else -1
        for subset in itertools.combinations(pts, k):
            vol = Fraction(1)
            for j in range(len(r)):
                vol *= r[j] - max(p[j] for p in subset)
            total += sign * vol
    return float(total)


def hv_cells(points, ref):
    pts = np.array(inside(points, ref), dtype=float)
    if len(pts) == 0:
        return 0.0
    m = len(ref)
    axes = [np.unique(np.concatenate([pts[:, j], [ref[j]]])) for j in range(m)]
    lower = np.meshgrid(*[a[:-1] for a in axes], indexing='ij')
    widths = np.meshgrid(*[np.diff(a) for a in axes], indexing='ij')
    corners = np.stack([g.ravel() for g in lower], axis=1)
    vols = np.prod(np.stack([w.ravel() for w in widths], axis=1), axis=1)
    covered = np.zeros(len(corners), dtype=bool)
    for p in pts:
        covered |= np.all(p <= corners, axis=1)
    return float(np.sum(vols[covered]))


cases = []


def add(name, points, ref, decimals=None):
    if decimals is not None:
        points = [[round(float(v), decimals) for v in p] for p in points]
    points = [[float(v) for v in p] for p in points]
    ref = [float(v) for v in ref]
    n_in = len(inside(points, ref))
    m = len(ref)
    methods = []
    values = []
    if n_in <= 12:
        values.append(hv_inclusion_exclusion(points, ref))
        methods.append('inclusion-exclusion')
    grid = 1
    for j in range(m):
        grid *= len({p[j] for p in inside(points, ref)}) + 1
    if grid * max(n_in, 1) <= 3e8:
        values.append(hv_cells(points, ref))
        methods.append('cells')
    if not values:
        raise SystemExit(f'{name}: too large for the reference methods')
    if len(values) == 2:
        a, b = values
        if abs(a - b) > 1e-12 * max(abs(a), 1e-300) and not (a == 0 and b == 0):
            raise SystemExit(f'{name}: methods disagree: {a} vs {b}')
    cases.append({'name': name, 'points': points, 'reference': ref, 'value': values[0], 'methods': methods})


rng = np.random.default_rng(20240611)

# Random sets (many dominated points), and points on a concave or linear front.
for m, sizes in [(2, [1, 2, 5, 20, 60]), (3, [1, 3, 8, 25, 60]), (4, [2, 6, 12, 30]), (5, [4, 10, 18]), (6, [5, 10])]:
    for n in sizes:
        pts = rng.uniform(0, 1, size=(n, m))
        add(f'uniform m={m} n={n}', pts.tolist(), [1.0] * m, decimals=4)
        sphere = np.abs(rng.normal(size=(n, m)))
        sphere /= np.linalg.norm(sphere, axis=1, keepdims=True)
        add(f'sphere front m={m} n={n}', sphere.tolist(), [1.1] * m, decimals=4)
        simplex = rng.dirichlet(np.ones(m), size=n)
        add(f'linear front m={m} n={n}', simplex.tolist(), [1.0] * m, decimals=4)

# Negative and large coordinates, unequal reference coordinates.
for m in [2, 3, 4, 5]:
    pts = rng.uniform(-50, 20, size=(10, m))
    add(f'wide range m={m}', pts.tolist(), list(rng.uniform(10, 30, size=m)), decimals=2)

# Ties: coordinates on a small lattice (shared coordinates, duplicates, weak dominance).
for m, n in [(2, 30), (3, 30), (4, 25), (5, 12)]:
    pts = rng.integers(0, 4, size=(n, m))
    add(f'lattice m={m} n={n}', pts.tolist(), [4] * m)

# Degenerate fronts.
add('empty 2d', [], [1, 1])
add('empty 4d', [], [1, 1, 1, 1])
add('single point 1d', [[0.25]], [1])
add('one objective, several points', [[0.5], [0.25], [2.0], [0.75]], [1])
add('single point 3d', [[0.1, 0.2, 0.3]], [1, 1, 1])
add('single point 5d', [[0.1, 0.2, 0.3, 0.4, 0.5]], [1, 1, 1, 1, 1])
add('all duplicates 2d', [[0.3, 0.4]] * 6, [1, 1])
add('all duplicates 3d', [[0.3, 0.4, 0.5]] * 5, [1, 1, 1])
add('all duplicates 4d', [[0.3, 0.4, 0.5, 0.6]] * 4, [1, 1, 1, 1])
add('duplicates among a front 3d', [[0.1, 0.5, 0.5], [0.5, 0.1, 0.5], [0.1, 0.5, 0.5], [0.5, 0.5, 0.1], [0.5, 0.1, 0.5]], [1, 1, 1])
add('duplicates among a front 4d', [[0.1, 0.5, 0.5, 0.5], [0.5, 0.1, 0.5, 0.5], [0.5, 0.5, 0.1, 0.5], [0.1, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.1], [0.5, 0.5, 0.5, 0.1]], [1, 1, 1, 1])
add('one point dominates all 3d', [[0.1, 0.1, 0.1], [0.2, 0.3, 0.4], [0.5, 0.5, 0.5], [0.1, 0.2, 0.1]], [1, 1, 1])
add('one point dominates all 4d', [[0.1] * 4, [0.2, 0.3, 0.4, 0.5], [0.1, 0.1, 0.1, 0.2]], [1, 1, 1, 1])
add('collinear in one objective 3d', [[0.2, 0.8, 0.5], [0.4, 0.6, 0.5], [0.6, 0.4, 0.5], [0.8, 0.2, 0.5]], [1, 1, 1])
add('collinear in one objective 4d', [[0.2, 0.8, 0.5, 0.5], [0.4, 0.6, 0.5, 0.5], [0.6, 0.4, 0.5, 0.5], [0.8, 0.2, 0.5, 0.5]], [1, 1, 1, 1])
add('same first objective 4d', [[0.5, 0.1, 0.7, 0.3], [0.5, 0.7, 0.1, 0.3], [0.5, 0.3, 0.3, 0.1], [0.5, 0.2, 0.2, 0.6]], [1, 1, 1, 1])
add('same x 2d', [[0.5, 0.9], [0.5, 0.3], [0.5, 0.6]], [1, 1])
add('same z 3d, staircase', [[0.1, 0.9, 0.2], [0.3, 0.7, 0.2], [0.5, 0.5, 0.2], [0.7, 0.3, 0.2], [0.9, 0.1, 0.2]], [1, 1, 1])
add('same x different z 3d', [[0.5, 0.9, 0.1], [0.5, 0.3, 0.6], [0.5, 0.6, 0.3], [0.2, 0.95, 0.9]], [1, 1, 1])
add('extreme points 3d', [[0, 1, 1], [1, 0, 1], [1, 1, 0], [0.5, 0.5, 0.5]], [1.1, 1.1, 1.1])

# Points worse than the reference point, or on its boundary (they add nothing).
add('all worse than reference 2d', [[1.5, 0.5], [0.5, 1.5], [2, 2]], [1, 1])
add('all worse than reference 4d', [[1.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 1.0]], [1, 1, 1, 1])
add('some worse than reference 2d', [[1.5, 0.1], [0.2, 0.6], [0.6, 0.2], [0.1, 3.0]], [1, 1])
add('some worse than reference 3d', [[1.5, 0.1, 0.1], [0.2, 0.6, 0.4], [0.6, 0.2, 0.4], [0.1, 0.1, 1.0], [0.4, 0.4, 0.2]], [1, 1, 1])
add('some worse than reference 5d', [[0.2, 0.3, 0.1, 0.5, 1.2], [0.2, 0.3, 0.1, 0.5, 0.6], [0.9, 0.1, 0.3, 0.2, 0.4], [0.3, 0.3, 0.3, 0.3, 0.3]], [1, 1, 1, 1, 1])
add('on the reference boundary 3d', [[1.0, 0.1, 0.1], [0.1, 1.0, 0.1], [0.5, 0.5, 0.5]], [1, 1, 1])

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    json.dump({'source': f'scripts/gen-hypervolume-fixtures.py (NumPy {np.__version__})', 'cases': cases}, f, separators=(',', ':'))
    f.write('\n')
print(f'wrote {len(cases)} cases to {OUT}')
