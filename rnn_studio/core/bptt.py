"""Backward propagation through time, keeping every step's pieces.

A learner steps through the backward pass one timestep at a time, so besides the totals
this keeps, per step t: the error signal arriving at s_t (from its own output and from
step t+1), and that step's contribution to the gradient of every parameter. The
contributions sum over t to the totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .trace import Trace


@dataclass(frozen=True, eq=False)
class Gradients:
    """∂L/∂(everything) for one trace. Row t-1 of a per-step array belongs to step t."""

    #: ∂L/∂ŷ_t, zero where there is no target, (T, k)
    d_output: np.ndarray
    #: the part of ∂L/∂s_t that comes from step t's own output, (T, h)
    d_state_from_output: np.ndarray
    #: the part of ∂L/∂s_t that comes back from step t+1, (T, h); zero at t = T
    d_state_from_next: np.ndarray
    #: ∂L/∂s_t in total, the error signal arriving at step t, (T, h)
    d_state: np.ndarray
    #: ∂L/∂c_t in total for the LSTM, (T, h); None for other cells
    d_cell: np.ndarray | None
    #: per-step contribution to each parameter's gradient, name → (T, *shape)
    contributions: dict[str, np.ndarray]
    #: the gradient of every parameter (the sum of its contributions), plus
    #: "initial_state" and, for the LSTM, "initial_cell"
    totals: dict[str, np.ndarray]


def backprop(trace: Trace) -> Gradients:
    """Exact gradients of the trace's loss (zero everywhere if it has no targets)."""
    spec = trace.spec
    p = trace.params
    cell = spec.make_cell()
    T, h, k = trace.T, spec.h, spec.k
    count = trace.target_count

    with np.errstate(all="ignore"):
        if count:
            d_output = np.where(trace.mask, 2.0 * np.nan_to_num(trace.errors) / count, 0.0)
        else:
            d_output = np.zeros((T, k))
        contributions = {ps.name: np.zeros((T, *ps.shape)) for ps in spec.param_specs()}
        if spec.readout == "linear":
            d_from_output = d_output @ p["V"]
            contributions["V"][:] = d_output[:, :, None] * trace.states[1:, None, :]
            contributions["c"][:] = d_output
        else:
            d_from_output = d_output.copy()

        d_from_next = np.zeros((T, h))
        d_state = np.zeros((T, h))
        d_cell = np.zeros((T, h)) if spec.has_cell_state else None
        carry_state = np.zeros(h)
        carry_cell = np.zeros(h) if spec.has_cell_state else None
        for t in range(T, 0, -1):
            i = t - 1
            d_from_next[i] = carry_state
            d_state[i] = d_from_output[i] + carry_state
            c_prev = None if trace.cells is None else trace.cells[t - 1]
            if d_cell is not None:
                d_cell[i] = carry_cell
            grad = cell.backward(
                p,
                trace.inputs[i],
                trace.states[t - 1],
                c_prev,
                trace.step(t),
                d_state[i],
                carry_cell,
            )
            for name, g in grad.params.items():
                contributions[name][i] = g
            carry_state = grad.state_prev
            carry_cell = grad.cell_prev

        totals = {name: c.sum(axis=0) for name, c in contributions.items()}
        totals["initial_state"] = carry_state
        if spec.has_cell_state:
            totals["initial_cell"] = carry_cell
    return Gradients(
        d_output=d_output,
        d_state_from_output=d_from_output,
        d_state_from_next=d_from_next,
        d_state=d_state,
        d_cell=d_cell,
        contributions=contributions,
        totals=totals,
    )
