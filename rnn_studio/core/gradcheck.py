"""The gradient check: every backpropagated entry against a central difference.

For each entry θ of every parameter (file order), then of s_0 (and c_0 for the LSTM):
numeric = (L(θ+ε) − L(θ−ε)) / 2ε. The perturbed losses come from the lean forward
(fused_forward.forward_loss), which keeps no trace, so a check of a few hundred entries
stays quick.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .backward import backprop
from .cells import Params
from .fused_forward import forward_loss
from .trace import ModelSpec, run


@dataclass(frozen=True)
class CheckRow:
    """One entry: its backpropagated and its numerical derivative."""

    name: str  # "W", "b", "initial_state", ...
    index: tuple[int, ...]  # (i, j) or (i,)
    backprop: float
    numeric: float  # (L(θ+ε) − L(θ−ε)) / 2ε
    relative: float  # |a − b| / max(|a|, |b|); 0 when both are 0


def relative_difference(a: float, b: float) -> float:
    scale = max(abs(a), abs(b))
    if scale == 0:
        return 0.0
    with np.errstate(all="ignore"):
        return float(np.float64(abs(a - b)) / scale)


def gradient_check(
    spec: ModelSpec,
    params: Params,
    inputs: np.ndarray,
    targets: np.ndarray,
    initial_state: np.ndarray | None = None,
    initial_cell: np.ndarray | None = None,
    eps: float = 1e-6,
) -> list[CheckRow]:
    """Every entry of every parameter, then s_0 (and c_0), as rows."""
    trace = run(spec, params, inputs, targets, initial_state, initial_cell)
    totals = backprop(trace).totals
    values: dict[str, np.ndarray] = {ps.name: trace.params[ps.name] for ps in spec.param_specs()}
    values["initial_state"] = trace.states[0]
    if spec.has_cell_state:
        values["initial_cell"] = trace.cells[0]
    x, y = trace.inputs, trace.targets

    def loss(name: str, value: np.ndarray) -> float:
        p = dict(values)
        p[name] = value
        with np.errstate(all="ignore"):
            got = forward_loss(spec, p, x, y, p["initial_state"], p.get("initial_cell"))
        return 0.0 if got is None else got

    rows = []
    for name, index in _entries(values):
        up, down = values[name].copy(), values[name].copy()
        up[index] += eps
        down[index] -= eps
        with np.errstate(all="ignore"):
            numeric = float((loss(name, up) - loss(name, down)) / (2 * eps))
        analytic = float(totals[name][index])
        rows.append(
            CheckRow(name, index, analytic, numeric, relative_difference(analytic, numeric))
        )
    return rows


def _entries(values: dict[str, np.ndarray]) -> Iterator[tuple[str, tuple[int, ...]]]:
    for name, value in values.items():
        for index in np.ndindex(value.shape):
            yield name, tuple(int(i) for i in index)
