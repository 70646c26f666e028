"""Temporary: the contract's Backward over core/bptt.py, until core-backward lands."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from .core import Trace
from .core.bptt import backprop as _old_backprop


class Backward:
    def __init__(self, trace: Trace) -> None:
        g = _old_backprop(trace)
        self.trace = trace
        self.d_output = g.d_output
        self.d_state_from_output = g.d_state_from_output
        self.d_state_from_next = g.d_state_from_next
        self.d_state = g.d_state
        self.totals = g.totals
        self.contributions = g.contributions
        spec = trace.spec
        gates, pre = trace.gates, trace.pre
        ds = g.d_state
        if spec.cell == "rnn":
            from .core.cells import activation_slope

            slope = activation_slope(spec.activation, pre["z"], trace.states[1:])
            self.deltas = {"z": ds * slope}
            self.d_cell = None
        elif spec.cell == "lstm":
            i, f, gg, o = (gates[k] for k in "ifgo")
            tc = np.tanh(trace.cells[1:])
            dc = g.d_cell + ds * o * (1 - tc * tc)
            self.d_cell = dc
            self.deltas = {
                "i": dc * gg * i * (1 - i),
                "f": dc * trace.cells[:-1] * f * (1 - f),
                "g": dc * i * (1 - gg * gg),
                "o": ds * tc * o * (1 - o),
            }
        else:
            r, u, n = gates["r"], gates["z"], gates["n"]
            da_n = ds * (1 - u) * (1 - n * n)
            self.deltas = {
                "r": da_n * pre["nh"] * r * (1 - r),
                "z": ds * (trace.states[:-1] - n) * u * (1 - u),
                "n": da_n,
                "nh": da_n * r,
            }
            self.d_cell = None

    def contribution(self, t: int) -> dict[str, np.ndarray]:
        return {k: v[t - 1] for k, v in self.contributions.items()}

    def running_sum(self, t: int) -> dict[str, np.ndarray]:
        return {k: v[t - 1 :].sum(axis=0) for k, v in self.contributions.items()}

    @cached_property
    def state_norms(self) -> np.ndarray:
        return np.linalg.norm(self.d_state, axis=1)

    @cached_property
    def weight_shares(self) -> np.ndarray:
        names = [p.name for p in self.trace.spec.make_cell().param_specs() if p.kind == "matrix"]
        norms = sum(
            np.linalg.norm(self.contributions[n].reshape(self.trace.T, -1), axis=1) for n in names
        )
        total = norms.sum()
        return norms / total if total > 0 else np.zeros_like(norms)


def backprop(trace: Trace) -> Backward:
    return Backward(trace)
