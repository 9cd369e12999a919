#!/usr/bin/env python3
"""Writes the reference fixtures of the numeric kernels in src/math/{special,linalg,optim,gp}.

- src/math/special/__fixtures__/special.json: erf family, inverses, the normal distribution,
  log EI, log-space arithmetic and the truncated normal, from mpmath at 50+ digits (the inverses
  by root finding in mpmath, so they do not inherit SciPy's rounding).
- src/math/linalg/__fixtures__/linalg.json: Cholesky factors, solves and log-determinants (NumPy).
- src/math/optim/__fixtures__/lbfgsb.json: scipy.optimize.minimize(method='L-BFGS-B') optima.
- src/math/gp/__fixtures__/gp.json: Matern(nu=2.5) kernels, log marginal likelihoods and their
  gradients from scikit-learn, and posteriors.

JSON has no NaN or Infinity, so non-finite numbers are written as the strings "NaN", "Infinity"
and "-Infinity" (the tests revive them). Python's float repr round-trips, so every finite value
is bit-exact.

Run with: /usr/bin/python3 scripts/gen-math-fixtures.py
          /usr/bin/python3 scripts/gen-math-fixtures.py --erfcx-coefficients
The second form prints the Chebyshev coefficients embedded in src/math/special/erf.ts.
"""

import json
import math
import os
import sys
import warnings

import mpmath as mp
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'math')
NAN = float('nan')
INF = float('inf')


def enc(v):
    """A JSON-safe copy of v: floats that are not finite become strings."""
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, np.ndarray):
        return enc(v.tolist())
    if isinstance(v, (np.floating, float)):
        f = float(v)
        if math.isnan(f):
            return 'NaN'
        if math.isinf(f):
            return 'Infinity' if f > 0 else '-Infinity'
        return f
    if isinstance(v, (np.integer,)):
        return int(v)
    return v


