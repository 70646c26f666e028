"""An independent reference implementation of spec/model.md, for the tests only.

Written from the spec, not from ``rnn_studio.core``, and in a deliberately different
style so that a shared bug is unlikely:

* parameters are first rearranged into PyTorch's stacked layout (``w_ih``, ``w_hh``,
  ``b_ih``, ``b_hh``, gates stacked in PyTorch's order), exactly as the spec's
  "PyTorch mapping" paragraphs say, and the cells are then written as PyTorch
  documents them;
* everything is plain Python: nested lists, one scalar at a time, ``cmath``;
* every number is complex, so that gradients come from the complex-step method:
  perturb one parameter by ``1e-30j`` and read ``Im(L) / 1e-30``. For a function that
  is analytic this is exact to machine precision (there is no subtraction), and it
  shares nothing with rnn_studio's backward propagation through time. ``relu`` picks
  its branch from the real part, which is the derivative a program uses anyway.

The public functions take and return plain numbers (nested lists or numpy arrays in,
numpy arrays out) so the tests can compare with rnn_studio directly.
"""

from __future__ import annotations

import cmath
import copy
import math
from dataclasses import dataclass

import numpy as np

STEP = 1e-30  # the complex step

# -- scalar functions ------------------------------------------------------------------


def _sigmoid(z: complex) -> complex:
    # Two algebraically equal forms; each only ever exponentiates a non-positive real part.
    if z.real >= 0:
        return 1.0 / (1.0 + cmath.exp(-z))
    e = cmath.exp(z)
    return e / (1.0 + e)


def _relu(z: complex) -> complex:
    return z if z.real > 0 else 0j


def _identity(z: complex) -> complex:
    return z


PHI = {"tanh": cmath.tanh, "relu": _relu, "sigmoid": _sigmoid, "identity": _identity}

GATE_ORDER = {"rnn": ("z",), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}


def _c(value) -> complex:
    return complex(value)


def _clist(a) -> list:
    """Nested Python lists of complex numbers from any nested sequence or array."""
    if isinstance(a, np.ndarray):
        a = a.tolist()
    if isinstance(a, list | tuple):
        return [_clist(e) for e in a]
    return _c(a)


def _is_blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


# -- PyTorch's layout ------------------------------------------------------------------


@dataclass
class TorchLayout:
    """One layer's weights as torch.nn.RNN/LSTM/GRU hold them (complex lists)."""

    w_ih: list  # (G·h) × d
    w_hh: list  # (G·h) × h
    b_ih: list  # G·h
    b_hh: list  # G·h


def to_torch_layout(cell: str, params: dict, d: int, h: int) -> TorchLayout:
    """Stack the spec's per-gate matrices the way spec/model.md's PyTorch mapping says."""
    p = {name: _clist(v) for name, v in params.items()}
    if cell == "rnn":
        names = [("W", "b")]
    elif cell == "lstm":
        names = [(f"W_{g}", f"b_{g}") for g in ("i", "f", "g", "o")]
    elif cell == "gru":
        names = [(f"W_{g}", f"b_{g}") for g in ("r", "z", "n")]
    else:
        raise ValueError(cell)
    w_ih, w_hh, b_ih, b_hh = [], [], [], []
    for w_name, b_name in names:
        for row in range(h):
            w_ih.append(p[w_name][row][:d])
            w_hh.append(p[w_name][row][d:])
            b_ih.append(p[b_name][row])
            b_hh.append(0j)
    if cell == "gru":  # bias_hh = [0; 0; b_nh]
        for row in range(h):
            b_hh[2 * h + row] = p["b_nh"][row]
    return TorchLayout(w_ih, w_hh, b_ih, b_hh)


def _affine(layout: TorchLayout, x: list, s: list, row: int, with_hidden: bool = True) -> complex:
    """Row ``row`` of W_ih·x + b_ih (+ W_hh·s + b_hh), summed one product at a time."""
    total = layout.b_ih[row]
    for col, xv in enumerate(x):
        total += layout.w_ih[row][col] * xv
    if with_hidden:
        total += layout.b_hh[row]
        for col, sv in enumerate(s):
            total += layout.w_hh[row][col] * sv
    return total


def _hidden_part(layout: TorchLayout, s: list, row: int) -> complex:
    total = layout.b_hh[row]
    for col, sv in enumerate(s):
        total += layout.w_hh[row][col] * sv
    return total


# -- the forward pass ------------------------------------------------------------------


