"""Talk to ``tunekit run`` from a Python training script.

One file, standard library only: copy it next to your script, or add this folder to
``sys.path``. ``tunekit run`` starts your script once per trial; the script reads its
parameters, prints intermediate values and prints its final result::

    import tunekit_protocol as tk

    params = tk.params()                  # {"lr": 0.001, "optimizer": "adam", ...}
    for epoch in range(epochs):
        val_acc = train_one_epoch(...)
        tk.report(val_acc, step=epoch)    # the pruner may stop the trial here (SIGTERM)
    tk.result(val_acc)                    # or tk.result([acc, latency]) for several objectives

What goes over the wire (stdout, one line each; documented in ``tunekit run --help``)::

    tunekit:report {"step": 3, "value": 0.91}
    tunekit:result {"value": 0.93}
    tunekit:attrs {"epochs": 12}

Outside ``tunekit run`` the functions still work: ``params()`` returns the defaults you pass,
and the protocol lines are printed for you to read.
"""

from __future__ import annotations

import json
import math
import os
import sys
from typing import Any, Dict, Mapping, Optional, Sequence, Union

__all__ = [
    "params",
    "report",
    "result",
    "attrs",
    "trial_number",
    "study_name",
    "is_running_under_tunekit",
]

Number = Union[int, float]


def _emit(word: str, payload: Mapping[str, Any]) -> None:
    # allow_nan: a NaN is written as NaN, which tunekit reads and turns into a failed trial with
    # that reason (rather than a crash of the script or a silent null).
    line = "tunekit:%s %s\n" % (word, json.dumps(payload, allow_nan=True, separators=(", ", ": ")))
    # One write and a flush, so that the line arrives whole and at once even when stdout is a pipe.
    sys.stdout.write(line)
    sys.stdout.flush()


def is_running_under_tunekit() -> bool:
    """Whether ``tunekit run`` started this process."""
    return "TUNEKIT_TRIAL_NUMBER" in os.environ


def params(defaults: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """The trial's parameters (from ``$TUNEKIT_PARAMS_FILE``), over ``defaults``.

    Parameters that a condition made inactive are absent; use ``.get(name, default)``.
    """
    out: Dict[str, Any] = dict(defaults or {})
    path = os.environ.get("TUNEKIT_PARAMS_FILE")
    if path:
        with open(path, encoding="utf-8") as f:
            out.update(json.load(f))
    return out


def trial_number() -> Optional[int]:
    """The trial's number in its study, or None outside ``tunekit run``."""
    n = os.environ.get("TUNEKIT_TRIAL_NUMBER")
    return int(n) if n is not None else None


def study_name() -> Optional[str]:
    """The study's name, or None outside ``tunekit run``."""
    return os.environ.get("TUNEKIT_STUDY")


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        # numpy and torch scalars: float() them.
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise TypeError("%s must be a number, got %r" % (what, value)) from None
    return float(value)


def report(value: Number, step: int) -> None:
    """Reports an intermediate value (the validation metric after epoch ``step``).

    The pruner reads it; when it decides to stop the trial, ``tunekit run`` sends SIGTERM to the
    whole process group (SIGKILL after a grace period). Handle SIGTERM if you want to clean up.
    """
    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        raise ValueError("step must be an integer >= 0, got %r" % (step,))
    _emit("report", {"step": step, "value": _number(value, "value")})


def result(value: Union[Number, Sequence[Number], Mapping[str, Number]]) -> None:
    """Reports the final result: a number, a list (one per objective) or {metric name: value}."""
    if isinstance(value, Mapping):
        _emit("result", {"values": {str(k): _number(v, "value of %s" % k) for k, v in value.items()}})
    elif isinstance(value, (list, tuple)):
        _emit("result", {"values": [_number(v, "value") for v in value]})
    else:
        _emit("result", {"value": _number(value, "value")})


def attrs(**values: Any) -> None:
    """Stores user attributes on the trial (any JSON values), e.g. ``attrs(epochs=12)``."""
    for k, v in values.items():
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError("attribute %s is %r, which JSON cannot store" % (k, v))
    _emit("attrs", values)
