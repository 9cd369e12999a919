#!/usr/bin/env python3
"""Writes src/math/stats/__fixtures__/wilcoxon.json: scipy.stats.wilcoxon reference p-values.

Each case: d (the paired differences), alternative, zero_method, correction, method (the method
tunekit's `wilcoxonSignedRank` is expected to pick with method 'auto'), statistic and pvalue
from SciPy.

tunekit's 'auto' uses the exact null distribution when there are at most 50 differences and
none is zero or tied, and the normal approximation (with the tie correction) otherwise, which is
what SciPy >= 1.13 does. Debian's SciPy 1.10 also takes the exact path with ties (truncating
the half-integer rank sum), so for cases with ties or more than 50 differences this script asks
SciPy for method='approx' explicitly; cases without ties or zeros use SciPy's own 'auto'.

Run with: /usr/bin/python3 scripts/gen-wilcoxon-fixtures.py
"""

import json
import os
import sys
import warnings

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'math', 'stats', '__fixtures__', 'wilcoxon.json'
)


def has_ties(d):
    a = np.abs(np.asarray(d, dtype=float))
    return len(np.unique(a)) < len(a)


def case(d, alternative='two-sided', zero_method='wilcox', correction=False):
    d = [float(x) for x in np.round(np.asarray(d, dtype=float), 4)]  # short JSON
    zeros = sum(1 for x in d if x == 0)
    exact = len(d) <= 50 and zeros == 0 and not has_ties(d)
    method = 'exact' if exact else 'approx'
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # small-sample and zero warnings
        res = stats.wilcoxon(
            d,
            alternative=alternative,
            zero_method=zero_method,
            correction=correction,
            method='auto' if exact else 'approx',
        )
    return {
        'd': d,
        'alternative': alternative,
        'zero_method': zero_method,
        'correction': correction,
        'method': method,
        'statistic': float(res.statistic),
        'pvalue': float(res.pvalue),
    }


def main():
    rng = np.random.default_rng(20240501)
    cases = []
    alts = ['two-sided', 'greater', 'less']
    # Exact: distinct, non-zero differences, n = 1..50.
    for n in [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30, 40, 49, 50]:
        shift = rng.normal(0, 0.6)
        d = rng.normal(shift, 1.0, n)
        for alt in alts:
            cases.append(case(d, alt))
    # Extreme statistics: all positive, all negative.
    for n in [5, 10, 20]:
        d = np.arange(1, n + 1) * 0.37
        for alt in alts:
            cases.append(case(d, alt))
            cases.append(case(-d, alt))
    # Normal approximation: n > 50.
    for n in [51, 60, 120]:
        d = rng.normal(rng.normal(0, 0.3), 1.0, n)
        for alt in alts:
            cases.append(case(d, alt))
            cases.append(case(d, alt, correction=True))
    # Ties and zeros (rounded values), every zero method.
    for n in [4, 6, 9, 12, 20, 35, 80]:
        d = np.round(rng.normal(rng.normal(0, 0.5), 1.0, n) * 2) / 2
        if not np.any(d == 0):
            d[0] = 0.0
        for alt in alts:
            for zm in ['wilcox', 'pratt', 'zsplit']:
                if zm != 'zsplit' and np.all(d == 0):
                    continue
                cases.append(case(d, alt, zm))
                cases.append(case(d, alt, zm, correction=True))
    # Ties without zeros.
    for n in [5, 11, 30]:
        d = np.round(rng.normal(0.4, 1.0, n) * 2) / 2
        d[d == 0] = 0.5
        for alt in alts:
            cases.append(case(d, alt))
    # All zeros (zsplit only) and a single zero.
    for alt in alts:
        cases.append(case([0.0, 0.0, 0.0, 0.0], alt, 'zsplit'))
        cases.append(case([0.0], alt, 'zsplit'))
        cases.append(case([0.0, 1.5, -0.25, 2.0, 3.0], alt, 'zsplit'))
    doc = {
        'source': f'scipy {scipy.__version__}, numpy {np.__version__}',
        'cases': cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    sys.stdout.write(f'wrote {OUT}: {len(cases)} cases\n')


if __name__ == '__main__':
    main()