@dataclass
class Result:
    """Everything per step, complex; row t-1 belongs to step t, as in rnn_studio."""

    pre: dict  # gate name -> T lists of h (gru also "nh": W_ns·s + b_nh)
    gates: dict  # lstm i f g o, gru r z n; rnn none
    states: list  # T+1 lists of h; states[0] = s_0
    cells: list | None  # lstm: T+1 lists of h
    outputs: list  # T lists of k
    errors: list  # T lists of k, None where there is no target
    loss: complex | None

    def real(self, name: str) -> np.ndarray:
        value = getattr(self, name)
        return _real(value)

    def real_dict(self, name: str) -> dict[str, np.ndarray]:
        return {key: _real(v) for key, v in getattr(self, name).items()}


def _real(value):
    if value is None:
        return None
    if isinstance(value, list):
        rows = [_real(v) if isinstance(v, list) else _real_scalar(v) for v in value]
        return np.array(rows, dtype=np.float64)
    return value.real


def _real_scalar(v: complex | None) -> float:
    return math.nan if v is None else v.real


def _rnn_step(layout, activation, x, s, c, h):
    phi = PHI[activation]
    z = [_affine(layout, x, s, j) for j in range(h)]
    return {"z": z}, {}, [phi(v) for v in z], None


def _lstm_step(layout, activation, x, s, c, h):
    a = [_affine(layout, x, s, row) for row in range(4 * h)]
    pre = {g: a[n * h : (n + 1) * h] for n, g in enumerate(("i", "f", "g", "o"))}
    gates = {
        "i": [_sigmoid(v) for v in pre["i"]],
        "f": [_sigmoid(v) for v in pre["f"]],
        "g": [cmath.tanh(v) for v in pre["g"]],
        "o": [_sigmoid(v) for v in pre["o"]],
    }
    new_c = [gates["f"][j] * c[j] + gates["i"][j] * gates["g"][j] for j in range(h)]
    new_s = [gates["o"][j] * cmath.tanh(new_c[j]) for j in range(h)]
    return pre, gates, new_s, new_c


def _gru_step(layout, activation, x, s, c, h):
    a_r = [_affine(layout, x, s, j) for j in range(h)]
    a_z = [_affine(layout, x, s, h + j) for j in range(h)]
    r = [_sigmoid(v) for v in a_r]
    u = [_sigmoid(v) for v in a_z]
    nh = [_hidden_part(layout, s, 2 * h + j) for j in range(h)]
    a_n = [_affine(layout, x, s, 2 * h + j, with_hidden=False) + r[j] * nh[j] for j in range(h)]
    n = [cmath.tanh(v) for v in a_n]
    new_s = [(1 - u[j]) * n[j] + u[j] * s[j] for j in range(h)]
    return {"r": a_r, "z": a_z, "n": a_n, "nh": nh}, {"r": r, "z": u, "n": n}, new_s, None


STEPS = {"rnn": _rnn_step, "lstm": _lstm_step, "gru": _gru_step}


def _sizes(cell: str, params: dict) -> tuple[int, int]:
    w = params["W"] if cell == "rnn" else params["W_r" if cell == "gru" else "W_i"]
    w = np.asarray(w) if not isinstance(w, np.ndarray) else w
    h = w.shape[0]
    return w.shape[1] - h, h


def forward(
    cell: str,
    activation: str,
    readout: str,
    params: dict,
    inputs,
    targets,
    initial_state=None,
    initial_cell=None,
    *,
    first_step: int = 1,
) -> Result:
    """The forward pass of spec/model.md, complex throughout.

    ``first_step`` > 1 re-runs only steps first_step..T from ``initial_state`` (and
    ``initial_cell``) taken as s_{first_step-1} (c_{first_step-1}); the loss then holds
    only those steps' errors but is still divided by the whole sequence's target count,
    so its derivative by the start state is ∂L/∂s_{first_step-1}.
    """
    d, h = _sizes(cell, params)
    layout = to_torch_layout(cell, params, d, h)
    xs = _clist(inputs)
    ys = targets.tolist() if isinstance(targets, np.ndarray) else [list(r) for r in targets]
    count = sum(1 for row in ys for v in row if not _is_blank(v))
    s = [0j] * h if initial_state is None else _clist(initial_state)
    c = None
    if cell == "lstm":
        c = [0j] * h if initial_cell is None else _clist(initial_cell)
    step = STEPS[cell]
    res = Result(
        pre={},
        gates={},
        states=[s],
        cells=None if c is None else [c],
        outputs=[],
        errors=[],
        loss=None,
    )
    squared = 0j
    for t in range(first_step, len(xs) + 1):
        pre, gates, s, c = step(layout, activation, xs[t - 1], s, c, h)
        for name, v in pre.items():
            res.pre.setdefault(name, []).append(v)
        for name, v in gates.items():
            res.gates.setdefault(name, []).append(v)
        res.states.append(s)
        if c is not None:
            res.cells.append(c)
        y_hat = _readout(readout, params, s)
        res.outputs.append(y_hat)
        row_errors = []
        for j, y in enumerate(ys[t - 1]):
            if _is_blank(y):
                row_errors.append(None)
                continue
            e = y_hat[j] - y
            row_errors.append(e)
            squared += e * e
        res.errors.append(row_errors)
    res.loss = squared / count if count else None
    return res


