#!/usr/bin/env python3
"""Writes src/math/gp/__fixtures__/ehvi.json: reference expected hypervolume improvements.

Every objective is maximised. For a front P, a reference point r and independent Gaussian
predictions Y_d ~ N(mu_d, var_d), the expected hypervolume improvement is computed by cell
enumeration on the full m-dimensional grid that r, the points' coordinates and +inf cut the
space into: a cell [e_k, e_{k+1}] is dominated when some point is >= its upper corner in every
coordinate; otherwise it contributes prod_d (psi_d(e_k) - psi_d(e_{k+1})) with
psi(a) = E[max(Y - a, 0)] = sigma * (z * Phi(z) + phi(z)), z = (mu - a) / sigma (scipy).
Each case is cross-checked by Monte Carlo (numpy, 400,000 draws; HVI of a draw by the same
grid): the two must agree within 5 standard errors, or the script stops. The gradient with
respect to each mean and variance is the central difference of log EHVI (step 1e-5).

Run with: /usr/bin/python3 scripts/gen-ehvi-fixtures.py
"""

import itertools
import json
import os

import numpy as np
from scipy.stats import norm

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'math', 'gp', '__fixtures__', 'ehvi.json'
)


def grid_cells(front, ref):
    m = len(ref)
    edges = []
    for d in range(m):
        vals = sorted({p[d] for p in front if all(p[j] > ref[j] for j in range(m))})
        edges.append([ref[d]] + vals + [np.inf])
    cells = []
    for idx in itertools.product(*[range(len(e) - 1) for e in edges]):
        upper = [edges[d][idx[d] + 1] for d in range(m)]
        lower = [edges[d][idx[d]] for d in range(m)]
        if any(all(p[d] >= upper[d] for d in range(m)) for p in front):
            continue
        cells.append((lower, upper))
    return cells


def psi(mu, sigma, a):
    if a == np.inf:
        return 0.0
    z = (mu - a) / sigma
    return sigma * (z * norm.cdf(z) + norm.pdf(z))


def ehvi(front, ref, mean, var):
    cells = grid_cells(front, ref)
    total = 0.0
    for lower, upper in cells:
        t = 1.0
        for d in range(len(ref)):
            s = np.sqrt(var[d])
            t *= psi(mean[d], s, lower[d]) - psi(mean[d], s, upper[d])
        total += t
    return total


def hvi_samples(front, ref, y):
    cells = grid_cells(front, ref)
    out = np.zeros(len(y))
    for lower, upper in cells:
        lo = np.array(lower)
        up = np.array(upper)
        out += np.prod(np.clip(np.minimum(y, up) - lo, 0, None), axis=1)
    return out


rng = np.random.default_rng(7)
cases = []
specs = [
    ('2d staircase', [[1.0, 0.2], [0.6, 0.7], [0.1, 1.1]], [-0.5, -0.5],
     [([0.8, 0.8], [0.04, 0.09]), ([0.0, 0.0], [0.25, 0.25]), ([-1.0, -2.0], [0.01, 0.04]),
      ([2.0, 2.0], [0.5, 0.5]), ([0.55, 0.65], [1e-4, 1e-4])]),
    ('2d one point', [[0.0, 0.0]], [-1.0, -1.0], [([0.0, 0.0], [1.0, 1.0]), ([-0.5, 0.5], [0.2, 0.1])]),
    ('2d empty front', [], [0.0, 0.0], [([0.3, -0.2], [0.5, 0.3])]),
    ('3d random', [list(map(float, np.round(p, 3))) for p in rng.normal(size=(6, 3))], [-2.5, -2.5, -2.5],
     [([0.5, 0.5, 0.5], [0.3, 0.3, 0.3]), ([1.5, -1.0, 0.0], [0.1, 0.5, 0.2]), ([-1.0, -1.0, -1.0], [0.05, 0.05, 0.05])]),
    ('4d random', [list(map(float, np.round(p, 3))) for p in rng.normal(size=(4, 4))], [-2.0, -2.0, -2.0, -2.0],
     [([0.3, 0.3, 0.3, 0.3], [0.4, 0.3, 0.2, 0.1])]),
]
for name, front, ref, preds in specs:
    for mean, var in preds:
        value = ehvi(front, ref, mean, var)
        y = rng.normal(mean, np.sqrt(var), size=(400_000, len(ref)))
        mc = hvi_samples(front, ref, y)
        se = mc.std() / np.sqrt(len(mc))
        if abs(mc.mean() - value) > 5 * se + 1e-12:
            raise SystemExit(f'{name}: exact {value} vs MC {mc.mean()} +- {se}')
        h = 1e-5
        dmean, dvar = [], []
        for d in range(len(ref)):
            mp = list(mean); mp[d] += h
            mm = list(mean); mm[d] -= h
            dmean.append((np.log(ehvi(front, ref, mp, var)) - np.log(ehvi(front, ref, mm, var))) / (2 * h))
            vp = list(var); vp[d] += h * var[d]
            vm = list(var); vm[d] -= h * var[d]
            dvar.append((np.log(ehvi(front, ref, mean, vp)) - np.log(ehvi(front, ref, mean, vm))) / (2 * h * var[d]))
        cases.append({'name': name, 'front': front, 'reference': ref, 'mean': mean, 'variance': var,
                      'ehvi': value, 'dLogMean': dmean, 'dLogVariance': dvar})

with open(OUT, 'w') as f:
    json.dump({'source': 'scripts/gen-ehvi-fixtures.py', 'cases': cases}, f, indent=1)
    f.write('\n')
print(f'{len(cases)} cases -> {OUT}')