def write(module, name, data):
    path = os.path.join(ROOT, module, '__fixtures__', name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(enc(data), f, indent=None, separators=(',', ':'), allow_nan=False)
        f.write('\n')
    print(f'wrote {os.path.relpath(path)}')


def to_float(x):
    """An mpmath number rounded to a double (overflow gives ±inf, underflow ±0)."""
    if isinstance(x, float):
        return x
    if mp.isnan(x):
        return NAN
    if mp.isinf(x):
        return INF if x > 0 else -INF
    if abs(x) > mp.mpf('1.8e308'):
        return INF if x > 0 else -INF
    return float(x)


# ---------------------------------------------------------------------------------------------
# erfcx Chebyshev coefficients (embedded in erf.ts)
# ---------------------------------------------------------------------------------------------


def erfcx_chebyshev_coefficients(count=28):
    """Chebyshev coefficients of h(t) = erfcx(4(1 - t)/t)/t on t in [0, 8/9] (x >= 0.5).

    The variable is u = (9/4) t - 1 in [-1, 1]; the series is c0/2 + sum c_k T_k(u). The
    coefficients come from Gauss-Chebyshev quadrature at 128 nodes with 60-digit arithmetic.
    """
    with mp.workdps(60):
        tmax = mp.mpf(8) / 9

        def h(u):
            t = (u + 1) / 2 * tmax
            x = 4 * (1 - t) / t
            return mp.erfc(x) * mp.exp(x * x) / t

        m = 128
        thetas = [mp.pi * (j + mp.mpf(1) / 2) / m for j in range(m)]
        values = [h(mp.cos(th)) for th in thetas]
        return [float(2 * mp.fsum(v * mp.cos(k * th) for v, th in zip(values, thetas)) / m) for k in range(count)]


# ---------------------------------------------------------------------------------------------
# special
# ---------------------------------------------------------------------------------------------

mp.mp.dps = 60


def mp_erfc(x):
    """erfc in mpmath; mpmath's own overflows internally for huge arguments."""
    x = mp.mpf(x)
    if x > 1e3:
        return mp.exp(-x * x) * mp_erfcx(x)
    if x < -1e3:
        return 2 - mp.exp(-x * x) * mp_erfcx(-x)
    return mp.erfc(x)


def mp_ncdf(x):
    return mp_erfc(-mp.mpf(x) / mp.sqrt(2)) / 2


def mp_log_ncdf(x):
    x = mp.mpf(x)
    if x < -1e3:
        return mp.log(mp_erfcx(-x / mp.sqrt(2)) / 2) - x * x / 2
    if x > 0:
        return mp.log1p(-mp_ncdf(-x))
    return mp.log(mp_ncdf(x))


def mp_erfcx(x):
    x = mp.mpf(x)
    if x > 1e3:
        # asymptotic series, exact to far below double precision here
        s = mp.mpf(1)
        term = mp.mpf(1)
        for k in range(1, 12):
            term *= -(2 * k - 1) / (2 * x * x)
            s += term
        return s / (x * mp.sqrt(mp.pi))
    return mp.erfc(x) * mp.exp(x * x)


def special_points():
    xs = [-1e300, -1e10, -1e3, -40, -30, -27, -26.6, -26.5, -10, -6, -5, -3, -2, -1.5, -1, -0.7,
          -0.5, -0.49999999999999994, -0.3, -1e-8, -1e-300, 0.0, 5e-324, 1e-300, 1e-10, 0.1, 0.25,
          0.49999999999999994, 0.5, 0.5000000000000001, 0.7, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 10,
          12, 15, 20, 25, 26, 26.5, 27, 27.2, 27.5, 30, 40, 100, 1e3, 1e4, 1e5, 1e10, 1e100, 1e300]
    rng = np.random.default_rng(7)
    xs += [float(v) for v in rng.uniform(-6, 6, 60)]
    xs += [float(v) for v in 10 ** rng.uniform(-3, 1.5, 30)]
    return xs


def special_fixture():
    out = {}
    xs = special_points()
    rows = []
    for x in xs:
        X = mp.mpf(x)
        if x < -1e3:
            e, ec, ex = -1.0, 2.0, INF
        else:
            e = to_float(mp.erf(X)) if abs(x) < 1e3 else math.copysign(1.0, x)
            ec = to_float(mp_erfc(X))
            ex = to_float(mp_erfcx(X))
        rows.append([x, e, ec, ex])
    rows += [[NAN, NAN, NAN, NAN], [INF, 1.0, 0.0, 0.0], [-INF, -1.0, 2.0, INF]]
    out['erf'] = rows  # [x, erf, erfc, erfcx]

    # erfinv
    ys = [0.0, 1e-300, -1e-300, 1e-10, 0.1, -0.25, 0.4, 0.49999999999999994, 0.5, 0.5000000000000001,
          0.6, -0.75, 0.9, 0.99, 0.999999, 1 - 1e-10, 1 - 2 ** -52, 1 - 2 ** -53, -(1 - 2 ** -53)]
    rng = np.random.default_rng(11)
    ys += [float(v) for v in rng.uniform(-1, 1, 40)]
    rows = [[y, to_float(mp.erfinv(mp.mpf(y)))] for y in ys]
    rows += [[1.0, INF], [-1.0, -INF], [1.5, NAN], [-2.0, NAN], [NAN, NAN]]
    out['erfinv'] = rows

    def inv_log_erfc(logc):
        # the x with log erfc(x) = logc, by Newton's method in mpmath from an asymptotic start
        logc = mp.mpf(logc)
        if logc > mp.log(mp.mpf(3) / 2):
            return -inv_log_erfc(mp.log(2 - mp.exp(logc)))
        if logc > mp.log(mp.mpf(1) / 2):
            return mp.erfinv(-mp.expm1(logc))
        s = -logc
        x = mp.sqrt(max(s - mp.log(mp.pi * s) / 2, mp.mpf('0.2')))
        for _ in range(200):
            ex = mp.erfc(x) * mp.exp(x * x)
            g = mp.log(mp.erfc(x)) - logc
            dx = g * ex * mp.sqrt(mp.pi) / 2
            x += dx
            if abs(dx) < mp.mpf(10) ** (-50) * x:
                break
        return x

    cs = [5e-324, 1e-300, 1e-100, 1e-20, 1e-10, 0.01, 0.3, 0.5, 0.9, 1.0, 1.3, 1.5, 1.7, 1.99,
          2 - 1e-10, 2 - 2 ** -52]
    rows = []
    for c in cs:
        C = mp.mpf(c)
        v = inv_log_erfc(mp.log(C)) if c <= 1 else -inv_log_erfc(mp.log(2 - C))
        rows.append([c, to_float(v)])
    rows += [[0.0, INF], [2.0, -INF], [-0.1, NAN], [2.5, NAN], [NAN, NAN]]
    out['erfcinv'] = rows

    logcs = [-1e6, -1e4, -1000, -745.2, -100, -50, -10, -1, -0.6931471805599453, -0.5, -0.1, -1e-20, -1e-300,
             0.0, 1e-10, 0.3, 0.5, 0.6]
    rows = [[lc, to_float(inv_log_erfc(lc))] for lc in logcs]
    rows += [[math.log(2), -INF], [1.0, NAN], [-INF, INF], [NAN, NAN]]
    out['erfcinvLog'] = rows

    # normal: [x, pdf, logpdf, cdf, logcdf]
    xs = [-1e200, -1e10, -1e3, -100, -40, -38.5, -38, -37.5, -30, -20, -10, -8, -5, -3, -2, -1.5,
          -1.0000001, -1, -0.9999999, -0.7, -0.5, -1e-5, -1e-300, 0.0, 1e-300, 1e-5, 0.5, 0.7, 1, 1.5,
          2, 3, 5, 8, 9, 10, 15, 20, 38, 40, 100, 1e3, 1e10]
    xs += [float(v) for v in np.random.default_rng(3).uniform(-10, 10, 50)]
    rows = []
    for x in xs:
        X = mp.mpf(x)
        with mp.workdps(60 + int(2 * math.log10(1 + abs(x)))):
            pdf = mp.npdf(X)
            logpdf = -X * X / 2 - mp.log(2 * mp.pi) / 2
            cdf = mp_ncdf(X)
            logcdf = mp_log_ncdf(X)
        rows.append([x, to_float(pdf), to_float(logpdf), to_float(cdf), to_float(logcdf)])
    rows += [[NAN, NAN, NAN, NAN, NAN], [INF, 0.0, -INF, 1.0, 0.0], [-INF, 0.0, -INF, 0.0, -INF]]
    out['normal'] = rows

    def mp_ndtri_log(lp):
        # the x with log Phi(x) = lp, via erfc: Phi(x) = erfc(-x/sqrt 2)/2
        lp = mp.mpf(lp)
        if lp < mp.log(mp.mpf(1) / 2):
            return -mp.sqrt(2) * inv_log_erfc(lp + mp.log(2))
        return mp.sqrt(2) * inv_log_erfc(mp.log(-mp.expm1(lp)) + mp.log(2))

    ps = [5e-324, 1e-300, 1e-100, 1e-20, 1e-10, 0.001, 0.1, 0.2499999999999999, 0.25, 0.2500000000000001,
          0.3, 0.49, 0.5 - 2 ** -54, 0.5, 0.5 + 2 ** -53, 0.5 + 1e-12, 0.51, 0.7, 0.75, 0.7500000000000001,
          0.9, 0.999, 1 - 1e-10, 1 - 2 ** -53]
    ps += [float(v) for v in np.random.default_rng(5).uniform(0, 1, 30)]
    rows = []
    for p in ps:
        P = mp.mpf(p)
        if p == 0.5:
            v = mp.mpf(0)
        elif abs(p - 0.5) < 0.25:
            v = mp.sqrt(2) * mp.erfinv(2 * P - 1)
        else:
            v = mp_ndtri_log(mp.log(P))
        rows.append([p, to_float(v)])
    rows += [[0.0, -INF], [1.0, INF], [-0.1, NAN], [1.1, NAN], [NAN, NAN]]
    out['ndtri'] = rows

    lps = [-1e6, -1e4, -1000, -745.2, -100, -10, -2, -1.3862943611198906, -1.3862943611198908, -1,
           -0.5, -0.2876820724517809, -0.287682072451781, -0.1, -1e-5, -1e-20, -5e-324]
    rows = [[lp, to_float(mp_ndtri_log(lp))] for lp in lps]
    rows += [[0.0, INF], [-INF, -INF], [0.1, NAN], [NAN, NAN]]
    out['ndtriExp'] = rows

    # logEI: [z, logEI, dlogEI/dz]
    zs = [-1e150, -1e100, -1e10, -1e5, -1e3, -100, -40, -20, -10.000000000000002, -10, -9.999999999999998,
          -9, -5, -3, -2, -1.0000000000000002, -1, -0.9999999999999999, -0.5, -1e-10, 0.0, 1e-10, 0.5, 1,
          2, 5, 10, 40, 1e3, 1e10, 1e300]
    zs += [float(v) for v in np.random.default_rng(9).uniform(-30, 5, 40)]
    rows = []
    for z in zs:
        with mp.workdps(60 + int(4 * math.log10(1 + abs(z)))):
            Z = mp.mpf(z)
            h = Z * mp_ncdf(Z) + mp.npdf(Z)
            rows.append([z, to_float(mp.log(h)), to_float(mp_ncdf(Z) / h)])
    rows += [[NAN, NAN, NAN], [INF, INF, 0.0], [-INF, -INF, INF]]
    out['logEI'] = rows

    # log-space arithmetic
    arrays = [[0.0, 0.0], [1000.0, 1000.0], [-1000.0, -1001.0], [1e-20, -1e-20, 0.0], [-745.0, -746.0, -800.0],
              [710.0, 0.0, -710.0], [5.0]]
    arrays += [[float(v) for v in np.random.default_rng(13).normal(0, 30, 17)]]
    rows = []
    for a in arrays:
        rows.append([a, to_float(mp.log(mp.fsum(mp.exp(mp.mpf(v)) for v in a)))])
    rows += [[[], -INF], [['-Infinity', '-Infinity'], -INF], [['Infinity', 0.0], INF], [['NaN', 0.0], NAN],
             [['Infinity', 'NaN'], NAN], [['-Infinity', 3.0], 3.0]]
    out['logSumExp'] = rows

    pairs = [(0.0, 0.0), (1000.0, -1000.0), (-1e-20, -1e-20), (-745.0, -746.0), (3.0, -40.0), (-40.0, 3.0)]
    out['logAddExp'] = [[a, b, to_float(mp.log(mp.exp(a) + mp.exp(b)))] for a, b in pairs] + [
        [-INF, 2.0, 2.0], [INF, 2.0, INF], [-INF, -INF, -INF], [NAN, 1.0, NAN]]
    xs = [-1e-300, -1e-20, -1e-10, -0.1, -0.6931471805599453, -0.7, -1, -5, -40, -745, -800]
    out['log1mExp'] = [[x, to_float(mp.log(-mp.expm1(mp.mpf(x))))] for x in xs] + [
        [0.0, -INF], [-INF, 0.0], [0.5, NAN], [NAN, NAN]]
    pairs = [(0.0, -1e-20), (1000.0, 999.0), (-745.0, -746.0), (3.0, -40.0), (1.0, 0.5)]
    out['logSubExp'] = [[a, b, to_float(mp.log(mp.exp(a) - mp.exp(b)))] for a, b in pairs] + [
        [2.0, -INF, 2.0], [2.0, 2.0, -INF], [1.0, 2.0, NAN], [INF, INF, NAN], [INF, 1.0, INF]]

    # truncated normal
    def phi_tail_mass(a, b):
        # Phi(b) - Phi(a) in mpmath, computed on the side where both are small
        a, b = mp.mpf(a), mp.mpf(b)
        if a >= 0:
            return mp_ncdf(-a) - mp_ncdf(-b)
        return mp_ncdf(b) - mp_ncdf(a)

    mass_cases = [(-1, 1), (0, INF), (-INF, 0), (-INF, INF), (10, 12), (-12, -10), (-1e3, -999), (999, 1e3),
                  (35, 40), (-40, -35), (0.5, 0.5 + 1e-6), (-1e-12, 1e-12), (-40, 40), (-3, 0.1), (-0.1, 38),
                  (2, INF), (-INF, -30), (-30, -30)]
    rows = []
    for a, b in mass_cases:
        with mp.workdps(80):
            m = phi_tail_mass(a, b)
            rows.append([a, b, to_float(mp.log(m)) if m > 0 else -INF])
    rows += [[1.0, 0.0, NAN], [NAN, 1.0, NAN]]
    out['logGaussMass'] = rows

    dists = [  # mu, sigma, low, high
        (0.0, 1.0, -1.0, 1.0), (0.3, 0.05, 0.0, 1.0), (0.0, 1.0, 10.0, 12.0), (0.0, 1.0, -12.0, -10.0),
        (0.0, 1.0, -1e3, -999.0), (0.0, 1.0, 999.0, 1e3), (5.0, 0.1, 0.0, 1.0), (-2.0, 0.5, 0.0, INF),
        (0.0, 2.0, -INF, INF), (1.0, 1e-3, 0.0, 0.999), (0.5, 10.0, 0.0, 1.0), (0.0, 1.0, 35.0, 40.0),
    ]
    pdf_rows = []
    ppf_rows = []
    for mu, sigma, low, high in dists:
        M, S = mp.mpf(mu), mp.mpf(sigma)
        with mp.workdps(80):
            a = (low - M) / S if math.isfinite(low) else -mp.inf
            b = (high - M) / S if math.isfinite(high) else mp.inf
            mass = phi_tail_mass(a, b)
            lo_f = low if math.isfinite(low) else min(high, mu) - 20 * sigma
            hi_f = high if math.isfinite(high) else max(low, mu) + 20 * sigma
            xs = [lo_f + (hi_f - lo_f) * t for t in (0.0, 1e-9, 0.01, 0.3, 0.5, 0.77, 0.999, 1.0)]
            xs += [low - 1.0 if math.isfinite(low) else -INF, high + 1.0 if math.isfinite(high) else INF]
            for x in xs:
                if not (low <= x <= high):
                    pdf_rows.append([x, mu, sigma, low, high, -INF, 0.0 if x < low else 1.0])
                    continue
                z = (mp.mpf(x) - M) / S
                logpdf = -z * z / 2 - mp.log(2 * mp.pi) / 2 - mp.log(S) - mp.log(mass)
                cdf = phi_tail_mass(a, z) / mass
                pdf_rows.append([x, mu, sigma, low, high, to_float(logpdf), to_float(cdf)])

            def cdf_at(z):
                return phi_tail_mass(a, z) / mass

            za = a if mp.isfinite(a) else min(b, 0) - 60
            zb = b if mp.isfinite(b) else max(a, 0) + 60
            for q in (1e-300, 1e-12, 0.001, 0.1, 0.5, 0.9, 0.999, 1 - 1e-12):
                lo, hi = mp.mpf(za), mp.mpf(zb)
                for _ in range(400):
                    mid = (lo + hi) / 2
                    if cdf_at(mid) < q:
                        lo = mid
                    else:
                        hi = mid
                ppf_rows.append([q, mu, sigma, low, high, to_float(M + S * (lo + hi) / 2)])
            ppf_rows.append([0.0, mu, sigma, low, high, low])
            ppf_rows.append([1.0, mu, sigma, low, high, high])
    pdf_rows += [[0.5, 0.0, -1.0, 0.0, 1.0, NAN, NAN], [0.5, 0.0, 1.0, 1.0, 0.0, NAN, NAN],
                 [NAN, 0.0, 1.0, 0.0, 1.0, NAN, NAN]]
    ppf_rows += [[1.5, 0.0, 1.0, 0.0, 1.0, NAN], [NAN, 0.0, 1.0, 0.0, 1.0, NAN], [0.5, 0.0, 0.0, 0.0, 1.0, NAN]]
    out['truncnorm'] = pdf_rows  # [x, mu, sigma, low, high, logpdf, cdf]
    out['truncnormPpf'] = ppf_rows  # [q, mu, sigma, low, high, ppf]
    return out


# ---------------------------------------------------------------------------------------------
# linalg
# ---------------------------------------------------------------------------------------------


def matern52(X, ls):
    d = np.sqrt(np.maximum(((X[:, None, :] - X[None, :, :]) ** 2 / ls ** 2).sum(-1), 0))
    return (1 + math.sqrt(5) * d + 5 / 3 * d * d) * np.exp(-math.sqrt(5) * d)


def linalg_fixture():
    rng = np.random.default_rng(21)
    cases = []

    def spd_case(name, A, m=3):
        n = A.shape[0]
        b = rng.normal(size=n)
        B = rng.normal(size=(n, m))
        L = np.linalg.cholesky(A)
        sign, logdet = np.linalg.slogdet(A)
        assert sign > 0
        cases.append({
            'name': name, 'n': n, 'm': m, 'a': A.reshape(-1), 'l': L.reshape(-1), 'b': b,
            'x': np.linalg.solve(A, b), 'bm': B.reshape(-1), 'xm': np.linalg.solve(A, B).reshape(-1),
            'logdet': logdet,
        })

    G = rng.normal(size=(6, 6))
    spd_case('random 6x6', G @ G.T + 6 * np.eye(6))
    spd_case('1x1', np.array([[4.0]]), m=2)
    X = rng.uniform(size=(40, 3))
    spd_case('Matern 40x40 + 1e-6 I', matern52(X, np.array([0.3, 0.5, 1.0])) + 1e-6 * np.eye(40))
    H = np.array([[1 / (i + j + 1) for j in range(8)] for i in range(8)])  # Hilbert, cond ~ 1.5e10
    spd_case('Hilbert 8x8', H, m=1)

    # semi-definite: kernel matrices of inputs with duplicate rows (singular, needs jitter)
    Xd = rng.uniform(size=(7, 2))
    Xd[3] = Xd[1]
    Xd[6] = Xd[1]
    semi = [
        {'name': 'Matern with duplicate points', 'n': 7, 'a': matern52(Xd, np.array([0.4, 0.7])).reshape(-1)},
        {'name': 'all ones 5x5', 'n': 5, 'a': np.ones(25)},
        {'name': 'zero 3x3', 'n': 3, 'a': np.zeros(9)},
    ]
    indefinite = [
        {'name': '[[1, 2], [2, 1]]', 'n': 2, 'a': [1.0, 2.0, 2.0, 1.0]},
        {'name': 'negative diagonal', 'n': 3, 'a': np.diag([1.0, -1.0, 1.0]).reshape(-1)},
    ]
    return {'spd': cases, 'semidefinite': semi, 'indefinite': indefinite}


# ---------------------------------------------------------------------------------------------
# optim
# ---------------------------------------------------------------------------------------------


def lbfgsb_fixture():
    from scipy.optimize import minimize, rosen, rosen_der

    def beale(x):
        a = 1.5 - x[0] + x[0] * x[1]
        b = 2.25 - x[0] + x[0] * x[1] ** 2
        c = 2.625 - x[0] + x[0] * x[1] ** 3
        f = a * a + b * b + c * c
        g = np.array([
            2 * a * (x[1] - 1) + 2 * b * (x[1] ** 2 - 1) + 2 * c * (x[1] ** 3 - 1),
            2 * a * x[0] + 4 * b * x[0] * x[1] + 6 * c * x[0] * x[1] ** 2,
        ])
        return f, g

    rng = np.random.default_rng(31)
    G = rng.normal(size=(8, 8))
    A = G @ G.T + 0.5 * np.eye(8)
    bvec = rng.normal(size=8) * 5

    def quad(x):
        return 0.5 * x @ A @ x - bvec @ x, A @ x - bvec

    inf = np.inf
    problems = [
        ('rosen', 'Rosenbrock 2-d, unbounded', [-1.2, 1.0], [-inf, -inf], [inf, inf]),
        ('rosen', 'Rosenbrock 10-d, unbounded', [0.0] * 10, [-inf] * 10, [inf] * 10),
        ('rosen', 'Rosenbrock 2-d, optimum on the bound x0 = 0.5', [-1.2, 1.0], [-2, -2], [0.5, 2]),
        ('rosen', 'Rosenbrock 5-d, x2 <= 0.7', [0.0] * 5, [-2] * 5, [2, 2, 0.7, 2, 2]),
        ('rosen', 'Rosenbrock 30-d, even coordinates <= 0.9, odd >= -0.5',
         [0.1] * 30, [-inf if i % 2 == 0 else -0.5 for i in range(30)], [0.9 if i % 2 == 0 else inf for i in range(30)]),
        ('beale', 'Beale, unbounded', [1.0, 1.0], [-inf, -inf], [inf, inf]),
        ('beale', 'Beale in [-4.5, 2.5] x [-4.5, 0.3]', [1.0, 0.0], [-4.5, -4.5], [2.5, 0.3]),
        ('quad', 'SPD quadratic, mixed finite/infinite bounds and a fixed variable', [0.0] * 8,
         [-1, -inf, 0, -0.5, -inf, 0.25, -2, -inf], [1, 0.5, inf, 0.5, inf, 0.25, 2, 0.1]),
    ]
    out = []
    for kind, name, x0, lo, hi in problems:
        if kind == 'rosen':
            fun = lambda x: (rosen(x), rosen_der(x))  # noqa: E731
        elif kind == 'beale':
            fun = beale
        else:
            fun = quad
        res = minimize(fun, np.array(x0, dtype=float), jac=True, method='L-BFGS-B', bounds=list(zip(lo, hi)),
                       options={'ftol': 1e-15, 'gtol': 1e-11, 'maxiter': 20000, 'maxfun': 20000})
        out.append({'kind': kind, 'name': name, 'x0': x0, 'lower': lo, 'upper': hi, 'x': res.x, 'f': float(res.fun),
                    'success': bool(res.success), 'nit': int(res.nit)})
    return {'problems': out, 'quadA': A.reshape(-1), 'quadB': bvec}


# ---------------------------------------------------------------------------------------------
# gp
# ---------------------------------------------------------------------------------------------


def gp_fixture():
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    rng = np.random.default_rng(41)

    def sk_kernel(ils, signal, noise, ls_bounds=(1e-8, 1e8)):
        ls = 1 / np.sqrt(np.asarray(ils, dtype=float))
        return (ConstantKernel(signal, constant_value_bounds=(1e-8, 1e8))
                * Matern(length_scale=ls, nu=2.5, length_scale_bounds=ls_bounds)
                + WhiteKernel(noise, noise_level_bounds=(1e-8, 1e8)))

    def case(name, X, y, ils, signal, noise, Xt):
        n, d = X.shape
        kernel = sk_kernel(ils, signal, noise)
        gpr = GaussianProcessRegressor(kernel=kernel, alpha=0.0, optimizer=None, normalize_y=False).fit(X, y)
        # kernel.theta = [log signal, log length_scale_1..d, log noise]; length_scale = ils^(-1/2).
        lml, grad = gpr.log_marginal_likelihood(gpr.kernel_.theta, eval_gradient=True)
        grad_ours = np.concatenate([-0.5 * grad[1:1 + d], [grad[0]], [grad[1 + d]]])
        K = gpr.kernel_.k1(X)  # signal * Matern, no noise
        Kt = gpr.kernel_.k1(Xt, X)
        mean, std = gpr.predict(Xt, return_std=True)
        var_latent = np.maximum(std ** 2 - noise, 0.0)
        return {
            'name': name, 'n': n, 'd': d, 'X': X.reshape(-1), 'y': y, 'ils': ils, 'signal': signal, 'noise': noise,
            'K': K.reshape(-1), 'm': Xt.shape[0], 'Xt': Xt.reshape(-1), 'Kt': Kt.reshape(-1), 'lml': float(lml),
            'grad': grad_ours, 'mean': mean, 'variance': var_latent,
        }

    cases = []
    X = rng.uniform(size=(8, 2))
    y = np.sin(6 * X[:, 0]) + X[:, 1] ** 2
    y = (y - y.mean()) / y.std()
    cases.append(case('8 points in 2-d', X, y, [4.0, 0.5], 1.3, 0.05, rng.uniform(size=(6, 2))))
    X = rng.uniform(size=(1, 3))
    cases.append(case('a single point in 3-d', X, np.array([0.7]), [1.0, 2.0, 3.0], 1.0, 1e-2, rng.uniform(size=(4, 3))))
    X = rng.uniform(size=(6, 2))
    X[4] = X[1]
    X[5] = X[1]
    y = rng.normal(size=6)
    cases.append(case('duplicate points, tiny noise', X, y, [2.0, 3.0], 0.9, 1e-6, np.vstack([X[1:2], rng.uniform(size=(3, 2))])))
    X = rng.uniform(size=(5, 1))
    cases.append(case('constant y', X, np.full(5, 2.0), [10.0], 1.0, 1e-3, rng.uniform(size=(3, 1))))
    X = rng.uniform(size=(25, 5))
    y = np.cos(3 * X).sum(1) + 0.1 * rng.normal(size=25)
    y = (y - y.mean()) / y.std()
    ils = list(10 ** rng.uniform(-1, 1.5, 5))
    cases.append(case('25 points in 5-d', X, y, ils, 0.7, 1e-3, rng.uniform(size=(7, 5))))

    # Maximum likelihood (no prior) by scikit-learn's own L-BFGS-B from the same start, for comparison.
    fits = []
    for c in (cases[0], cases[4]):
        Xc = np.array(c['X']).reshape(c['n'], c['d'])
        yc = np.array(c['y'])
        # the same bounds as fitKernelParams' defaults: ils in [1e-4, 1e4], signal in [1e-4, 1e4],
        # noise in [1e-6, 1e2]
        kernel = (ConstantKernel(1.0, constant_value_bounds=(1e-4, 1e4))
                  * Matern(length_scale=np.ones(c['d']), nu=2.5, length_scale_bounds=(1e-2, 1e2))
                  + WhiteKernel(1e-2, noise_level_bounds=(1e-6, 1e2)))
        gpr = GaussianProcessRegressor(kernel=kernel, alpha=0.0, normalize_y=False, n_restarts_optimizer=0).fit(Xc, yc)
        k = gpr.kernel_
        fits.append({'name': c['name'], 'lml': float(gpr.log_marginal_likelihood_value_),
                     'ils': 1 / np.asarray(k.k1.k2.length_scale) ** 2, 'signal': float(k.k1.k1.constant_value),
                     'noise': float(k.k2.noise_level)})
    return {'cases': cases, 'fits': fits}


def main():
    if '--erfcx-coefficients' in sys.argv:
        for c in erfcx_chebyshev_coefficients():
            print(repr(c) + ',')
        return
    write('special', 'special.json', special_fixture())
    write('linalg', 'linalg.json', linalg_fixture())
    write('optim', 'lbfgsb.json', lbfgsb_fixture())
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # scikit-learn warns about parameters close to their bounds
        write('gp', 'gp.json', gp_fixture())


if __name__ == '__main__':
    main()