def _readout(readout: str, params: dict, s: list) -> list:
    if readout == "identity":
        return list(s)
    v_mat, c_vec = _clist(params["V"]), _clist(params["c"])
    out = []
    for j, row in enumerate(v_mat):
        total = c_vec[j]
        for w, sv in zip(row, s, strict=True):
            total += w * sv
        out.append(total)
    return out


# -- gradients by the complex step -----------------------------------------------------


def _entries(shape: tuple[int, ...]):
    return np.ndindex(*shape) if shape else [()]


def _perturbed(value, index: tuple[int, ...]):
    a = _clist(value)
    if not index:
        return a + 1j * STEP
    target = a
    for i in index[:-1]:
        target = target[i]
    target[index[-1]] += 1j * STEP
    return a


def gradients(
    cell: str,
    activation: str,
    readout: str,
    params: dict,
    inputs,
    targets,
    initial_state=None,
    initial_cell=None,
) -> dict[str, np.ndarray]:
    """∂L/∂(every parameter, s_0 and, for lstm, c_0) by the complex-step method.

    Zero everywhere when there is no target (no loss).
    """
    d, h = _sizes(cell, params)
    s0 = np.zeros(h) if initial_state is None else np.asarray(initial_state, dtype=float)
    c0 = np.zeros(h) if initial_cell is None else np.asarray(initial_cell, dtype=float)

    def loss(p, s, c) -> complex | None:
        return forward(cell, activation, readout, p, inputs, targets, s, c).loss

    out: dict[str, np.ndarray] = {}
    for name, value in params.items():
        shape = np.shape(value)
        g = np.zeros(shape)
        for index in _entries(shape):
            p = copy.copy(params)
            p[name] = _perturbed(value, index)
            value_l = loss(p, s0, c0 if cell == "lstm" else None)
            g[index] = 0.0 if value_l is None else value_l.imag / STEP
        out[name] = g
    out["initial_state"] = _start_gradient(
        lambda s: loss(params, s, c0 if cell == "lstm" else None), s0
    )
    if cell == "lstm":
        out["initial_cell"] = _start_gradient(lambda c: loss(params, s0, c), c0)
    return out


def _start_gradient(f, start: np.ndarray) -> np.ndarray:
    g = np.zeros(len(start))
    for j in range(len(start)):
        value = f(_perturbed(start, (j,)))
        g[j] = 0.0 if value is None else value.imag / STEP
    return g


def state_gradients(
    cell: str, activation: str, readout: str, params: dict, inputs, targets, states, cells=None
) -> tuple[np.ndarray, np.ndarray | None]:
    """∂L/∂s_t (and ∂L/∂c_t for lstm) for t = 1..T, each by re-running from step t.

    ``states``/``cells`` are the (T+1) × h arrays of a forward pass. s_t (c_t) is taken as
    the start of a run over steps t+1..T whose loss also counts step t's own output,
    computed from the perturbed s_t; c_t is perturbed with s_t held fixed, the way the
    pair (s_t, c_t) carries the sequence into step t+1.
    """
    T, h = len(states) - 1, len(states[0])
    d_state = np.zeros((T, h))
    d_cell = np.zeros((T, h)) if cell == "lstm" else None
    ys = targets.tolist() if isinstance(targets, np.ndarray) else [list(r) for r in targets]
    count = sum(1 for row in ys for v in row if not _is_blank(v))
    if not count:
        return d_state, d_cell

    def loss_from(t: int, s, c) -> complex:
        own = 0j
        for j, y in enumerate(ys[t - 1]):
            if not _is_blank(y):
                e = _readout(readout, params, s)[j] - y
                own += e * e
        rest = forward(cell, activation, readout, params, inputs, targets, s, c, first_step=t + 1)
        return own / count + (rest.loss if rest.loss is not None else 0j)

    for t in range(1, T + 1):
        s_t = np.asarray(states[t], dtype=float)
        c_t = None if cells is None else np.asarray(cells[t], dtype=float)
        d_state[t - 1] = _start_gradient(lambda s, t=t, c_t=c_t: loss_from(t, s, c_t), s_t)
        if d_cell is not None:
            d_cell[t - 1] = _start_gradient(lambda c, t=t, s_t=s_t: loss_from(t, s_t, c), c_t)
    return d_state, d_cell


