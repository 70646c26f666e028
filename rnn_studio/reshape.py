"""Carrying a model's weights over a change of its shape (d inputs, k targets, h units).

Every weight that still has a place keeps its value; a new unit gets seeded weights of
its own; a new linear readout starts as ŷ = s, so that nothing the learner sees jumps.
"""

from __future__ import annotations

import numpy as np

from .core import ModelSpec
from .core.initial import initial_params


def carried_params(
    old_spec: ModelSpec,
    new_spec: ModelSpec,
    old_params: dict[str, np.ndarray],
    old_state: np.ndarray,
    old_cell: np.ndarray,
    dropped_input: int | None = None,
    dropped_target: int | None = None,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """(params, s₀, c₀) of ``new_spec`` from those of ``old_spec``.

    ``dropped_input`` / ``dropped_target``: the column removed (its weights go with it).
    """
    d0, h0, d1, h1 = old_spec.d, old_spec.h, new_spec.d, new_spec.h
    fresh = initial_params(new_spec, seed=0)
    params: dict[str, np.ndarray] = {}
    for ps in new_spec.param_specs():
        old = old_params.get(ps.name)
        if old is None:
            if ps.name == "V":  # a new linear readout starts as ŷ = s, so nothing jumps
                params[ps.name] = np.eye(*ps.shape)
            elif ps.gate == "readout":
                params[ps.name] = np.zeros(ps.shape)
            else:
                params[ps.name] = fresh[ps.name]
            continue
        a = np.zeros(ps.shape)
        if ps.gate == "readout":  # V: k × h, c: k
            src = old
            if dropped_target is not None:
                src = np.delete(src, dropped_target, axis=0)
            rows = min(src.shape[0], a.shape[0])
            if ps.kind == "matrix":
                cols = min(src.shape[1], a.shape[1])
                a[:rows, :cols] = src[:rows, :cols]
            else:
                a[:rows] = src[:rows]
        elif ps.kind == "matrix":  # h × (d + h): an input block and a state block
            x_part, s_part = old[:, :d0], old[:, d0:]
            if dropped_input is not None:
                x_part = np.delete(x_part, dropped_input, axis=1)
            rows = min(h0, h1)
            xd = min(x_part.shape[1], d1)
            a[:rows, :xd] = x_part[:rows, :xd]
            sh = min(h0, h1)
            a[:rows, d1 : d1 + sh] = s_part[:rows, :sh]
            # A new unit gets seeded weights of its own, or it would never learn (its
            # state and every gradient through it would stay 0). Old units do not read
            # it (their new columns stay 0), so every output stays what it was.
            a[rows:] = fresh[ps.name][rows:]
        else:
            n = min(old.shape[0], ps.shape[0])
            a[:n] = old[:n]
            a[n:] = fresh[ps.name][n:]
        params[ps.name] = a
    s0 = np.zeros(h1)
    c0 = np.zeros(h1)
    m = min(h0, h1)
    s0[:m] = old_state[:m]
    c0[:m] = old_cell[:m]
    return params, s0, c0
