"""Reference values for TPE's Parzen estimator (src/samplers/tpe/parzen-estimator.ts).

An independent NumPy/SciPy implementation of the same estimator: neighbour-gap kernel widths
(bounds not counted for the outermost kernels), the magic clip at range / min(100, 1 + n), a prior
kernel at the centre with width = range and weight `prior_weight`, truncated normals on [lo, hi]
(masses of [x - step/2, x + step/2] for discrete dimensions), categorical histograms with
prior_weight / n spread over the choices.
Run with Debian's python3: /usr/bin/python3 scripts/gen-tpe-fixtures.py
"""
import json
import numpy as np
from scipy.stats import norm, truncnorm

OUT = "src/samplers/tpe/__fixtures__/parzen.json"


def sigmas(mus, lo, hi, n_kernels):
    order = np.argsort(mus, kind="stable")
    s = mus[order]
    ext = np.concatenate([[lo], s, [hi]])
    sig = np.maximum(ext[1:-1] - ext[:-2], ext[2:] - ext[1:-1])
    if len(s) >= 2:
        sig[0] = s[1] - s[0]
        sig[-1] = s[-1] - s[-2]
    out = np.empty_like(sig)
    out[order] = sig
    return np.clip(out, (hi - lo) / min(100.0, 1.0 + n_kernels), hi - lo)


def logpdf(dims, obs, weights, prior_weight, points):
    n_obs = len(obs)
    n = n_obs + 1
    w = np.append(weights, prior_weight)
    w = w / w.sum()
    total = np.tile(np.log(w), (len(points), 1))
    for j, dim in enumerate(dims):
        x = points[:, j][:, None]
        if dim["kind"] == "categorical":
            c = dim["nChoices"]
            table = np.full((n, c), prior_weight / n)
            table[np.arange(n_obs), obs[:, j].astype(int)] += 1
            table[:n_obs] /= table[:n_obs].sum(axis=1, keepdims=True)
            table[n_obs] = 1.0 / c
            total += np.log(table[:, points[:, j].astype(int)].T)
            continue
        lo, hi, step = dim["lo"], dim["hi"], dim["step"]
        mu = np.append(obs[:, j], 0.5 * (lo + hi)) if n_obs else np.array([0.5 * (lo + hi)])
        sg = np.append(sigmas(obs[:, j], lo, hi, n), hi - lo) if n_obs else np.array([hi - lo])
        a, b = (lo - mu) / sg, (hi - mu) / sg
        if step == 0:
            total += truncnorm.logpdf(x, a, b, loc=mu, scale=sg)
        else:
            mass = norm.cdf((x + step / 2 - mu) / sg) - norm.cdf((x - step / 2 - mu) / sg)
            total += np.log(mass) - np.log(norm.cdf(b) - norm.cdf(a))
    m = total.max(axis=1, keepdims=True)
    return (m + np.log(np.exp(total - m).sum(axis=1, keepdims=True)))[:, 0]


rng = np.random.default_rng(0)
cases = []
# 1: one continuous dimension, a few observations, uniform weights
dims = [{"kind": "numeric", "lo": 0.0, "hi": 1.0, "step": 0}]
obs = np.array([[0.1], [0.15], [0.7], [0.95]])
pts = np.array([[0.0], [0.12], [0.5], [0.99], [1.0]])
cases.append(("continuous-1d", dims, obs, np.ones(4), 1.0, pts))
# 2: mixed space: continuous (log-transformed bounds), discrete step, categorical; ramp weights
dims = [
    {"kind": "numeric", "lo": np.log(1e-5), "hi": np.log(1.0), "step": 0},
    {"kind": "numeric", "lo": 0.5, "hi": 6.5, "step": 1},
    {"kind": "categorical", "nChoices": 4},
]
obs = np.column_stack([rng.uniform(np.log(1e-5), 0, 30), rng.integers(1, 7, 30), rng.integers(0, 4, 30)]).astype(float)
w = np.concatenate([np.linspace(1 / 30, 1, 5), np.ones(25)])
pts = np.column_stack([rng.uniform(np.log(1e-5), 0, 8), rng.integers(1, 7, 8), rng.integers(0, 4, 8)]).astype(float)
cases.append(("mixed-3d", dims, obs, w, 1.0, pts))
# 3: no observations: only the prior kernel
dims = [{"kind": "numeric", "lo": -5.0, "hi": 10.0, "step": 0}]
cases.append(("prior-only", dims, np.zeros((0, 1)), np.zeros(0), 1.0, np.array([[-5.0], [2.5], [9.0]])))
# 4: duplicated observations and a point far in a kernel's tail
dims = [{"kind": "numeric", "lo": 0.0, "hi": 1.0, "step": 0}, {"kind": "numeric", "lo": 0.0, "hi": 1.0, "step": 0}]
obs = np.array([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.0, 1.0]])
cases.append(("duplicates", dims, obs, np.ones(4), 0.5, np.array([[0.5, 0.5], [1.0, 0.0], [0.25, 0.75]])))

out = []
for name, dims, obs, w, pw, pts in cases:
    out.append({
        "name": name, "dims": dims, "obs": obs.ravel().tolist(), "nObs": len(obs), "weights": list(map(float, w)),
        "priorWeight": pw, "points": pts.ravel().tolist(), "nPoints": len(pts),
        "logPdf": logpdf(dims, obs, np.asarray(w, float), pw, pts).tolist(),
    })
json.dump({"generator": "scripts/gen-tpe-fixtures.py", "cases": out}, open(OUT, "w"), indent=1)
print("wrote", OUT)