# -- random cases --------------------------------------------------------------------


def param_shapes(cell: str, readout: str, d: int, h: int, k: int) -> dict[str, tuple[int, ...]]:
    """Every parameter's shape, in file order, read off spec/model.md."""
    w, b = (h, d + h), (h,)
    gates = {"rnn": [""], "lstm": ["i", "f", "g", "o"], "gru": ["r", "z", "n"]}[cell]
    shapes: dict[str, tuple[int, ...]] = {}
    for g in gates:
        suffix = f"_{g}" if g else ""
        shapes["W" + suffix] = w
        shapes["b" + suffix] = b
    if cell == "gru":
        shapes["b_nh"] = b
    if readout == "linear":
        shapes["V"] = (k, h)
        shapes["c"] = (k,)
    return shapes


@dataclass
class Case:
    """One random model and sequence (real numbers, NaN = no target)."""

    cell: str
    activation: str
    readout: str
    d: int
    h: int
    k: int
    params: dict[str, np.ndarray]
    inputs: np.ndarray
    targets: np.ndarray
    initial_state: np.ndarray
    initial_cell: np.ndarray

    @property
    def T(self) -> int:
        return self.inputs.shape[0]

    @property
    def cell_start(self) -> np.ndarray | None:
        """c_0 for the lstm, None for the others."""
        return self.initial_cell if self.cell == "lstm" else None

    def forward(self) -> Result:
        return forward(
            self.cell,
            self.activation,
            self.readout,
            self.params,
            self.inputs,
            self.targets,
            self.initial_state,
            self.cell_start,
        )

    def gradients(self) -> dict[str, np.ndarray]:
        return gradients(
            self.cell,
            self.activation,
            self.readout,
            self.params,
            self.inputs,
            self.targets,
            self.initial_state,
            self.cell_start,
        )


def random_case(
    seed: int,
    cell: str,
    activation: str = "tanh",
    readout: str = "identity",
    *,
    d: int = 2,
    h: int = 2,
    k: int | None = None,
    T: int = 4,
    blank: float = 0.25,
    scale: float = 1.0,
) -> Case:
    """A random case: weights uniform in ±scale/√(d+h)·2, inputs and targets N(0, 1),
    each target blank with probability ``blank``, random s_0 and c_0."""
    rng = np.random.default_rng(seed)
    if k is None or readout == "identity":
        k = h if readout == "identity" else (k or 1)
    bound = 2.0 * scale / math.sqrt(d + h)
    params = {
        name: rng.uniform(-bound, bound, size=shape)
        for name, shape in param_shapes(cell, readout, d, h, k).items()
    }
    inputs = rng.normal(size=(T, d))
    targets = rng.normal(size=(T, k))
    targets[rng.random((T, k)) < blank] = np.nan
    return Case(
        cell=cell,
        activation=activation,
        readout=readout,
        d=d,
        h=h,
        k=k,
        params=params,
        inputs=inputs,
        targets=targets,
        initial_state=rng.normal(scale=0.5, size=h),
        initial_cell=rng.normal(scale=0.5, size=h),
    )


# -- comparing ---------------------------------------------------------------------------


def studio_trace(case: Case):
    """The same case run through rnn_studio.core (imported here only, lazily)."""
    from rnn_studio.core import ModelSpec, run

    spec = ModelSpec(case.cell, case.d, case.h, case.k, case.activation, case.readout)
    return run(spec, case.params, case.inputs, case.targets, case.initial_state, case.cell_start)


def assert_close(actual, expected, tol: float, what: str = "") -> None:
    """|actual − expected| ≤ tol·max(1, |expected|) entrywise; NaN only where NaN is expected."""
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
    nan_e = np.isnan(e)
    assert np.array_equal(np.isnan(a), nan_e), f"{what}: NaN at different places\n{a}\n{e}"
    diff = np.abs(np.where(nan_e, 0.0, a - e))
    bound = tol * np.maximum(1.0, np.abs(np.where(nan_e, 0.0, e)))
    worst = float(np.max(diff / bound)) if diff.size else 0.0
    assert worst <= 1.0, f"{what}: differs by {float(np.max(diff)):.3g} (tol {tol})\n{a}\n{e}"
