#!/usr/bin/env python3
"""Writes src/ml/__fixtures__/metrics.json: scikit-learn reference values for src/ml/metrics.ts.

Cases: seeded random labels (binary, 3 and 5 classes, string labels, a class never predicted),
probabilities for log loss (binary and multiclass) and real targets for MSE/MAE/R², with the
value of every metric as sklearn.metrics computes it (zero_division=0 where it applies).

Run with: /usr/bin/python3 scripts/gen-metrics-fixtures.py
"""

import json
import os
import warnings

import numpy as np
import sklearn
from sklearn import metrics

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'ml', '__fixtures__', 'metrics.json')

warnings.filterwarnings('ignore')
rng = np.random.default_rng(20240611)


def py(labels):
    return [x.item() if hasattr(x, 'item') else x for x in labels]


def classification_case(name, y_true, y_pred, pos_label=1):
    labels = sorted(set(y_true) | set(y_pred))
    case = {
        'name': name,
        'yTrue': py(y_true),
        'yPred': py(y_pred),
        'accuracy': metrics.accuracy_score(y_true, y_pred),
        'labels': py(labels),
        'confusion': metrics.confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }
    averages = ['macro', 'micro', 'weighted'] + (['binary'] if len(labels) <= 2 else [])
    for avg in averages:
        kw = {'average': avg, 'zero_division': 0}
        if avg == 'binary':
            kw['pos_label'] = pos_label
            case['posLabel'] = pos_label
        case[avg] = {
            'precision': metrics.precision_score(y_true, y_pred, **kw),
            'recall': metrics.recall_score(y_true, y_pred, **kw),
            'f1': metrics.f1_score(y_true, y_pred, **kw),
            'f2': metrics.fbeta_score(y_true, y_pred, beta=2.0, **kw),
        }
    return case


cases = []
y = rng.integers(0, 2, 60)
p = np.where(rng.random(60) < 0.75, y, 1 - y)
cases.append(classification_case('binary', y.tolist(), p.tolist()))
cases.append(classification_case('binary, positive label 0', y.tolist(), p.tolist(), pos_label=0))
y = rng.integers(0, 3, 90)
p = np.where(rng.random(90) < 0.6, y, rng.integers(0, 3, 90))
cases.append(classification_case('three classes', y.tolist(), p.tolist()))
y = rng.integers(0, 5, 200)
p = np.where(rng.random(200) < 0.5, y, rng.integers(0, 5, 200))
cases.append(classification_case('five classes', y.tolist(), p.tolist()))
names = np.array(['cat', 'dog', 'emu', 'fox'])
y = names[rng.integers(0, 4, 50)]
p = np.where(rng.random(50) < 0.5, y, names[rng.integers(0, 3, 50)])
cases.append(classification_case('string labels', y.tolist(), p.tolist()))
y = rng.integers(0, 4, 40)
p = np.where(y == 3, 0, y)  # class 3 never predicted
cases.append(classification_case('a class never predicted', y.tolist(), p.tolist()))

log_loss_cases = []
y = rng.integers(0, 2, 30)
pr = rng.random(30)
log_loss_cases.append({'name': 'binary, one probability per sample', 'yTrue': y.tolist(), 'proba': pr.tolist(),
                       'value': metrics.log_loss(y, pr, labels=[0, 1])})
y = rng.integers(0, 4, 50)
pr = rng.dirichlet(np.ones(4), 50)
pr[0] = [1.0, 0.0, 0.0, 0.0]
y[0] = 1  # a zero probability for the true class: clipped
log_loss_cases.append({'name': 'four classes with a zero probability', 'yTrue': y.tolist(), 'proba': pr.tolist(),
                       'value': metrics.log_loss(y, pr, labels=[0, 1, 2, 3])})

regression_cases = []
for name, n in [('small', 8), ('large', 300)]:
    yt = rng.normal(3.0, 2.0, n)
    yp = yt + rng.normal(0, 1.0, n)
    regression_cases.append({'name': name, 'yTrue': yt.tolist(), 'yPred': yp.tolist(),
                             'mse': metrics.mean_squared_error(yt, yp), 'mae': metrics.mean_absolute_error(yt, yp),
                             'r2': metrics.r2_score(yt, yp)})

# searchCV: GridSearchCV of Ridge on iris (petal width from the other three features), unshuffled
# KFold(5), negated MSE; the TypeScript test runs the same search with a ridge estimator.
from sklearn.datasets import load_iris
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, KFold

iris = load_iris()
X, yr = iris.data[:, :3], iris.data[:, 3]
alphas = [0.01, 1.0, 10.0, 100.0, 1000.0]
gs = GridSearchCV(Ridge(), {'alpha': alphas}, cv=KFold(5), scoring='neg_mean_squared_error', refit=True).fit(X, yr)
search_cv = {
    'alphas': alphas,
    'meanTestScore': gs.cv_results_['mean_test_score'].tolist(),
    'stdTestScore': gs.cv_results_['std_test_score'].tolist(),
    'rank': gs.cv_results_['rank_test_score'].tolist(),
    'split0': gs.cv_results_['split0_test_score'].tolist(),
    'bestAlpha': gs.best_params_['alpha'],
    'bestCoef': gs.best_estimator_.coef_.tolist(),
    'bestIntercept': float(gs.best_estimator_.intercept_),
}

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    json.dump({'generator': 'scripts/gen-metrics-fixtures.py', 'sklearn': sklearn.__version__,
               'classification': cases, 'logLoss': log_loss_cases, 'regression': regression_cases,
               'searchCV': search_cv}, f, indent=1)
    f.write('\n')
print(f'wrote {OUT}: {len(cases)} classification, {len(log_loss_cases)} log-loss, {len(regression_cases)} regression cases')
