#!/usr/bin/env python3
"""Writes src/math/qmc/__fixtures__/qmc.json: unscrambled Sobol and Halton points from SciPy.

Each case: engine ('sobol' | 'halton'), dim, start (points skipped with fast_forward), n,
columns (the dimensions kept, all when the dimension is small) and values, a flat n x len(columns)
row-major list. Python's float repr round-trips, so the values are bit-exact.

Run with: /usr/bin/python3 scripts/gen-qmc-fixtures.py
"""

import json
import os
import sys
import warnings

import numpy as np
import scipy
from scipy.stats import qmc
from scipy.stats._qmc import van_der_corput  # what Halton.random calls per base

OUT = os.path.join(os.path.dirname(__file__), '..', 'src', 'math', 'qmc', '__fixtures__', 'qmc.json')


def spread_columns(dim, count, extra=()):
    cols = set(np.linspace(0, dim - 1, count).round().astype(int).tolist()) | set(extra)
    return sorted(c for c in cols if c < dim)


def halton_columns(dim, start, n, columns):
    """Unscrambled Halton points from index `start`, column by column.

    Halton.fast_forward draws (and discards) the skipped points, which is too slow for large
    starts; Halton.random itself evaluates scipy.stats._qmc.van_der_corput per prime base with
    start_index = points generated so far, so this is the same computation.
    """
    bases = qmc.Halton(dim, scramble=False).base
    return np.stack(
        [van_der_corput(n, bases[c], start_index=start, scramble=False) for c in columns], axis=1
    )


def case(engine, dim, start, n, columns=None):
    if columns is None:
        columns = list(range(dim))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # SciPy warns about non-power-of-two Sobol sizes
        if engine == 'sobol':
            gen = qmc.Sobol(dim, scramble=False)
            if start:
                gen.fast_forward(start)
            points = gen.random(n)[:, columns]
        else:
            points = halton_columns(dim, start, n, columns)
            if start < 100000:
                gen = qmc.Halton(dim, scramble=False)
                if start:
                    gen.fast_forward(start)
                assert np.array_equal(gen.random(n)[:, columns], points)
    values = points.reshape(-1)
    return {
        'engine': engine,
        'dim': dim,
        'start': start,
        'n': n,
        'columns': columns,
        'values': [float(v) for v in values],
    }


def main():
    cases = [
        case('sobol', 5, 0, 128),
        case('sobol', 40, 1000, 16),
        case('sobol', 2, 123456789, 16),
        case('sobol', 4096, 0, 64, spread_columns(4096, 32, [1, 2, 3, 1110, 1111, 2047, 2048])),
        # SciPy's fast_forward walks every skipped point: keep start x dim moderate.
        case('sobol', 4096, (1 << 20) - 9, 24, spread_columns(4096, 32, [1, 2, 3, 1110, 1111, 4095])),
        case('sobol', 64, (1 << 29) - 17, 16, spread_columns(64, 16)),
        case('sobol', 12, (1 << 30) - 8, 8),
        case('halton', 6, 0, 100),
        case('halton', 50, 12345, 12),
        case('halton', 200, 777, 12, spread_columns(200, 30)),
        case('halton', 1000, 987654, 10, spread_columns(1000, 40)),
        case('halton', 3, 4000000000, 8),
    ]
    doc = {
        'source': f'scipy {scipy.__version__}, numpy {np.__version__}',
        'cases': cases,
    }
    with open(OUT, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    sys.stdout.write(f'wrote {OUT}: {len(cases)} cases\n')


if __name__ == '__main__':
    main()
