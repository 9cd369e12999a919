#!/usr/bin/env python3
"""Writes src/importance/__fixtures__/ped-anova-grid.json: reference densities of PED-ANOVA.

For each case (counts of observations on a grid of G points, numeric or categorical, and a
prior weight) the smoothed probability mass function on the grid, computed with NumPy/SciPy:
- numeric: a mixture of normals discretized on the grid points 0..G-1 (mass of [g - 1/2, g + 1/2],
  renormalized to [-1/2, G - 1/2]), one kernel per occupied grid point with weight = its count,
  sigma from Scott's rule 1.059 * min(IQR / 1.34, sd) * W^(-1/5) (weighted sd with W - 1 in the
  denominator; quartiles by np.searchsorted on the cumulative counts), at least 0.5 / 1.64, plus
  a prior kernel at the centre with sigma = G and weight `prior`;
- categorical: kernel k puts 1 + p/K on its choice and p/K on the others (K kernels including
  the prior), renormalized; the prior kernel is uniform.
Also the Pearson divergence sum q (p/q - 1)^2 of each case's pmf from the uniform pmf, with the
1e-12 offset PED-ANOVA adds.

Run with: /usr/bin/python3 scripts/gen-ped-anova-fixtures.py
"""

import json
import os

import numpy as np
from scipy.stats import norm

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'importance', '__fixtures__', 'ped-anova-grid.json'
)


def scott_sigma(counts):
    obs = np.flatnonzero(counts).astype(float)
    w = counts[counts > 0].astype(float)
    W = w.sum()
    mean = (obs * w).sum() / W
    sd = np.sqrt(((obs - mean) ** 2 * w).sum() / max(1.0, W - 1))
    cum = np.cumsum(w)
    q1 = np.searchsorted(cum, W // 4, side='left')
    q3 = np.searchsorted(cum, W * 3 // 4, side='right')
    iqr = obs[min(len(obs) - 1, q3)] - obs[q1]
    return max(1.059 * min(iqr / 1.34, sd) * W ** -0.2, 0.5 / 1.64)


def discrete_normal(mu, sigma, G):
    edges = np.arange(G + 1) - 0.5
    cdf = norm.cdf((edges - mu) / sigma)
    return np.diff(cdf) / (cdf[-1] - cdf[0])


def numeric_pmf(counts, prior):
    G = len(counts)
    sigma = scott_sigma(counts)
    W = counts.sum()
    pmf = np.zeros(G)
    for g in np.flatnonzero(counts):
        pmf += counts[g] / (W + prior) * discrete_normal(g, sigma, G)
    pmf += prior / (W + prior) * discrete_normal((G - 1) / 2, G, G)
    return pmf, sigma


def categorical_pmf(counts, prior):
    G = len(counts)
    occupied = np.flatnonzero(counts)
    K = len(occupied) + 1
    W = counts.sum()
    pmf = np.full(G, prior / (W + prior) / G)
    for g in occupied:
        row = np.full(G, prior / K)
        row[g] += 1
        pmf += counts[g] / (W + prior) * row / row.sum()
    return pmf


def case(name, counts, categorical, prior=1.0):
    counts = np.asarray(counts, dtype=float)
    if categorical:
        pmf, sigma = categorical_pmf(counts, prior), None
    else:
        pmf, sigma = numeric_pmf(counts, prior)
    G = len(counts)
    q = np.full(G, 1.0 / G)
    p = pmf + 1e-12
    qq = q + 1e-12
    divergence = float(qq @ ((p / qq - 1) ** 2))
    return {
        'name': name,
        'counts': [float(c) for c in counts],
        'categorical': categorical,
        'prior': prior,
        'sigma': sigma,
        'pmf': [float(v) for v in pmf],
        'divergenceFromUniform': divergence,
    }


def main():
    rng = np.random.default_rng(5)
    cases = []
    cases.append(case('uniform-ish 50', rng.integers(0, 6, size=50), False))
    c = np.zeros(50)
    c[3:12] = rng.integers(1, 9, size=9)
    cases.append(case('concentrated low 50', c, False))
    c = np.zeros(50)
    c[40] = 7
    cases.append(case('single point (sigma floor)', c, False))
    c = np.zeros(11)
    c[[0, 2, 10]] = [4, 1, 2]
    cases.append(case('log-int grid of 11, prior 2', c, False, prior=2.0))
    cases.append(case('bimodal 50, no prior', np.r_[np.full(10, 3), np.zeros(30), np.full(10, 2)], False, prior=0.0))
    cases.append(case('categorical 4', [5, 0, 2, 1], True))
    cases.append(case('categorical 2, prior 0.5', [0, 9], True, prior=0.5))
    with open(OUT, 'w') as f:
        json.dump({'generator': 'scripts/gen-ped-anova-fixtures.py', 'cases': cases}, f)
        f.write('\n')
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
