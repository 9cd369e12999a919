#!/usr/bin/env python3
"""Writes scikit-learn reference values for the small models of src/ml/models/:

- src/ml/models/__fixtures__/logistic-regression.json: LogisticRegression on the standardised
  iris (multinomial) and breast-cancer (binary) data of data/, penalty l2 (solver lbfgs) and l1
  (solver saga, multinomial), for several C, solved to tight tolerances: coefficients, intercepts
  (centred over the classes for the multinomial model), training accuracy, number of non-zero
  weights, the first probabilities and the objective (1/n)·Σ log-loss + P(W)/(n·C).
- src/ml/models/__fixtures__/k-nearest-neighbors.json: KNeighborsClassifier (brute force)
  predictions and probabilities on a fixed split (test rows: index % 4 == 0) of the standardised
  breast-cancer and iris data, for several k, weights and p.

Run with: /usr/bin/python3 scripts/gen-model-fixtures.py
"""

import gzip
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..')
OUT = os.path.join(ROOT, 'src', 'ml', 'models', '__fixtures__')

warnings.filterwarnings('ignore')


def load(name):
    path = os.path.join(ROOT, 'data', name)
    opener = gzip.open if name.endswith('.gz') else open
    with opener(path, 'rt') as f:
        lines = [line for line in f.read().split('\n') if line.strip()]
    rows = np.array([[float(v) for v in line.split(',')] for line in lines[1:]])
    return rows[:, :-1], rows[:, -1].astype(int)


def objective(model, x, y, penalty, c):
    p = model.predict_proba(x)
    n = len(y)
    loss = -np.log(p[np.arange(n), y]).sum() / n
    w = model.coef_
    pen = 0.5 * (w * w).sum() if penalty == 'l2' else np.abs(w).sum()
    return loss + pen / (n * c)


def logistic_cases():
    cases = []
    for data_name, file_name in [('iris', 'iris.csv'), ('breastCancer', 'breast_cancer.csv.gz')]:
        x, y = load(file_name)
        x = StandardScaler().fit_transform(x)
        cs = [0.01, 0.1, 1.0, 10.0, 100.0] if data_name == 'iris' else [0.1, 1.0]
        for penalty in ['l2', 'l1']:
            for c in cs:
                solver = 'lbfgs' if penalty == 'l2' else 'saga'
                m = LogisticRegression(penalty=penalty, C=c, solver=solver, tol=1e-12, max_iter=200000)
                m.fit(x, y)
                intercept = m.intercept_.copy()
                if len(intercept) > 1:
                    intercept -= intercept.mean()
                cases.append(
                    {
                        'data': data_name,
                        'penalty': penalty,
                        'C': c,
                        'solver': solver,
                        'coef': m.coef_.tolist(),
                        'intercept': intercept.tolist(),
                        'accuracy': float(m.score(x, y)),
                        'nonzero': int((np.abs(m.coef_) > 1e-8).sum()),
                        'proba': m.predict_proba(x[:5]).tolist(),
                        'objective': float(objective(m, x, y, penalty, c)),
                        'nIter': int(np.max(m.n_iter_)),
                    }
                )
    return cases


def knn_cases():
    cases = []
    for data_name, file_name in [('breastCancer', 'breast_cancer.csv.gz'), ('iris', 'iris.csv')]:
        x, y = load(file_name)
        test = np.arange(len(y)) % 4 == 0
        scaler = StandardScaler().fit(x[~test])
        xtr, xte = scaler.transform(x[~test]), scaler.transform(x[test])
        for k in [1, 5, 15]:
            for weights in ['uniform', 'distance']:
                for p in [1, 2]:
                    m = KNeighborsClassifier(n_neighbors=k, weights=weights, p=p, algorithm='brute')
                    m.fit(xtr, y[~test])
                    cases.append(
                        {
                            'data': data_name,
                            'k': k,
                            'weights': weights,
                            'p': p,
                            'predictions': m.predict(xte).tolist(),
                            'proba': m.predict_proba(xte).tolist(),
                        }
                    )
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = {'sklearn': sklearn.__version__, 'numpy': np.__version__}
    with open(os.path.join(OUT, 'logistic-regression.json'), 'w') as f:
        json.dump({**meta, 'cases': logistic_cases()}, f, indent=1)
    with open(os.path.join(OUT, 'k-nearest-neighbors.json'), 'w') as f:
        json.dump({**meta, 'cases': knn_cases()}, f)


if __name__ == '__main__':
    main()
